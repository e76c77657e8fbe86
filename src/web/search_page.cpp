// Search across every record type the user may read. Each type is searched
// through the engine's list query, so need-to-know holds here exactly as in
// the lists: a restricted record never appears for someone outside its group.
#include "web/fields.h"

namespace tandem::web {

namespace {
constexpr int kPerType = 10;
}  // namespace

Status SearchPage(Page& p) {
  const std::string q = p.Param("q");
  Data groups = Data::type::list;
  std::string error;
  int total = 0;
  if (!q.empty()) {
    for (const auto& type : p.engine.registry().types()) {
      if (!p.actor().Can(type.name, records::Action::kRead)) continue;
      auto query = p.engine.ParseList(type, {{"q", q}, {"limit", std::to_string(kPerType)}});
      if (!query.ok()) {
        error = query.error().fields.empty() ? query.error().detail
                                             : "Search " + query.error().fields[0].message + ".";
        break;
      }
      auto list = p.engine.List(p.actor(), type, *query);
      if (!list.ok()) return list.error();
      if (list->items.empty()) continue;
      const auto* shown = type.Field(type.display_field);
      Data hits = Data::type::list;
      for (const auto& r : list->items) {
        hits.push_back(
            Obj({{"number", r["number"].get<std::string>()},
                 {"href", RecordPath(type, r["id"].get<int64_t>())},
                 {"display",
                  shown ? DisplayText(*shown, r.value(shown->name, nlohmann::json())) : ""}}));
        ++total;
      }
      groups.push_back(Obj({{"title", Humanize(type.collection)},
                            {"hits", hits},
                            {"more", !list->next_cursor.empty()},
                            {"more_href", "/r/" + type.collection + "?q=" + PercentEncode(q)}}));
    }
  }
  return SendTemplate(p, error.empty() ? 200 : 400, q.empty() ? "Search" : "Search: " + q, "search",
                      Obj({{"q", q},
                           {"searched", !q.empty() && error.empty()},
                           {"error", error},
                           {"groups", groups},
                           {"total", std::to_string(total)}}));
}

}  // namespace tandem::web

// The dashboard: one panel per management system (ISMS, SMS, QMS), each
// filled by the domain modules' parts (web/extensions.h) with figures that
// link to the records behind them (web/panel.h).
#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/clock.h"
#include "web/extensions.h"
#include "web/pages.h"
#include "web/panel.h"

namespace tandem::web {

records::Engine& Panel::engine() const { return page_.engine; }
const records::Actor& Panel::actor() const { return page_.actor(); }

std::string Panel::today() const {
  return FormatTimestamp(page_.engine.clock().Now()).substr(0, 10);
}

std::string Panel::Query(const Params& params) {
  std::string out;
  for (const auto& [k, v] : params)
    out += (out.empty() ? "?" : "&") + PercentEncode(k) + "=" + PercentEncode(v);
  return out;
}

std::string Panel::ListHref(const char* type_name, const Params& params) const {
  const auto* type = page_.engine.registry().Find(type_name);
  return "/r/" + (type ? type->collection : std::string(type_name)) + Query(params);
}

std::optional<records::ListQuery> Panel::Parse(const model::RecordType& type,
                                               const Params& params) {
  auto q = page_.engine.ParseList(type, params);
  if (q.ok()) return std::move(*q);
  spdlog::error("dashboard figure on {} refused: {}", type.name, q.error().detail);
  Add({.label = "Figure unavailable (" + type.title + ")",
       .value = "error",
       .detail = q.error().detail,
       .href = "/r/" + type.collection,
       .warn = true});
  return std::nullopt;
}

std::optional<int64_t> Panel::Count(const char* type_name, const Params& params) {
  const auto* type = page_.engine.registry().Find(type_name);
  if (!type || !actor().Can(type->name, records::Action::kRead)) return std::nullopt;
  auto q = Parse(*type, params);
  if (!q) return std::nullopt;
  q->count_only = true;
  auto r = page_.engine.List(actor(), *type, *q);
  if (!r.ok()) return std::nullopt;
  return r->total;
}

void Panel::CountFigure(const std::string& label, const char* type_name, const Params& params,
                        bool warn_when_nonzero) {
  auto n = Count(type_name, params);
  if (!n) return;
  Add({.label = label,
       .value = std::to_string(*n),
       .href = ListHref(type_name, params),
       .warn = warn_when_nonzero && *n > 0});
}

bool Panel::ForEach(const char* type_name, Params params,
                    const std::function<void(const nlohmann::json&)>& fn) {
  const auto* type = page_.engine.registry().Find(type_name);
  if (!type || !actor().Can(type->name, records::Action::kRead)) return false;
  params.emplace("limit", "500");
  for (int seen = 0; seen < 10000;) {
    auto q = Parse(*type, params);
    if (!q) return false;
    auto r = page_.engine.List(actor(), *type, *q);
    if (!r.ok()) return false;
    for (const auto& record : r->items) fn(record);
    seen += static_cast<int>(r->items.size());
    if (r->next_cursor.empty()) break;
    params.erase("after");
    params.emplace("after", r->next_cursor);
  }
  return true;
}

bool Panel::First(const char* type_name, Params params, int n,
                  const std::function<void(const nlohmann::json&)>& fn) {
  const auto* type = page_.engine.registry().Find(type_name);
  if (!type || !actor().Can(type->name, records::Action::kRead)) return false;
  params.emplace("limit", std::to_string(n));
  auto q = Parse(*type, params);
  if (!q) return false;
  auto r = page_.engine.List(actor(), *type, *q);
  if (!r.ok()) return false;
  for (const auto& record : r->items) fn(record);
  return true;
}

namespace {

// How far ahead the governance calendar looks.
constexpr int kCalendarDays = 28;

}  // namespace

Status Dashboard(Page& p) {
  static constexpr std::pair<const char*, const char*> kTitles[] = {
      {"isms", "Information security (ISMS)"},
      {"sms", "Service management (SMS)"},
      {"qms", "Quality (QMS)"},
  };
  Data panels = Data::type::list;
  for (const auto& [id, title] : kTitles) {
    Panel panel(p);
    for (const PanelPart* part : p.ext.PartsOf(id)) part->fill(panel);
    Data figures = Data::type::list;
    for (const auto& f : panel.figures())
      figures.push_back(Obj({{"label", f.label},
                             {"value", f.value},
                             {"detail", f.detail},
                             {"href", f.href},
                             {"warn", f.warn}}));
    Data charts = Data::type::list;
    for (const auto& svg : panel.charts()) charts.push_back(Obj({{"svg", svg}}));
    panels.push_back(Obj({{"title", title},
                          {"id", id},
                          {"note", panel.note()},
                          {"figures", figures},
                          {"charts", charts},
                          {"empty", panel.figures().empty()}}));
  }
  const std::string today = DateOf(p.engine.clock().Now());
  // The governance calendar: what is due in the next four weeks, and overdue.
  std::vector<CalendarEntry> entries;
  Panel calendar_panel(p);
  const std::string until = AddDays(today, kCalendarDays);
  for (const auto& source : p.ext.calendar()) source(calendar_panel, until, entries);
  std::stable_sort(entries.begin(), entries.end(),
                   [](const CalendarEntry& a, const CalendarEntry& b) { return a.date < b.date; });
  Data calendar = Data::type::list;
  for (const auto& e : entries)
    calendar.push_back(
        Obj({{"date", e.date}, {"label", e.label}, {"href", e.href}, {"overdue", e.date < today}}));
  return SendTemplate(p, 200, "Dashboard", "dashboard",
                      Obj({{"panels", panels},
                           {"today", today},
                           {"calendar", calendar},
                           {"calendar_days", std::to_string(kCalendarDays)},
                           {"calendar_empty", entries.empty()},
                           {"has_calendar", !p.ext.calendar().empty()}}));
}

}  // namespace tandem::web

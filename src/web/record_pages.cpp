// The pages every record type gets from its declaration: list (with search,
// filters, sort, keyset paging and CSV export), record (fields, workflow,
// links, history), create and edit (with the edit-conflict view).
#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include "core/csv.h"
#include "core/media_type.h"
#include "web/fields.h"

namespace tandem::web {

using model::FieldType;
using nlohmann::json;
using records::Action;

namespace {

constexpr int kPageRows = 50;
constexpr int kDefaultColumns = 6;
constexpr int kCsvPage = 500;
constexpr size_t kCsvMaxRows = 100000;

// --- lists ---------------------------------------------------------------------

// Fields a list can show as a column (prose and JSON cannot).
bool Listable(const model::FieldDecl& f) {
  return f.type != FieldType::kLongText && f.type != FieldType::kJson;
}

// Fields a list can filter on with a control of their own (text is searched).
bool Filterable(const model::FieldDecl& f) {
  switch (f.type) {
    case FieldType::kEnum:
    case FieldType::kBoolean:
    case FieldType::kUser:
    case FieldType::kReference:
    case FieldType::kDate:
    case FieldType::kDateTime:
      return true;
    default:
      return false;
  }
}

// The columns: those chosen (col=...), else the display field, the state and
// the first few short fields of the declaration.
std::vector<FieldRef> Columns(const Page& p, const model::RecordType& type,
                              const std::vector<FieldRef>& fields) {
  std::vector<FieldRef> out;
  auto [b, e] = p.req.params.equal_range("col");
  for (auto it = b; it != e; ++it)
    for (const auto& f : fields)
      if (f.key == it->second && Listable(f.decl)) out.push_back(f);
  if (!out.empty()) return out;
  for (const auto& f : fields)
    if (f.decl.name == type.display_field && !f.custom) out.push_back(f);
  for (const auto& f : fields) {
    if (static_cast<int>(out.size()) >= kDefaultColumns) break;
    if (f.custom || f.decl.name == type.display_field || !Listable(f.decl)) continue;
    if (f.decl.type == FieldType::kText) continue;  // titles say it; other text is long
    out.push_back(f);
  }
  return out;
}

// The list's query string without `drop` parameters, for links that change
// one thing (sort, page).
std::string QueryWithout(const Page& p, std::initializer_list<const char*> drop) {
  std::string out;
  for (const auto& [k, v] : p.req.params) {
    bool skip = v.empty();
    for (const char* d : drop) skip = skip || k == d;
    if (skip) continue;
    out += (out.empty() ? "" : "&") + PercentEncode(k) + "=" + PercentEncode(v);
  }
  return out;
}

// The engine's list parameters from the page's: empty controls dropped, the
// page's own parameters (col, archived) left out, record numbers in
// reference filters turned into ids.
std::multimap<std::string, std::string> EngineParams(const Page& p, const model::RecordType& type,
                                                     int limit) {
  std::multimap<std::string, std::string> out;
  for (const auto& [k, v] : p.req.params) {
    if (v.empty() || k == "col" || k == "archived" || k == "limit") continue;
    std::string value = v;
    if (k.starts_with("filter[")) {
      const std::string name = k.substr(7, k.find(']') - 7);
      const auto* f = type.Field(name);
      if (f && f->type == FieldType::kReference)
        if (const auto* t = p.engine.registry().Find(f->ref_type))
          if (int64_t id = records::ParseRecordId(*t, v)) value = std::to_string(id);
    }
    out.emplace(k, value);
  }
  out.emplace("limit", std::to_string(limit));
  return out;
}

Data FilterControls(const Page& p, const model::RecordType& type,
                    const std::vector<FieldRef>& fields, const std::vector<FieldError>& errors,
                    bool& any_active) {
  Data list = Data::type::list;
  auto error_for = [&](const std::string& param) {
    for (const auto& e : errors)
      if (e.field == param) return e.message;
    return std::string();
  };
  auto add_select = [&](const std::string& name, const std::string& label,
                        const std::vector<std::pair<std::string, std::string>>& choices) {
    const std::string param = "filter[" + name + "]";
    const std::string current = p.Param(param.c_str());
    any_active = any_active || !current.empty();
    Data options = Data::type::list;
    options.push_back(Obj({{"value", ""}, {"label", "Any"}, {"selected", current.empty()}}));
    for (const auto& [v, l] : choices)
      options.push_back(Obj({{"value", v}, {"label", l}, {"selected", v == current}}));
    list.push_back(Obj({{"id", "f-" + name},
                        {"name", param},
                        {"label", label},
                        {"is_select", true},
                        {"options", options},
                        {"error", error_for(param)}}));
  };
  auto add_input = [&](const std::string& name, const std::string& op, const std::string& label,
                       const char* input_type) {
    const std::string param = "filter[" + name + "]" + (op.empty() ? "" : "[" + op + "]");
    const std::string current = p.Param(param.c_str());
    any_active = any_active || !current.empty();
    list.push_back(Obj({{"id", "f-" + name + (op.empty() ? "" : "-" + op)},
                        {"name", param},
                        {"label", label},
                        {"is_input", true},
                        {"input_type", input_type},
                        {"value", current},
                        {"error", error_for(param)}}));
  };
  if (type.states) {
    std::vector<std::pair<std::string, std::string>> states;
    for (const auto& s : type.states->states)
      states.push_back({s, DisplayText({.type = FieldType::kEnum}, s)});
    add_select("state", "State", states);
  }
  for (const auto& f : fields) {
    if (f.custom || !Filterable(f.decl)) continue;
    const auto& d = f.decl;
    const std::string label = d.label.empty() ? Humanize(d.name) : d.label;
    switch (d.type) {
      case FieldType::kEnum: {
        std::vector<std::pair<std::string, std::string>> c;
        for (const auto& e : d.enum_values) c.push_back({e, DisplayText(d, e)});
        add_select(d.name, label, c);
        break;
      }
      case FieldType::kBoolean:
        add_select(d.name, label, {{"true", "Yes"}, {"false", "No"}});
        break;
      case FieldType::kDate:
      case FieldType::kDateTime:
        add_input(d.name, "ge", label + " from", "date");
        add_input(d.name, "le", label + " to", "date");
        break;
      default:
        add_input(d.name, "", label, "text");
    }
  }
  return list;
}

Result<std::string> CsvExport(Page& p, const model::RecordType& type) {
  const auto fields = FieldsOf(p.engine, type, Fields::kShown);
  std::vector<std::string> header = {"number"};
  if (type.states) header.push_back("state");
  for (const auto& f : fields) header.push_back(f.key);
  for (const char* s :
       {"created_at", "created_by", "updated_at", "updated_by", "archived", "restricted_to"})
    header.push_back(s);
  std::string out = CsvLine(header);
  auto params = EngineParams(p, type, kCsvPage);
  size_t rows = 0;
  for (;;) {
    auto q = p.engine.ParseList(type, params);
    if (!q.ok()) return q.error();
    if (!p.Param("archived").empty()) q->include_archived = true;
    auto list = p.engine.List(p.actor(), type, *q);
    if (!list.ok()) return list.error();
    for (const auto& r : list->items) {
      std::vector<std::string> line = {r["number"].get<std::string>()};
      if (type.states) line.push_back(r.value("state", ""));
      for (const auto& f : fields) {
        const json& v = ValueOf(r, f);
        line.push_back(f.decl.type == FieldType::kReference
                           ? InputText(p.engine.registry(), f.decl, v)
                       : v.is_string() ? v.get<std::string>()
                       : v.is_null()   ? ""
                                       : v.dump());
      }
      for (const char* s : {"created_at", "created_by", "updated_at", "updated_by"})
        line.push_back(r.value(s, ""));
      line.push_back(r["archived"].get<bool>() ? "true" : "false");
      line.push_back(r["restricted_to"].is_string() ? r["restricted_to"].get<std::string>() : "");
      out += CsvLine(line);
      ++rows;
    }
    if (list->next_cursor.empty() || rows >= kCsvMaxRows) break;
    params.erase("after");
    params.emplace("after", list->next_cursor);
  }
  return out;
}

Status ListPage(Page& p, const model::RecordType& type) {
  if (!p.actor().Can(type.name, Action::kRead))
    return MakeError(ErrorCode::kForbidden,
                     "Your roles do not allow reading " + Humanize(type.collection) + ".");
  const auto fields = FieldsOf(p.engine, type, Fields::kShown);
  const auto columns = Columns(p, type, fields);
  std::vector<FieldError> errors;
  json items = json::array();
  std::string next;
  auto q = p.engine.ParseList(type, EngineParams(p, type, kPageRows));
  if (q.ok()) {
    if (!p.Param("archived").empty()) q->include_archived = true;
    auto list = p.engine.List(p.actor(), type, *q);
    if (!list.ok()) return list.error();
    items = std::move(list->items);
    next = std::move(list->next_cursor);
  } else {
    errors = q.error().fields;
  }

  const std::string base = "/r/" + type.collection;
  const std::string sort = p.Param("sort");
  Data heads = Data::type::list;
  auto head = [&](const std::string& key, const std::string& label, bool sortable) {
    Data h = Obj({{"label", label}});
    if (sortable) {
      const bool asc = sort == key, desc = sort == "-" + key;
      std::string qs = QueryWithout(p, {"sort", "after"});
      h.set("href", base + "?" + qs + (qs.empty() ? "" : "&") + "sort=" + (asc ? "-" : "") + key);
      if (asc) h.set("aria_sort", "ascending");
      if (desc) h.set("aria_sort", "descending");
    }
    heads.push_back(h);
  };
  head("number", "Number", true);
  if (type.states) head("state", "State", true);
  for (const auto& c : columns)
    head(c.key, c.decl.label.empty() ? Humanize(c.decl.name) : c.decl.label, !c.custom);

  Data rows = Data::type::list;
  for (const auto& r : items) {
    Data cells = Data::type::list;
    for (const auto& c : columns) cells.push_back(DisplayData(p.engine, c.decl, ValueOf(r, c)));
    const int64_t id = r["id"].get<int64_t>();
    rows.push_back(
        Obj({{"number", r["number"].get<std::string>()},
             {"href", RecordPath(type, id)},
             {"state", DisplayText({.type = FieldType::kEnum}, r.value("state", json()))},
             {"has_state", type.states.has_value()},
             {"archived", r["archived"].get<bool>()},
             {"restricted_to", r["restricted_to"].is_string()
                                   ? Data(r["restricted_to"].get<std::string>())
                                   : Data(false)},
             {"cells", cells}}));
  }
  Data choose = Data::type::list;
  for (const auto& f : fields) {
    if (!Listable(f.decl)) continue;
    bool on = false;
    for (const auto& c : columns) on = on || c.key == f.key;
    choose.push_back(Obj({{"key", f.key},
                          {"id", "col-" + f.key},
                          {"label", f.decl.label.empty() ? Humanize(f.decl.name) : f.decl.label},
                          {"checked", on}}));
  }
  bool any_filter = false;
  Data filters = FilterControls(p, type, fields, errors, any_filter);
  std::string error_summary;
  for (const auto& e : errors)
    if (!e.field.starts_with("filter["))
      error_summary += (error_summary.empty() ? "" : "; ") + e.field + " " + e.message;
  const std::string qs = QueryWithout(p, {"after"});
  std::string next_href;
  if (!next.empty())
    next_href = base + "?" + QueryWithout(p, {"after"}) + (qs.empty() ? "" : "&") +
                "after=" + PercentEncode(next);
  const std::string title = Humanize(type.collection);
  Data d =
      Obj({{"title", title},
           {"description", type.description},
           {"base", base},
           {"q", p.Param("q")},
           {"archived", !p.Param("archived").empty()},
           {"filters", filters},
           {"filters_open", any_filter || !errors.empty()},
           {"columns", choose},
           {"heads", heads},
           {"rows", rows},
           {"empty", items.empty()},
           {"has_state", type.states.has_value()},
           {"col_count", std::to_string(columns.size() + (type.states ? 2 : 1))},
           {"next_href", next_href},
           {"first_href", p.Param("after").empty() ? "" : base + "?" + QueryWithout(p, {"after"})},
           {"csv_href", base + ".csv" + (qs.empty() ? "" : "?" + qs)},
           {"error_summary", error_summary},
           {"can_create", p.actor().Can(type.name, Action::kCreate)},
           {"type_title", type.title}});
  // htmx asks for the results only when the filter form changes.
  if (p.htmx() && p.req.get_header_value("HX-Target") == "results") {
    p.res.status = errors.empty() ? 200 : 400;
    p.res.set_content(Render("list_results", d), "text/html; charset=utf-8");
    return Status::Ok();
  }
  d.set("results", Render("list_results", d));
  return SendTemplate(p, errors.empty() ? 200 : 400, title, "list", d);
}

// --- one record ----------------------------------------------------------------

struct Notice {
  std::string workflow_error;  // a refused transition or archive
  std::string link_error;
  std::string link_relation, link_target, link_note;  // what the link form held
};

// One changed value of a history event, as text.
std::string ChangeText(const model::Registry& registry, const model::FieldDecl& f, const json& v) {
  return f.type == FieldType::kReference ? InputText(registry, f, v) : DisplayText(f, v);
}

// The audit events, newest first, each with the fields it changed (bookkeeping
// left out; on create, only the values that were set).
Data HistoryData(const model::Registry& registry, const model::RecordType& type,
                 const std::vector<FieldRef>& fields, const json& events) {
  static const std::set<std::string> kBookkeeping = {
      "id", "number", "type", "version", "created_at", "created_by", "updated_at", "updated_by"};
  std::map<std::string, const FieldRef*> by_key;
  for (const auto& f : fields) by_key[f.key] = &f;
  Data list = Data::type::list;
  for (auto it = events.rbegin(); it != events.rend(); ++it) {
    const json& e = *it;
    const json& ch = e["changes"];
    const json empty = json::object();
    const json& before = ch.contains("before") && ch["before"].is_object() ? ch["before"] : empty;
    const json& after = ch.contains("after") && ch["after"].is_object() ? ch["after"] : empty;
    // Flatten custom values to "custom.name", as the fields are keyed.
    std::map<std::string, std::pair<json, json>> changed;
    for (const auto* side : {&before, &after})
      for (const auto& [k, v] : side->items()) {
        if (kBookkeeping.count(k)) continue;
        if (k == "custom" && v.is_object()) {
          for (const auto& [ck, cv] : v.items())
            (side == &before ? changed["custom." + ck].first : changed["custom." + ck].second) = cv;
        } else {
          (side == &before ? changed[k].first : changed[k].second) = v;
        }
      }
    Data changes = Data::type::list;
    for (const auto& [k, values] : changed) {
      const auto& [old_value, new_value] = values;
      if (old_value == new_value ||
          (old_value.is_null() && (new_value.is_null() || new_value == false)))
        continue;  // unset on create, or unchanged
      auto f = by_key.find(k);
      model::FieldDecl d = f != by_key.end() ? f->second->decl : model::FieldDecl{.name = k};
      if (k == "state") d.type = FieldType::kEnum;
      changes.push_back(Obj({{"field", d.label.empty() ? Humanize(k) : d.label},
                             {"before", ChangeText(registry, d, old_value)},
                             {"after", ChangeText(registry, d, new_value)},
                             {"had_before", !old_value.is_null()}}));
    }
    std::string summary;
    if (ch.contains("link")) {
      const json& l = ch["link"];
      summary =
          l.value("from", "") + " " + Humanize(l.value("relation", "")) + " " + l.value("to", "");
    }
    list.push_back(Obj({{"action", Humanize(e.value("action", ""))},
                        {"actor", e.value("actor", "")},
                        {"at", DisplayText({.type = FieldType::kDateTime}, e["at"])},
                        {"datetime", e.value("at", "")},
                        {"summary", summary},
                        {"changes", changes}}));
  }
  return list;
}

Status ShowRecord(Page& p, const model::RecordType& type, int64_t id, int status,
                  const Notice& notice) {
  auto rec = p.engine.Get(p.actor(), type, id);
  if (!rec.ok()) return rec.error();
  const json& r = *rec;
  const auto fields = FieldsOf(p.engine, type, Fields::kShown);
  Data shown = Data::type::list;
  for (const auto& f : fields) {
    Data d = f.decl.type == FieldType::kFile ? FileData(type, id, f.decl, ValueOf(r, f))
                                             : DisplayData(p.engine, f.decl, ValueOf(r, f));
    d.set("label", f.decl.label.empty() ? Humanize(f.decl.name) : f.decl.label);
    d.set("help", Text(f.decl.help));
    shown.push_back(d);
  }
  const std::string path = RecordPath(type, id);
  const bool archived = r["archived"].get<bool>();
  // What the actor may take now, and what a separation-of-duties rule stops
  // them from taking, with the rule's reason (not what their roles never allow).
  Data transitions = Data::type::list, refused = Data::type::list;
  if (type.states && !archived && p.actor().Can(type.name, Action::kTransition)) {
    auto available = p.engine.Transitions(p.actor(), type, id);
    if (!available.ok()) return available.error();
    for (const auto& t : (*available)["transitions"]) {
      const std::string name = t["name"];
      if (t["allowed"].get<bool>()) {
        transitions.push_back(Obj({{"name", name},
                                   {"to", DisplayText({.type = FieldType::kEnum}, t["to"])},
                                   {"on_behalf_of", t.value("on_behalf_of", "")}}));
      } else if (t["refusal"].contains("rule")) {
        refused.push_back(Obj({{"name", name}, {"refusal", t["refusal"].value("detail", "")}}));
      }
    }
  }
  Data links = Data::type::list;
  if (auto l = p.engine.Links(p.actor(), type, id); l.ok()) {
    for (const auto& link : *l) {
      const json& o = link["other"];
      const auto* ot = p.engine.registry().Find(o.value("type", ""));
      links.push_back(
          Obj({{"id", std::to_string(link["id"].get<int64_t>())},
               {"relation", Humanize(link.value("relation", ""))},
               {"number", o.value("number", "")},
               {"display", o["display"].is_string() ? o["display"].get<std::string>() : ""},
               {"href", ot ? RecordPath(*ot, o["id"].get<int64_t>()) : ""},
               {"type_title", ot ? ot->title : ""},
               {"note", link.value("note", "")}}));
    }
  }
  Data relations = Data::type::list;
  for (const auto& rel : model::Registry::Relations())
    relations.push_back(Obj({{"name", rel.name},
                             {"label", Humanize(rel.name)},
                             {"selected", rel.name == notice.link_relation}}));
  Data history = Data::type::list;
  if (auto h = p.engine.History(p.actor(), type, id); h.ok())
    history = HistoryData(p.engine.registry(), type, fields, *h);
  const auto type_hint = p.ext.HintFor(type, nullptr);
  Data parts = Data::type::list;
  int part_no = 0;
  for (const RecordPart* part : p.ext.PartsOfType(type.name)) {
    auto html = part->html(p, r);
    if (!html.ok()) return html.error();
    if (html->empty()) continue;
    parts.push_back(
        Obj({{"id", std::to_string(++part_no)}, {"title", part->title}, {"html", *html}}));
  }
  const auto* df = type.Field(type.display_field);
  const std::string display = df ? DisplayText(*df, r.value(type.display_field, json())) : "";
  const std::string number = r["number"].get<std::string>();
  Data d = Obj(
      {{"type_title", type.title},
       {"list_href", "/r/" + type.collection},
       {"list_title", Humanize(type.collection)},
       {"number", number},
       {"display", display},
       {"path", path},
       {"version", std::to_string(r["version"].get<int64_t>())},
       {"has_state", type.states.has_value()},
       {"state", DisplayText({.type = FieldType::kEnum}, r.value("state", json()))},
       {"archived", archived},
       {"restricted_to",
        r["restricted_to"].is_string() ? Data(r["restricted_to"].get<std::string>()) : Data(false)},
       {"fields", shown},
       {"parts", parts},
       {"terms", type_hint ? type_hint->text : ""},
       {"terms_href", type_hint ? type_hint->href : ""},
       {"created", r.value("created_by", "") + ", " +
                       DisplayText({.type = FieldType::kDateTime}, r["created_at"])},
       {"updated", r.value("updated_by", "") + ", " +
                       DisplayText({.type = FieldType::kDateTime}, r["updated_at"])},
       {"can_edit", !archived && p.actor().Can(type.name, Action::kUpdate)},
       {"can_archive", p.actor().Can(type.name, Action::kArchive)},
       {"can_link", p.actor().Can(type.name, Action::kUpdate)},
       {"transitions", transitions},
       {"refused", refused},
       {"any_refused", !refused.is_empty_list()},
       {"workflow_error", notice.workflow_error},
       {"links", links},
       {"relations", relations},
       {"link_error", notice.link_error},
       {"link_target", notice.link_target},
       {"link_note", notice.link_note},
       {"history", history}});
  return SendTemplate(p, status, number + (display.empty() ? "" : " " + display), "record", d);
}

// --- forms ---------------------------------------------------------------------

struct FormState {
  json values;                     // what the inputs hold
  std::vector<FieldError> errors;  // beside each field
  std::string summary;             // the form-level message
  json saved;                      // the newer saved record, when in conflict
  std::string version;             // the version the form edits
};

Status ShowForm(Page& p, const model::RecordType& type, int64_t id, int status,
                const FormState& s) {
  const bool create = id == 0;
  const auto fields = FieldsOf(p.engine, type, Fields::kEditable);
  Data d = Obj({{"type_title", type.title},
                {"list_href", "/r/" + type.collection},
                {"list_title", Humanize(type.collection)},
                {"create", create},
                {"action", create ? "/r/" + type.collection : RecordPath(type, id)},
                {"cancel_href", create ? "/r/" + type.collection : RecordPath(type, id)},
                {"version", s.version},
                {"summary", s.summary},
                {"fields", FormFieldsData(p, type, fields, s.values, s.errors)},
                {"multipart", std::any_of(fields.begin(), fields.end(), [](const FieldRef& f) {
                   return f.decl.type == FieldType::kFile;
                 })}});
  if (create) {
    Data groups = Data::type::list;
    for (const auto& g : p.actor().groups) groups.push_back(Obj({{"name", g}}));
    d.set("groups", groups);
    d.set("has_groups", !p.actor().groups.empty());
  }
  std::string title = create ? "New " + type.title : "Edit " + records::FormatNumber(type, id);
  if (!s.saved.is_null()) {
    // Both versions, field by field, where they differ.
    Data diffs = Data::type::list;
    const auto& reg = p.engine.registry();
    for (const auto& f : fields) {
      const std::string mine = InputText(reg, f.decl, ValueOf(s.values, f));
      const std::string theirs = InputText(reg, f.decl, ValueOf(s.saved, f));
      if (mine == theirs) continue;
      diffs.push_back(Obj({{"label", f.decl.label.empty() ? Humanize(f.decl.name) : f.decl.label},
                           {"mine", mine},
                           {"theirs", theirs}}));
    }
    d.set("conflict", true);
    d.set("diffs", diffs);
    d.set("saved_by", s.saved.value("updated_by", ""));
    d.set("saved_at", DisplayText({.type = FieldType::kDateTime}, s.saved["updated_at"]));
  }
  d.set("page_title", title);
  return SendTemplate(p, status, title, "form", d);
}

// The form's values failed: show them again with the errors.
FormState Refused(const Page& p, const std::vector<FieldRef>& fields, const Error& e,
                  std::string version) {
  FormState s{FormEcho(p, fields), e.fields, e.detail, nullptr, std::move(version)};
  return s;
}

Status CreateRecord(Page& p, const model::RecordType& type) {
  const auto fields = FieldsOf(p.engine, type, Fields::kEditable);
  std::vector<FieldError> errors;
  json body = ReadForm(p, fields, true, errors);
  if (!errors.empty())
    return ShowForm(
        p, type, 0, 422,
        Refused(p, fields, MakeError(ErrorCode::kValidation, "Some fields need attention.", errors),
                ""));
  if (const std::string g = p.Param("restricted_to"); !g.empty()) body["restricted_to"] = g;
  auto rec = p.engine.Create(p.actor(), type, body);
  if (!rec.ok())
    return ShowForm(p, type, 0, Describe(rec.error().code).http_status,
                    Refused(p, fields, rec.error(), ""));
  return Redirect(p, RecordPath(type, (*rec)["id"].get<int64_t>()));
}

Status UpdateRecord(Page& p, const model::RecordType& type, int64_t id) {
  const auto fields = FieldsOf(p.engine, type, Fields::kEditable);
  const std::string version = p.Param("version");
  int64_t v = 0;
  std::from_chars(version.data(), version.data() + version.size(), v);
  std::vector<FieldError> errors;
  json patch = ReadForm(p, fields, false, errors);
  if (!errors.empty())
    return ShowForm(
        p, type, id, 422,
        Refused(p, fields, MakeError(ErrorCode::kValidation, "Some fields need attention.", errors),
                version));
  auto rec = p.engine.Update(p.actor(), type, id, v, patch);
  if (rec.ok()) return Redirect(p, RecordPath(type, id));
  if (rec.error().code != ErrorCode::kPreconditionFailed)
    return ShowForm(p, type, id, Describe(rec.error().code).http_status,
                    Refused(p, fields, rec.error(), version));
  // Someone saved first: keep what was typed, show what they saved, and let
  // the next save go over their version knowingly.
  auto saved = p.engine.Get(p.actor(), type, id);
  if (!saved.ok()) return saved.error();
  FormState s{
      FormEcho(p, fields), {}, "", *saved, std::to_string((*saved)["version"].get<int64_t>())};
  return ShowForm(p, type, id, 409, s);
}

Status RecordAction(Page& p, const model::RecordType& type, int64_t id, const std::string& what) {
  std::optional<int64_t> version;
  if (const std::string v = p.Param("version"); !v.empty()) {
    int64_t n = 0;
    std::from_chars(v.data(), v.data() + v.size(), n);
    version = n;
  }
  Notice notice;
  Result<json> r = MakeError(ErrorCode::kNotFound, "");
  if (what == "transition") {
    r = p.engine.Transition(p.actor(), type, id, p.Param("name"), version);
  } else if (what == "archive" || what == "restore") {
    r = p.engine.SetArchived(p.actor(), type, id, what == "archive", version);
  } else if (what == "links") {
    json body = {{"relation", p.Param("relation")}, {"target", p.Param("target")}};
    if (!p.Param("note").empty()) body["note"] = p.Param("note");
    r = p.engine.AddLink(p.actor(), type, id, body);
    if (!r.ok()) {
      notice.link_error = r.error().detail;
      for (const auto& f : r.error().fields) notice.link_error += "; " + f.field + " " + f.message;
      notice.link_relation = p.Param("relation");
      notice.link_target = p.Param("target");
      notice.link_note = p.Param("note");
      if (r.error().code == ErrorCode::kNotFound && p.Param("target").empty())
        notice.link_error = "Name the target record, such as RSK-000001.";
      return ShowRecord(p, type, id, Describe(r.error().code).http_status, notice);
    }
  } else {
    return NoPage(p);
  }
  if (!r.ok()) {
    if (r.error().code == ErrorCode::kNotFound || r.error().code == ErrorCode::kForbidden)
      return r.error();
    notice.workflow_error = r.error().detail;
    if (r.error().code == ErrorCode::kPreconditionFailed)
      notice.workflow_error =
          "Someone else changed this record meanwhile; here it is as it is now. Try again.";
    return ShowRecord(p, type, id, Describe(r.error().code).http_status, notice);
  }
  return Redirect(p, RecordPath(type, id));
}

}  // namespace

Status RecordsIndex(Page& p) {
  std::map<std::string, DataList> by_area;
  std::vector<std::string> order;
  for (const auto& t : p.engine.registry().types()) {
    if (!p.actor().Can(t.name, Action::kRead)) continue;
    if (!by_area.count(t.area)) order.push_back(t.area);
    by_area[t.area].push_back(Obj({{"title", Humanize(t.collection)},
                                   {"href", "/r/" + t.collection},
                                   {"description", t.description}}));
  }
  Data areas = Data::type::list;
  for (const auto& a : order)
    areas.push_back(Obj({{"area", Humanize(a)}, {"types", Data(by_area[a])}}));
  return SendTemplate(p, 200, "Records", "records", Obj({{"areas", areas}}));
}

// A stored file, as an attachment, served as the API serves it.
Status DownloadFile(Page& p, const model::RecordType& type, int64_t id, const std::string& field) {
  auto file = p.engine.ReadFile(p.actor(), type, id, field);
  if (!file.ok()) return file.error();
  p.res.status = 200;
  p.res.set_header("Content-Disposition", AttachmentDisposition(file->name));
  p.res.headers.erase("Content-Security-Policy");
  p.res.set_header("Content-Security-Policy", kStoredFilePolicy);
  p.res.set_content(file->bytes, ServedMediaType(file->media_type));
  return Status::Ok();
}

Status RecordPages(Page& p) {
  const auto& seg = p.seg;
  if (seg.size() < 2) return Redirect(p, "/records");
  std::string collection = seg[1];
  const bool csv = seg.size() == 2 && collection.ends_with(".csv");
  if (csv) collection.resize(collection.size() - 4);
  const auto* type = p.engine.registry().FindByCollection(collection);
  if (!type) return NoPage(p);
  if (seg.size() == 2) {
    if (csv) {
      auto body = CsvExport(p, *type);
      if (!body.ok()) return body.error();
      p.res.status = 200;
      p.res.set_header("Content-Disposition",
                       "attachment; filename=\"" + type->collection + ".csv\"");
      p.res.set_content(*body, "text/csv; charset=utf-8");
      return Status::Ok();
    }
    if (p.post()) return CreateRecord(p, *type);
    return ListPage(p, *type);
  }
  if (seg[2] == "new" && seg.size() == 3) {
    if (!p.actor().Can(type->name, Action::kCreate))
      return MakeError(ErrorCode::kForbidden,
                       "Your roles do not allow creating " + Humanize(type->collection) + ".");
    return ShowForm(p, *type, 0, 200, FormState{json::object(), {}, "", nullptr, ""});
  }
  const int64_t id = records::ParseRecordId(*type, seg[2]);
  if (id == 0) return NoPage(p);
  if (seg.size() == 3) {
    if (p.post()) return UpdateRecord(p, *type, id);
    return ShowRecord(p, *type, id, 200, {});
  }
  if (seg.size() == 5 && seg[3] == "files" && !p.post()) return DownloadFile(p, *type, id, seg[4]);
  if (seg.size() == 4 && seg[3] == "edit" && !p.post()) {
    auto rec = p.engine.Get(p.actor(), *type, id);
    if (!rec.ok()) return rec.error();
    return ShowForm(
        p, *type, id, 200,
        FormState{*rec, {}, "", nullptr, std::to_string((*rec)["version"].get<int64_t>())});
  }
  if (!p.post()) return NoPage(p);
  if (seg.size() == 4) return RecordAction(p, *type, id, seg[3]);
  if (seg.size() == 6 && seg[3] == "links" && seg[5] == "remove") {
    int64_t link_id = 0;
    std::from_chars(seg[4].data(), seg[4].data() + seg[4].size(), link_id);
    Status st = p.engine.RemoveLink(p.actor(), *type, id, link_id);
    if (!st.ok()) return st.error();
    return Redirect(p, RecordPath(*type, id));
  }
  return NoPage(p);
}

}  // namespace tandem::web

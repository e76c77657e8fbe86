#include "web/fields.h"

#include <charconv>
#include <cmath>

#include "core/clock.h"
#include "records/codec.h"

namespace tandem::web {

using model::FieldType;
using nlohmann::json;

namespace {

const json kNull;

std::string Spaced(std::string s) {
  for (char& c : s)
    if (c == '_') c = ' ';
  return s;
}

// Lists offered as choices for a reference field: the target's records the
// user can see, newest first, up to this many.
constexpr int kReferenceChoices = 200;

}  // namespace

std::vector<FieldRef> FieldsOf(const records::Engine& engine, const model::RecordType& type,
                               Fields which) {
  std::vector<FieldRef> out;
  for (const auto& f : type.fields) {
    if (f.internal || (which == Fields::kEditable && f.computed)) continue;
    out.push_back({f, false, f.name});
  }
  for (const auto& f : engine.CustomFields(type)) out.push_back({f, true, "custom." + f.name});
  return out;
}

const json& ValueOf(const json& record, const FieldRef& f) {
  const json* v = nullptr;
  if (!f.custom) {
    auto it = record.find(f.decl.name);
    if (it != record.end()) v = &*it;
  } else if (auto c = record.find("custom"); c != record.end() && c->is_object()) {
    auto it = c->find(f.decl.name);
    if (it != c->end()) v = &*it;
  }
  return v ? *v : kNull;
}

std::string FileLabel(const json& file) {
  if (!file.is_object()) return "";
  const int64_t size = file.value("size", int64_t{0});
  const std::string amount = size >= (1 << 20) ? std::to_string(size >> 20) + " MiB"
                             : size >= 1024    ? std::to_string(size >> 10) + " KiB"
                                               : std::to_string(size) + " bytes";
  return file.value("name", "") + " (" + amount + ", " + file.value("media_type", "") + ")";
}

std::string DisplayText(const model::FieldDecl& f, const json& v) {
  if (v.is_null()) return "";
  switch (f.type) {
    case FieldType::kBoolean:
      return v.is_boolean() && v.get<bool>() ? "Yes" : "No";
    case FieldType::kEnum:
      return v.is_string() ? Spaced(v.get<std::string>()) : v.dump();
    case FieldType::kDateTime: {
      if (!v.is_string()) return v.dump();
      std::string s = v.get<std::string>();  // 2026-11-23T09:00:00.000Z
      if (s.size() >= 16) return s.substr(0, 10) + " " + s.substr(11, 5) + " UTC";
      return s;
    }
    case FieldType::kJson:
      return v.dump(2);
    case FieldType::kFile:
      return FileLabel(v);
    default:
      return v.is_string() ? v.get<std::string>() : v.dump();
  }
}

Data DisplayData(const records::Engine& engine, const model::FieldDecl& f, const json& v) {
  // Every key set, so that a template never falls back to an outer context's
  // value of the same name (a row's href, say).
  Data d =
      Obj({{"text", DisplayText(f, v)}, {"empty", v.is_null()}, {"href", false}, {"pre", false}});
  if (f.type == FieldType::kReference && v.is_number_integer()) {
    if (const auto* t = engine.registry().Find(f.ref_type)) {
      d.set("text", records::FormatNumber(*t, v.get<int64_t>()));
      d.set("href", RecordPath(*t, v.get<int64_t>()));
    }
  }
  if (f.type == FieldType::kLongText || f.type == FieldType::kJson) d.set("pre", true);
  return d;
}

Data FileData(const model::RecordType& type, int64_t id, const model::FieldDecl& f, const json& v) {
  Data d =
      Obj({{"text", FileLabel(v)}, {"empty", !v.is_object()}, {"href", false}, {"pre", false}});
  if (v.is_object()) d.set("href", RecordPath(type, id) + "/files/" + f.name);
  return d;
}

std::string InputText(const model::Registry& registry, const model::FieldDecl& f, const json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) {
    if (f.type == FieldType::kDateTime) {  // the datetime-local input: 2026-11-23T09:00
      const std::string& s = v.get_ref<const std::string&>();
      return s.size() >= 16 && s[10] == 'T' ? s.substr(0, 16) : s;
    }
    return v.get<std::string>();
  }
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (f.type == FieldType::kReference && v.is_number_integer())
    if (const auto* t = registry.Find(f.ref_type))
      return records::FormatNumber(*t, v.get<int64_t>());
  if (f.type == FieldType::kJson) return v.dump(2);
  if (f.type == FieldType::kFile) return FileLabel(v);
  return v.dump();
}

json FormEcho(const Page& p, const std::vector<FieldRef>& fields) {
  json out = {{"custom", json::object()}};
  for (const auto& f : fields) {
    if (!p.Has(f.key) || f.decl.type == FieldType::kFile) continue;
    (f.custom ? out["custom"][f.decl.name] : out[f.decl.name]) = p.Param(f.key);
  }
  return out;
}

json ReadForm(const Page& p, const std::vector<FieldRef>& fields, bool create,
              std::vector<FieldError>& errors) {
  json body = json::object();
  json custom = json::object();
  for (const auto& f : fields) {
    if (!p.Has(f.key)) continue;
    if (f.decl.type == FieldType::kFile) {
      // A file chosen is stored first; no file chosen keeps the one there is.
      const auto part = p.req.get_file_value(f.key);
      if (part.filename.empty() && part.content.empty()) continue;
      auto stored = p.engine.PutFile(p.actor(), part.content, part.filename);
      if (!stored.ok()) {
        errors.push_back({f.key, stored.error().detail});
        continue;
      }
      body[f.decl.name] = {{"sha256", (*stored)["sha256"]}, {"name", (*stored)["name"]}};
      continue;
    }
    std::string text = p.Param(f.key);
    if (f.decl.type != FieldType::kLongText && f.decl.type != FieldType::kJson) {
      // One-line inputs: surrounding spaces are never meant.
      const auto b = text.find_first_not_of(" \t");
      text = b == std::string::npos ? "" : text.substr(b, text.find_last_not_of(" \t") - b + 1);
    }
    json value;
    if (text.empty()) {
      if (create) continue;
    } else {
      switch (f.decl.type) {
        case FieldType::kInteger: {
          int64_t n = 0;
          auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
          if (ec != std::errc() || ptr != text.data() + text.size()) {
            errors.push_back({f.key, "must be a whole number"});
            continue;
          }
          value = n;
          break;
        }
        case FieldType::kDecimal: {
          char* end = nullptr;
          const double d = std::strtod(text.c_str(), &end);
          if (*end != '\0' || !std::isfinite(d)) {
            errors.push_back({f.key, "must be a number, such as 12.5"});
            continue;
          }
          value = d;
          break;
        }
        case FieldType::kBoolean:
          value = text == "true";
          break;
        case FieldType::kDateTime:
          // datetime-local sends 2026-11-23T09:00 without a zone; the form says UTC.
          value = text.size() == 16 ? text + ":00Z" : text;
          break;
        case FieldType::kReference: {
          const auto* target = p.engine.registry().Find(f.decl.ref_type);
          const int64_t id = target ? records::ParseRecordId(*target, text) : 0;
          if (id == 0) {
            errors.push_back(
                {f.key, "must be a record number such as " +
                            (target ? records::FormatNumber(*target, 1) : std::string("1"))});
            continue;
          }
          value = id;
          break;
        }
        case FieldType::kJson:
          value = json::parse(text, nullptr, false);
          if (value.is_discarded()) {
            errors.push_back({f.key, "must be valid JSON"});
            continue;
          }
          break;
        default:
          value = text;
      }
    }
    (f.custom ? custom[f.decl.name] : body[f.decl.name]) = std::move(value);
  }
  if (!custom.empty()) body["custom"] = std::move(custom);
  return body;
}

Data FormFieldsData(Page& p, const model::RecordType& type, const std::vector<FieldRef>& fields,
                    const json& values, const std::vector<FieldError>& errors) {
  Data list = Data::type::list;
  const auto& registry = p.engine.registry();
  for (const auto& f : fields) {
    const auto& d = f.decl;
    const std::string value = InputText(registry, d, ValueOf(values, f));
    std::string error;
    for (const auto& e : errors)
      if (e.field == f.key) error = e.message;
    std::string help = d.help;
    if (auto hint = p.ext.HintFor(type, &d)) help += (help.empty() ? "" : " ") + hint->text;
    Data item = Obj({{"key", f.key},
                     {"label", d.label.empty() ? Humanize(d.name) : d.label},
                     {"help", help},
                     {"required", d.required},
                     {"value", value},
                     {"error", error}});
    std::string describedby = help.empty() ? "" : f.key + "-help";
    if (!error.empty()) describedby += (describedby.empty() ? "" : " ") + f.key + "-error";
    item.set("describedby", Text(describedby));
    switch (d.type) {
      case FieldType::kLongText:
        item.set("is_long", true);
        break;
      case FieldType::kJson:
        item.set("is_long", true);
        item.set("hint", "JSON");
        break;
      case FieldType::kFile:
        item.set("is_file", true);
        item.set("current", value);  // the stored file's label, "" for none
        break;
      case FieldType::kInteger:
        item.set("is_input", true);
        item.set("input_type", "number");
        if (d.min < d.max) {
          item.set("min", std::to_string(d.min));
          item.set("max", std::to_string(d.max));
        }
        break;
      case FieldType::kDecimal:
        item.set("is_input", true);
        item.set("input_type", "number");
        item.set("step", "any");
        break;
      case FieldType::kDate:
        item.set("is_input", true);
        item.set("input_type", "date");
        break;
      case FieldType::kDateTime:
        item.set("is_input", true);
        item.set("input_type", "datetime-local");
        item.set("hint", "UTC");
        break;
      case FieldType::kEnum:
      case FieldType::kBoolean: {
        Data options = Data::type::list;
        std::vector<std::pair<std::string, std::string>> choices;
        if (d.type == FieldType::kBoolean)
          choices = {{"true", "Yes"}, {"false", "No"}};
        else
          for (const auto& e : d.enum_values) choices.push_back({e, Spaced(e)});
        for (const auto& [v, label] : choices)
          options.push_back(Obj({{"value", v}, {"label", label}, {"selected", v == value}}));
        item.set("is_select", true);
        item.set("options", options);
        break;
      }
      case FieldType::kReference: {
        item.set("is_input", true);
        item.set("is_ref", true);
        item.set("input_type", "text");
        const auto* target = registry.Find(d.ref_type);
        if (!target) break;
        item.set("hint", "a record number such as " + records::FormatNumber(*target, 1));
        if (!p.actor().Can(target->name, records::Action::kRead)) break;
        auto q = p.engine.ParseList(
            *target, {{"sort", "-id"}, {"limit", std::to_string(kReferenceChoices)}});
        if (!q.ok()) break;
        auto list = p.engine.List(p.actor(), *target, *q);
        if (!list.ok()) break;
        Data choices = Data::type::list;
        const auto* shown = target->Field(target->display_field);
        for (const auto& r : list->items)
          choices.push_back(
              Obj({{"value", r["number"].get<std::string>()},
                   {"label", shown ? DisplayText(*shown, r.value(shown->name, json())) : ""}}));
        item.set("choices", choices);
        break;
      }
      default:
        item.set("is_input", true);
        item.set("input_type", "text");
        if (d.max_length > 0) item.set("maxlength", std::to_string(d.max_length));
    }
    list.push_back(item);
  }
  return list;
}

}  // namespace tandem::web

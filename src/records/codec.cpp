#include "records/codec.h"

#include <charconv>
#include <cmath>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <shared_mutex>

#include "core/clock.h"

namespace tandem::records {

using model::FieldDecl;
using model::FieldType;
using model::RecordType;
using nlohmann::json;

namespace {

size_t Utf8Length(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

bool HasControlChars(const std::string& s, bool allow_newlines) {
  for (unsigned char c : s) {
    if (c >= 0x20 || c == '\t') continue;
    if (allow_newlines && (c == '\n' || c == '\r')) continue;
    return true;
  }
  return false;
}

// U+202A-U+202E (embeddings and overrides) and U+2066-U+2069 (isolates):
// they make text display in another order than it is stored, so a title
// could show one thing and say another (as in "Trojan Source").
bool HasBidiControls(const std::string& s) {
  for (size_t i = 0; i + 2 < s.size(); ++i) {
    if (static_cast<unsigned char>(s[i]) != 0xE2) continue;
    const auto b1 = static_cast<unsigned char>(s[i + 1]), b2 = static_cast<unsigned char>(s[i + 2]);
    if ((b1 == 0x80 && b2 >= 0xAA && b2 <= 0xAE) || (b1 == 0x81 && b2 >= 0xA6 && b2 <= 0xA9))
      return true;
  }
  return false;
}

constexpr const char* kBidiMessage =
    "must not contain bidirectional override characters (U+202A to U+202E, U+2066 to U+2069), "
    "which show text in another order than it is written";

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

bool IsSha256Hex(const std::string& s) {
  if (s.size() != 64) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

// {"sha256", "name"} of a file in the store; media_type and size may come
// along (the engine sets them from the store either way).
std::string CheckFileValue(json& v) {
  constexpr const char* kShape =
      "must be a stored file: {\"sha256\": \"...\", \"name\": \"report.pdf\"} from POST "
      "/api/v1/files";
  if (!v.is_object()) return kShape;
  for (const auto& [k, unused] : v.items())
    if (k != "sha256" && k != "name" && k != "media_type" && k != "size") return kShape;
  if (!v.contains("sha256") || !v["sha256"].is_string() ||
      !IsSha256Hex(v["sha256"].get<std::string>()))
    return "sha256 must be the 64 lowercase hex digits POST /api/v1/files answered";
  if (!v.contains("name") || !v["name"].is_string()) return kShape;
  const std::string& name = v["name"].get_ref<const std::string&>();
  if (name.empty() || Utf8Length(name) > 200 || HasControlChars(name, false) ||
      HasBidiControls(name) || name.find_first_of("/\\") != std::string::npos || name == "." ||
      name == "..")
    return "name must be a file name of 1 to 200 characters, without / or \\";
  return "";
}

}  // namespace

std::string CheckFreeText(const json& v, size_t max_bytes, bool multiline) {
  if (!v.is_string() || v.get<std::string>().size() > max_bytes)
    return "must be a string of at most " + std::to_string(max_bytes) + " characters";
  if (HasControlChars(v.get<std::string>(), multiline))
    return "must not contain control characters";
  if (HasBidiControls(v.get<std::string>())) return kBidiMessage;
  return "";
}

std::string CheckInput(const FieldDecl& f, json& v) {
  if (std::string msg = CheckValue(f, v); !msg.empty()) return msg;
  if (v.is_string() && HasBidiControls(v.get<std::string>())) return kBidiMessage;
  return "";
}

std::string CheckValue(const FieldDecl& f, json& v) {
  switch (f.type) {
    case FieldType::kText:
    case FieldType::kLongText: {
      if (!v.is_string()) return "must be a string";
      const auto& s = v.get_ref<const std::string&>();
      const bool long_text = f.type == FieldType::kLongText;
      size_t max = f.max_length ? f.max_length : (long_text ? 20000 : 200);
      if (Utf8Length(s) > max) return "must be at most " + std::to_string(max) + " characters";
      if (HasControlChars(s, long_text)) return "must not contain control characters";
      if (f.required && s.find_first_not_of(" \t\r\n") == std::string::npos)
        return "must not be blank";
      return "";
    }
    case FieldType::kInteger: {
      if (!v.is_number_integer()) return "must be an integer";
      if (v.is_number_unsigned() && v.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX))
        return "is too large";
      int64_t n = v.get<int64_t>();
      if (f.min < f.max && (n < f.min || n > f.max))
        return "must be between " + std::to_string(f.min) + " and " + std::to_string(f.max);
      return "";
    }
    case FieldType::kDecimal:
      if (!v.is_number() || !std::isfinite(v.get<double>())) return "must be a number";
      v = v.get<double>();
      return "";
    case FieldType::kBoolean:
      return v.is_boolean() ? "" : "must be true or false";
    case FieldType::kDate:
      if (!v.is_string() || !IsValidDate(v.get_ref<const std::string&>()))
        return "must be a date YYYY-MM-DD";
      return "";
    case FieldType::kDateTime: {
      if (!v.is_string()) return "must be a date-time such as 2026-01-31T09:00:00Z";
      auto t = ParseTimestamp(v.get_ref<const std::string&>());
      if (!t) return "must be a date-time with a time zone, such as 2026-01-31T09:00:00Z";
      v = FormatTimestamp(*t);
      return "";
    }
    case FieldType::kEnum: {
      if (v.is_string())
        for (const auto& e : f.enum_values)
          if (v.get_ref<const std::string&>() == e) return "";
      return "must be one of: " + Join(f.enum_values);
    }
    case FieldType::kReference:
      if (!v.is_number_integer() || v.get<int64_t>() <= 0)
        return "must be the id of a " + f.ref_type;
      return "";
    case FieldType::kUser: {
      if (!v.is_string()) return "must be a user name";
      const auto& s = v.get_ref<const std::string&>();
      if (s.empty() || s.size() > 100) return "must be a user name of 1 to 100 characters";
      for (unsigned char c : s)
        if (!(std::isalnum(c) || c == '.' || c == '_' || c == '-' || c == '@'))
          return "may contain only letters, digits and . _ - @";
      return "";
    }
    case FieldType::kJson:
      if (v.dump().size() > 65536) return "must be at most 64 KiB of JSON";
      return "";
    case FieldType::kFile:
      return CheckFileValue(v);
  }
  return "has an unsupported type";
}

Result<json> ValidateInput(const RecordType& type, const std::vector<FieldDecl>& custom,
                           const json& body, InputMode mode) {
  if (!body.is_object())
    return MakeError(ErrorCode::kBadRequest, "the request body must be a JSON object");
  std::vector<FieldError> errors;
  json out = json::object();
  json custom_out = json::object();

  for (const auto& [key, value] : body.items()) {
    if (key == "custom") {
      if (!value.is_object()) {
        errors.push_back({"custom", "must be an object of custom field values"});
        continue;
      }
      for (const auto& [ckey, cvalue] : value.items()) {
        const FieldDecl* cf = nullptr;
        for (const auto& c : custom)
          if (c.name == ckey) cf = &c;
        std::string path = "custom." + ckey;
        if (!cf) {
          errors.push_back({path, "unknown custom field"});
          continue;
        }
        json v = cvalue;
        if (v.is_null()) {
          if (cf->required)
            errors.push_back({path, "is required"});
          else
            custom_out[ckey] = nullptr;
          continue;
        }
        if (std::string msg = CheckInput(*cf, v); !msg.empty())
          errors.push_back({path, msg});
        else
          custom_out[ckey] = std::move(v);
      }
      continue;
    }
    if (model::IsReservedFieldName(key)) {
      errors.push_back({key, key == "state" ? "is changed only through transitions"
                             : key == "restricted_to"
                                 ? "is changed through the record's restriction"
                                 : "is set by the server and cannot be written"});
      continue;
    }
    const FieldDecl* f = type.Field(key);
    if (!f) {
      errors.push_back({key, "is not a field of " + type.name});
      continue;
    }
    if (f->computed) {
      errors.push_back({key, "is computed and cannot be written"});
      continue;
    }
    json v = value;
    if (v.is_null()) {
      if (f->required)
        errors.push_back(
            {key, mode == InputMode::kPatch ? "is required and cannot be cleared" : "is required"});
      else
        out[key] = nullptr;
      continue;
    }
    if (std::string msg = CheckInput(*f, v); !msg.empty())
      errors.push_back({key, msg});
    else
      out[key] = std::move(v);
  }

  if (mode == InputMode::kCreate) {
    auto reported = [&](const std::string& name) {
      for (const auto& e : errors)
        if (e.field == name) return true;
      return false;
    };
    for (const auto& f : type.fields) {
      if (f.computed || reported(f.name) || (out.contains(f.name) && !out[f.name].is_null()))
        continue;
      if (f.default_value)
        out[f.name] = json::parse(*f.default_value);
      else if (f.required)
        errors.push_back({f.name, "is required"});
    }
    for (const auto& c : custom)
      if (c.required && !reported("custom." + c.name) &&
          !(custom_out.contains(c.name) && !custom_out[c.name].is_null()))
        errors.push_back({"custom." + c.name, "is required"});
  }
  if (!errors.empty()) {
    std::string detail =
        std::to_string(errors.size()) + " field(s) of " + type.name + " are invalid";
    return MakeError(ErrorCode::kValidation, std::move(detail), std::move(errors));
  }
  if (!custom_out.empty()) out["custom"] = std::move(custom_out);
  return out;
}

std::string QuoteIdentifier(const std::string& name) { return "\"" + name + "\""; }

std::string FormatNumber(const RecordType& type, int64_t id) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%06lld", static_cast<long long>(id));
  return type.prefix + "-" + buf;
}

int64_t ParseRecordId(const RecordType& type, std::string_view text) {
  if (text.size() > type.prefix.size() + 1 && text.starts_with(type.prefix) &&
      text[type.prefix.size()] == '-')
    text.remove_prefix(type.prefix.size() + 1);
  int64_t id = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || p != text.data() + text.size() || id <= 0) return 0;
  return id;
}

namespace {

TypeSql BuildSql(const RecordType& t) {
  TypeSql s;
  std::string cols =
      "version, state, created_at, created_by, updated_at, updated_by, archived, custom, "
      "restricted_to";
  for (const auto& f : t.fields) cols += ", " + QuoteIdentifier(f.name);
  s.column_count = 9 + t.fields.size();
  s.select_list = "id, " + cols;
  s.select_by_id = "SELECT " + s.select_list + " FROM " + t.table() + " WHERE id = $1";
  std::string params, sets;
  for (size_t i = 1; i <= s.column_count; ++i) params += (i > 1 ? ", $" : "$") + std::to_string(i);
  s.insert = "INSERT INTO " + t.table() + " (" + cols + ") VALUES (" + params + ") RETURNING " +
             s.select_list;
  s.insert_with_id = "INSERT INTO " + t.table() + " (id, " + cols + ") VALUES ($" +
                     std::to_string(s.column_count + 1) + ", " + params + ")";
  size_t i = 0;
  for (const char* c : {"version", "state", "created_at", "created_by", "updated_at", "updated_by",
                        "archived", "custom", "restricted_to"}) {
    ++i;
    sets += std::string(i > 1 ? ", " : "") + c + " = $" + std::to_string(i);
  }
  for (const auto& f : t.fields) {
    ++i;
    sets += ", " + QuoteIdentifier(f.name) + " = $" + std::to_string(i);
  }
  ++i;
  s.update = "UPDATE " + t.table() + " SET " + sets + " WHERE id = $" + std::to_string(i) +
             " AND version = $" + std::to_string(i + 1) + " RETURNING " + s.select_list;
  return s;
}

}  // namespace

// Built once per type and read on every request: readers share the lock.
const TypeSql& SqlFor(const RecordType& type) {
  static std::shared_mutex mu;
  static std::map<const RecordType*, TypeSql> cache;
  {
    std::shared_lock lk(mu);
    if (auto it = cache.find(&type); it != cache.end()) return it->second;
  }
  std::unique_lock lk(mu);
  auto it = cache.find(&type);
  if (it == cache.end()) it = cache.emplace(&type, BuildSql(type)).first;
  return it->second;  // map nodes never move, so the reference stays valid
}

store::Value ToValue(const FieldDecl& f, const json& v) {
  if (v.is_null()) return std::monostate{};
  switch (f.type) {
    case FieldType::kInteger:
    case FieldType::kReference:
      return v.get<int64_t>();
    case FieldType::kDecimal:
      return v.get<double>();
    case FieldType::kBoolean:
      return static_cast<int64_t>(v.get<bool>() ? 1 : 0);
    case FieldType::kJson:
    case FieldType::kFile:
      return v.dump();
    default:
      return v.get<std::string>();
  }
}

json FromValue(const FieldDecl& f, const store::Value& v) {
  if (store::IsNull(v)) return nullptr;
  switch (f.type) {
    case FieldType::kInteger:
    case FieldType::kReference:
      return std::get<int64_t>(v);
    case FieldType::kDecimal:
      if (auto* i = std::get_if<int64_t>(&v)) return static_cast<double>(*i);
      return std::get<double>(v);
    case FieldType::kBoolean:
      return std::get<int64_t>(v) != 0;
    case FieldType::kJson:
    case FieldType::kFile:
      return json::parse(std::get<std::string>(v), nullptr, false);
    default:
      return std::get<std::string>(v);
  }
}

void EraseInternalFields(const RecordType& type, json& record) {
  for (const auto& f : type.fields)
    if (f.internal) record.erase(f.name);
}

std::vector<store::Value> RecordToParams(const RecordType& t, const json& r) {
  std::vector<store::Value> p;
  p.reserve(9 + t.fields.size() + 1);
  p.emplace_back(r.at("version").get<int64_t>());
  if (r.contains("state") && r["state"].is_string())
    p.emplace_back(r["state"].get<std::string>());
  else
    p.emplace_back(std::monostate{});
  for (const char* k : {"created_at", "created_by", "updated_at", "updated_by"})
    p.emplace_back(r.at(k).get<std::string>());
  p.emplace_back(static_cast<int64_t>(r.value("archived", false) ? 1 : 0));
  p.emplace_back(r.contains("custom") ? r["custom"].dump() : std::string("{}"));
  if (auto it = r.find("restricted_to"); it != r.end() && it->is_string())
    p.emplace_back(it->get<std::string>());
  else
    p.emplace_back(std::monostate{});
  for (const auto& f : t.fields) p.push_back(ToValue(f, r.contains(f.name) ? r[f.name] : json()));
  return p;
}

json RowToRecord(const RecordType& t, const std::vector<store::Value>& row) {
  json r = json::object();
  int64_t id = std::get<int64_t>(row[0]);
  r["id"] = id;
  r["number"] = FormatNumber(t, id);
  r["type"] = t.name;
  r["version"] = std::get<int64_t>(row[1]);
  if (t.states) r["state"] = store::IsNull(row[2]) ? json() : json(std::get<std::string>(row[2]));
  r["created_at"] = std::get<std::string>(row[3]);
  r["created_by"] = std::get<std::string>(row[4]);
  r["updated_at"] = std::get<std::string>(row[5]);
  r["updated_by"] = std::get<std::string>(row[6]);
  r["archived"] = std::get<int64_t>(row[7]) != 0;
  r["custom"] = json::parse(std::get<std::string>(row[8]), nullptr, false);
  r["restricted_to"] = store::IsNull(row[9]) ? json() : json(std::get<std::string>(row[9]));
  for (size_t i = 0; i < t.fields.size(); ++i)
    r[t.fields[i].name] = FromValue(t.fields[i], row[10 + i]);
  return r;
}

}  // namespace tandem::records

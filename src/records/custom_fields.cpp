// Custom fields: added to a record type at run time by an administrator,
// stored in the record's `custom` column, validated by the same CheckValue
// as declared fields, and exported with the record.
#include <mutex>
#include <nlohmann/json.hpp>
#include <regex>

#include "records/codec.h"
#include "records/engine.h"

namespace tandem::records {

using model::FieldDecl;
using model::FieldType;
using nlohmann::json;

namespace {

const std::vector<std::pair<std::string, FieldType>>& CustomTypes() {
  static const std::vector<std::pair<std::string, FieldType>> kTypes = {
      {"text", FieldType::kText},         {"long_text", FieldType::kLongText},
      {"integer", FieldType::kInteger},   {"decimal", FieldType::kDecimal},
      {"boolean", FieldType::kBoolean},   {"date", FieldType::kDate},
      {"datetime", FieldType::kDateTime}, {"enum", FieldType::kEnum},
      {"user", FieldType::kUser},         {"json", FieldType::kJson},
  };
  return kTypes;
}

json ToJson(const FieldDecl& f) {
  json j = {{"name", f.name},
            {"type", model::FieldTypeName(f.type)},
            {"label", f.label},
            {"required", f.required},
            {"help", f.help}};
  if (f.type == FieldType::kEnum) j["enum_values"] = f.enum_values;
  if (f.max_length) j["max_length"] = f.max_length;
  return j;
}

Result<FieldDecl> FromJson(const model::RecordType& type, const json& body) {
  if (!body.is_object())
    return MakeError(ErrorCode::kBadRequest, "the request body must be a JSON object");
  std::vector<FieldError> errors;
  FieldDecl f;
  static const std::regex kName("^[a-z][a-z0-9_]{0,39}$");
  for (const auto& [k, v] : body.items())
    if (k != "name" && k != "type" && k != "label" && k != "required" && k != "enum_values" &&
        k != "max_length" && k != "help")
      errors.push_back({k, "is not a custom field property"});
  if (!body.contains("name") || !body["name"].is_string() ||
      !std::regex_match(body["name"].get<std::string>(), kName))
    errors.push_back(
        {"name", "must be 1-40 characters: a lower-case letter, then letters, digits or _"});
  else {
    f.name = body["name"].get<std::string>();
    if (type.Field(f.name) || model::IsReservedFieldName(f.name))
      errors.push_back({"name", "is already a field of " + type.name});
  }
  bool type_ok = false;
  if (body.contains("type") && body["type"].is_string())
    for (const auto& [n, t] : CustomTypes())
      if (n == body["type"].get<std::string>()) {
        f.type = t;
        type_ok = true;
      }
  if (!type_ok) {
    std::string names;
    for (const auto& [n, t] : CustomTypes()) names += (names.empty() ? "" : ", ") + n;
    errors.push_back({"type", "must be one of: " + names});
  }
  if (body.contains("label") &&
      (!body["label"].is_string() || body["label"].get<std::string>().size() > 100))
    errors.push_back({"label", "must be a string of at most 100 characters"});
  else
    f.label = body.value("label", f.name);
  if (body.contains("help") &&
      (!body["help"].is_string() || body["help"].get<std::string>().size() > 500))
    errors.push_back({"help", "must be a string of at most 500 characters"});
  else
    f.help = body.value("help", "");
  if (body.contains("required") && !body["required"].is_boolean())
    errors.push_back({"required", "must be true or false"});
  else
    f.required = body.value("required", false);
  if (body.contains("max_length")) {
    if (!body["max_length"].is_number_integer() || body["max_length"].get<int64_t>() < 1 ||
        body["max_length"].get<int64_t>() > 20000)
      errors.push_back({"max_length", "must be an integer from 1 to 20000"});
    else
      f.max_length = body["max_length"].get<int>();
  }
  if (type_ok && f.type == FieldType::kEnum) {
    const json& ev = body.contains("enum_values") ? body["enum_values"] : json();
    bool ok = ev.is_array() && !ev.empty() && ev.size() <= 100;
    if (ok)
      for (const auto& v : ev) {
        ok &= v.is_string() && !v.get<std::string>().empty() && v.get<std::string>().size() <= 100;
        if (ok) f.enum_values.push_back(v.get<std::string>());
      }
    if (!ok) errors.push_back({"enum_values", "must be a list of 1 to 100 non-empty strings"});
  } else if (body.contains("enum_values")) {
    errors.push_back({"enum_values", "applies only to enum fields"});
  }
  if (!errors.empty())
    return MakeError(ErrorCode::kValidation, "the custom field is invalid", std::move(errors));
  return f;
}

}  // namespace

std::vector<FieldDecl> Engine::CustomFields(const model::RecordType& type) const {
  std::shared_lock lk(custom_mu_);
  auto it = custom_.find(type.name);
  return it == custom_.end() ? std::vector<FieldDecl>{} : it->second;
}

Status Engine::ReloadCustomFields() {
  std::map<std::string, std::vector<FieldDecl>> loaded;
  TANDEM_RETURN_IF_ERROR(db_.Read([&](store::Connection& c) -> Status {
    TANDEM_ASSIGN_OR_RETURN(
        store::Rows r, c.Query("SELECT record_type, definition FROM custom_fields ORDER BY id"));
    for (const auto& row : r.rows) {
      const auto* type = registry_.Find(std::get<std::string>(row[0]));
      if (!type) continue;
      auto f = FromJson(*type, json::parse(std::get<std::string>(row[1]), nullptr, false));
      if (f.ok()) loaded[type->name].push_back(*f);
    }
    return Status::Ok();
  }));
  std::unique_lock lk(custom_mu_);
  custom_ = std::move(loaded);
  return Status::Ok();
}

Result<json> Engine::DefineCustomField(const Actor& actor, const model::RecordType& type,
                                       const json& body) {
  TANDEM_RETURN_IF_ERROR(Authorize(actor, type, Action::kAdminister));
  TANDEM_ASSIGN_OR_RETURN(FieldDecl f, FromJson(type, body));
  json def = ToJson(f);
  TANDEM_RETURN_IF_ERROR(db_.Write([&](store::Connection& c) -> Status {
    store::Value p[] = {type.name, f.name, def.dump(), FormatTimestamp(clock_.Now()), actor.name};
    TANDEM_ASSIGN_OR_RETURN(
        store::Rows dup,
        c.Query("SELECT id FROM custom_fields WHERE record_type = $1 AND name = $2", {p, 2}));
    if (!dup.empty())
      return MakeError(ErrorCode::kConflict,
                       type.name + " already has a custom field '" + f.name + "'");
    TANDEM_RETURN_IF_ERROR(c.Execute("INSERT INTO custom_fields (record_type, name, definition, "
                                     "created_at, created_by) VALUES ($1, $2, $3, $4, $5)",
                                     p)
                               .status());
    AuditEvent e{.at = std::get<std::string>(p[3]),
                 .actor = actor.name,
                 .action = "define_custom_field",
                 .record_type = type.name,
                 .changes = json{{"after", def}}.dump()};
    return AppendAudit(c, e);
  }));
  {
    std::unique_lock lk(custom_mu_);
    custom_[type.name].push_back(f);
  }
  return def;
}

}  // namespace tandem::records

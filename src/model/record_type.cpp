#include "model/record_type.h"

namespace tandem::model {

const char* FieldTypeName(FieldType t) {
  switch (t) {
    case FieldType::kText:
      return "text";
    case FieldType::kLongText:
      return "long_text";
    case FieldType::kInteger:
      return "integer";
    case FieldType::kDecimal:
      return "decimal";
    case FieldType::kBoolean:
      return "boolean";
    case FieldType::kDate:
      return "date";
    case FieldType::kDateTime:
      return "datetime";
    case FieldType::kEnum:
      return "enum";
    case FieldType::kReference:
      return "reference";
    case FieldType::kUser:
      return "user";
    case FieldType::kJson:
      return "json";
    case FieldType::kFile:
      return "file";
  }
  return "text";
}

bool IsReservedFieldName(std::string_view name) {
  static constexpr std::string_view kReserved[] = {
      "id",         "number",     "type",       "version",  "state",  "created_at",
      "created_by", "updated_at", "updated_by", "archived", "custom", "restricted_to"};
  for (std::string_view r : kReserved)
    if (name == r) return true;
  return false;
}

std::string DutyRule::Name() const {
  switch (kind) {
    case Kind::kNotCreator:
      return "not-creator";
    case Kind::kNotUser:
      return "not-" + field;
    case Kind::kNotActorOf:
      return "not-actor-of-" + transition;
    case Kind::kRole:
      return "role";
  }
  return "role";
}

std::string DutyRule::Subject() const {
  switch (kind) {
    case Kind::kNotCreator:
      return "created_by";
    case Kind::kNotUser:
      return field;
    case Kind::kNotActorOf:
      return "history";
    case Kind::kRole:
      return when_field.empty() ? "roles" : when_field;
  }
  return "roles";
}

const TransitionDecl* StateMachineDecl::Find(const std::string& transition) const {
  for (const auto& t : transitions)
    if (t.name == transition) return &t;
  return nullptr;
}

std::vector<const TransitionDecl*> StateMachineDecl::From(const std::string& state) const {
  std::vector<const TransitionDecl*> out;
  for (const auto& t : transitions)
    for (const auto& f : t.from)
      if (f == state) out.push_back(&t);
  return out;
}

const FieldDecl* RecordType::Field(const std::string& field_name) const {
  for (const auto& f : fields)
    if (f.name == field_name) return &f;
  return nullptr;
}

std::vector<const FieldDecl*> RecordType::MaskSources(const FieldDecl& f) const {
  std::vector<const FieldDecl*> out;
  if (f.type == FieldType::kReference) out.push_back(&f);
  for (const auto& name : f.derived_from)
    if (const FieldDecl* s = Field(name)) out.push_back(s);
  return out;
}

}  // namespace tandem::model

// Small builders that keep record-type declarations readable:
//   Text("title", "Title").Required().Indexed()
#pragma once

#include <initializer_list>
#include <string>
#include <vector>

#include "model/record_type.h"

namespace tandem::model {

class Field {
 public:
  Field(std::string name, FieldType type, std::string label) {
    d_.name = std::move(name);
    d_.type = type;
    d_.label = std::move(label);
  }
  Field& Required() {
    d_.required = true;
    return *this;
  }
  Field& Indexed() {
    d_.indexed = true;
    return *this;
  }
  Field& Computed() {
    d_.computed = true;
    return *this;
  }
  Field& Internal() {
    d_.computed = true;
    d_.internal = true;
    return *this;
  }
  // Carries content of what these reference fields point at
  // (FieldDecl::derived_from).
  Field& DerivedFrom(std::initializer_list<const char*> refs) {
    d_.derived_from.assign(refs.begin(), refs.end());
    return *this;
  }
  Field& Default(std::string json_text) {
    d_.default_value = std::move(json_text);
    return *this;
  }
  Field& Help(std::string text) {
    d_.help = std::move(text);
    return *this;
  }
  Field& MaxLength(int n) {
    d_.max_length = n;
    return *this;
  }
  Field& Range(int lo, int hi) {
    d_.min = lo;
    d_.max = hi;
    return *this;
  }
  operator FieldDecl() const { return d_; }  // NOLINT: builder converts implicitly

 private:
  friend Field Enum(std::string, std::string, std::initializer_list<const char*>);
  friend Field Ref(std::string, std::string, std::string);
  FieldDecl d_;
};

inline Field Text(std::string n, std::string l) {
  return Field(std::move(n), FieldType::kText, std::move(l));
}
inline Field LongText(std::string n, std::string l) {
  return Field(std::move(n), FieldType::kLongText, std::move(l));
}
inline Field Integer(std::string n, std::string l) {
  return Field(std::move(n), FieldType::kInteger, std::move(l));
}
inline Field Decimal(std::string n, std::string l) {
  return Field(std::move(n), FieldType::kDecimal, std::move(l));
}
inline Field Boolean(std::string n, std::string l) {
  return Field(std::move(n), FieldType::kBoolean, std::move(l));
}
inline Field Date(std::string n, std::string l) {
  return Field(std::move(n), FieldType::kDate, std::move(l));
}
inline Field DateTime(std::string n, std::string l) {
  return Field(std::move(n), FieldType::kDateTime, std::move(l));
}
inline Field User(std::string n, std::string l) {
  return Field(std::move(n), FieldType::kUser, std::move(l));
}
inline Field Json(std::string n, std::string l) {
  return Field(std::move(n), FieldType::kJson, std::move(l));
}
// A file uploaded to the file store (POST /api/v1/files), named by its SHA-256.
inline Field File(std::string n, std::string l) {
  return Field(std::move(n), FieldType::kFile, std::move(l));
}

inline Field Enum(std::string n, std::string l, std::initializer_list<const char*> values) {
  Field f(std::move(n), FieldType::kEnum, std::move(l));
  for (const char* v : values) f.d_.enum_values.emplace_back(v);
  return f;
}

inline Field Ref(std::string n, std::string l, std::string target_type) {
  Field f(std::move(n), FieldType::kReference, std::move(l));
  f.d_.ref_type = std::move(target_type);
  f.d_.indexed = true;  // references are followed both ways
  return f;
}

// `fields` and, after them, which management systems the record serves:
// for_isms, for_sms, for_qms (ISO/IEC 27013 6.1: one set of records, each
// saying whom it serves).
inline std::vector<FieldDecl> ServingSystems(std::vector<FieldDecl> fields) {
  fields.push_back(Boolean("for_isms", "Serves the ISMS").Default("false"));
  fields.push_back(Boolean("for_sms", "Serves the SMS").Default("false"));
  fields.push_back(Boolean("for_qms", "Serves the QMS").Default("false"));
  return fields;
}

// A 1..5 rating (likelihood, impact, C/I/A value).
inline Field Rating(std::string n, std::string l) {
  return Integer(std::move(n), std::move(l)).Range(1, 5);
}

// Separation-of-duties rules for TransitionDecl::rules (DutyRule).
inline DutyRule NotCreator() { return {.kind = DutyRule::Kind::kNotCreator}; }
inline DutyRule NotUser(std::string user_field) {
  return {.kind = DutyRule::Kind::kNotUser, .field = std::move(user_field)};
}
inline DutyRule NotActorOf(std::string transition) {
  return {.kind = DutyRule::Kind::kNotActorOf, .transition = std::move(transition)};
}
// Only holders of one of `roles`; with `when_field`, only while that enum
// field holds one of `when_values`.
inline DutyRule RoleOneOf(std::initializer_list<const char*> roles, std::string when_field = "",
                          std::initializer_list<const char*> when_values = {}) {
  DutyRule r{.kind = DutyRule::Kind::kRole, .when_field = std::move(when_field)};
  r.roles.assign(roles.begin(), roles.end());
  r.when_values.assign(when_values.begin(), when_values.end());
  return r;
}

}  // namespace tandem::model

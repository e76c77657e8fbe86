// Record-type declarations: the single source of truth for every record type.
//
// A type is declared once, as data. The record engine derives the table DDL,
// validation, JSON shape, REST routes and OpenAPI schema from the declaration;
// domains attach behaviour through hooks (records/hooks.h), never by copying the
// generic path. This header is data only: no I/O, no SQL, no JSON library.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tandem::model {

enum class FieldType {
  kText,      // one line, at most max_length characters
  kLongText,  // multi-line prose
  kInteger,
  kDecimal,
  kBoolean,
  kDate,       // "YYYY-MM-DD"
  kDateTime,   // UTC instant, stored as "YYYY-MM-DDTHH:MM:SS.mmmZ"
  kEnum,       // one of enum_values
  kReference,  // id of a record of ref_type
  kUser,       // a user name (accounts arrive with identity management)
  kJson,       // any JSON value, stored as text
  kFile,       // a stored file: {"sha256", "name", "media_type", "size"} (records/files.cpp)
};

const char* FieldTypeName(FieldType t);

// Names every record has (id, number, version, state, timestamps, archived,
// custom): no declared or custom field may take one.
bool IsReservedFieldName(std::string_view name);

struct FieldDecl {
  std::string name;  // snake_case; the column and JSON key
  FieldType type = FieldType::kText;
  std::string label;  // for forms and lists
  bool required = false;
  std::vector<std::string> enum_values;      // kEnum only, in display order
  std::optional<std::string> default_value;  // JSON text, e.g. "\"open\"" or "3"
  std::string ref_type;                      // kReference only: target type name
  bool indexed = false;
  int max_length = 0;     // 0: the type's default (200 for text, 20000 for long text)
  int min = 0, max = 0;   // kInteger: inclusive range when min < max
  std::string help;       // one sentence shown beside the field
  bool computed = false;  // set by a domain hook; read-only to clients
  // Computed, and kept for the domain's own views: the generic routes (get,
  // list, history) leave it out, because its content is not filtered by
  // need-to-know (e.g. a frozen document naming restricted records).
  bool internal = false;
  // Computed from the records these reference fields (of the same type) point
  // at, e.g. a trace's summary carries its element's title. For a reader who
  // cannot see one of them the field reads as null on every path (get, list,
  // filters, sort, search, history, links), as a reference to a hidden record
  // does.
  std::vector<std::string> derived_from;
};

// A separation-of-duties rule on a transition (ISO/IEC 27001:2022 A.5.3,
// ISO/IEC 27013 6.2.3 and 6.2.6): who must not, or who alone may, take it.
// Rules bind every actor with a name, the system actor included (the demo
// loader and imports act as named people); role rules bind only users.
struct DutyRule {
  enum class Kind {
    kNotCreator,  // the actor did not create the record
    kNotUser,     // the actor is not the user named in `field` (a user field)
    kNotActorOf,  // the actor did not take `transition` last time it was taken
    kRole,        // the actor holds one of `roles`
  };
  Kind kind = Kind::kNotCreator;
  std::string field;               // kNotUser: the user field
  std::string transition;          // kNotActorOf: the earlier transition
  std::vector<std::string> roles;  // kRole: any one of these suffices
  // The rule applies only while the enum field `when_field` holds one of
  // `when_values` (e.g. only to security risks); empty: always.
  std::string when_field;
  std::vector<std::string> when_values;

  // Stable name quoted in refusals: "not-creator", "not-owner",
  // "not-actor-of-submit", "role".
  std::string Name() const;
  // The field a refusal points at: "created_by", the user field, "history"
  // or the condition field ("roles" for an unconditional role rule).
  std::string Subject() const;
};

struct TransitionDecl {
  std::string name;               // verb shown on buttons, e.g. "resolve"
  std::vector<std::string> from;  // states it may start from
  std::string to;
  std::vector<DutyRule> rules;  // all must hold for the actor taking it
};

struct StateMachineDecl {
  std::string initial;
  std::vector<std::string> states;
  std::vector<TransitionDecl> transitions;
  std::vector<std::string> final_states;  // closed: no further work expected

  const TransitionDecl* Find(const std::string& name) const;
  // Transitions that may start from `state`.
  std::vector<const TransitionDecl*> From(const std::string& state) const;
};

struct RecordType {
  std::string name;        // singular snake_case, e.g. "incident"
  std::string collection;  // URL segment, e.g. "incidents"
  std::string title;       // human, e.g. "Incident"
  std::string area;        // DESIGN.md domain area: standards, assets, risk, ...
  std::string prefix;      // human number prefix, e.g. "INC" gives INC-000042
  std::string display_field;
  // A unique text field that may name a record in a URL instead of its id or
  // number (a standard's key, /standards/iso27001:2022); "" for none.
  std::string key_field;
  std::string description;
  std::vector<FieldDecl> fields;
  std::optional<StateMachineDecl> states;
  std::vector<std::vector<std::string>> indexes;  // composite indexes beyond `indexed`
  // Field sets no two records may share (a unique index each), e.g. a
  // requirement's {standard, ref}. A record with any of them empty is exempt.
  std::vector<std::vector<std::string>> unique;

  const FieldDecl* Field(const std::string& field_name) const;
  // The reference fields whose target, when hidden from a reader, makes `f`
  // read as null: `f` itself if it is a reference, and what it is derived from.
  std::vector<const FieldDecl*> MaskSources(const FieldDecl& f) const;
  std::string table() const { return "rec_" + name; }
};

}  // namespace tandem::model

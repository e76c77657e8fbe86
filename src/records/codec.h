// Between the three shapes of a record: client JSON (validated and
// normalized), stored rows, and the JSON the API returns.
//
// A record's JSON: id, number, type, version, state (if the type has a state
// machine), created_at/by, updated_at/by, archived, restricted_to (the
// need-to-know group, or null), every declared field (null when unset) and
// `custom`, an object of custom field values.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "core/result.h"
#include "model/record_type.h"
#include "store/database.h"

namespace tandem::records {

enum class InputMode { kCreate, kPatch };

// Checks a client body against the declared fields and the type's custom
// fields. Rejects unknown, read-only and computed fields, wrong types, values
// out of range and (on create) missing required fields, naming every bad field
// at once. Returns the normalized values present in the body; on create,
// defaults fill absent fields.
Result<nlohmann::json> ValidateInput(const model::RecordType& type,
                                     const std::vector<model::FieldDecl>& custom,
                                     const nlohmann::json& body, InputMode mode);

// Normalizes one value in place; returns an error message or "" when valid.
// This is the shape a stored value must have (imports check it too).
std::string CheckValue(const model::FieldDecl& field, nlohmann::json& value);
// CheckValue, and what new input must not bring in: bidirectional override
// characters in text. Values saved before that rule still import.
std::string CheckInput(const model::FieldDecl& field, nlohmann::json& value);

// The same rules for free text outside the declared fields (a link's note, a
// user's display name, a group's title): a string of at most `max_bytes`,
// without control characters (newlines allowed when `multiline`) or
// bidirectional overrides. Returns an error message or "".
std::string CheckFreeText(const nlohmann::json& value, size_t max_bytes, bool multiline);

// Removes the type's internal fields from `record` (what the generic routes
// send to anyone but the system).
void EraseInternalFields(const model::RecordType& type, nlohmann::json& record);

// "INC-000042"
std::string FormatNumber(const model::RecordType& type, int64_t id);
// Parses "42" or "INC-000042" (prefix must match) into an id; 0 if neither.
int64_t ParseRecordId(const model::RecordType& type, std::string_view text);

// The SQL for one record type, built once from its declaration.
struct TypeSql {
  std::string select_list;  // every column, in the order RowToRecord expects
  std::string select_by_id;
  std::string insert;  // RETURNING the select list: the stored record
  std::string insert_with_id;
  std::string update;       // ... WHERE id=$N AND version=$M RETURNING the select list
  size_t column_count = 0;  // parameters of insert (without id)
};
const TypeSql& SqlFor(const model::RecordType& type);

// Column values of a full record, in TypeSql order (without id).
std::vector<store::Value> RecordToParams(const model::RecordType& type,
                                         const nlohmann::json& record);
// Builds a record from row `i` whose columns follow TypeSql::select_list.
nlohmann::json RowToRecord(const model::RecordType& type, const std::vector<store::Value>& row);

store::Value ToValue(const model::FieldDecl& field, const nlohmann::json& value);
nlohmann::json FromValue(const model::FieldDecl& field, const store::Value& value);

// A declared name as an SQL identifier ("title"), safe in both dialects.
// Names come from declarations or validated custom-field definitions only.
std::string QuoteIdentifier(const std::string& name);

}  // namespace tandem::records

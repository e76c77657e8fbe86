#include "records/tx_read.h"

#include <nlohmann/json.hpp>

#include "records/codec.h"

namespace tandem::records {

Result<nlohmann::json> ReadRecord(store::Connection& conn, const model::RecordType& type,
                                  int64_t id) {
  store::Value p[] = {id};
  TANDEM_ASSIGN_OR_RETURN(store::Rows r, conn.Query(SqlFor(type).select_by_id, p));
  if (r.empty())
    return MakeError(ErrorCode::kNotFound, "no " + type.name + " " + std::to_string(id));
  return RowToRecord(type, r.rows[0]);
}

Result<std::vector<nlohmann::json>> SelectRecords(store::Connection& conn,
                                                  const model::RecordType& type,
                                                  const std::string& field, const store::Value& value,
                                                  bool include_archived) {
  using model::FieldType;
  const model::FieldDecl* f = type.Field(field);
  if (!f || f->type == FieldType::kLongText || f->type == FieldType::kJson ||
      f->type == FieldType::kFile || f->type == FieldType::kDecimal)
    return MakeError(ErrorCode::kInternal, type.name + " has no field " + field + " to match");
  store::Value p[] = {value};
  TANDEM_ASSIGN_OR_RETURN(
      store::Rows r, conn.Query("SELECT " + SqlFor(type).select_list + " FROM " + type.table() +
                                    " WHERE " + QuoteIdentifier(field) + " = $1" +
                                    (include_archived ? "" : " AND archived = 0") + " ORDER BY id",
                                p));
  std::vector<nlohmann::json> out;
  out.reserve(r.size());
  for (const auto& row : r.rows) out.push_back(RowToRecord(type, row));
  return out;
}

Result<std::vector<int64_t>> LinkedIds(store::Connection& conn, const std::string& type, int64_t id,
                                       const std::string& relation, const std::string& other_type) {
  store::Value p[] = {relation, type, id, other_type};
  TANDEM_ASSIGN_OR_RETURN(
      store::Rows r,
      conn.Query("SELECT CASE WHEN from_type = $2 AND from_id = $3 THEN to_id ELSE from_id END "
                 "FROM links WHERE relation = $1 AND ((from_type = $2 AND from_id = $3 AND "
                 "to_type = $4) OR (to_type = $2 AND to_id = $3 AND from_type = $4)) ORDER BY id",
                 p));
  std::vector<int64_t> out;
  out.reserve(r.size());
  for (const auto& row : r.rows) out.push_back(std::get<int64_t>(row[0]));
  return out;
}

Result<std::map<int64_t, std::string>> RestrictedRecords(store::Connection& conn,
                                                         const model::RecordType& type) {
  TANDEM_ASSIGN_OR_RETURN(store::Rows r,
                          conn.Query("SELECT id, restricted_to FROM " + type.table() +
                                         " WHERE restricted_to IS NOT NULL",
                                     {}));
  std::map<int64_t, std::string> out;
  for (const auto& row : r.rows) out[std::get<int64_t>(row[0])] = std::get<std::string>(row[1]);
  return out;
}

}  // namespace tandem::records

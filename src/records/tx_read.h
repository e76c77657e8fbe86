// Reads inside a caller's transaction, as the system sees the data.
//
// For domain code that must see every record to stay consistent: a hook
// checking another record, or a document frozen on approval. Nothing read here
// is shown to anyone as it is; whoever shows it filters with the reader's
// Actor::Can and Actor::CanSee (each record carries its "restricted_to").
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "core/result.h"
#include "model/registry.h"
#include "store/database.h"

namespace tandem::records {

// The record as stored; kNotFound when there is none.
Result<nlohmann::json> ReadRecord(store::Connection& conn, const model::RecordType& type,
                                  int64_t id);

// Every record of `type` whose field `field` holds `value` (an id, an
// integer, 1 for a true boolean, a text, enum value or user name), archived
// ones too when asked, in id order.
Result<std::vector<nlohmann::json>> SelectRecords(store::Connection& conn,
                                                  const model::RecordType& type,
                                                  const std::string& field,
                                                  const store::Value& value,
                                                  bool include_archived = false);

// The other ends of the links of `relation` between (type, id) and records of
// `other_type`, in either direction, in link order.
Result<std::vector<int64_t>> LinkedIds(store::Connection& conn, const std::string& type, int64_t id,
                                       const std::string& relation, const std::string& other_type);

// Every record of `type` restricted to a group: id -> group. Restricted
// records are few, and an index holds them.
Result<std::map<int64_t, std::string>> RestrictedRecords(store::Connection& conn,
                                                         const model::RecordType& type);

}  // namespace tandem::records

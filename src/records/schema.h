// Record-type tables derived from declarations.
//
// Each type gets one STRICT table rec_<type> with the system columns and one
// column per declared field, plus an index per `indexed` field and per declared
// composite index. Evolution is additive: a field added to a declaration
// becomes a new nullable column on the next start; nothing is ever dropped, so
// nothing a user saved is lost when a declaration changes.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/result.h"
#include "model/registry.h"
#include "store/database.h"

namespace tandem::records {

// The need-to-know partition a unique key is unique within: the public
// records ('') or one group's. A clash with a record the writer cannot see
// would otherwise tell them it exists.
inline constexpr const char* kUniquePartition = "COALESCE(restricted_to, '')";

// The CREATE TABLE statement for `type` (used by tests to compare dialects).
std::string CreateTableSql(const model::RecordType& type, store::Dialect dialect);

// Every table of the current schema with its columns in order, from the
// database's own catalog (to compare what the two dialects built).
Result<std::map<std::string, std::vector<std::string>>> DescribeSchema(store::Connection& c);

// True when the system tables are at the latest migration and every table,
// column and index the declarations need exists: a read-only check, so a
// server can start against a read replica.
Result<bool> SchemaIsCurrent(store::Database& db, const model::Registry& registry);

// Creates missing tables, columns and indexes for every type in `registry`.
Status EnsureTables(store::Database& db, const model::Registry& registry);

}  // namespace tandem::records

// Record-type tables derived from declarations.
//
// Each type gets one STRICT table rec_<type> with the system columns and one
// column per declared field, plus an index per `indexed` field and per declared
// composite index. Evolution is additive: a field added to a declaration
// becomes a new nullable column on the next start; nothing is ever dropped, so
// nothing a user saved is lost when a declaration changes.
#pragma once

#include <string>

#include "core/result.h"
#include "model/registry.h"
#include "store/database.h"

namespace tandem::records {

// The CREATE TABLE statement for `type` (used by tests to compare dialects).
std::string CreateTableSql(const model::RecordType& type, store::Dialect dialect);

// Creates missing tables, columns and indexes for every type in `registry`.
Status EnsureTables(store::Database& db, const model::Registry& registry);

}  // namespace tandem::records

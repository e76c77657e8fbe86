// Numbered migrations of the system tables (audit trail, links, idempotency
// keys, custom field definitions), one script per dialect per step. Record-type
// tables are derived from declarations by records/schema.h instead.
#pragma once

#include "core/result.h"
#include "store/database.h"

namespace tandem::store {

// Applies every migration newer than the database's schema_version, each in
// its own transaction. Returns the resulting version.
Result<int> Migrate(Database& db);

// The version a fully migrated database reports.
int LatestSchemaVersion();

}  // namespace tandem::store

// Numbered migrations of the system tables (audit trail, links, idempotency
// keys, custom field definitions), one script per dialect per step. Record-type
// tables are derived from declarations by records/schema.h instead.
#pragma once

#include "core/result.h"
#include "store/database.h"

namespace tandem::store {

// Applies every migration newer than the database's schema_version, in one
// transaction. Returns the resulting version.
Result<int> Migrate(Database& db);
// The same, stopping at `version` (tests of an upgrade from an older schema).
Result<int> MigrateTo(Database& db, int version);

// The version a fully migrated database reports.
int LatestSchemaVersion();

// Inside a write transaction: waits until no other process changes the schema
// (PostgreSQL advisory lock; nothing to do on SQLite).
Status LockSchema(Connection& c);

}  // namespace tandem::store

#include "store/migrations.h"

#include <vector>

namespace tandem::store {

namespace {

struct Migration {
  int version;
  const char* sqlite;
};

// Append only. Never edit a migration that has shipped: add a new one.
const std::vector<Migration>& Migrations() {
  static const std::vector<Migration> kMigrations = {
      {1, R"sql(
CREATE TABLE audit_events (
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  record_type TEXT NOT NULL,
  record_id INTEGER,
  changes TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
) STRICT;
CREATE INDEX audit_events_record ON audit_events(record_type, record_id, seq);

CREATE TABLE links (
  id INTEGER PRIMARY KEY,
  relation TEXT NOT NULL,
  from_type TEXT NOT NULL,
  from_id INTEGER NOT NULL,
  to_type TEXT NOT NULL,
  to_id INTEGER NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  UNIQUE (from_type, from_id, relation, to_type, to_id)
) STRICT;
CREATE INDEX links_to ON links(to_type, to_id);

CREATE TABLE idempotency_keys (
  actor TEXT NOT NULL,
  key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  status INTEGER NOT NULL,
  body TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (actor, key)
) STRICT;
CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at);

CREATE TABLE custom_fields (
  id INTEGER PRIMARY KEY,
  record_type TEXT NOT NULL,
  name TEXT NOT NULL,
  definition TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  UNIQUE (record_type, name)
) STRICT;
)sql"},
  };
  return kMigrations;
}

}  // namespace

int LatestSchemaVersion() { return Migrations().back().version; }

Result<int> Migrate(Database& db) {
  int current = 0;
  TANDEM_RETURN_IF_ERROR(db.Write([&](Connection& c) -> Status {
    TANDEM_RETURN_IF_ERROR(c.ExecScript(
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL) STRICT"));
    TANDEM_ASSIGN_OR_RETURN(Rows r, c.Query("SELECT max(version) FROM schema_version"));
    if (!r.empty() && !IsNull(r.rows[0][0])) current = static_cast<int>(std::get<int64_t>(r.rows[0][0]));
    return Status::Ok();
  }));
  if (current > LatestSchemaVersion())
    return MakeError(ErrorCode::kBadRequest,
                     "database schema version " + std::to_string(current) +
                         " is newer than this tandem (" + std::to_string(LatestSchemaVersion()) +
                         "); upgrade tandem");
  for (const Migration& m : Migrations()) {
    if (m.version <= current) continue;
    TANDEM_RETURN_IF_ERROR(db.Write([&](Connection& c) -> Status {
      TANDEM_RETURN_IF_ERROR(c.ExecScript(m.sqlite));
      Value v = static_cast<int64_t>(m.version);
      return c.Execute("INSERT INTO schema_version (version) VALUES ($1)", {&v, 1}).status();
    }));
    current = m.version;
  }
  return current;
}

}  // namespace tandem::store

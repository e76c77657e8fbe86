// PostgreSQL backend (libpq): the same Database contract as SQLite, so that
// several stateless app servers can share one database.
//
// Writes use the same group commit as SQLite (store/group_commit.h) on one
// connection per process; readers use a pool of REPEATABLE READ, READ ONLY
// transactions. A lost connection turns into kUnavailable (HTTP 503) and is
// re-established on the next use, so the server keeps serving once the
// database is back.
#pragma once

#include <memory>
#include <string>

#include "store/database.h"

namespace tandem::store {

// `url` is a libpq URI (postgresql://user:password@host:port/dbname?...).
// Fails fast, with libpq's one-line reason, when the server cannot be reached
// or refuses the login.
Result<std::unique_ptr<Database>> OpenPostgres(const std::string& url, const OpenOptions& options);

}  // namespace tandem::store

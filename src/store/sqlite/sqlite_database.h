// SQLite backend: WAL, synchronous=FULL, foreign keys, STRICT tables.
//
// One writer thread owns the only read-write connection. Callers of Write()
// queue a transaction function and wait; the writer takes every queued
// function, runs each inside its own SAVEPOINT within one BEGIN IMMEDIATE ...
// COMMIT, and wakes the callers after that single durable commit (group
// commit). A failing function rolls back to its savepoint only. Readers take a
// read-only connection from a pool; WAL lets them run beside the writer.
#pragma once

#include <memory>
#include <string>

#include "store/database.h"

namespace tandem::store {

Result<std::unique_ptr<Database>> OpenSqlite(const std::string& path, const OpenOptions& options);

// Rewrites $1..$n placeholders to ?1..?n outside string literals and quoted
// identifiers. SQLite would number bare $N by first appearance, which binds
// wrongly whenever a query uses its parameters out of order or twice.
std::string RewritePlaceholders(std::string_view sql);

}  // namespace tandem::store

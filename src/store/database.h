// The store: the only place besides records/ that speaks SQL.
//
// Queries are written once with PostgreSQL-style $1..$n placeholders; each
// backend adapts them. Writes go through Database::Write, which runs the
// callback inside a transaction and returns only once the transaction is
// durable (group-committed with other writers where the backend can).
#pragma once

#include <cstdint>
#include <functional>
#include <iterator>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "core/result.h"
#include "store/value.h"

namespace tandem::store {

enum class Dialect { kSqlite, kPostgres };

// One session on the database, valid only inside a Read or Write callback.
class Connection {
 public:
  virtual ~Connection() = default;
  virtual Dialect dialect() const = 0;
  // Runs one statement and returns its rows (empty for statements without).
  virtual Result<Rows> Query(std::string_view sql, std::span<const Value> params = {}) = 0;
  // Runs one statement; returns the number of rows it changed.
  virtual Result<int64_t> Execute(std::string_view sql, std::span<const Value> params = {}) = 0;
  // Runs a script of several statements without parameters (migrations).
  virtual Status ExecScript(std::string_view sql) = 0;
  // Inside a write transaction: waits until no other process's transaction
  // holds lock `key`, then holds it until this transaction ends. Cheap when
  // already held. (SQLite: nothing to do, its write transactions are
  // exclusive; PostgreSQL: a transaction-scoped advisory lock.)
  virtual Status LockForTransaction(int64_t key) { return Status::Ok(); }

  // Values that stay true until the current transaction ends or rolls back
  // to a savepoint (then the cache is emptied): lets a caller skip re-reading
  // something only its own transaction can change while it holds a lock.
  std::map<std::string, std::string>& transaction_cache() { return tx_cache_; }

 protected:
  // Backends call this with every statement they run.
  void NoteStatement(std::string_view sql) {
    if (sql.starts_with("BEGIN") || sql.starts_with("COMMIT") || sql.starts_with("ROLLBACK"))
      tx_cache_.clear();
  }

 private:
  std::map<std::string, std::string> tx_cache_;
};

using TxFunction = std::function<Status(Connection&)>;

// What the store is doing, for monitoring (/metrics): counts since the
// database was opened, and gauges as of the call.
struct StoreStats {
  uint64_t write_groups = 0;        // group commits run
  uint64_t write_transactions = 0;  // transactions in them
  // Groups by size: group_size_buckets[i] groups had at most
  // kGroupSizeBounds[i] transactions (cumulative, as Prometheus counts).
  static constexpr int kGroupSizeBounds[] = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512};
  uint64_t group_size_buckets[std::size(kGroupSizeBounds)] = {};
  int64_t writes_waiting = 0;  // queued for the next group
  int readers_limit = 0;
  int readers_open = 0;
  int readers_idle = 0;
};

class Database {
 public:
  virtual ~Database() = default;
  virtual Dialect dialect() const = 0;

  // Runs `fn` in a write transaction. If fn fails, its changes are rolled back
  // and its error returned; other writers grouped into the same commit are not
  // affected. Returns only after the commit is durable.
  virtual Status Write(const TxFunction& fn) = 0;

  // Runs `fn` on a read connection inside one read transaction (a consistent
  // snapshot). `fn` must not write.
  virtual Status Read(const TxFunction& fn) = 0;

  // Writes a consistent copy of the live database to `dest`.
  virtual Status Backup(const std::string& dest) = 0;

  virtual StoreStats Stats() const = 0;
};

struct OpenOptions {
  int read_connections = 8;
  int max_group = 512;  // most transactions in one group commit
  // SQLite: planner statistics (ANALYZE) are gathered when the database opens
  // and again after this many write transactions. PostgreSQL's autovacuum
  // does the same on its own.
  int analyze_every_writes = 10000;
};

// Opens a database from a URL: "sqlite:PATH" (or a bare path; the file is
// created if missing) or "postgresql://user:password@host:port/dbname".
// Does not migrate (see store/migrations.h).
Result<std::unique_ptr<Database>> OpenDatabase(const std::string& url,
                                               const OpenOptions& options = {});

}  // namespace tandem::store

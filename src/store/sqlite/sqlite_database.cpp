#include "store/sqlite/sqlite_database.h"

#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <unordered_map>

#include "store/connection_pool.h"
#include "store/group_commit.h"

namespace tandem::store {

std::string RewritePlaceholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size());
  char quote = 0;
  for (size_t i = 0; i < sql.size(); ++i) {
    char c = sql[i];
    if (quote) {
      if (c == quote) quote = 0;
      out += c;
    } else if (c == '\'' || c == '"') {
      quote = c;
      out += c;
    } else if (c == '$' && i + 1 < sql.size() && sql[i + 1] >= '1' && sql[i + 1] <= '9') {
      out += '?';
    } else {
      out += c;
    }
  }
  return out;
}

namespace {

Error SqliteError(sqlite3* db, int rc, std::string_view what) {
  std::string msg = std::string(what) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  int primary = rc & 0xff;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
    return MakeError(ErrorCode::kUnavailable, "database busy, retry");
  if (primary == SQLITE_CONSTRAINT) return MakeError(ErrorCode::kConflict, msg);
  if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB)
    return MakeError(ErrorCode::kCorruption, msg);
  return MakeError(ErrorCode::kInternal, msg);
}

class SqliteConnection final : public Connection {
 public:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  ~SqliteConnection() override {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }

  Dialect dialect() const override { return Dialect::kSqlite; }
  sqlite3* handle() { return db_; }

  Result<Rows> Query(std::string_view sql, std::span<const Value> params = {}) override {
    Rows rows;
    TANDEM_RETURN_IF_ERROR(Run(sql, params, &rows));
    return rows;
  }

  Result<int64_t> Execute(std::string_view sql, std::span<const Value> params = {}) override {
    TANDEM_RETURN_IF_ERROR(Run(sql, params, nullptr));
    return static_cast<int64_t>(sqlite3_changes64(db_));
  }

  Status ExecScript(std::string_view sql) override {
    NoteStatement(sql);
    std::string s(sql);
    char* err = nullptr;
    int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
      std::string msg = err ? err : sqlite3_errstr(rc);
      sqlite3_free(err);
      return MakeError(ErrorCode::kInternal, "script failed: " + msg);
    }
    return Status::Ok();
  }

 private:
  static constexpr size_t kMaxCachedStatements = 512;

  Result<sqlite3_stmt*> Prepare(std::string_view sql) {
    std::string key(sql);
    if (auto it = cache_.find(key); it != cache_.end()) return it->second;
    if (cache_.size() >= kMaxCachedStatements) {
      for (auto& [k, stmt] : cache_) sqlite3_finalize(stmt);
      cache_.clear();
    }
    std::string rewritten = RewritePlaceholders(sql);
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, rewritten.c_str(), static_cast<int>(rewritten.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return SqliteError(db_, rc, "prepare");
    cache_.emplace(std::move(key), stmt);
    return stmt;
  }

  Status Bind(sqlite3_stmt* stmt, std::span<const Value> params) {
    if (sqlite3_bind_parameter_count(stmt) > static_cast<int>(params.size()))
      return MakeError(ErrorCode::kInternal, "too few SQL parameters");
    for (size_t i = 0; i < params.size(); ++i) {
      int idx = static_cast<int>(i + 1), rc = SQLITE_OK;
      const Value& v = params[i];
      if (std::holds_alternative<std::monostate>(v))
        rc = sqlite3_bind_null(stmt, idx);
      else if (auto* n = std::get_if<int64_t>(&v))
        rc = sqlite3_bind_int64(stmt, idx, *n);
      else if (auto* d = std::get_if<double>(&v))
        rc = sqlite3_bind_double(stmt, idx, *d);
      else {
        const auto& s = std::get<std::string>(v);
        rc = sqlite3_bind_text64(stmt, idx, s.data(), s.size(), SQLITE_STATIC, SQLITE_UTF8);
      }
      if (rc != SQLITE_OK) return SqliteError(db_, rc, "bind");
    }
    return Status::Ok();
  }

  Status Run(std::string_view sql, std::span<const Value> params, Rows* out) {
    NoteStatement(sql);
    TANDEM_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Prepare(sql));
    struct Reset {
      sqlite3_stmt* s;
      ~Reset() {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
      }
    } reset{stmt};
    TANDEM_RETURN_IF_ERROR(Bind(stmt, params));
    const int ncols = sqlite3_column_count(stmt);
    if (out) {
      out->columns.reserve(ncols);
      for (int c = 0; c < ncols; ++c) out->columns.emplace_back(sqlite3_column_name(stmt, c));
    }
    for (;;) {
      int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return SqliteError(db_, rc, "step");
      if (!out) continue;
      auto& row = out->rows.emplace_back();
      row.reserve(ncols);
      for (int c = 0; c < ncols; ++c) {
        switch (sqlite3_column_type(stmt, c)) {
          case SQLITE_INTEGER:
            row.emplace_back(static_cast<int64_t>(sqlite3_column_int64(stmt, c)));
            break;
          case SQLITE_FLOAT:
            row.emplace_back(sqlite3_column_double(stmt, c));
            break;
          case SQLITE_NULL:
            row.emplace_back(std::monostate{});
            break;
          default: {
            auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
            row.emplace_back(std::string(p, sqlite3_column_bytes(stmt, c)));
          }
        }
      }
    }
    return Status::Ok();
  }

  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

Result<std::unique_ptr<SqliteConnection>> OpenConnection(const std::string& path, bool writer) {
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_NOMUTEX |
              (writer ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY);
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return MakeError(ErrorCode::kUnavailable, "cannot open database " + path + ": " + msg);
  }
  auto conn = std::make_unique<SqliteConnection>(db);
  sqlite3_busy_timeout(db, 10000);
  sqlite3_extended_result_codes(db, 1);
  // journal_mode=WAL is persistent in the file; the writer sets it first.
  std::string pragmas =
      writer ? "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
               // Each request's SAVEPOINT keeps a sub-journal of the pages it
               // touches; in memory rather than in a temp file.
               "PRAGMA temp_store=MEMORY;"
             : "PRAGMA foreign_keys=ON;";
  // A file that is not SQLite, or is damaged, fails here rather than later.
  Status st = conn->ExecScript(pragmas);
  if (st.ok()) st = conn->Query("SELECT count(*) FROM sqlite_schema").status();
  if (!st.ok())
    return MakeError(ErrorCode::kCorruption, path + " is not a usable SQLite database (" +
                                                 sqlite3_errmsg(conn->handle()) + ")");
  return conn;
}

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(std::string path, std::unique_ptr<SqliteConnection> writer,
                 const OpenOptions& options)
      : analyze_every_(std::max(1, options.analyze_every_writes)),
        path_(std::move(path)),
        writer_conn_(std::move(writer)),
        writer_(*writer_conn_, {.max_group = options.max_group, .begin_sql = "BEGIN IMMEDIATE"}),
        readers_(options.read_connections,
                 [this] { return OpenConnection(path_, /*writer=*/false); }) {}

  Dialect dialect() const override { return Dialect::kSqlite; }

  Status Write(const TxFunction& fn) override {
    Status st = writer_.Write(fn);
    if (st.ok() && ++writes_ % analyze_every_ == 0) (void)Analyze();
    return st;
  }

  // Gathers planner statistics. Without them SQLite guesses every index equally
  // selective: counting the open incidents of a register where most are closed
  // picked the classification index and read nearly every row. analysis_limit
  // samples about a thousand rows per index, so this takes milliseconds at any
  // size. A failure only leaves the old statistics, so it is not reported.
  Status Analyze() {
    return writer_.Write(
        [](Connection& c) { return c.ExecScript("PRAGMA analysis_limit=1000; ANALYZE"); });
  }

  Status Read(const TxFunction& fn) override {
    TANDEM_ASSIGN_OR_RETURN(std::unique_ptr<SqliteConnection> conn, readers_.Acquire());
    Status st = conn->ExecScript("BEGIN");
    if (st.ok()) {
      st = CallGuarded(fn, *conn);
      (void)conn->ExecScript("COMMIT");
    }
    readers_.Release(std::move(conn));
    return st;
  }

  StoreStats Stats() const override {
    StoreStats stats;
    writer_.AddStats(stats);
    readers_.AddStats(stats);
    return stats;
  }

  Status Backup(const std::string& dest) override {
    TANDEM_ASSIGN_OR_RETURN(auto src, readers_.Acquire());
    sqlite3* out = nullptr;
    int rc =
        sqlite3_open_v2(dest.c_str(), &out, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    Status st;
    if (rc == SQLITE_OK) {
      // One step copies every page under one read transaction: a consistent
      // snapshot even while the writer keeps committing.
      sqlite3_backup* b = sqlite3_backup_init(out, "main", src->handle(), "main");
      if (!b)
        st = SqliteError(out, sqlite3_errcode(out), "backup");
      else {
        rc = sqlite3_backup_step(b, -1);
        sqlite3_backup_finish(b);
        if (rc != SQLITE_DONE) st = SqliteError(out, rc, "backup");
      }
    } else {
      st = SqliteError(out, rc, "open backup destination");
    }
    sqlite3_close_v2(out);
    readers_.Release(std::move(src));
    return st;
  }

 private:
  const int analyze_every_;
  std::atomic<uint64_t> writes_{0};
  std::string path_;
  std::unique_ptr<SqliteConnection> writer_conn_;
  GroupCommitter writer_;  // after writer_conn_: stops before the connection closes
  ConnectionPool<SqliteConnection> readers_;
};

}  // namespace

Result<std::unique_ptr<Database>> OpenSqlite(const std::string& path, const OpenOptions& options) {
  TANDEM_ASSIGN_OR_RETURN(auto writer, OpenConnection(path, /*writer=*/true));
  auto db = std::make_unique<SqliteDatabase>(path, std::move(writer), options);
  (void)db->Analyze();
  return std::unique_ptr<Database>(std::move(db));
}

}  // namespace tandem::store

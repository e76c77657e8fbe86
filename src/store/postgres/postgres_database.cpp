#include "store/postgres/postgres_database.h"

#include <libpq-fe.h>
#include <spdlog/spdlog.h>

#include <charconv>
#include <cstring>
#include <unordered_map>

#include "store/connection_pool.h"
#include "store/group_commit.h"

namespace tandem::store {

namespace {

// Type OIDs from pg_type.h.
constexpr Oid kBoolOid = 16, kInt8Oid = 20, kInt2Oid = 21, kInt4Oid = 23, kFloat4Oid = 700,
              kFloat8Oid = 701, kNumericOid = 1700;

std::string FirstLine(const char* msg) {
  std::string s = msg ? msg : "";
  if (auto nl = s.find('\n'); nl != std::string::npos) s.resize(nl);
  return s;
}

class PgConnection final : public Connection {
 public:
  explicit PgConnection(PGconn* conn) : conn_(conn) {}
  ~PgConnection() override { PQfinish(conn_); }

  Dialect dialect() const override { return Dialect::kPostgres; }

  bool healthy() const { return PQstatus(conn_) == CONNECTION_OK; }

  // Reconnects with the original parameters; prepared statements are gone.
  Status Reset() {
    prepared_.clear();
    NoteTransactionControl("ROLLBACK");  // whatever was open is gone
    PQreset(conn_);
    if (!healthy())
      return MakeError(ErrorCode::kUnavailable,
                       "database unavailable: " + FirstLine(PQerrorMessage(conn_)));
    spdlog::info("reconnected to PostgreSQL");
    return Status::Ok();
  }

  Result<Rows> Query(std::string_view sql, std::span<const Value> params = {}) override {
    TANDEM_ASSIGN_OR_RETURN(PGresult * res, Run(sql, params));
    Rows rows;
    const int ncols = PQnfields(res), nrows = PQntuples(res);
    rows.columns.reserve(ncols);
    for (int c = 0; c < ncols; ++c) rows.columns.emplace_back(PQfname(res, c));
    rows.rows.reserve(nrows);
    for (int r = 0; r < nrows; ++r) {
      auto& row = rows.rows.emplace_back();
      row.reserve(ncols);
      for (int c = 0; c < ncols; ++c) row.push_back(Cell(res, r, c));
    }
    PQclear(res);
    return rows;
  }

  Result<int64_t> Execute(std::string_view sql, std::span<const Value> params = {}) override {
    TANDEM_ASSIGN_OR_RETURN(PGresult * res, Run(sql, params));
    const char* n = PQcmdTuples(res);
    int64_t changed = n && *n ? std::strtoll(n, nullptr, 10) : 0;
    PQclear(res);
    return changed;
  }

  Status LockForTransaction(int64_t key) override {
    for (int64_t k : held_locks_)
      if (k == key) return Status::Ok();
    Value p[] = {key};
    TANDEM_RETURN_IF_ERROR(Query("SELECT pg_advisory_xact_lock($1)", p).status());
    held_locks_.push_back(key);
    return Status::Ok();
  }

  Status ExecScript(std::string_view sql) override {
    NoteTransactionControl(sql);
    PGresult* res = PQexec(conn_, std::string(sql).c_str());
    Status st = Check(res, "script");
    PQclear(res);
    return st;
  }

 private:
  static constexpr size_t kMaxPrepared = 512;

  Value Cell(PGresult* res, int r, int c) const {
    if (PQgetisnull(res, r, c)) return std::monostate{};
    const char* v = PQgetvalue(res, r, c);
    switch (PQftype(res, c)) {
      case kInt2Oid:
      case kInt4Oid:
      case kInt8Oid:
        return static_cast<int64_t>(std::strtoll(v, nullptr, 10));
      case kFloat4Oid:
      case kFloat8Oid:
      case kNumericOid:
        return std::strtod(v, nullptr);
      case kBoolOid:
        return static_cast<int64_t>(v[0] == 't' ? 1 : 0);
      default:
        return std::string(v, PQgetlength(res, r, c));
    }
  }

  Error ErrorFrom(PGresult* res, std::string_view what) const {
    if (!healthy()) return MakeError(ErrorCode::kUnavailable, "database connection lost; retry");
    const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
    std::string sqlstate = state ? state : "";
    std::string msg = std::string(what) + ": " +
                      FirstLine(res ? PQresultErrorMessage(res) : PQerrorMessage(conn_));
    if (sqlstate.starts_with("08") || sqlstate == "57P01" || sqlstate == "57P02" ||
        sqlstate == "57P03")
      return MakeError(ErrorCode::kUnavailable, "database unavailable; retry");
    if (sqlstate == "40001" || sqlstate == "40P01" || sqlstate == "55P03")
      return MakeError(ErrorCode::kUnavailable, "database busy; retry");
    if (sqlstate.starts_with("23")) return MakeError(ErrorCode::kConflict, msg);
    return MakeError(ErrorCode::kInternal, msg);
  }

  Status Check(PGresult* res, std::string_view what) const {
    ExecStatusType s = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK) return Status::Ok();
    return ErrorFrom(res, what);
  }

  Result<std::string> Prepare(std::string_view sql) {
    std::string key(sql);
    if (auto it = prepared_.find(key); it != prepared_.end()) return it->second;
    if (prepared_.size() >= kMaxPrepared) {
      TANDEM_RETURN_IF_ERROR(ExecScript("DEALLOCATE ALL"));
      prepared_.clear();
    }
    std::string name = "s" + std::to_string(next_name_++);
    PGresult* res = PQprepare(conn_, name.c_str(), key.c_str(), 0, nullptr);
    Status st = Check(res, "prepare");
    PQclear(res);
    if (!st.ok()) return st.error();
    prepared_.emplace(std::move(key), name);
    return name;
  }

  // Transaction-scoped locks end with the transaction, and may end with a
  // savepoint rolled back to; forget them then (re-taking one is harmless).
  void NoteTransactionControl(std::string_view sql) {
    NoteStatement(sql);
    if (sql.starts_with("BEGIN") || sql.starts_with("COMMIT") || sql.starts_with("ROLLBACK"))
      held_locks_.clear();
  }

  Result<PGresult*> Run(std::string_view sql, std::span<const Value> params) {
    NoteTransactionControl(sql);
    TANDEM_ASSIGN_OR_RETURN(std::string name, Prepare(sql));
    std::vector<std::string> text(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    for (size_t i = 0; i < params.size(); ++i) {
      const Value& v = params[i];
      if (std::holds_alternative<std::monostate>(v)) continue;
      if (auto* n = std::get_if<int64_t>(&v))
        text[i] = std::to_string(*n);
      else if (auto* d = std::get_if<double>(&v)) {
        char buf[64];
        auto [end, ec] = std::to_chars(buf, buf + sizeof buf, *d);  // shortest exact form
        text[i].assign(buf, end);
      } else
        text[i] = std::get<std::string>(v);
      values[i] = text[i].c_str();
    }
    PGresult* res = PQexecPrepared(conn_, name.c_str(), static_cast<int>(params.size()),
                                   values.data(), nullptr, nullptr, 0);
    Status st = Check(res, "query");
    if (!st.ok()) {
      PQclear(res);
      return st.error();
    }
    return res;
  }

  PGconn* conn_;
  std::vector<int64_t> held_locks_;
  std::unordered_map<std::string, std::string> prepared_;
  int64_t next_name_ = 0;
};

// Adds connect_timeout to a URL that does not set one, so a wrong host fails
// within seconds instead of hanging.
std::string WithTimeout(const std::string& url) {
  if (url.find("connect_timeout=") != std::string::npos) return url;
  return url + (url.find('?') == std::string::npos ? "?" : "&") + "connect_timeout=5";
}

Result<std::unique_ptr<PgConnection>> Connect(const std::string& url) {
  PGconn* conn = PQconnectdb(url.c_str());
  if (!conn || PQstatus(conn) != CONNECTION_OK) {
    std::string why = conn ? FirstLine(PQerrorMessage(conn)) : "out of memory";
    PQfinish(conn);
    return MakeError(ErrorCode::kUnavailable, "cannot connect to PostgreSQL: " + why);
  }
  auto c = std::make_unique<PgConnection>(conn);
  // Identical text forms of timestamps and numbers to SQLite's.
  // Custom plans: a plan cached for "any value" cannot know that one pair of
  // filter values matches nothing while another matches half the table.
  TANDEM_RETURN_IF_ERROR(c->ExecScript(
      "SET client_encoding = 'UTF8'; SET TIME ZONE 'UTC'; SET extra_float_digits = 3; "
      "SET plan_cache_mode = force_custom_plan"));
  return c;
}

Status EnsureReady(Connection& conn) {
  auto& pg = static_cast<PgConnection&>(conn);
  return pg.healthy() ? Status::Ok() : pg.Reset();
}

class PostgresDatabase final : public Database {
 public:
  PostgresDatabase(std::string url, std::unique_ptr<PgConnection> writer,
                   const OpenOptions& options)
      : url_(std::move(url)),
        writer_conn_(std::move(writer)),
        writer_(
            *writer_conn_,
            {.max_group = options.max_group, .begin_sql = "BEGIN", .ensure_ready = EnsureReady}),
        readers_(options.read_connections, [this] { return Connect(url_); }) {}

  Dialect dialect() const override { return Dialect::kPostgres; }

  Status Write(const TxFunction& fn) override { return writer_.Write(fn); }

  Status Read(const TxFunction& fn) override {
    TANDEM_ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> conn, AcquireReader());
    Status st = conn->ExecScript("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    if (st.ok()) {
      st = CallGuarded(fn, *conn);
      (void)conn->ExecScript(st.ok() ? "COMMIT" : "ROLLBACK");
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

  Status Backup(const std::string&) override {
    return MakeError(
        ErrorCode::kBadRequest,
        "tandem backup copies SQLite databases; back up PostgreSQL with pg_dump or pg_basebackup");
  }

 private:
  // A pooled connection may have lost its server since it was last used.
  Result<std::unique_ptr<PgConnection>> AcquireReader() {
    TANDEM_ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> c, readers_.Acquire());
    if (c->healthy() || c->Reset().ok()) return c;
    readers_.Discard();
    return MakeError(ErrorCode::kUnavailable, "database unavailable; retry");
  }

  std::string url_;
  std::unique_ptr<PgConnection> writer_conn_;
  GroupCommitter writer_;

  ConnectionPool<PgConnection> readers_;
};

}  // namespace

Result<std::unique_ptr<Database>> OpenPostgres(const std::string& url, const OpenOptions& options) {
  const std::string full = WithTimeout(url);
  TANDEM_ASSIGN_OR_RETURN(auto writer, Connect(full));
  return std::unique_ptr<Database>(
      std::make_unique<PostgresDatabase>(full, std::move(writer), options));
}

}  // namespace tandem::store

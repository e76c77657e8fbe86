#include "records/transfer.h"

#include <istream>
#include <nlohmann/json.hpp>
#include <ostream>

#include "core/hash.h"
#include "records/codec.h"
#include "store/migrations.h"

namespace tandem::records {

using nlohmann::json;
using store::Connection;
using store::Value;

namespace {

constexpr int64_t kBatch = 5000;
constexpr const char* kFormat = "tandem-export";
constexpr int kFormatVersion = 1;

Result<int64_t> Count(Connection& c, const std::string& table) {
  TANDEM_ASSIGN_OR_RETURN(store::Rows r, c.Query("SELECT count(*) FROM " + table));
  return std::get<int64_t>(r.rows[0][0]);
}

std::string Str(const Value& v) {
  return store::IsNull(v) ? std::string() : std::get<std::string>(v);
}

}  // namespace

Result<int64_t> Export(Engine& engine, std::ostream& out, const Progress& progress) {
  int64_t lines = 0;
  Status st = engine.db().Read([&](Connection& c) -> Status {
    int64_t total = 0;
    json counts = json::object();
    for (const auto& t : engine.registry().types()) {
      TANDEM_ASSIGN_OR_RETURN(int64_t n, Count(c, t.table()));
      counts[t.name] = n;
      total += n;
    }
    for (const char* table : {"links", "audit_events", "custom_fields", "files"}) {
      TANDEM_ASSIGN_OR_RETURN(int64_t n, Count(c, table));
      counts[table] = n;
      total += n;
    }
    auto emit = [&](const json& j) {
      out << j.dump() << '\n';
      ++lines;
      if (progress && lines % kBatch == 0) progress(lines, total);
    };
    emit({{"format", kFormat},
          {"format_version", kFormatVersion},
          {"schema_version", store::LatestSchemaVersion()},
          {"counts", counts}});

    TANDEM_ASSIGN_OR_RETURN(store::Rows cf,
                            c.Query("SELECT id, record_type, name, definition, created_at, "
                                    "created_by FROM custom_fields ORDER BY id"));
    for (const auto& r : cf.rows)
      emit({{"kind", "custom_field"},
            {"id", std::get<int64_t>(r[0])},
            {"record_type", Str(r[1])},
            {"name", Str(r[2])},
            {"definition", json::parse(Str(r[3]))},
            {"created_at", Str(r[4])},
            {"created_by", Str(r[5])}});

    // Files, a few at a time: each may hold megabytes.
    for (std::string after;;) {
      Value p[] = {after};
      TANDEM_ASSIGN_OR_RETURN(
          store::Rows rows,
          c.Query("SELECT sha256, size, media_type, data, created_at, created_by FROM files "
                  "WHERE sha256 > $1 ORDER BY sha256 LIMIT 16",
                  p));
      for (const auto& r : rows.rows)
        emit({{"kind", "file"},
              {"sha256", Str(r[0])},
              {"size", std::get<int64_t>(r[1])},
              {"media_type", Str(r[2])},
              {"data", Str(r[3])},
              {"created_at", Str(r[4])},
              {"created_by", Str(r[5])}});
      if (rows.size() < 16) break;
      after = Str(rows.rows.back()[0]);
    }
    for (const auto& t : engine.registry().types()) {
      const std::string sql = "SELECT " + SqlFor(t).select_list + " FROM " + t.table() +
                              " WHERE id > $1 ORDER BY id LIMIT " + std::to_string(kBatch);
      for (int64_t after = 0;;) {
        Value p[] = {after};
        TANDEM_ASSIGN_OR_RETURN(store::Rows rows, c.Query(sql, p));
        for (const auto& r : rows.rows) emit({{"kind", "record"}, {"record", RowToRecord(t, r)}});
        if (rows.size() < static_cast<size_t>(kBatch)) break;
        after = std::get<int64_t>(rows.rows.back()[0]);
      }
    }
    for (int64_t after = 0;;) {
      Value p[] = {after};
      TANDEM_ASSIGN_OR_RETURN(
          store::Rows rows,
          c.Query("SELECT id, relation, from_type, from_id, to_type, to_id, note, "
                  "created_at, created_by FROM links WHERE id > $1 ORDER BY id LIMIT " +
                      std::to_string(kBatch),
                  p));
      for (const auto& r : rows.rows)
        emit({{"kind", "link"},
              {"id", std::get<int64_t>(r[0])},
              {"relation", Str(r[1])},
              {"from_type", Str(r[2])},
              {"from_id", std::get<int64_t>(r[3])},
              {"to_type", Str(r[4])},
              {"to_id", std::get<int64_t>(r[5])},
              {"note", Str(r[6])},
              {"created_at", Str(r[7])},
              {"created_by", Str(r[8])}});
      if (rows.size() < static_cast<size_t>(kBatch)) break;
      after = std::get<int64_t>(rows.rows.back()[0]);
    }
    for (int64_t after = 0;;) {
      TANDEM_ASSIGN_OR_RETURN(auto events, ReadAuditEvents(c, after, kBatch));
      for (const auto& e : events)
        emit({{"kind", "audit"},
              {"seq", e.seq},
              {"at", e.at},
              {"actor", e.actor},
              {"action", e.action},
              {"record_type", e.record_type},
              {"record_id", e.record_id ? json(*e.record_id) : json()},
              {"changes", e.changes},
              {"prev_hash", e.prev_hash},
              {"hash", e.hash}});
      if (events.size() < static_cast<size_t>(kBatch)) break;
      after = events.back().seq;
    }
    if (progress) progress(lines, total + 1);
    return Status::Ok();
  });
  if (!st.ok()) return st.error();
  out.flush();
  if (!out) return MakeError(ErrorCode::kUnavailable, "writing the export failed (disk full?)");
  return lines;
}

namespace {

// Checks a record line against its type, so a hand-edited export cannot
// smuggle in values the engine would never have written.
Status CheckRecord(const model::RecordType& t, const json& r) {
  auto bad = [&](const std::string& what) { return MakeError(ErrorCode::kValidation, what); };
  for (const char* k : {"id", "version"})
    if (!r.contains(k) || !r[k].is_number_integer() || r[k].get<int64_t>() <= 0)
      return bad(std::string(k) + " must be a positive integer");
  for (const char* k : {"created_at", "updated_at"})
    if (!r.contains(k) || !r[k].is_string() || !ParseTimestamp(r[k].get<std::string>()))
      return bad(std::string(k) + " must be a timestamp");
  for (const char* k : {"created_by", "updated_by"})
    if (!r.contains(k) || !r[k].is_string()) return bad(std::string(k) + " must be a string");
  if (!r.contains("archived") || !r["archived"].is_boolean())
    return bad("archived must be a boolean");
  if (!r.contains("custom") || !r["custom"].is_object()) return bad("custom must be an object");
  if (t.states) {
    bool ok = r.contains("state") && r["state"].is_string();
    if (ok)
      ok = std::find(t.states->states.begin(), t.states->states.end(),
                     r["state"].get<std::string>()) != t.states->states.end();
    if (!ok) return bad("state must be one of the type's states");
  }
  for (const auto& f : t.fields) {
    if (!r.contains(f.name) || r[f.name].is_null()) continue;
    json v = r[f.name];
    if (std::string msg = CheckValue(f, v); !msg.empty()) return bad(f.name + " " + msg);
  }
  return Status::Ok();
}

// After a bulk load into PostgreSQL: rows imported with explicit ids leave the
// identity sequences behind, so move each past the largest id; and gather
// planner statistics now rather than when autovacuum gets round to it.
Status FinishPostgresImport(Engine& engine, Connection& c) {
  std::vector<std::string> tables = {"links", "custom_fields"};
  for (const auto& t : engine.registry().types()) tables.push_back(t.table());
  for (const auto& t : tables)
    TANDEM_RETURN_IF_ERROR(c.Query("SELECT setval(pg_get_serial_sequence('" + t +
                                   "', 'id'), "
                                   "COALESCE((SELECT max(id) FROM " +
                                   t + "), 0) + 1, false)")
                               .status());
  tables.push_back("audit_events");
  for (const auto& t : tables) TANDEM_RETURN_IF_ERROR(c.ExecScript("ANALYZE " + t));
  return Status::Ok();
}

Status ImportLine(Engine& engine, Connection& c, AuditImporter& audit, const json& j) {
  const std::string kind = j.value("kind", "");
  if (kind == "record") {
    const json& r = j.contains("record") ? j["record"] : json();
    const auto* t = r.is_object() && r.contains("type") && r["type"].is_string()
                        ? engine.registry().Find(r["type"].get<std::string>())
                        : nullptr;
    if (!t) return MakeError(ErrorCode::kValidation, "record of an unknown type");
    TANDEM_RETURN_IF_ERROR(CheckRecord(*t, r));
    auto params = RecordToParams(*t, r);
    params.emplace_back(r["id"].get<int64_t>());
    return c.Execute(SqlFor(*t).insert_with_id, params).status();
  }
  if (kind == "link") {
    Value p[] = {j.at("id").get<int64_t>(),
                 j.at("relation").get<std::string>(),
                 j.at("from_type").get<std::string>(),
                 j.at("from_id").get<int64_t>(),
                 j.at("to_type").get<std::string>(),
                 j.at("to_id").get<int64_t>(),
                 j.at("note").get<std::string>(),
                 j.at("created_at").get<std::string>(),
                 j.at("created_by").get<std::string>()};
    return c
        .Execute(
            "INSERT INTO links (id, relation, from_type, from_id, to_type, to_id, note, "
            "created_at, "
            "created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            p)
        .status();
  }
  if (kind == "audit") {
    AuditEvent e;
    e.seq = j.at("seq").get<int64_t>();
    e.at = j.at("at").get<std::string>();
    e.actor = j.at("actor").get<std::string>();
    e.action = j.at("action").get<std::string>();
    e.record_type = j.at("record_type").get<std::string>();
    if (!j.at("record_id").is_null()) e.record_id = j["record_id"].get<int64_t>();
    e.changes = j.at("changes").get<std::string>();
    e.prev_hash = j.at("prev_hash").get<std::string>();
    e.hash = j.at("hash").get<std::string>();
    return audit.Insert(c, e);
  }
  if (kind == "file") {
    const std::string sha = j.at("sha256").get<std::string>();
    const std::string data = j.at("data").get<std::string>();
    auto bytes = Base64UrlDecode(data);
    if (!bytes || Sha256Hex(*bytes) != sha ||
        static_cast<int64_t>(bytes->size()) != j.at("size").get<int64_t>())
      return MakeError(ErrorCode::kValidation, "file " + sha + " does not match its content");
    Value p[] = {sha,
                 j["size"].get<int64_t>(),
                 j.at("media_type").get<std::string>(),
                 data,
                 j.at("created_at").get<std::string>(),
                 j.at("created_by").get<std::string>()};
    return c
        .Execute(
            "INSERT INTO files (sha256, size, media_type, data, created_at, created_by) "
            "VALUES ($1, $2, $3, $4, $5, $6)",
            p)
        .status();
  }
  if (kind == "custom_field") {
    Value p[] = {j.at("id").get<int64_t>(),
                 j.at("record_type").get<std::string>(),
                 j.at("name").get<std::string>(),
                 j.at("definition").dump(),
                 j.at("created_at").get<std::string>(),
                 j.at("created_by").get<std::string>()};
    return c
        .Execute(
            "INSERT INTO custom_fields (id, record_type, name, definition, created_at, created_by) "
            "VALUES ($1, $2, $3, $4, $5, $6)",
            p)
        .status();
  }
  return MakeError(ErrorCode::kValidation, "unknown kind '" + kind + "'");
}

}  // namespace

Status RequireEmpty(Engine& engine, Connection& c, const std::string& advice) {
  for (const auto& t : engine.registry().types()) {
    TANDEM_ASSIGN_OR_RETURN(int64_t n, Count(c, t.table()));
    if (n > 0)
      return MakeError(ErrorCode::kConflict,
                       "the database already holds " + t.name + " records; " + advice);
  }
  TANDEM_ASSIGN_OR_RETURN(int64_t events, Count(c, "audit_events"));
  if (events > 0)
    return MakeError(ErrorCode::kConflict, "the database already has an audit trail; " + advice);
  return Status::Ok();
}

Result<int64_t> Import(Engine& engine, std::istream& in, int64_t total_lines,
                       const Progress& progress) {
  int64_t line_no = 0;
  Status st = engine.db().Write([&](Connection& c) -> Status {
    TANDEM_RETURN_IF_ERROR(RequireEmpty(engine, c, "import into an empty database"));
    std::string line;
    bool header = false;
    AuditImporter audit;
    while (std::getline(in, line)) {
      ++line_no;
      if (line.empty()) continue;
      auto at = [&](Error e) {
        e.detail = "line " + std::to_string(line_no) + ": " + e.detail;
        return e;
      };
      json j = json::parse(line, nullptr, false);
      if (j.is_discarded() || !j.is_object())
        return at(MakeError(ErrorCode::kValidation, "not a JSON object"));
      if (!header) {
        if (j.value("format", "") != kFormat || j.value("format_version", 0) != kFormatVersion)
          return at(MakeError(ErrorCode::kValidation, "not a tandem export (format version 1)"));
        header = true;
        continue;
      }
      Status s;
      try {
        s = ImportLine(engine, c, audit, j);
      } catch (const json::exception& e) {
        s = MakeError(ErrorCode::kValidation,
                      std::string("missing or mistyped property: ") + e.what());
      }
      if (!s.ok()) return at(s.error());
      if (progress && line_no % kBatch == 0) progress(line_no, total_lines);
    }
    if (!header) return MakeError(ErrorCode::kValidation, "the input is empty");
    return c.dialect() == store::Dialect::kPostgres ? FinishPostgresImport(engine, c)
                                                    : Status::Ok();
  });
  if (!st.ok()) return st.error();
  TANDEM_RETURN_IF_ERROR(engine.ReloadCustomFields());
  if (progress) progress(line_no, total_lines);
  return line_no;
}

}  // namespace tandem::records

#include "records/audit.h"

#include "core/hash.h"

namespace tandem::records {

using store::Value;

namespace {

constexpr int64_t kAuditChainLock = 7262002;
constexpr const char* kHeadKey = "audit.head";
constexpr const char* kGenesis = "0000000000000000000000000000000000000000000000000000000000000000";
constexpr const char* kColumns =
    "seq, at, actor, action, record_type, record_id, changes, prev_hash, hash";

AuditEvent FromRow(const std::vector<Value>& r) {
  AuditEvent e;
  e.seq = std::get<int64_t>(r[0]);
  e.at = std::get<std::string>(r[1]);
  e.actor = std::get<std::string>(r[2]);
  e.action = std::get<std::string>(r[3]);
  e.record_type = std::get<std::string>(r[4]);
  if (!store::IsNull(r[5])) e.record_id = std::get<int64_t>(r[5]);
  e.changes = std::get<std::string>(r[6]);
  e.prev_hash = std::get<std::string>(r[7]);
  e.hash = std::get<std::string>(r[8]);
  return e;
}

Status InsertRow(store::Connection& c, const AuditEvent& e) {
  Value p[] = {e.seq,     e.at,          e.actor,
               e.action,  e.record_type, e.record_id ? Value(*e.record_id) : Value(),
               e.changes, e.prev_hash,   e.hash};
  return c
      .Execute(
          "INSERT INTO audit_events (seq, at, actor, action, record_type, record_id, "
          "changes, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
          p)
      .status();
}

struct Head {
  int64_t seq = 0;
  std::string hash = kGenesis;
};

// Reads the chain's last event. Several app servers may append to one chain:
// a lock held until commit makes each transaction read the true head and
// append after it, so the chain stays strictly ordered. While the lock is
// held only this transaction moves the head, so it is cached until the
// transaction ends (or rolls back to a savepoint).
Result<Head> ReadHead(store::Connection& c) {
  TANDEM_RETURN_IF_ERROR(c.LockForTransaction(kAuditChainLock));
  auto& cache = c.transaction_cache();
  if (auto it = cache.find(kHeadKey); it != cache.end()) {
    auto space = it->second.find(' ');
    return Head{std::stoll(it->second.substr(0, space)), it->second.substr(space + 1)};
  }
  TANDEM_ASSIGN_OR_RETURN(store::Rows r,
                          c.Query("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1"));
  Head h;
  if (!r.empty()) {
    h.seq = std::get<int64_t>(r.rows[0][0]);
    h.hash = std::get<std::string>(r.rows[0][1]);
  }
  return h;
}

void RememberHead(store::Connection& c, const AuditEvent& e) {
  c.transaction_cache()[kHeadKey] = std::to_string(e.seq) + " " + e.hash;
}

}  // namespace

std::string ComputeAuditHash(const AuditEvent& e) {
  // Fields joined by the ASCII unit separator, which none of them may contain
  // unescaped (changes is JSON text, where control characters are escaped).
  const char sep = '\x1f';
  std::string s;
  s.reserve(e.changes.size() + 200);
  s += std::to_string(e.seq);
  s += sep;
  s += e.prev_hash;
  s += sep;
  s += e.at;
  s += sep;
  s += e.actor;
  s += sep;
  s += e.action;
  s += sep;
  s += e.record_type;
  s += sep;
  s += e.record_id ? std::to_string(*e.record_id) : std::string();
  s += sep;
  s += e.changes;
  return Sha256Hex(s);
}

Status AppendAudit(store::Connection& c, AuditEvent& e) {
  TANDEM_ASSIGN_OR_RETURN(Head head, ReadHead(c));
  e.seq = head.seq + 1;
  e.prev_hash = head.hash;
  e.hash = ComputeAuditHash(e);
  TANDEM_RETURN_IF_ERROR(InsertRow(c, e));
  RememberHead(c, e);
  return Status::Ok();
}

Status AuditImporter::Insert(store::Connection& c, const AuditEvent& e) {
  if (!have_head_) {
    TANDEM_ASSIGN_OR_RETURN(Head head, ReadHead(c));
    head_seq_ = head.seq;
    head_hash_ = head.hash;
    have_head_ = true;
  }
  if (e.seq != head_seq_ + 1 || e.prev_hash != head_hash_ || e.hash != ComputeAuditHash(e))
    return MakeError(ErrorCode::kValidation,
                     "audit event " + std::to_string(e.seq) + " does not continue the chain");
  TANDEM_RETURN_IF_ERROR(InsertRow(c, e));
  head_seq_ = e.seq;
  head_hash_ = e.hash;
  return Status::Ok();
}

Result<std::vector<AuditEvent>> ReadAuditEvents(store::Connection& c, int64_t after_seq,
                                                int64_t limit) {
  Value p[] = {after_seq, limit};
  TANDEM_ASSIGN_OR_RETURN(store::Rows r,
                          c.Query(std::string("SELECT ") + kColumns +
                                      " FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT $2",
                                  p));
  std::vector<AuditEvent> out;
  out.reserve(r.size());
  for (const auto& row : r.rows) out.push_back(FromRow(row));
  return out;
}

Result<std::vector<RecordChange>> RecordChangesSince(store::Connection& c, int64_t after_seq,
                                                     int64_t limit) {
  Value p[] = {after_seq, limit};
  TANDEM_ASSIGN_OR_RETURN(
      store::Rows r, c.Query("SELECT seq, record_type, record_id FROM audit_events WHERE seq > $1 "
                             "ORDER BY seq LIMIT $2",
                             p));
  std::vector<RecordChange> out;
  out.reserve(r.size());
  for (const auto& row : r.rows) {
    RecordChange ch{std::get<int64_t>(row[0])};
    if (!store::IsNull(row[1])) ch.record_type = std::get<std::string>(row[1]);
    if (!store::IsNull(row[2])) ch.record_id = std::get<int64_t>(row[2]);
    out.push_back(std::move(ch));
  }
  return out;
}

Result<int64_t> AuditHeadSeq(store::Connection& c) {
  TANDEM_ASSIGN_OR_RETURN(store::Rows r, c.Query("SELECT max(seq) FROM audit_events"));
  return r.empty() || store::IsNull(r.rows[0][0]) ? 0 : std::get<int64_t>(r.rows[0][0]);
}

Result<std::vector<AuditEvent>> RecordHistory(store::Connection& c, const std::string& type,
                                              int64_t id) {
  Value p[] = {type, id};
  TANDEM_ASSIGN_OR_RETURN(
      store::Rows r,
      c.Query(std::string("SELECT ") + kColumns +
                  " FROM audit_events WHERE record_type = $1 AND record_id = $2 ORDER BY seq",
              p));
  std::vector<AuditEvent> out;
  for (const auto& row : r.rows) out.push_back(FromRow(row));
  return out;
}

Result<AuditVerifyReport> VerifyAudit(store::Database& db) {
  AuditVerifyReport rep;
  std::string prev = kGenesis;
  int64_t expected = 1;
  constexpr int64_t kBatch = 10000;
  for (;;) {
    std::vector<AuditEvent> batch;
    TANDEM_RETURN_IF_ERROR(db.Read([&](store::Connection& c) -> Status {
      TANDEM_ASSIGN_OR_RETURN(batch, ReadAuditEvents(c, expected - 1, kBatch));
      return Status::Ok();
    }));
    // A gap makes the read above skip ahead; the seq check below catches it.
    for (const auto& e : batch) {
      auto fail = [&](std::string why) {
        rep.ok = false;
        rep.first_bad_seq = e.seq;
        rep.problem = std::move(why);
      };
      if (e.seq != expected)
        fail("event " + std::to_string(expected) + " is missing (next present is " +
             std::to_string(e.seq) + ")");
      else if (e.prev_hash != prev)
        fail("its previous-hash does not match the event before it");
      else if (ComputeAuditHash(e) != e.hash)
        fail("its content does not match its hash (altered)");
      if (!rep.ok) {
        if (e.seq != expected) rep.first_bad_seq = expected;
        return rep;
      }
      prev = e.hash;
      ++expected;
      ++rep.events;
      rep.head_seq = e.seq;
      rep.head_hash = e.hash;
    }
    if (static_cast<int64_t>(batch.size()) < kBatch) break;
  }
  return rep;
}

}  // namespace tandem::records

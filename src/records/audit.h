// The audit trail: an append-only, hash-chained log of every mutation.
//
// Each event's hash is SHA-256 over its sequence number, the previous event's
// hash and every other column, so altering, deleting or reordering any stored
// event breaks the chain at that event. (Removing events from the very end
// leaves a valid but shorter chain, and a database writer can rehash a
// rewritten chain: signed anchors outside the database catch both,
// audit_anchor.h.)
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/result.h"
#include "store/database.h"

namespace tandem::records {

struct AuditEvent {
  int64_t seq = 0;
  std::string at;
  std::string actor;
  std::string action;       // create, update, transition, archive, restore, link, unlink, ...
  std::string record_type;  // "" for events about the system itself
  std::optional<int64_t> record_id;
  std::string changes;  // JSON text: {"before": {...}, "after": {...}, ...}
  std::string prev_hash;
  std::string hash;
};

// The hash an event must carry, given its other columns.
std::string ComputeAuditHash(const AuditEvent& e);

// Appends `e` inside the caller's write transaction: assigns seq and the chain
// hashes (filled into `e`).
Status AppendAudit(store::Connection& conn, AuditEvent& e);

// Inserts events exactly as given (import), checking that each continues the
// chain. Reads the stored head once, so use one per transaction.
class AuditImporter {
 public:
  Status Insert(store::Connection& conn, const AuditEvent& e);

 private:
  bool have_head_ = false;
  int64_t head_seq_ = 0;
  std::string head_hash_;
};

struct AuditVerifyReport {
  int64_t events = 0;
  int64_t head_seq = 0;
  std::string head_hash;
  bool ok = true;
  int64_t first_bad_seq = 0;  // the first event that fails, when !ok
  std::string problem;        // what is wrong with it
};

// Walks the whole chain in sequence order.
Result<AuditVerifyReport> VerifyAudit(store::Database& db);

// Events about one record, oldest first.
Result<std::vector<AuditEvent>> RecordHistory(store::Connection& conn, const std::string& type,
                                              int64_t id);

// Which records changed after `after_seq`: at most `limit` (type, id) pairs in
// sequence order, and the sequence number of the last one read. Events commit
// in sequence order (the chain is appended under a lock), so a reader that
// remembers the last seq it saw misses no change. For caches of records.
struct RecordChange {
  int64_t seq = 0;
  std::string record_type;
  int64_t record_id = 0;
};
Result<std::vector<RecordChange>> RecordChangesSince(store::Connection& conn, int64_t after_seq,
                                                     int64_t limit);
// The sequence number of the newest event, 0 when there is none.
Result<int64_t> AuditHeadSeq(store::Connection& conn);

// Reads events with seq > after_seq, at most `limit`, in order (export, verify).
Result<std::vector<AuditEvent>> ReadAuditEvents(store::Connection& conn, int64_t after_seq,
                                                int64_t limit);

}  // namespace tandem::records

// Signed checkpoints of the audit trail, kept outside the database.
//
// The hash chain (audit.h) shows that no stored event was altered, removed or
// reordered relative to the others, but whoever can write to the database can
// rewrite the whole chain and recompute every hash, or cut events off its end.
// An anchor closes that gap: the chain head (sequence number and hash) signed
// with an Ed25519 key that is not in the database, appended to an anchor log
// that is not in the database either (a file, or an HTTP endpoint that keeps
// what it is sent). Verifying the chain against the anchors then reports
//   - a rewrite: an anchored event whose hash differs from the one signed;
//   - a truncation: an anchored event that is no longer there.
// Each anchor is checked on its own, so several app servers may write to one
// log and a lost log only loses the coverage it gave (docs/operations.md).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <istream>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "store/database.h"

namespace tandem::records {

// An Ed25519 key pair; `public_key` is what verifiers trust (base64).
struct AnchorKey {
  std::string secret;      // libsodium's 64-byte secret key; never logged
  std::string public_key;  // base64 of the 32-byte public key
};

// Writes a new key to `path` (refused when it exists; mode 0600) and returns
// it. The file holds the base64 secret key on one line.
Result<AnchorKey> CreateAnchorKey(const std::string& path);
Result<AnchorKey> LoadAnchorKey(const std::string& path);

struct Anchor {
  int64_t seq = 0;
  std::string hash;  // of event `seq`
  std::string at;    // when it was signed
  std::string key;   // base64 public key
  std::string sig;   // base64 Ed25519 signature over the fields above
};

Anchor SignAnchor(const AnchorKey& key, int64_t seq, const std::string& hash,
                  const std::string& at);
// The anchor as one line of JSON, without the newline.
std::string AnchorLine(const Anchor& a);

// Appends `a` to `destination`: a file path (created when missing, synced to
// disk before returning), or an http:// or https:// URL that receives the line
// as a JSON POST and must answer 2xx.
Status WriteAnchor(const std::string& destination, const Anchor& a);

// The chain head now, signed and written. Returns the anchor; nothing is
// written for an empty chain (seq 0).
Result<Anchor> AnchorHead(store::Database& db, const AnchorKey& key, const Clock& clock,
                          const std::string& destination);

// Base64 public keys, one per line; text after the key is a comment, and
// blank lines and lines starting with '#' are skipped.
Result<std::set<std::string>> ReadTrustedKeys(std::istream& in);

struct AnchorReport {
  int64_t anchors = 0;        // lines read
  int64_t last_anchored = 0;  // the highest seq a valid anchor signed
  int64_t head_seq = 0;       // the chain's last event now
  bool ok = true;
  // One line per finding, in log order: a bad or untrusted signature, a
  // rewritten event, removed events, an unreadable line.
  std::vector<std::string> problems;
};

// Checks every anchor in `log` (JSON lines) against the events stored now.
Result<AnchorReport> CheckAnchors(store::Database& db, std::istream& log,
                                  const std::set<std::string>& trusted_keys);

// Anchors the head every `interval` while the head moves, and once more when
// stopped, from a thread of its own. A failed write is logged and tried again
// at the next interval.
class AuditAnchorer {
 public:
  AuditAnchorer(store::Database& db, AnchorKey key, const Clock& clock, std::string destination,
                std::chrono::seconds interval);
  ~AuditAnchorer();  // Stop()
  void Stop();

 private:
  void Run();
  void AnchorIfMoved();

  store::Database& db_;
  const AnchorKey key_;
  const Clock& clock_;
  const std::string destination_;
  const std::chrono::seconds interval_;
  int64_t anchored_seq_ = -1;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace tandem::records

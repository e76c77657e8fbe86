#include "records/audit_anchor.h"

#include <fcntl.h>
#include <httplib.h>
#include <sodium.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/hash.h"

namespace tandem::records {

using nlohmann::json;
using store::Value;

namespace {

Error Bad(std::string detail) { return MakeError(ErrorCode::kBadRequest, std::move(detail)); }

// What the signature covers: a fixed, versioned text, so that no other
// message signed with the key can pass for an anchor.
std::string SignedText(int64_t seq, const std::string& hash, const std::string& at) {
  return "tandem audit anchor v1\nseq " + std::to_string(seq) + "\nhash " + hash + "\nat " + at +
         "\n";
}

bool ValidSignature(const Anchor& a) {
  auto key = Base64UrlDecode(a.key);
  auto sig = Base64UrlDecode(a.sig);
  if (!key || key->size() != crypto_sign_PUBLICKEYBYTES || !sig || sig->size() != crypto_sign_BYTES)
    return false;
  const std::string text = SignedText(a.seq, a.hash, a.at);
  return crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(sig->data()),
                                     reinterpret_cast<const unsigned char*>(text.data()),
                                     text.size(),
                                     reinterpret_cast<const unsigned char*>(key->data())) == 0;
}

AnchorKey FromSecret(std::string secret) {
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  crypto_sign_ed25519_sk_to_pk(pk, reinterpret_cast<const unsigned char*>(secret.data()));
  AnchorKey k;
  k.secret = std::move(secret);
  k.public_key = Base64UrlEncode({reinterpret_cast<const char*>(pk), sizeof pk});
  return k;
}

Status AppendToFile(const std::string& path, const std::string& line) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
  if (fd < 0) return Bad("cannot open the anchor log " + path + ": " + std::strerror(errno));
  const std::string text = line + "\n";
  // One write of a short line to a file opened for appending lands whole,
  // even when several processes append to the same log.
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  const bool synced = written && ::fsync(fd) == 0;
  const int saved = errno;
  ::close(fd);
  if (!synced) return Bad("cannot write the anchor log " + path + ": " + std::strerror(saved));
  return Status::Ok();
}

Status PostToUrl(const std::string& url, const std::string& line) {
  // scheme://host[:port]/path
  const size_t host_start = url.find("://") + 3;
  const size_t path_start = url.find('/', host_start);
  const std::string origin = url.substr(0, path_start);
  const std::string path = path_start == std::string::npos ? "/" : url.substr(path_start);
  httplib::Client client(origin);
  client.set_connection_timeout(5);
  client.set_read_timeout(10);
  client.set_write_timeout(10);
  auto res = client.Post(path, line, "application/json");
  if (!res)
    return Bad("cannot send the anchor to " + origin + ": " + httplib::to_string(res.error()));
  if (res->status < 200 || res->status > 299)
    return Bad("the anchor endpoint " + origin + " answered " + std::to_string(res->status));
  return Status::Ok();
}

}  // namespace

Result<AnchorKey> CreateAnchorKey(const std::string& path) {
  unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_keypair(pk, sk);
  std::string secret(reinterpret_cast<const char*>(sk), sizeof sk);
  sodium_memzero(sk, sizeof sk);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    sodium_memzero(secret.data(), secret.size());
    return Bad("cannot create the key file " + path + ": " + std::strerror(errno));
  }
  std::string text = Base64UrlEncode(secret) + "\n";
  const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                  ::fsync(fd) == 0;
  ::close(fd);
  sodium_memzero(text.data(), text.size());
  if (!ok) return Bad("cannot write the key file " + path);
  return FromSecret(std::move(secret));
}

Result<AnchorKey> LoadAnchorKey(const std::string& path) {
  std::ifstream in(path);
  std::string text;
  if (!in || !std::getline(in, text)) return Bad("cannot read the audit key " + path);
  auto secret = Base64UrlDecode(text);
  sodium_memzero(text.data(), text.size());
  if (!secret || secret->size() != crypto_sign_SECRETKEYBYTES)
    return Bad("the audit key " + path + " is not a key made by `tandem audit keygen`");
  return FromSecret(std::move(*secret));
}

Anchor SignAnchor(const AnchorKey& key, int64_t seq, const std::string& hash,
                  const std::string& at) {
  Anchor a{seq, hash, at, key.public_key, ""};
  const std::string text = SignedText(seq, hash, at);
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(text.data()),
                       text.size(), reinterpret_cast<const unsigned char*>(key.secret.data()));
  a.sig = Base64UrlEncode({reinterpret_cast<const char*>(sig), sizeof sig});
  return a;
}

std::string AnchorLine(const Anchor& a) {
  return json{{"seq", a.seq}, {"hash", a.hash}, {"at", a.at}, {"key", a.key}, {"sig", a.sig}}
      .dump();
}

Status WriteAnchor(const std::string& destination, const Anchor& a) {
  if (destination.starts_with("http://") || destination.starts_with("https://"))
    return PostToUrl(destination, AnchorLine(a));
  return AppendToFile(destination, AnchorLine(a));
}

namespace {

// The chain's last event as (seq, hash); seq 0 when the chain is empty.
Result<std::pair<int64_t, std::string>> ReadHead(store::Database& db) {
  store::Rows r;
  TANDEM_RETURN_IF_ERROR(db.Read([&](store::Connection& c) -> Status {
    TANDEM_ASSIGN_OR_RETURN(r, c.Query("SELECT seq, hash FROM audit_events ORDER BY seq DESC "
                                       "LIMIT 1"));
    return Status::Ok();
  }));
  if (r.empty()) return std::pair<int64_t, std::string>{0, ""};
  return std::pair{std::get<int64_t>(r.rows[0][0]), std::get<std::string>(r.rows[0][1])};
}

}  // namespace

Result<Anchor> AnchorHead(store::Database& db, const AnchorKey& key, const Clock& clock,
                          const std::string& destination) {
  TANDEM_ASSIGN_OR_RETURN(auto head, ReadHead(db));
  if (head.first == 0) return Anchor{};
  Anchor a = SignAnchor(key, head.first, head.second, FormatTimestamp(clock.Now()));
  TANDEM_RETURN_IF_ERROR(WriteAnchor(destination, a));
  return a;
}

Result<std::set<std::string>> ReadTrustedKeys(std::istream& in) {
  std::set<std::string> keys;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    std::istringstream words(line);
    std::string key;
    if (!(words >> key) || key.starts_with('#')) continue;
    auto raw = Base64UrlDecode(key);
    if (!raw || raw->size() != crypto_sign_PUBLICKEYBYTES)
      return Bad("trusted keys line " + std::to_string(n) + " is not a public key");
    keys.insert(key);
  }
  return keys;
}

Result<AnchorReport> CheckAnchors(store::Database& db, std::istream& log,
                                  const std::set<std::string>& trusted_keys) {
  AnchorReport rep;
  int64_t last_matching = 0;  // the highest anchored event still as signed
  TANDEM_RETURN_IF_ERROR(db.Read([&](store::Connection& c) -> Status {
    TANDEM_ASSIGN_OR_RETURN(store::Rows head, c.Query("SELECT max(seq) FROM audit_events"));
    rep.head_seq =
        head.empty() || store::IsNull(head.rows[0][0]) ? 0 : std::get<int64_t>(head.rows[0][0]);
    std::string text;
    for (int64_t n = 1; std::getline(log, text); ++n) {
      if (text.empty()) continue;
      ++rep.anchors;
      const std::string where = "anchor line " + std::to_string(n);
      auto problem = [&](std::string what) {
        rep.ok = false;
        rep.problems.push_back(where + ": " + std::move(what));
      };
      json j = json::parse(text, nullptr, false);
      if (!j.is_object() || !j.contains("seq") || !j["seq"].is_number_integer()) {
        problem("is not an anchor");
        continue;
      }
      Anchor a{j["seq"].get<int64_t>(), j.value("hash", ""), j.value("at", ""), j.value("key", ""),
               j.value("sig", "")};
      if (!trusted_keys.count(a.key)) {
        problem("is signed by a key that is not trusted");
        continue;
      }
      if (!ValidSignature(a)) {
        problem("its signature does not match its content (the anchor log was altered)");
        continue;
      }
      const std::string signed_at = " (signed at " + a.at + ")";
      Value seq = a.seq;
      TANDEM_ASSIGN_OR_RETURN(store::Rows r,
                              c.Query("SELECT hash FROM audit_events WHERE seq = $1", {&seq, 1}));
      if (r.empty()) {
        problem(a.seq > rep.head_seq
                    ? "event " + std::to_string(a.seq) + " was anchored" + signed_at +
                          " but the chain now ends at event " + std::to_string(rep.head_seq) +
                          ": events " + std::to_string(rep.head_seq + 1) + " to " +
                          std::to_string(a.seq) + " were removed (truncated)"
                    : "event " + std::to_string(a.seq) + " was anchored" + signed_at +
                          " but is missing (deleted)");
      } else if (std::get<std::string>(r.rows[0][0]) != a.hash) {
        problem("event " + std::to_string(a.seq) + " differs from the event anchored" + signed_at +
                ": the chain was rewritten at or before it" +
                (last_matching > 0 && last_matching < a.seq
                     ? ", after event " + std::to_string(last_matching) + " (still as anchored)"
                     : ""));
      } else {
        last_matching = std::max(last_matching, a.seq);
      }
      rep.last_anchored = std::max(rep.last_anchored, a.seq);
    }
    return Status::Ok();
  }));
  return rep;
}

// --- the periodic writer -----------------------------------------------------

AuditAnchorer::AuditAnchorer(store::Database& db, AnchorKey key, const Clock& clock,
                             std::string destination, std::chrono::seconds interval)
    : db_(db),
      key_(std::move(key)),
      clock_(clock),
      destination_(std::move(destination)),
      interval_(interval),
      thread_([this] { Run(); }) {}

AuditAnchorer::~AuditAnchorer() { Stop(); }

void AuditAnchorer::Stop() {
  {
    std::lock_guard lk(mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
  AnchorIfMoved();  // the head as the server leaves it
}

void AuditAnchorer::Run() {
  std::unique_lock lk(mu_);
  for (;;) {
    lk.unlock();
    AnchorIfMoved();
    lk.lock();
    if (wake_.wait_for(lk, interval_, [this] { return stopping_; })) return;
  }
}

void AuditAnchorer::AnchorIfMoved() {
  auto head = ReadHead(db_);
  if (!head.ok()) {
    spdlog::warn("audit anchor: cannot read the chain head: {}", head.error().detail);
    return;
  }
  if (head->first == 0 || head->first == anchored_seq_) return;
  const Anchor a = SignAnchor(key_, head->first, head->second, FormatTimestamp(clock_.Now()));
  if (Status st = WriteAnchor(destination_, a); !st.ok()) {
    spdlog::error("audit anchor not written: {}", st.error().detail);
    return;
  }
  anchored_seq_ = a.seq;
  spdlog::info("audit anchor: event {} signed", a.seq);
}

}  // namespace tandem::records

// Signing in and out, sessions, the second factor, one's own password and
// API tokens.
#include <sodium.h>

#include <nlohmann/json.hpp>

#include "auth/auth.h"
#include "auth/auth_internal.h"
#include "auth/password.h"
#include "auth/totp.h"
#include "core/hash.h"
#include "core/utf8.h"

namespace tandem::auth {

using nlohmann::json;
using records::Actor;
using store::Connection;
using store::Value;

namespace {

constexpr auto kTouchInterval = std::chrono::seconds(60);  // last-seen/last-used precision
constexpr int kRecoveryCodes = 10;
constexpr const char* kTokenPrefix = "tdm_";

// `bytes` random bytes, URL-safe base64: session ids, CSRF tokens, API tokens.
std::string RandomToken(size_t bytes) {
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  std::string out = Base64UrlEncode(raw);
  sodium_memzero(raw.data(), raw.size());
  return out;
}

// "u.id, u.username, ..." for joins.
std::string Qualified(const char* alias) {
  std::string out, cols = kUserColumns;
  for (size_t pos = 0; pos < cols.size();) {
    size_t end = cols.find(", ", pos);
    if (end == std::string::npos) end = cols.size();
    out += (out.empty() ? "" : ", ") + std::string(alias) + "." + cols.substr(pos, end - pos);
    pos = end + 2;
  }
  return out;
}

// Recovery codes are compared without dashes, spaces or case.
std::string NormalizeCode(std::string_view code) {
  std::string out;
  for (char c : code)
    if (c != '-' && c != ' ') out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Four groups of four from 31 letters and digits: 79 bits, so the unsalted
// hashes a database copy holds cannot be searched for every user at once.
std::string NewRecoveryCode() {
  static const char* alphabet = "abcdefghjkmnpqrstuvwxyz23456789";  // no look-alikes
  std::string code;
  for (int i = 0; i < 16; ++i) {
    if (i > 0 && i % 4 == 0) code += '-';
    code += alphabet[randombytes_uniform(31)];
  }
  return code;
}

// Whether `timestamp` (+ `plus`) is before `t`.
bool Before(const std::string& timestamp, TimePoint t, TimePoint::duration plus = {}) {
  auto parsed = ParseTimestamp(timestamp);
  return parsed && *parsed + plus < t;
}

Error Unauthorized(std::string detail) {
  return MakeError(ErrorCode::kUnauthorized, std::move(detail));
}

// Ends the user's sessions but the one whose CSRF token is `keep`; returns
// the audit details: how many ended, when any did.
Result<json> EndOtherSessions(Connection& c, int64_t user_id, const std::string& keep) {
  Value p[] = {user_id, keep};
  TANDEM_ASSIGN_OR_RETURN(
      int64_t ended, c.Execute("DELETE FROM sessions WHERE user_id = $1 AND csrf_token <> $2", p));
  json details = json::object();
  if (ended > 0) details["sessions_ended"] = ended;
  return details;
}

Status NeedSession(const Identity& who) {
  if (!who.via_session)
    return MakeError(ErrorCode::kForbidden,
                     "API tokens cannot manage accounts; sign in with a password");
  return Status::Ok();
}

}  // namespace

const char* PendingName(Pending p) {
  switch (p) {
    case Pending::kNone:
      return nullptr;
    case Pending::kMfaCode:
      return "mfa_code";
    case Pending::kPasswordChange:
      return "password_change";
    case Pending::kMfaEnrollment:
      return "mfa_enrollment";
  }
  return nullptr;
}

// --- throttling ----------------------------------------------------------------
//
// Both limits live in the database, so every app server on it applies the same
// ones. sign_in_failures keeps one row per failed attempt by client address
// (the client throttle); sign_in_locks keeps the failure count and the lock of
// each user name tried, whether or not an account has that name, so that a
// lock tells a guesser nothing about which accounts exist.

namespace {

// Whole seconds from `now` until just after `end`: a retry then finds `end`
// passed (a lock holds up to and including its last instant).
int SecondsPast(TimePoint end, TimePoint now) {
  const auto s = std::chrono::floor<std::chrono::seconds>(end - now).count() + 1;
  return static_cast<int>(std::max<int64_t>(s, 1));
}

Error TooManyRequests(std::string detail, TimePoint until, TimePoint now) {
  Error e = MakeError(ErrorCode::kTooManyRequests, std::move(detail));
  e.retry_after_seconds = SecondsPast(until, now);
  return e;
}

// "4 minutes", "50 seconds": the wait, rounded up.
std::string WaitText(int seconds) {
  if (seconds < 60) return std::to_string(seconds) + (seconds == 1 ? " second" : " seconds");
  const int minutes = (seconds + 59) / 60;
  return std::to_string(minutes) + (minutes == 1 ? " minute" : " minutes");
}

}  // namespace

Status AuthService::CheckClient(Connection& c, const std::string& client) {
  const TimePoint now = clock_.Now();
  Value p[] = {client, FormatTimestamp(now - options_.client_window),
               int64_t{options_.max_client_failures}};
  // The newest failures, as many as the limit: when there are that many, the
  // oldest of them is the one whose leaving the window lifts the refusal.
  TANDEM_ASSIGN_OR_RETURN(store::Rows r,
                          c.Query("SELECT at FROM sign_in_failures WHERE client = $1 AND at >= $2 "
                                  "ORDER BY at DESC LIMIT $3",
                                  p));
  if (static_cast<int>(r.rows.size()) < options_.max_client_failures) return Status::Ok();
  auto oldest = ParseTimestamp(Text(r.rows.back()[0]));
  const TimePoint until = (oldest ? *oldest : now) + options_.client_window;
  return TooManyRequests("too many failed sign-ins from this address; try again in " +
                             WaitText(SecondsPast(until, now)),
                         until, now);
}

Status AuthService::NoteClientFailure(Connection& c, const std::string& client) {
  const TimePoint now = clock_.Now();
  Value cutoff = FormatTimestamp(now - options_.client_window);
  TANDEM_RETURN_IF_ERROR(
      c.Execute("DELETE FROM sign_in_failures WHERE at < $1", {&cutoff, 1}).status());
  Value p[] = {client, FormatTimestamp(now)};
  return c.Execute("INSERT INTO sign_in_failures (client, at) VALUES ($1, $2)", p).status();
}

Result<AuthService::NameLock> AuthService::ReadLock(Connection& c, const std::string& username) {
  const TimePoint now = clock_.Now();
  Value p[] = {username};
  TANDEM_ASSIGN_OR_RETURN(
      store::Rows r, c.Query("SELECT failures, last_failure_at, locked_until FROM sign_in_locks "
                             "WHERE username = $1",
                             p));
  NameLock lock;
  if (r.empty()) return lock;
  if (!Before(Text(r.rows[0][1]), now, options_.failure_window)) lock.failures = Int(r.rows[0][0]);
  if (std::string until = Text(r.rows[0][2]); !until.empty() && !Before(until, now))
    lock.locked_until = std::move(until);
  return lock;
}

Status AuthService::ClearLock(Connection& c, const std::string& username) {
  Value p[] = {username};
  return c.Execute("DELETE FROM sign_in_locks WHERE username = $1", p).status();
}

Error AuthService::Locked(const NameLock& lock, const char* what) const {
  const TimePoint now = clock_.Now();
  return TooManyRequests(std::string("this account is locked after repeated failed ") + what +
                             " until " + lock.locked_until +
                             "; an administrator can unlock it sooner",
                         ParseTimestamp(lock.locked_until).value_or(now), now);
}

Status AuthService::RecordFailure(Connection& c, const std::optional<UserRow>& u,
                                  const std::string& username, const std::string& client,
                                  const std::string& reason) {
  json details = {{"username", std::string(TruncateUtf8(username, 64))},
                  {"client", client},
                  {"reason", reason}};
  const std::optional<int64_t> id = u ? std::optional(u->id) : std::nullopt;
  TANDEM_RETURN_IF_ERROR(
      Audit(c, u ? u->username : "anonymous", "login.failed", "user", id, details));
  if (!client.empty()) TANDEM_RETURN_IF_ERROR(NoteClientFailure(c, client));
  TANDEM_ASSIGN_OR_RETURN(NameLock lock, ReadLock(c, username));
  const TimePoint now = clock_.Now();
  const int64_t failures = lock.failures + 1;
  const bool locks = failures >= options_.max_failed_logins;
  const std::string until = locks ? FormatTimestamp(now + options_.lockout) : "";
  // Forgotten: counts older than the window, and locks that have ended.
  Value old[] = {FormatTimestamp(now - options_.failure_window), FormatTimestamp(now)};
  TANDEM_RETURN_IF_ERROR(c.Execute("DELETE FROM sign_in_locks WHERE last_failure_at < $1 AND "
                                   "(locked_until IS NULL OR locked_until < $2)",
                                   old)
                             .status());
  Value p[] = {username, locks ? int64_t{0} : failures, FormatTimestamp(now), OptionalText(until)};
  TANDEM_RETURN_IF_ERROR(
      c.Execute("INSERT INTO sign_in_locks (username, failures, last_failure_at, locked_until) "
                "VALUES ($1, $2, $3, $4) ON CONFLICT (username) DO UPDATE SET failures = "
                "excluded.failures, last_failure_at = excluded.last_failure_at, locked_until = "
                "excluded.locked_until",
                p)
          .status());
  if (!locks) return Status::Ok();
  return Audit(c, "system", "lockout", "user", id,
               {{"username", std::string(TruncateUtf8(username, 64))},
                {"until", until},
                {"failures", failures}});
}

// --- sessions ------------------------------------------------------------------

Result<SignIn> AuthService::StartSession(Connection& c, const UserRow& u, bool mfa_done,
                                         const std::string& client) {
  const TimePoint now = clock_.Now();
  const bool awaiting_code = !u.totp_secret.empty() && !mfa_done;
  SignIn s;
  s.session_id = RandomToken(32);
  s.csrf_token = RandomToken(32);
  s.pending = PendingFor(u, mfa_done);
  s.username = u.username;
  Value cutoff = FormatTimestamp(now);
  TANDEM_RETURN_IF_ERROR(
      c.Execute("DELETE FROM sessions WHERE expires_at < $1", {&cutoff, 1}).status());
  Value p[] = {
      Sha256Hex(s.session_id),
      u.id,
      std::string(awaiting_code ? "mfa" : "ok"),
      s.csrf_token,
      FormatTimestamp(now),
      FormatTimestamp(now + (awaiting_code ? options_.mfa_step : options_.session_absolute)),
      client};
  TANDEM_RETURN_IF_ERROR(c.Execute("INSERT INTO sessions (id_hash, user_id, stage, csrf_token, "
                                   "created_at, last_seen_at, expires_at, client) VALUES ($1, $2, "
                                   "$3, $4, $5, $5, $6, $7)",
                                   p)
                             .status());
  return s;
}

Result<SignIn> AuthService::RotateSession(Connection& c, const UserRow& u,
                                          const std::string& session_id) {
  SignIn s;
  s.session_id = RandomToken(32);
  s.csrf_token = RandomToken(32);
  s.pending = PendingFor(u, true);
  s.username = u.username;
  Value p[] = {Sha256Hex(s.session_id), s.csrf_token, Sha256Hex(session_id), u.id};
  TANDEM_ASSIGN_OR_RETURN(int64_t n,
                          c.Execute("UPDATE sessions SET id_hash = $1, csrf_token = $2 WHERE "
                                    "id_hash = $3 AND user_id = $4",
                                    p));
  if (n != 1) return Unauthorized("sign in first (the session is unknown or has ended)");
  return s;
}

Result<SignIn> AuthService::Login(const std::string& name, const std::string& password,
                                  const std::string& client) {
  std::string username(TruncateUtf8(name, 200));
  for (char& ch : username) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  std::optional<UserRow> u;
  TANDEM_RETURN_IF_ERROR(db_.Read([&](Connection& c) -> Status {
    TANDEM_RETURN_IF_ERROR(CheckClient(c, client));
    TANDEM_ASSIGN_OR_RETURN(u, FindUser(c, username));
    return Status::Ok();
  }));
  // The hash is checked outside the transaction (it takes a tenth of a
  // second) and always, so that unknown and known names take as long.
  const bool match = VerifyPassword(u && !u->disabled ? u->password_hash : "", password);
  Result<SignIn> outcome = Unauthorized("wrong user name or password");
  TANDEM_RETURN_IF_ERROR(db_.Write([&](Connection& c) -> Status {
    TANDEM_ASSIGN_OR_RETURN(auto cur, FindUser(c, username));
    TANDEM_ASSIGN_OR_RETURN(NameLock lock, ReadLock(c, username));
    if (!lock.locked_until.empty()) {
      // Unknown names lock like accounts and are refused in the same words.
      // The refusal counts towards the client throttle: it cost a password
      // hash like any attempt.
      outcome = Locked(lock, "sign-ins");
      TANDEM_RETURN_IF_ERROR(NoteClientFailure(c, client));
      return Audit(c, cur ? cur->username : "anonymous", "login.refused", "user",
                   cur ? std::optional(cur->id) : std::nullopt,
                   {{"client", client}, {"reason", "locked"}});
    }
    if (!cur || cur->disabled || !match || !u || cur->password_hash != u->password_hash)
      return RecordFailure(c, cur, username, client,
                           !cur            ? "unknown user"
                           : cur->disabled ? "disabled"
                                           : "wrong password");
    TANDEM_RETURN_IF_ERROR(ClearLock(c, username));
    TANDEM_ASSIGN_OR_RETURN(outcome, StartSession(c, *cur, false, client));
    return Audit(c, cur->username,
                 outcome->pending == Pending::kMfaCode ? "login.password" : "login", "user",
                 cur->id, {{"client", client}});
  }));
  return outcome;
}

Result<SignIn> AuthService::CompleteMfa(const Identity& who, const std::string& session_id,
                                        const std::string& code, const std::string& client) {
  if (!who.via_session || who.pending != Pending::kMfaCode)
    return MakeError(ErrorCode::kConflict, "no sign-in is waiting for a second factor");
  TANDEM_RETURN_IF_ERROR(db_.Read([&](Connection& c) { return CheckClient(c, client); }));
  Result<SignIn> outcome = Unauthorized("wrong code");
  TANDEM_RETURN_IF_ERROR(db_.Write([&](Connection& c) -> Status {
    TANDEM_ASSIGN_OR_RETURN(UserRow u, LoadUser(c, who.actor.name));
    TANDEM_ASSIGN_OR_RETURN(NameLock lock, ReadLock(c, u.username));
    if (!lock.locked_until.empty()) {
      outcome = Locked(lock, "sign-ins");
      return Status::Ok();
    }
    std::string method;
    if (auto step = VerifyTotp(u.totp_secret, code, clock_.Now());
        step && *step > u.totp_last_step) {
      Value p[] = {*step, u.id};
      TANDEM_RETURN_IF_ERROR(
          c.Execute("UPDATE users SET totp_last_step = $1 WHERE id = $2", p).status());
      method = "totp";
    } else {
      Value p[] = {u.id, Sha256Hex(NormalizeCode(code)), FormatTimestamp(clock_.Now())};
      TANDEM_ASSIGN_OR_RETURN(int64_t used,
                              c.Execute("UPDATE recovery_codes SET used_at = $3 WHERE user_id = $1 "
                                        "AND code_hash = $2 AND used_at IS NULL",
                                        p));
      if (used == 1) method = "recovery_code";
    }
    if (method.empty()) return RecordFailure(c, u, u.username, client, "wrong second factor");
    Value old[] = {Sha256Hex(session_id)};
    TANDEM_RETURN_IF_ERROR(c.Execute("DELETE FROM sessions WHERE id_hash = $1", old).status());
    TANDEM_RETURN_IF_ERROR(ClearLock(c, u.username));
    TANDEM_ASSIGN_OR_RETURN(outcome, StartSession(c, u, true, client));
    return Audit(c, u.username, "login", "user", u.id, {{"client", client}, {"mfa", method}});
  }));
  return outcome;
}

Status AuthService::Logout(const std::string& session_id) {
  return db_.Write([&](Connection& c) -> Status {
    Value p[] = {Sha256Hex(session_id)};
    TANDEM_ASSIGN_OR_RETURN(
        store::Rows r,
        c.Query("SELECT u.id, u.username FROM sessions s JOIN users u ON u.id = s.user_id "
                "WHERE s.id_hash = $1",
                p));
    if (r.empty()) return Status::Ok();
    TANDEM_RETURN_IF_ERROR(c.Execute("DELETE FROM sessions WHERE id_hash = $1", p).status());
    return Audit(c, Text(r.rows[0][1]), "logout", "user", Int(r.rows[0][0]), json::object());
  });
}

Result<Identity> AuthService::AuthenticateSession(const std::string& session_id) {
  static const std::string sql =
      "SELECT s.stage, s.csrf_token, s.last_seen_at, s.expires_at, "
      "(SELECT policy_version FROM auth_state), " +
      Qualified("u") + " FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = $1";
  const TimePoint now = clock_.Now();
  Value key[] = {Sha256Hex(session_id)};
  store::Rows r;
  TANDEM_RETURN_IF_ERROR(db_.Read([&](Connection& c) -> Status {
    TANDEM_ASSIGN_OR_RETURN(r, c.Query(sql, key));
    return Status::Ok();
  }));
  if (r.empty()) return Unauthorized("sign in first (the session is unknown or has ended)");
  const auto& row = r.rows[0];
  const std::string last_seen = Text(row[2]);
  const bool expired = Before(Text(row[3]), now);
  const bool idle = Before(last_seen, now, options_.session_idle);
  UserRow u = ReadUserRow({row.begin() + 5, row.end()});
  if (expired || idle || u.disabled) {
    TANDEM_RETURN_IF_ERROR(db_.Write([&](Connection& c) -> Status {
      return c.Execute("DELETE FROM sessions WHERE id_hash = $1", key).status();
    }));
    return Unauthorized(u.disabled ? "this account is disabled"
                        : idle     ? "the session ended after " +
                                     std::to_string(options_.session_idle.count()) +
                                     " minutes without activity; sign in again"
                               : "the session has expired; sign in again");
  }
  if (Before(last_seen, now, kTouchInterval)) {
    Value p[] = {FormatTimestamp(now), key[0]};
    TANDEM_RETURN_IF_ERROR(db_.Write([&](Connection& c) -> Status {
      return c.Execute("UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2", p).status();
    }));
  }
  TANDEM_RETURN_IF_ERROR(RefreshPolicy(Int(row[4])));
  Identity who;
  who.actor = ActorFor(u);
  who.user_id = u.id;
  who.via_session = true;
  who.pending = PendingFor(u, Text(row[0]) == "ok");
  who.csrf_token = Text(row[1]);
  return who;
}

Result<Identity> AuthService::AuthenticateToken(const std::string& token) {
  static const std::string sql =
      "SELECT t.id, t.scope, t.expires_at, t.revoked_at, t.last_used_at, "
      "(SELECT policy_version FROM auth_state), " +
      Qualified("u") +
      " FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1";
  if (!token.starts_with(kTokenPrefix)) return Unauthorized("the API token is not valid");
  const TimePoint now = clock_.Now();
  Value key[] = {Sha256Hex(token)};
  store::Rows r;
  TANDEM_RETURN_IF_ERROR(db_.Read([&](Connection& c) -> Status {
    TANDEM_ASSIGN_OR_RETURN(r, c.Query(sql, key));
    return Status::Ok();
  }));
  if (r.empty()) return Unauthorized("the API token is not valid");
  const auto& row = r.rows[0];
  UserRow u = ReadUserRow({row.begin() + 6, row.end()});
  if (!store::IsNull(row[3])) return Unauthorized("the API token was revoked");
  if (!store::IsNull(row[2]) && Before(Text(row[2]), now))
    return Unauthorized("the API token expired at " + Text(row[2]));
  if (u.disabled) return Unauthorized("this account is disabled");
  if (store::IsNull(row[4]) || Before(Text(row[4]), now, kTouchInterval)) {
    Value p[] = {FormatTimestamp(now), Int(row[0])};
    TANDEM_RETURN_IF_ERROR(db_.Write([&](Connection& c) -> Status {
      return c.Execute("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2", p).status();
    }));
  }
  TANDEM_RETURN_IF_ERROR(RefreshPolicy(Int(row[5])));
  // A token acts for an account that has finished signing in: while its
  // password must be changed (or MFA set up) only a session may do that.
  switch (PendingFor(u, true)) {
    case Pending::kPasswordChange:
      return Unauthorized("the account's password must be changed first; sign in to change it");
    case Pending::kMfaEnrollment:
      return Unauthorized("the account must set up two-factor sign-in first; sign in to do it");
    default:
      break;
  }
  Identity who;
  who.actor = ActorFor(u);
  who.actor.read_only = Text(row[1]) != "read-write";
  who.user_id = u.id;
  return who;
}

// --- one's own account -----------------------------------------------------------

Result<json> AuthService::Me(const Identity& who) {
  json out;
  TANDEM_RETURN_IF_ERROR(db_.Read([&](Connection& c) -> Status {
    TANDEM_ASSIGN_OR_RETURN(UserRow u, LoadUser(c, who.actor.name));
    TANDEM_ASSIGN_OR_RETURN(NameLock lock, ReadLock(c, u.username));
    out = UserJson(u, lock.locked_until);
    return Status::Ok();
  }));
  json perms = json::object();
  if (who.actor.grants)
    for (const auto& [type, grant] : *who.actor.grants) {
      json actions = json::array();
      for (const auto& name : PermissionNames(grant))
        if (!who.actor.read_only || name == "read") actions.push_back(name);
      if (!actions.empty()) perms[type] = actions;
    }
  out["permissions"] = perms;
  const char* pending = PendingName(who.pending);
  out["pending"] = pending ? json(pending) : json();
  out["authenticated_by"] = who.via_session ? "session" : "token";
  if (who.via_session) out["csrf_token"] = who.csrf_token;
  return out;
}

Result<AuthService::UserRow> AuthService::ReauthenticateUser(const Identity& who,
                                                             const std::string& password,
                                                             const char* field,
                                                             const char* reason) {
  UserRow u;
  NameLock lock;
  TANDEM_RETURN_IF_ERROR(db_.Read([&](Connection& c) -> Status {
    TANDEM_ASSIGN_OR_RETURN(u, LoadUser(c, who.actor.name));
    TANDEM_ASSIGN_OR_RETURN(lock, ReadLock(c, u.username));
    return Status::Ok();
  }));
  // A locked account takes no more guesses, even from a session opened before.
  if (!lock.locked_until.empty()) return Locked(lock, "password checks");
  if (VerifyPassword(u.password_hash, password)) return u;
  // A password guess like any other: recorded, and counted towards the lock.
  TANDEM_RETURN_IF_ERROR(db_.Write(
      [&](Connection& c) -> Status { return RecordFailure(c, u, u.username, "", reason); }));
  return MakeError(ErrorCode::kValidation, "the password is wrong", {{field, "is wrong"}});
}

Result<SignIn> AuthService::ChangePassword(const Identity& who, const std::string& session_id,
                                           const std::string& current, const std::string& next) {
  TANDEM_RETURN_IF_ERROR(NeedSession(who));
  TANDEM_ASSIGN_OR_RETURN(
      UserRow u, ReauthenticateUser(who, current, "current_password", "wrong current password"));
  std::string why = PasswordPolicyProblem(next, u.username);
  if (why.empty() && next == current) why = "must differ from the current password";
  if (!why.empty())
    return MakeError(ErrorCode::kValidation, "the new password is not acceptable",
                     {{"new_password", why}});
  TANDEM_ASSIGN_OR_RETURN(std::string hash, HashPassword(next));
  SignIn out;
  TANDEM_RETURN_IF_ERROR(db_.Write([&](Connection& c) -> Status {
    Value p[] = {hash, FormatTimestamp(clock_.Now()), u.id};
    TANDEM_RETURN_IF_ERROR(c.Execute("UPDATE users SET password_hash = $1, must_change_password = "
                                     "0, updated_at = $2 WHERE id = $3",
                                     p)
                               .status());
    // As when MFA is turned on: this session goes on under a new id, and the
    // others, perhaps opened with the old password, end.
    u.must_change_password = false;
    TANDEM_ASSIGN_OR_RETURN(out, RotateSession(c, u, session_id));
    TANDEM_ASSIGN_OR_RETURN(json details, EndOtherSessions(c, u.id, out.csrf_token));
    return Audit(c, u.username, "password.change", "user", u.id, details);
  }));
  return out;
}

Result<json> AuthService::BeginMfa(const Identity& who) {
  TANDEM_RETURN_IF_ERROR(NeedSession(who));
  json out;
  TANDEM_RETURN_IF_ERROR(db_.Write([&](Connection& c) -> Status {
    TANDEM_ASSIGN_OR_RETURN(UserRow u, LoadUser(c, who.actor.name));
    if (!u.totp_secret.empty())
      return MakeError(ErrorCode::kConflict, "two-factor sign-in is already on; turn it off first");
    const std::string secret = NewTotpSecret();
    Value p[] = {secret, u.id};
    TANDEM_RETURN_IF_ERROR(
        c.Execute("UPDATE users SET totp_pending = $1 WHERE id = $2", p).status());
    out = {{"secret", secret}, {"otpauth_uri", TotpUri("Tandem", u.username, secret)}};
    return Audit(c, u.username, "mfa.begin", "user", u.id, json::object());
  }));
  return out;
}

Result<MfaEnabled> AuthService::EnableMfa(const Identity& who, const std::string& session_id,
                                          const std::string& code) {
  TANDEM_RETURN_IF_ERROR(NeedSession(who));
  MfaEnabled out;
  TANDEM_RETURN_IF_ERROR(db_.Write([&](Connection& c) -> Status {
    out = {};
    TANDEM_ASSIGN_OR_RETURN(UserRow u, LoadUser(c, who.actor.name));
    if (u.totp_pending.empty())
      return MakeError(ErrorCode::kConflict, "start the set-up first (POST /auth/mfa/setup)");
    auto step = VerifyTotp(u.totp_pending, code, clock_.Now());
    if (!step)
      return MakeError(ErrorCode::kValidation, "the code does not match",
                       {{"code", "is not the current code of the authenticator app"}});
    Value p[] = {u.totp_pending, *step, u.id};
    TANDEM_RETURN_IF_ERROR(c.Execute("UPDATE users SET totp_secret = $1, totp_pending = NULL, "
                                     "totp_last_step = $2 WHERE id = $3",
                                     p)
                               .status());
    TANDEM_RETURN_IF_ERROR(
        c.Execute("DELETE FROM recovery_codes WHERE user_id = $1", {&p[2], 1}).status());
    for (int i = 0; i < kRecoveryCodes; ++i) {
      std::string code = NewRecoveryCode();
      Value q[] = {u.id, Sha256Hex(NormalizeCode(code))};
      TANDEM_RETURN_IF_ERROR(
          c.Execute("INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)", q).status());
      out.recovery_codes.push_back(code);
    }
    // The account's sign-in changed: the session gets a new id (keeping its
    // start and end), and every other session, opened with the password
    // alone, ends.
    u.totp_secret = u.totp_pending;
    TANDEM_ASSIGN_OR_RETURN(out.session, RotateSession(c, u, session_id));
    TANDEM_ASSIGN_OR_RETURN(json details, EndOtherSessions(c, u.id, out.session.csrf_token));
    return Audit(c, u.username, "mfa.enable", "user", u.id, details);
  }));
  return out;
}

Status AuthService::DisableMfa(const Identity& who, const std::string& password) {
  TANDEM_RETURN_IF_ERROR(NeedSession(who));
  TANDEM_ASSIGN_OR_RETURN(
      UserRow u, ReauthenticateUser(who, password, "password", "wrong password to turn off MFA"));
  u.totp_secret.clear();
  if (PendingFor(u, true) == Pending::kMfaEnrollment)
    return MakeError(ErrorCode::kConflict,
                     "one of your roles requires two-factor sign-in; it cannot be turned off");
  return db_.Write([&](Connection& c) -> Status {
    Value p[] = {u.id};
    TANDEM_RETURN_IF_ERROR(
        c.Execute("UPDATE users SET totp_secret = NULL, totp_pending = NULL WHERE id = $1", p)
            .status());
    TANDEM_RETURN_IF_ERROR(c.Execute("DELETE FROM recovery_codes WHERE user_id = $1", p).status());
    // As after a password change, the user's other sessions end.
    TANDEM_ASSIGN_OR_RETURN(json details, EndOtherSessions(c, u.id, who.csrf_token));
    return Audit(c, u.username, "mfa.disable", "user", u.id, details);
  });
}

// --- API tokens --------------------------------------------------------------------

Result<json> AuthService::InsertToken(Connection& c, int64_t user_id, const std::string& actor,
                                      const json& body) {
  std::vector<FieldError> errors;
  if (!body.is_object())
    return MakeError(ErrorCode::kBadRequest, "the request body must be a JSON object");
  for (const auto& [k, v] : body.items())
    if (k != "name" && k != "scope" && k != "expires_at")
      errors.push_back({k, "is not a token field"});
  const json name = body.value("name", json());
  if (!name.is_string() || name.get<std::string>().empty() || name.get<std::string>().size() > 100)
    errors.push_back({"name", "must be a string of 1 to 100 characters"});
  const json scope = body.value("scope", json("read"));
  if (scope != "read" && scope != "read-write")
    errors.push_back({"scope", "must be read or read-write"});
  std::string expires;
  if (body.contains("expires_at") && !body["expires_at"].is_null()) {
    std::optional<TimePoint> t;
    if (body["expires_at"].is_string()) {
      std::string text = body["expires_at"];
      t = ParseTimestamp(text.size() == 10 ? text + "T00:00:00Z" : text);
    }
    if (!t || *t <= clock_.Now())
      errors.push_back({"expires_at", "must be a date or date-time in the future"});
    else
      expires = FormatTimestamp(*t);
  }
  if (!errors.empty()) return MakeError(ErrorCode::kValidation, "the token is invalid", errors);
  {
    Value p[] = {user_id, name.get<std::string>()};
    // A revoked token's name is free again; an expired one holds it until
    // it is revoked too.
    TANDEM_ASSIGN_OR_RETURN(store::Rows dup,
                            c.Query("SELECT expires_at FROM api_tokens WHERE user_id = $1 AND "
                                    "name = $2 AND revoked_at IS NULL",
                                    p));
    if (!dup.empty()) {  // a duplicate is a conflict (409), as everywhere in the API
      const std::string expired = Text(dup.rows[0][0]);
      return MakeError(ErrorCode::kConflict,
                       "a token named '" + name.get<std::string>() + "' exists",
                       {{"name", !expired.empty() && Before(expired, clock_.Now())
                                     ? "is taken by an expired token; revoke it first"
                                     : "is taken by another of your tokens"}});
    }
  }
  const std::string token = kTokenPrefix + RandomToken(32);
  const std::string now = FormatTimestamp(clock_.Now());
  Value p[] = {user_id, name.get<std::string>(), Sha256Hex(token), scope.get<std::string>(),
               now,     OptionalText(expires)};
  TANDEM_ASSIGN_OR_RETURN(
      store::Rows r,
      c.Query("INSERT INTO api_tokens (user_id, name, token_hash, scope, created_at, "
              "expires_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
              p));
  json out = {{"id", Int(r.rows[0][0])},
              {"name", name},
              {"scope", scope},
              {"created_at", now},
              {"expires_at", expires.empty() ? json() : json(expires)}};
  json logged = out;
  logged["user_id"] = user_id;
  TANDEM_RETURN_IF_ERROR(Audit(c, actor, "token.create", "token", Int(r.rows[0][0]), logged));
  out["token"] = token;  // shown this once
  return out;
}

Result<json> AuthService::CreateToken(const Identity& who, const json& body) {
  TANDEM_RETURN_IF_ERROR(NeedSession(who));
  json out;
  TANDEM_RETURN_IF_ERROR(db_.Write([&](Connection& c) -> Status {
    TANDEM_ASSIGN_OR_RETURN(out, InsertToken(c, who.user_id, who.actor.name, body));
    return Status::Ok();
  }));
  return out;
}

Result<json> AuthService::IssueToken(const Actor& by, const std::string& username,
                                     const json& body) {
  TANDEM_RETURN_IF_ERROR(CheckAdmin(by, Change::kWrite));
  json out;
  TANDEM_RETURN_IF_ERROR(db_.Write([&](Connection& c) -> Status {
    TANDEM_ASSIGN_OR_RETURN(UserRow u, LoadUser(c, username));
    TANDEM_ASSIGN_OR_RETURN(out, InsertToken(c, u.id, by.name, body));
    return Status::Ok();
  }));
  return out;
}

Result<json> AuthService::ListTokens(Connection& c, int64_t user_id) {
  Value p[] = {user_id};
  TANDEM_ASSIGN_OR_RETURN(store::Rows r,
                          c.Query("SELECT id, name, scope, created_at, expires_at, last_used_at, "
                                  "revoked_at FROM api_tokens WHERE user_id = $1 ORDER BY id",
                                  p));
  json out = json::array();
  for (const auto& row : r.rows) {
    auto opt = [](const Value& v) { return store::IsNull(v) ? json() : json(Text(v)); };
    out.push_back({{"id", Int(row[0])},
                   {"name", Text(row[1])},
                   {"scope", Text(row[2])},
                   {"created_at", Text(row[3])},
                   {"expires_at", opt(row[4])},
                   {"last_used_at", opt(row[5])},
                   {"revoked_at", opt(row[6])}});
  }
  return out;
}

Status AuthService::RevokeTokenOf(Connection& c, int64_t user_id, int64_t token_id,
                                  const std::string& actor) {
  Value p[] = {FormatTimestamp(clock_.Now()), token_id, user_id};
  TANDEM_ASSIGN_OR_RETURN(int64_t n, c.Execute("UPDATE api_tokens SET revoked_at = $1 WHERE id "
                                               "= $2 AND user_id = $3 AND revoked_at IS NULL",
                                               p));
  if (n == 0) return MakeError(ErrorCode::kNotFound, "no active token " + std::to_string(token_id));
  return Audit(c, actor, "token.revoke", "token", token_id, {{"user_id", user_id}});
}

Result<int64_t> AuthService::RevokeAllTokens(Connection& c, int64_t user_id) {
  Value p[] = {FormatTimestamp(clock_.Now()), user_id};
  return c.Execute(
      "UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL", p);
}

Result<json> AuthService::Tokens(const Identity& who) {
  TANDEM_RETURN_IF_ERROR(NeedSession(who));
  json out;
  TANDEM_RETURN_IF_ERROR(db_.Read([&](Connection& c) -> Status {
    TANDEM_ASSIGN_OR_RETURN(out, ListTokens(c, who.user_id));
    return Status::Ok();
  }));
  return out;
}

Status AuthService::RevokeToken(const Identity& who, int64_t token_id) {
  TANDEM_RETURN_IF_ERROR(NeedSession(who));
  return db_.Write(
      [&](Connection& c) { return RevokeTokenOf(c, who.user_id, token_id, who.actor.name); });
}

Result<json> AuthService::UserTokens(const Actor& by, const std::string& username) {
  TANDEM_RETURN_IF_ERROR(CheckAdmin(by));
  json out;
  TANDEM_RETURN_IF_ERROR(db_.Read([&](Connection& c) -> Status {
    TANDEM_ASSIGN_OR_RETURN(UserRow u, LoadUser(c, username));
    TANDEM_ASSIGN_OR_RETURN(out, ListTokens(c, u.id));
    return Status::Ok();
  }));
  return out;
}

Status AuthService::RevokeUserToken(const Actor& by, const std::string& username,
                                    int64_t token_id) {
  TANDEM_RETURN_IF_ERROR(CheckAdmin(by, Change::kWrite));
  return db_.Write([&](Connection& c) -> Status {
    TANDEM_ASSIGN_OR_RETURN(UserRow u, LoadUser(c, username));
    return RevokeTokenOf(c, u.id, token_id, by.name);
  });
}

}  // namespace tandem::auth

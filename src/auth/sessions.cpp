// Signing in and out, sessions, the second factor, one's own password and
// API tokens.
#include <sodium.h>

#include <nlohmann/json.hpp>

#include "auth/auth.h"
#include "auth/auth_internal.h"
#include "auth/password.h"
#include "auth/totp.h"
#include "core/hash.h"

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

std::string NewRecoveryCode() {
  static const char* alphabet = "abcdefghjkmnpqrstuvwxyz23456789";  // no look-alikes
  std::string code;
  for (int i = 0; i < 10; ++i) {
    if (i == 5) code += '-';
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

Status AuthService::CheckClient(const std::string& client) {
  std::lock_guard lk(clients_mu_);
  auto it = client_failures_.find(client);
  if (it == client_failures_.end()) return Status::Ok();
  const TimePoint cutoff = clock_.Now() - options_.client_window;
  while (!it->second.empty() && it->second.front() < cutoff) it->second.pop_front();
  if (it->second.empty()) {
    client_failures_.erase(it);
    return Status::Ok();
  }
  if (static_cast<int>(it->second.size()) < options_.max_client_failures) return Status::Ok();
  return MakeError(ErrorCode::kTooManyRequests,
                   "too many failed sign-ins from this address; try again in " +
                       std::to_string(options_.client_window.count()) + " minutes");
}

void AuthService::NoteClientFailure(const std::string& client) {
  std::lock_guard lk(clients_mu_);
  client_failures_[client].push_back(clock_.Now());
}

Status AuthService::RecordFailure(Connection& c, const std::optional<UserRow>& u,
                                  const std::string& username, const std::string& client,
                                  const std::string& reason) {
  json details = {{"username", username.substr(0, 64)}, {"client", client}, {"reason", reason}};
  if (!u) return Audit(c, "anonymous", "login.failed", "user", std::nullopt, details);
  TANDEM_RETURN_IF_ERROR(Audit(c, u->username, "login.failed", "user", u->id, details));
  const int64_t failures = u->failed_logins + 1;
  if (failures < options_.max_failed_logins) {
    Value p[] = {failures, u->id};
    return c.Execute("UPDATE users SET failed_logins = $1 WHERE id = $2", p).status();
  }
  const std::string until = FormatTimestamp(clock_.Now() + options_.lockout);
  Value p[] = {until, u->id};
  TANDEM_RETURN_IF_ERROR(
      c.Execute("UPDATE users SET failed_logins = 0, locked_until = $1 WHERE id = $2", p).status());
  return Audit(c, "system", "lockout", "user", u->id,
               {{"username", u->username}, {"until", until}, {"failures", failures}});
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

Result<SignIn> AuthService::Login(const std::string& name, const std::string& password,
                                  const std::string& client) {
  TANDEM_RETURN_IF_ERROR(CheckClient(client));
  std::string username = name.substr(0, 200);
  for (char& ch : username) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  std::optional<UserRow> u;
  TANDEM_RETURN_IF_ERROR(db_.Read([&](Connection& c) -> Status {
    TANDEM_ASSIGN_OR_RETURN(u, FindUser(c, username));
    return Status::Ok();
  }));
  // The hash is checked outside the transaction (it takes a tenth of a
  // second) and always, so that unknown and known names take as long.
  const bool match = VerifyPassword(u && !u->disabled ? u->password_hash : "", password);
  Result<SignIn> outcome = Unauthorized("wrong user name or password");
  TANDEM_RETURN_IF_ERROR(db_.Write([&](Connection& c) -> Status {
    TANDEM_ASSIGN_OR_RETURN(auto cur, FindUser(c, username));
    if (cur && !cur->locked_until.empty() && !Before(cur->locked_until, clock_.Now())) {
      outcome = MakeError(ErrorCode::kTooManyRequests,
                          "this account is locked after repeated failed sign-ins until " +
                              cur->locked_until + "; an administrator can unlock it sooner");
      return Audit(c, cur->username, "login.refused", "user", cur->id,
                   {{"client", client}, {"reason", "locked"}});
    }
    if (!cur || cur->disabled || !match || !u || cur->password_hash != u->password_hash)
      return RecordFailure(c, cur, username, client,
                           !cur            ? "unknown user"
                           : cur->disabled ? "disabled"
                                           : "wrong password");
    Value id[] = {cur->id};
    TANDEM_RETURN_IF_ERROR(
        c.Execute("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1", id)
            .status());
    TANDEM_ASSIGN_OR_RETURN(outcome, StartSession(c, *cur, false, client));
    return Audit(c, cur->username,
                 outcome->pending == Pending::kMfaCode ? "login.password" : "login", "user",
                 cur->id, {{"client", client}});
  }));
  // A refusal because the account is locked counts too: it costs a password
  // hash like any attempt, and must not escape the client throttle.
  if (!outcome.ok() && (outcome.error().code == ErrorCode::kUnauthorized ||
                        outcome.error().code == ErrorCode::kTooManyRequests))
    NoteClientFailure(client);
  return outcome;
}

Result<SignIn> AuthService::CompleteMfa(const Identity& who, const std::string& session_id,
                                        const std::string& code, const std::string& client) {
  if (!who.via_session || who.pending != Pending::kMfaCode)
    return MakeError(ErrorCode::kConflict, "no sign-in is waiting for a second factor");
  TANDEM_RETURN_IF_ERROR(CheckClient(client));
  Result<SignIn> outcome = Unauthorized("wrong code");
  TANDEM_RETURN_IF_ERROR(db_.Write([&](Connection& c) -> Status {
    TANDEM_ASSIGN_OR_RETURN(UserRow u, LoadUser(c, who.actor.name));
    if (!u.locked_until.empty() && !Before(u.locked_until, clock_.Now())) {
      outcome = MakeError(
          ErrorCode::kTooManyRequests,
          "this account is locked after repeated failed sign-ins until " + u.locked_until);
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
    Value id[] = {u.id};
    TANDEM_RETURN_IF_ERROR(
        c.Execute("UPDATE users SET failed_logins = 0 WHERE id = $1", id).status());
    TANDEM_ASSIGN_OR_RETURN(outcome, StartSession(c, u, true, client));
    return Audit(c, u.username, "login", "user", u.id, {{"client", client}, {"mfa", method}});
  }));
  if (!outcome.ok() && outcome.error().code == ErrorCode::kUnauthorized) NoteClientFailure(client);
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
    out = UserJson(u);
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
  TANDEM_RETURN_IF_ERROR(db_.Read([&](Connection& c) -> Status {
    TANDEM_ASSIGN_OR_RETURN(u, LoadUser(c, who.actor.name));
    return Status::Ok();
  }));
  // A locked account takes no more guesses, even from a session opened before.
  if (!u.locked_until.empty() && !Before(u.locked_until, clock_.Now()))
    return MakeError(ErrorCode::kTooManyRequests,
                     "this account is locked after repeated failed password checks until " +
                         u.locked_until + "; an administrator can unlock it sooner");
  if (VerifyPassword(u.password_hash, password)) return u;
  // A password guess like any other: recorded, and counted towards the lock.
  TANDEM_RETURN_IF_ERROR(db_.Write(
      [&](Connection& c) -> Status { return RecordFailure(c, u, u.username, "", reason); }));
  return MakeError(ErrorCode::kValidation, "the password is wrong", {{field, "is wrong"}});
}

Status AuthService::ChangePassword(const Identity& who, const std::string& current,
                                   const std::string& next) {
  TANDEM_RETURN_IF_ERROR(NeedSession(who));
  TANDEM_ASSIGN_OR_RETURN(
      UserRow u, ReauthenticateUser(who, current, "current_password", "wrong current password"));
  std::string why = PasswordPolicyProblem(next, u.username);
  if (why.empty() && next == current) why = "must differ from the current password";
  if (!why.empty())
    return MakeError(ErrorCode::kValidation, "the new password is not acceptable",
                     {{"new_password", why}});
  TANDEM_ASSIGN_OR_RETURN(std::string hash, HashPassword(next));
  return db_.Write([&](Connection& c) -> Status {
    Value p[] = {hash, FormatTimestamp(clock_.Now()), u.id};
    TANDEM_RETURN_IF_ERROR(c.Execute("UPDATE users SET password_hash = $1, must_change_password = "
                                     "0, updated_at = $2 WHERE id = $3",
                                     p)
                               .status());
    // Other sessions, perhaps opened with the old password, end.
    Value keep[] = {u.id, who.csrf_token};
    TANDEM_RETURN_IF_ERROR(
        c.Execute("DELETE FROM sessions WHERE user_id = $1 AND csrf_token <> $2", keep).status());
    return Audit(c, u.username, "password.change", "user", u.id, json::object());
  });
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

Result<json> AuthService::EnableMfa(const Identity& who, const std::string& code) {
  TANDEM_RETURN_IF_ERROR(NeedSession(who));
  json out;
  TANDEM_RETURN_IF_ERROR(db_.Write([&](Connection& c) -> Status {
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
    json codes = json::array();
    for (int i = 0; i < kRecoveryCodes; ++i) {
      std::string code = NewRecoveryCode();
      Value q[] = {u.id, Sha256Hex(NormalizeCode(code))};
      TANDEM_RETURN_IF_ERROR(
          c.Execute("INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)", q).status());
      codes.push_back(code);
    }
    out = {{"recovery_codes", codes}};
    return Audit(c, u.username, "mfa.enable", "user", u.id, json::object());
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
    return Audit(c, u.username, "mfa.disable", "user", u.id, json::object());
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
    TANDEM_ASSIGN_OR_RETURN(
        store::Rows dup, c.Query("SELECT id FROM api_tokens WHERE user_id = $1 AND name = $2", p));
    if (!dup.empty())  // a duplicate is a conflict (409), as everywhere in the API
      return MakeError(ErrorCode::kConflict,
                       "a token named '" + name.get<std::string>() + "' exists",
                       {{"name", "is taken by another of your tokens"}});
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

Result<json> AuthService::Tokens(const Identity& who) {
  TANDEM_RETURN_IF_ERROR(NeedSession(who));
  json out = json::array();
  TANDEM_RETURN_IF_ERROR(db_.Read([&](Connection& c) -> Status {
    Value p[] = {who.user_id};
    TANDEM_ASSIGN_OR_RETURN(store::Rows r,
                            c.Query("SELECT id, name, scope, created_at, expires_at, last_used_at, "
                                    "revoked_at FROM api_tokens WHERE user_id = $1 ORDER BY id",
                                    p));
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
    return Status::Ok();
  }));
  return out;
}

Status AuthService::RevokeToken(const Identity& who, int64_t token_id) {
  TANDEM_RETURN_IF_ERROR(NeedSession(who));
  return db_.Write([&](Connection& c) -> Status {
    Value p[] = {FormatTimestamp(clock_.Now()), token_id, who.user_id};
    TANDEM_ASSIGN_OR_RETURN(int64_t n, c.Execute("UPDATE api_tokens SET revoked_at = $1 WHERE id "
                                                 "= $2 AND user_id = $3 AND revoked_at IS NULL",
                                                 p));
    if (n == 0)
      return MakeError(ErrorCode::kNotFound, "no active token " + std::to_string(token_id));
    return Audit(c, who.actor.name, "token.revoke", "token", token_id, json::object());
  });
}

}  // namespace tandem::auth

// Identity and access: accounts, sign-in with optional TOTP, server-side
// sessions, API tokens, roles with per-type permissions, need-to-know groups.
//
// The auth layer answers "who is this request?" with a records::Actor; the
// record engine then decides what that actor may do. Every security event
// (sign-in success and failure, lockout, MFA change, token created or revoked,
// role, group or user change) is appended to the audit trail under record types
// "auth.user", "auth.token", "auth.role" and "auth.group". No secret (password,
// token, session id, TOTP seed) is ever written there, logged or returned
// after the moment it is created.
#pragma once

#include <chrono>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "model/registry.h"
#include "records/actor.h"
#include "store/database.h"

namespace tandem::auth {

struct AuthOptions {
  std::chrono::minutes session_idle{30};       // signed out after this long without a request
  std::chrono::minutes session_absolute{720};  // and this long after signing in, whatever happens
  std::chrono::minutes mfa_step{5};            // time allowed between password and code
  // Failed sign-ins for one user name (an account's or not) that lock it;
  // failures older than failure_window, and any before a success, are
  // forgotten.
  int max_failed_logins = 5;
  std::chrono::minutes failure_window{15};
  std::chrono::minutes lockout{15};
  int max_client_failures = 30;  // failed sign-ins per client address per window
  std::chrono::minutes client_window{15};
};

// What a signed-in request still has to do before it may do anything else.
enum class Pending {
  kNone,
  kMfaCode,         // password accepted; the TOTP or recovery code is awaited
  kPasswordChange,  // an administrator reset the password
  kMfaEnrollment,   // one of the user's roles requires MFA and none is set up
};
// "mfa_code", "password_change", "mfa_enrollment"; nullptr for kNone.
const char* PendingName(Pending p);

struct Identity {
  records::Actor actor;
  int64_t user_id = 0;
  bool via_session = false;  // else an API token
  Pending pending = Pending::kNone;
  std::string csrf_token;  // sessions: required on every state-changing request
};

struct SignIn {
  std::string session_id;  // the cookie value; never stored, only its hash
  std::string csrf_token;
  Pending pending = Pending::kNone;
  std::string username;
};

struct MfaEnabled {
  std::vector<std::string> recovery_codes;  // shown this once
  SignIn session;                           // the session under its new id
};

class AuthService {
 public:
  AuthService(store::Database& db, const model::Registry& registry, const Clock& clock,
              AuthOptions options = {});
  ~AuthService();

  // Seeds the built-in roles (content/auth/roles.json) and permissions for
  // record types the roles do not mention yet. Run after the store migrations.
  Status Migrate();

  // --- signing in ------------------------------------------------------------
  // `client` is the client address (throttling, audit). Wrong credentials are
  // kUnauthorized without saying which part was wrong; too many failures are
  // kTooManyRequests with the wait in retry_after_seconds, in the same words
  // whether or not the name is an account's.
  Result<SignIn> Login(const std::string& username, const std::string& password,
                       const std::string& client);
  // Completes a sign-in awaiting its second factor with a TOTP code or a
  // recovery code; the session id changes.
  Result<SignIn> CompleteMfa(const Identity& who, const std::string& session_id,
                             const std::string& code, const std::string& client);
  Status Logout(const std::string& session_id);
  Result<Identity> AuthenticateSession(const std::string& session_id);
  Result<Identity> AuthenticateToken(const std::string& token);

  // --- one's own account (signed-in sessions only) -----------------------------
  Result<nlohmann::json> Me(const Identity& who);
  // Needs the current password. The session (`session_id`) gets a new id and
  // CSRF token, and the user's other sessions end.
  Result<SignIn> ChangePassword(const Identity& who, const std::string& session_id,
                                const std::string& current, const std::string& next);
  // Starts enrolment: a new secret to scan, kept pending until confirmed.
  Result<nlohmann::json> BeginMfa(const Identity& who);
  // Confirms enrolment with a code from the app; returns ten recovery codes.
  // The session (`session_id`) gets a new id and CSRF token, and the user's
  // other sessions end.
  Result<MfaEnabled> EnableMfa(const Identity& who, const std::string& session_id,
                               const std::string& code);
  // Needs the password; the user's other sessions end.
  Status DisableMfa(const Identity& who, const std::string& password);
  // body: {"name", "scope": "read"|"read-write", "expires_at"?}; the token is
  // in the answer once and never again.
  Result<nlohmann::json> CreateToken(const Identity& who, const nlohmann::json& body);
  Result<nlohmann::json> Tokens(const Identity& who);
  Status RevokeToken(const Identity& who, int64_t token_id);

  // --- administration (administrators; the system actor for the CLI) ---------
  // body: {"username", "password", "display_name"?, "roles": [...], "groups": [...]}
  Result<nlohmann::json> CreateUser(const records::Actor& by, const nlohmann::json& body);
  Result<nlohmann::json> Users(const records::Actor& by);
  Result<nlohmann::json> User(const records::Actor& by, const std::string& username);
  // body: any of display_name, roles, groups, disabled
  Result<nlohmann::json> UpdateUser(const records::Actor& by, const std::string& username,
                                    const nlohmann::json& body);
  // Sets a new password the user must change at next sign-in; ends their
  // sessions and revokes their API tokens.
  Status ResetPassword(const records::Actor& by, const std::string& username,
                       const std::string& password);
  Status Unlock(const records::Actor& by, const std::string& username);
  Status ResetMfa(const records::Actor& by, const std::string& username);
  // A token for `username` without a session (CLI, scripts, benchmarks).
  Result<nlohmann::json> IssueToken(const records::Actor& by, const std::string& username,
                                    const nlohmann::json& body);
  // A user's tokens, as Tokens() lists one's own; and revoking one of them.
  Result<nlohmann::json> UserTokens(const records::Actor& by, const std::string& username);
  Status RevokeUserToken(const records::Actor& by, const std::string& username, int64_t token_id);
  Result<nlohmann::json> Roles(const records::Actor& by);
  // body: {"title"?, "require_mfa"?, "grants"?: {type: [actions]}}; creates
  // the role when new. The administrator role keeps every permission.
  Result<nlohmann::json> PutRole(const records::Actor& by, const std::string& name,
                                 const nlohmann::json& body);
  Result<nlohmann::json> Groups(const records::Actor& by);
  // body: {"name", "title"?}
  Result<nlohmann::json> CreateGroup(const records::Actor& by, const nlohmann::json& body);
  // --- delegation of transition rights (absence cover; delegations.cpp) -----
  // body: {"delegate", "ends_at", "starts_at"?, "reason", "delegator"?}. The
  // actor lends its own transition rights to another user from starts_at
  // (default now) until ends_at (at most a year); administrators may name
  // another delegator. Audited; takes effect on the delegate's next request.
  Result<nlohmann::json> CreateDelegation(const records::Actor& by, const nlohmann::json& body);
  // Administrators: every delegation; others: those they gave or received.
  // Newest first, each with "status": scheduled | active | ended | revoked.
  Result<nlohmann::json> Delegations(const records::Actor& by);
  // Ends a delegation early: its delegator, its delegate or an administrator.
  Result<nlohmann::json> RevokeDelegation(const records::Actor& by, int64_t id);

  // Newest first: security events and restriction changes. Needs read on
  // "audit_trail".
  Result<nlohmann::json> SecurityEvents(const records::Actor& by, int64_t before_seq, int limit);

  // Defined in auth_internal.h.
  struct UserRow;
  struct NameLock;
  struct Policy;

 private:
  Result<UserRow> LoadUser(store::Connection& c, const std::string& username);
  Result<std::optional<UserRow>> FindUser(store::Connection& c, const std::string& username);
  // Rebuilds the cached role permissions when `version` is newer.
  Status RefreshPolicy(int64_t version);
  std::shared_ptr<const Policy> CurrentPolicy() const;
  records::Actor ActorFor(const UserRow& u) const;
  Pending PendingFor(const UserRow& u, bool mfa_done) const;
  Result<SignIn> StartSession(store::Connection& c, const UserRow& u, bool mfa_done,
                              const std::string& client);
  // Gives the session `session_id` a new id and CSRF token.
  Result<SignIn> RotateSession(store::Connection& c, const UserRow& u,
                               const std::string& session_id);
  // The signed-in user, after checking `password` again (changing the
  // password, turning MFA off); a wrong one is a failed sign-in (`reason`)
  // reported on `field`.
  Result<UserRow> ReauthenticateUser(const Identity& who, const std::string& password,
                                     const char* field, const char* reason);
  Status RecordFailure(store::Connection& c, const std::optional<UserRow>& u,
                       const std::string& username, const std::string& client,
                       const std::string& reason);
  // kTooManyRequests when `client` has had too many failed sign-ins lately.
  Status CheckClient(store::Connection& c, const std::string& client);
  Status NoteClientFailure(store::Connection& c, const std::string& client);
  Result<NameLock> ReadLock(store::Connection& c, const std::string& username);
  Status ClearLock(store::Connection& c, const std::string& username);
  // The refusal while `lock` holds; `what` failed: "sign-ins", "password checks".
  Error Locked(const NameLock& lock, const char* what) const;
  Status Audit(store::Connection& c, const std::string& actor, const std::string& action,
               const std::string& kind, std::optional<int64_t> id, const nlohmann::json& changes);
  Status BumpPolicy(store::Connection& c);
  // Fills policy.delegations (delegations.cpp).
  Status LoadDelegations(store::Connection& c, Policy& policy) const;
  enum class Change { kRead, kWrite };
  // Administrators (and the system) only; a change also needs a token that
  // is not read-only.
  Status CheckAdmin(const records::Actor& by, Change change = Change::kRead) const;
  Status CheckRolesAndGroups(store::Connection& c, const nlohmann::json& body,
                             std::vector<FieldError>& errors);
  Result<nlohmann::json> InsertToken(store::Connection& c, int64_t user_id,
                                     const std::string& actor, const nlohmann::json& body);
  Result<nlohmann::json> ListTokens(store::Connection& c, int64_t user_id);
  Status RevokeTokenOf(store::Connection& c, int64_t user_id, int64_t token_id,
                       const std::string& actor);
  // Revokes every active token of the user; returns how many.
  Result<int64_t> RevokeAllTokens(store::Connection& c, int64_t user_id);

  store::Database& db_;
  const model::Registry& registry_;
  const Clock& clock_;
  AuthOptions options_;

  mutable std::shared_mutex policy_mu_;
  std::shared_ptr<const Policy> policy_;
};

// The resource that guards security events and audit verification in the
// permission matrix, beside the record types.
inline constexpr const char* kAuditTrail = "audit_trail";

}  // namespace tandem::auth

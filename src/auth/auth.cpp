// Accounts, roles, groups and the permission policy. Signing in, sessions and
// tokens are in sessions.cpp.
#include "auth/auth.h"

#include <nlohmann/json.hpp>
#include <regex>

#include "auth/auth_internal.h"
#include "auth/password.h"
#include "core/content.h"
#include "records/audit.h"
#include "records/engine.h"

namespace tandem::auth {

using nlohmann::json;
using records::Action;
using records::Actor;
using store::Connection;
using store::Value;

// --- helpers shared with sessions.cpp ---------------------------------------

std::string Text(const Value& v) { return store::IsNull(v) ? "" : std::get<std::string>(v); }
int64_t Int(const Value& v) { return store::IsNull(v) ? 0 : std::get<int64_t>(v); }
Value OptionalText(const std::string& s) { return s.empty() ? Value() : Value(s); }

std::vector<std::string> StringList(const std::string& json_text) {
  std::vector<std::string> out;
  json j = json::parse(json_text, nullptr, false);
  if (j.is_array())
    for (const auto& v : j)
      if (v.is_string()) out.push_back(v.get<std::string>());
  return out;
}

AuthService::UserRow ReadUserRow(const std::vector<Value>& r) {
  AuthService::UserRow u;
  u.id = Int(r[0]);
  u.username = Text(r[1]);
  u.display_name = Text(r[2]);
  u.password_hash = Text(r[3]);
  u.roles = StringList(Text(r[4]));
  u.groups = StringList(Text(r[5]));
  u.disabled = Int(r[6]) != 0;
  u.must_change_password = Int(r[7]) != 0;
  u.totp_secret = Text(r[8]);
  u.totp_pending = Text(r[9]);
  u.totp_last_step = Int(r[10]);
  u.created_at = Text(r[11]);
  u.updated_at = Text(r[12]);
  return u;
}

json UserJson(const AuthService::UserRow& u, const std::string& locked_until) {
  return {{"username", u.username},
          {"display_name", u.display_name},
          {"roles", u.roles},
          {"groups", u.groups},
          {"disabled", u.disabled},
          {"mfa_enabled", !u.totp_secret.empty()},
          {"must_change_password", u.must_change_password},
          {"locked_until", locked_until.empty() ? json() : json(locked_until)},
          {"created_at", u.created_at},
          {"updated_at", u.updated_at}};
}

namespace {

const std::regex kUserName("[a-z0-9][a-z0-9._-]{0,63}");
const std::regex kRoleName("[a-z][a-z0-9_]{1,39}");
const std::regex kGroupName("[a-z0-9][a-z0-9_-]{1,63}");

constexpr std::string_view kTransitionPrefix = "transition:";

// Adds one permission name to `g`: an action ("update"), or one transition
// ("transition:approve") of `type` (null: a resource without states, which
// takes none). False when the name means nothing there.
bool AddPermission(records::TypeGrant& g, std::string_view name, const model::RecordType* type) {
  if (name.starts_with(kTransitionPrefix)) {
    const std::string transition(name.substr(kTransitionPrefix.size()));
    if (!type || !type->states || !type->states->Find(transition)) return false;
    g.transitions.insert(transition);
    return true;
  }
  auto a = records::ParseAction(name);
  if (a) g.actions |= records::Bit(*a);
  return a.has_value();
}

}  // namespace

std::vector<std::string> PermissionNames(const records::TypeGrant& g) {
  std::vector<std::string> out;
  for (Action a : records::kAllActions)
    if (g.actions & records::Bit(a)) out.emplace_back(records::ActionName(a));
  if (!(g.actions & records::Bit(Action::kTransition)))
    for (const auto& t : g.transitions) out.push_back(std::string(kTransitionPrefix) + t);
  return out;
}

namespace {

// As stored in role_permissions.actions: "read,update,transition:approve".
std::string JoinPermissions(const records::TypeGrant& g) {
  std::string out;
  for (const auto& name : PermissionNames(g)) out += (out.empty() ? "" : ",") + name;
  return out;
}

records::TypeGrant ParsePermissions(const std::string& text, const model::RecordType* type) {
  records::TypeGrant g;
  for (size_t pos = 0; pos < text.size();) {
    size_t end = text.find(',', pos);
    if (end == std::string::npos) end = text.size();
    // A transition a newer declaration dropped is ignored, not an error.
    AddPermission(g, std::string_view(text).substr(pos, end - pos), type);
    pos = end + 1;
  }
  return g;
}

// Record types plus the non-record resources that appear in the matrix.
std::vector<std::string> Resources(const model::Registry& registry) {
  std::vector<std::string> out;
  for (const auto& t : registry.types()) out.push_back(t.name);
  out.push_back(kAuditTrail);
  return out;
}

bool IsStringArray(const json& j) {
  if (!j.is_array()) return false;
  for (const auto& v : j)
    if (!v.is_string()) return false;
  return true;
}

}  // namespace

// --- service ------------------------------------------------------------------

AuthService::AuthService(store::Database& db, const model::Registry& registry, const Clock& clock,
                         AuthOptions options)
    : db_(db), registry_(registry), clock_(clock), options_(options) {}

AuthService::~AuthService() = default;

Status AuthService::Audit(Connection& c, const std::string& actor, const std::string& action,
                          const std::string& kind, std::optional<int64_t> id, const json& changes) {
  records::AuditEvent e;
  e.at = FormatTimestamp(clock_.Now());
  e.actor = actor;
  e.action = action;
  e.record_type = "auth." + kind;
  e.record_id = id;
  // Replaced, not refused: a name cut to length may end inside a character.
  e.changes = changes.dump(-1, ' ', false, json::error_handler_t::replace);
  return records::AppendAudit(c, e);
}

Status AuthService::BumpPolicy(Connection& c) {
  return c.Execute("UPDATE auth_state SET policy_version = policy_version + 1 WHERE id = 1")
      .status();
}

Status AuthService::Migrate() {
  json spec = json::parse(content::Get("content/auth/roles.json"));
  // Role rules name built-in roles: a typo would refuse everyone, silently.
  std::set<std::string> builtin;
  for (const auto& role : spec["roles"]) builtin.insert(role["name"].get<std::string>());
  for (const auto& t : registry_.types())
    for (const auto& tr : t.states ? t.states->transitions : std::vector<model::TransitionDecl>{})
      for (const auto& rule : tr.rules)
        for (const auto& r : rule.roles)
          if (!builtin.count(r))
            return MakeError(ErrorCode::kInternal, t.name + " transition " + tr.name +
                                                       ": rule names unknown role '" + r + "'");
  // Written only when something is missing, so a read-only replica starts.
  bool complete = false;
  TANDEM_RETURN_IF_ERROR(db_.Read([&](Connection& c) -> Status {
    TANDEM_ASSIGN_OR_RETURN(store::Rows n, c.Query("SELECT count(*) FROM role_permissions"));
    TANDEM_ASSIGN_OR_RETURN(store::Rows r, c.Query("SELECT count(*) FROM roles"));
    complete = Int(n.rows[0][0]) >=
                   static_cast<int64_t>(spec["roles"].size() * Resources(registry_).size()) &&
               Int(r.rows[0][0]) >= static_cast<int64_t>(spec["roles"].size());
    return Status::Ok();
  }));
  if (complete) return RefreshPolicy(-1);
  TANDEM_RETURN_IF_ERROR(db_.Write([&](Connection& c) -> Status {
    TANDEM_ASSIGN_OR_RETURN(store::Rows have_roles, c.Query("SELECT name FROM roles"));
    TANDEM_ASSIGN_OR_RETURN(store::Rows have_grants,
                            c.Query("SELECT role, record_type FROM role_permissions"));
    std::set<std::string> roles;
    for (const auto& r : have_roles.rows) roles.insert(Text(r[0]));
    std::set<std::pair<std::string, std::string>> grants;
    for (const auto& r : have_grants.rows) grants.emplace(Text(r[0]), Text(r[1]));
    bool changed = false;
    for (const auto& role : spec["roles"]) {
      const std::string name = role["name"];
      if (!roles.count(name)) {
        Value p[] = {name, role["title"].get<std::string>()};
        TANDEM_RETURN_IF_ERROR(
            c.Execute("INSERT INTO roles (name, title, require_mfa) VALUES ($1, $2, 0)", p)
                .status());
        changed = true;
      }
      for (const auto& resource : Resources(registry_)) {
        if (grants.count({name, resource})) continue;
        const json& g = role["grants"];
        const json& actions = g.contains(resource) ? g[resource] : g.value("*", json::array());
        records::TypeGrant m;
        for (const auto& a : actions)
          if (!AddPermission(m, a.get<std::string>(), registry_.Find(resource)))
            return MakeError(ErrorCode::kInternal, "content/auth/roles.json: role " + name +
                                                       " grants '" + a.get<std::string>() +
                                                       "', which " + resource + " does not have");
        Value p[] = {name, resource, JoinPermissions(m)};
        TANDEM_RETURN_IF_ERROR(
            c.Execute(
                 "INSERT INTO role_permissions (role, record_type, actions) VALUES ($1, $2, $3)", p)
                .status());
        changed = true;
      }
    }
    return changed ? BumpPolicy(c) : Status::Ok();
  }));
  return RefreshPolicy(-1);
}

Status AuthService::RefreshPolicy(int64_t version) {
  {
    std::shared_lock lk(policy_mu_);
    if (policy_ && policy_->version == version) return Status::Ok();
  }
  auto fresh = std::make_shared<Policy>();
  TANDEM_RETURN_IF_ERROR(db_.Read([&](Connection& c) -> Status {
    TANDEM_ASSIGN_OR_RETURN(store::Rows v, c.Query("SELECT policy_version FROM auth_state"));
    fresh->version = v.empty() ? 0 : Int(v.rows[0][0]);
    TANDEM_ASSIGN_OR_RETURN(store::Rows roles,
                            c.Query("SELECT name, title, require_mfa FROM roles ORDER BY name"));
    for (const auto& r : roles.rows) {
      fresh->roles[Text(r[0])];
      fresh->titles[Text(r[0])] = Text(r[1]);
      fresh->require_mfa[Text(r[0])] = Int(r[2]) != 0;
    }
    TANDEM_RETURN_IF_ERROR(LoadDelegations(c, *fresh));
    TANDEM_ASSIGN_OR_RETURN(store::Rows grants,
                            c.Query("SELECT role, record_type, actions FROM role_permissions"));
    for (const auto& r : grants.rows) {
      auto g = ParsePermissions(Text(r[2]), registry_.Find(Text(r[1])));
      if (g != records::TypeGrant{}) fresh->roles[Text(r[0])][Text(r[1])] = std::move(g);
    }
    return Status::Ok();
  }));
  std::unique_lock lk(policy_mu_);
  if (!policy_ || policy_->version <= fresh->version) policy_ = std::move(fresh);
  return Status::Ok();
}

std::shared_ptr<const AuthService::Policy> AuthService::CurrentPolicy() const {
  std::shared_lock lk(policy_mu_);
  return policy_;
}

std::shared_ptr<const records::Grants> AuthService::Policy::GrantsFor(
    const std::vector<std::string>& role_names) const {
  std::string key;
  for (const auto& r : role_names) key += r + "\n";
  std::lock_guard lk(mu);
  if (auto it = combined.find(key); it != combined.end()) return it->second;
  auto g = std::make_shared<records::Grants>();
  for (const auto& r : role_names)
    if (auto it = roles.find(r); it != roles.end())
      for (const auto& [type, grant] : it->second) {
        (*g)[type].actions |= grant.actions;
        (*g)[type].transitions.insert(grant.transitions.begin(), grant.transitions.end());
      }
  combined.emplace(key, g);
  return g;
}

Actor AuthService::ActorFor(const UserRow& u) const {
  Actor a;
  a.name = u.username;
  a.administrator = std::find(u.roles.begin(), u.roles.end(), "administrator") != u.roles.end();
  a.groups.insert(u.groups.begin(), u.groups.end());
  a.roles.insert(u.roles.begin(), u.roles.end());
  auto policy = CurrentPolicy();
  a.grants = policy->GrantsFor(u.roles);
  // Delegations expire by themselves: only those in force now are lent.
  auto [first, last] = policy->delegations.equal_range(u.username);
  if (first == last) return a;
  const std::string now = FormatTimestamp(clock_.Now());
  for (auto it = first; it != last; ++it) {
    const auto& d = it->second;
    if (d.starts_at <= now && now < d.ends_at)
      a.delegations.push_back({.id = d.id,
                               .from = d.delegator,
                               .roles = {d.delegator_roles.begin(), d.delegator_roles.end()},
                               .grants = policy->GrantsFor(d.delegator_roles),
                               .ends_at = d.ends_at});
  }
  return a;
}

Pending AuthService::PendingFor(const UserRow& u, bool mfa_done) const {
  if (!u.totp_secret.empty() && !mfa_done) return Pending::kMfaCode;
  if (u.must_change_password) return Pending::kPasswordChange;
  if (u.totp_secret.empty()) {
    auto policy = CurrentPolicy();
    for (const auto& r : u.roles)
      if (auto it = policy->require_mfa.find(r); it != policy->require_mfa.end() && it->second)
        return Pending::kMfaEnrollment;
  }
  return Pending::kNone;
}

Result<std::optional<AuthService::UserRow>> AuthService::FindUser(Connection& c,
                                                                  const std::string& username) {
  Value p[] = {username};
  TANDEM_ASSIGN_OR_RETURN(
      store::Rows r,
      c.Query(std::string("SELECT ") + kUserColumns + " FROM users WHERE username = $1", p));
  if (r.empty()) return std::optional<UserRow>();
  return std::optional<UserRow>(ReadUserRow(r.rows[0]));
}

Result<AuthService::UserRow> AuthService::LoadUser(Connection& c, const std::string& username) {
  TANDEM_ASSIGN_OR_RETURN(auto u, FindUser(c, username));
  if (!u) return MakeError(ErrorCode::kNotFound, "no user '" + username + "'");
  return *u;
}

Status AuthService::CheckAdmin(const Actor& by, Change change) const {
  if (!by.system && !by.administrator)
    return MakeError(ErrorCode::kForbidden, "only administrators can do this");
  // Administration is not a record type, so Actor::Can never sees it: the
  // read-only scope of an administrator's token is enforced here.
  if (change == Change::kWrite && by.read_only)
    return MakeError(ErrorCode::kForbidden, "this API token is read-only");
  return Status::Ok();
}

Status AuthService::CheckRolesAndGroups(Connection& c, const json& body,
                                        std::vector<FieldError>& errors) {
  auto check = [&](const char* key, const char* sql, const char* what) -> Status {
    if (!body.contains(key)) return Status::Ok();
    if (!IsStringArray(body[key])) {
      errors.push_back({key, std::string("must be an array of ") + what + " names"});
      return Status::Ok();
    }
    for (const auto& n : body[key]) {
      Value p[] = {n.get<std::string>()};
      TANDEM_ASSIGN_OR_RETURN(store::Rows r, c.Query(sql, p));
      if (r.empty())
        errors.push_back({key, "no " + std::string(what) + " '" + n.get<std::string>() + "'"});
    }
    return Status::Ok();
  };
  TANDEM_RETURN_IF_ERROR(check("roles", "SELECT name FROM roles WHERE name = $1", "role"));
  return check("groups", "SELECT name FROM access_groups WHERE name = $1", "group");
}

// --- users -------------------------------------------------------------------

Result<json> AuthService::CreateUser(const Actor& by, const json& body) {
  TANDEM_RETURN_IF_ERROR(CheckAdmin(by, Change::kWrite));
  if (!body.is_object())
    return MakeError(ErrorCode::kBadRequest, "the request body must be a JSON object");
  std::vector<FieldError> errors;
  for (const auto& [k, v] : body.items())
    if (k != "username" && k != "password" && k != "display_name" && k != "roles" && k != "groups")
      errors.push_back({k, "is not a user field"});
  const std::string username =
      body.value("username", json()).is_string() ? body["username"].get<std::string>() : "";
  if (!std::regex_match(username, kUserName))
    errors.push_back({"username",
                      "must be 1 to 64 lower-case letters, digits, '.', '_' or '-', starting "
                      "with a letter or digit"});
  const std::string password =
      body.value("password", json()).is_string() ? body["password"].get<std::string>() : "";
  if (std::string why = PasswordPolicyProblem(password, username); !why.empty())
    errors.push_back({"password", why});
  if (body.contains("display_name"))
    if (std::string why = records::CheckFreeText(body["display_name"], 200, false); !why.empty())
      errors.push_back({"display_name", why});
  if (!errors.empty()) return MakeError(ErrorCode::kValidation, "the user is invalid", errors);
  TANDEM_ASSIGN_OR_RETURN(std::string hash, HashPassword(password));
  json out;
  TANDEM_RETURN_IF_ERROR(db_.Write([&](Connection& c) -> Status {
    std::vector<FieldError> errs;
    TANDEM_RETURN_IF_ERROR(CheckRolesAndGroups(c, body, errs));
    if (!errs.empty()) return MakeError(ErrorCode::kValidation, "the user is invalid", errs);
    TANDEM_ASSIGN_OR_RETURN(auto existing, FindUser(c, username));
    if (existing)  // a duplicate is a conflict (409), as everywhere in the API
      return MakeError(ErrorCode::kConflict, "a user '" + username + "' exists",
                       {{"username", "is taken"}});
    const std::string now = FormatTimestamp(clock_.Now());
    json roles = body.value("roles", json::array()), groups = body.value("groups", json::array());
    Value p[] = {username, body.value("display_name", ""), hash, roles.dump(), groups.dump(), now};
    TANDEM_ASSIGN_OR_RETURN(
        store::Rows r,
        c.Query(std::string("INSERT INTO users (username, display_name, password_hash, roles, "
                            "access_groups, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, "
                            "$6, $6) RETURNING ") +
                    kUserColumns,
                p));
    UserRow u = ReadUserRow(r.rows[0]);
    TANDEM_ASSIGN_OR_RETURN(NameLock lock, ReadLock(c, username));
    out = UserJson(u, lock.locked_until);
    return Audit(c, by.name, "user.create", "user", u.id,
                 {{"username", username}, {"roles", roles}, {"groups", groups}});
  }));
  return out;
}

Result<json> AuthService::Users(const Actor& by) {
  TANDEM_RETURN_IF_ERROR(CheckAdmin(by));
  json out = json::array();
  TANDEM_RETURN_IF_ERROR(db_.Read([&](Connection& c) -> Status {
    TANDEM_ASSIGN_OR_RETURN(store::Rows r, c.Query(std::string("SELECT ") + kUserColumns +
                                                   " FROM users ORDER BY username"));
    Value now = FormatTimestamp(clock_.Now());
    TANDEM_ASSIGN_OR_RETURN(
        store::Rows locks,
        c.Query("SELECT username, locked_until FROM sign_in_locks WHERE locked_until >= $1",
                {&now, 1}));
    std::map<std::string, std::string> locked;
    for (const auto& row : locks.rows) locked[Text(row[0])] = Text(row[1]);
    for (const auto& row : r.rows) {
      UserRow u = ReadUserRow(row);
      auto it = locked.find(u.username);
      out.push_back(UserJson(u, it == locked.end() ? "" : it->second));
    }
    return Status::Ok();
  }));
  return out;
}

Result<json> AuthService::User(const Actor& by, const std::string& username) {
  TANDEM_RETURN_IF_ERROR(CheckAdmin(by));
  json out;
  TANDEM_RETURN_IF_ERROR(db_.Read([&](Connection& c) -> Status {
    TANDEM_ASSIGN_OR_RETURN(UserRow u, LoadUser(c, username));
    TANDEM_ASSIGN_OR_RETURN(NameLock lock, ReadLock(c, u.username));
    out = UserJson(u, lock.locked_until);
    return Status::Ok();
  }));
  return out;
}

Result<json> AuthService::UpdateUser(const Actor& by, const std::string& username,
                                     const json& body) {
  TANDEM_RETURN_IF_ERROR(CheckAdmin(by, Change::kWrite));
  if (!body.is_object())
    return MakeError(ErrorCode::kBadRequest, "the request body must be a JSON object");
  json out;
  TANDEM_RETURN_IF_ERROR(db_.Write([&](Connection& c) -> Status {
    TANDEM_ASSIGN_OR_RETURN(UserRow u, LoadUser(c, username));
    std::vector<FieldError> errors;
    for (const auto& [k, v] : body.items())
      if (k != "display_name" && k != "roles" && k != "groups" && k != "disabled")
        errors.push_back({k, "cannot be changed here"});
    if (body.contains("display_name"))
      if (std::string why = records::CheckFreeText(body["display_name"], 200, false); !why.empty())
        errors.push_back({"display_name", why});
    if (body.contains("disabled") && !body["disabled"].is_boolean())
      errors.push_back({"disabled", "must be true or false"});
    TANDEM_RETURN_IF_ERROR(CheckRolesAndGroups(c, body, errors));
    if (!errors.empty()) return MakeError(ErrorCode::kValidation, "the change is invalid", errors);
    TANDEM_ASSIGN_OR_RETURN(NameLock lock, ReadLock(c, u.username));
    json before = UserJson(u, lock.locked_until);
    if (body.contains("display_name")) u.display_name = body["display_name"];
    if (body.contains("roles")) u.roles = body["roles"].get<std::vector<std::string>>();
    if (body.contains("groups")) u.groups = body["groups"].get<std::vector<std::string>>();
    if (body.contains("disabled")) u.disabled = body["disabled"];
    Value p[] = {u.display_name,
                 json(u.roles).dump(),
                 json(u.groups).dump(),
                 int64_t{u.disabled ? 1 : 0},
                 FormatTimestamp(clock_.Now()),
                 u.id};
    TANDEM_RETURN_IF_ERROR(c.Execute("UPDATE users SET display_name = $1, roles = $2, "
                                     "access_groups = $3, disabled = $4, updated_at = $5 "
                                     "WHERE id = $6",
                                     p)
                               .status());
    // Nobody may take the last administrator away, including from themselves.
    TANDEM_ASSIGN_OR_RETURN(store::Rows admins,
                            c.Query("SELECT roles FROM users WHERE disabled = 0"));
    bool any_admin = false;
    for (const auto& row : admins.rows)
      for (const auto& r : StringList(Text(row[0]))) any_admin |= r == "administrator";
    if (!any_admin)
      return MakeError(ErrorCode::kConflict, "this would leave no enabled administrator");
    int64_t tokens_revoked = 0;
    if (u.disabled) {
      // Disabling ends every way in: sessions, and API tokens, which stay
      // revoked when the account is enabled again (its owner makes new ones).
      Value id[] = {u.id};
      TANDEM_RETURN_IF_ERROR(c.Execute("DELETE FROM sessions WHERE user_id = $1", id).status());
      TANDEM_ASSIGN_OR_RETURN(tokens_revoked, RevokeAllTokens(c, u.id));
    }
    // Delegations carry their delegator's roles: the cached policy holds them.
    if (body.contains("roles") || body.contains("disabled")) TANDEM_RETURN_IF_ERROR(BumpPolicy(c));
    u.updated_at = std::get<std::string>(p[4]);
    out = UserJson(u, lock.locked_until);
    json diff = records::Diff(before, out);
    diff["before"].erase("updated_at");
    diff["after"].erase("updated_at");
    if (tokens_revoked > 0) diff["tokens_revoked"] = tokens_revoked;
    return Audit(c, by.name, "user.update", "user", u.id, diff);
  }));
  return out;
}

Status AuthService::ResetPassword(const Actor& by, const std::string& username,
                                  const std::string& password) {
  TANDEM_RETURN_IF_ERROR(CheckAdmin(by, Change::kWrite));
  if (std::string why = PasswordPolicyProblem(password, username); !why.empty())
    return MakeError(ErrorCode::kValidation, "the password is not acceptable", {{"password", why}});
  TANDEM_ASSIGN_OR_RETURN(std::string hash, HashPassword(password));
  return db_.Write([&](Connection& c) -> Status {
    TANDEM_ASSIGN_OR_RETURN(UserRow u, LoadUser(c, username));
    Value p[] = {hash, FormatTimestamp(clock_.Now()), u.id};
    TANDEM_RETURN_IF_ERROR(c.Execute("UPDATE users SET password_hash = $1, must_change_password = "
                                     "1, updated_at = $2 WHERE id = $3",
                                     p)
                               .status());
    TANDEM_RETURN_IF_ERROR(ClearLock(c, u.username));
    // A reset is what one does after a compromise: every way in the old
    // password opened ends, sessions and API tokens alike.
    TANDEM_RETURN_IF_ERROR(
        c.Execute("DELETE FROM sessions WHERE user_id = $1", {&p[2], 1}).status());
    TANDEM_ASSIGN_OR_RETURN(int64_t tokens_revoked, RevokeAllTokens(c, u.id));
    json details = {{"username", username}};
    if (tokens_revoked > 0) details["tokens_revoked"] = tokens_revoked;
    return Audit(c, by.name, "password.reset", "user", u.id, details);
  });
}

Status AuthService::Unlock(const Actor& by, const std::string& username) {
  TANDEM_RETURN_IF_ERROR(CheckAdmin(by, Change::kWrite));
  return db_.Write([&](Connection& c) -> Status {
    TANDEM_ASSIGN_OR_RETURN(UserRow u, LoadUser(c, username));
    TANDEM_ASSIGN_OR_RETURN(NameLock lock, ReadLock(c, u.username));
    TANDEM_RETURN_IF_ERROR(ClearLock(c, u.username));
    return Audit(
        c, by.name, "unlock", "user", u.id,
        {{"username", username},
         {"was_locked_until", lock.locked_until.empty() ? json() : json(lock.locked_until)}});
  });
}

Status AuthService::ResetMfa(const Actor& by, const std::string& username) {
  TANDEM_RETURN_IF_ERROR(CheckAdmin(by, Change::kWrite));
  return db_.Write([&](Connection& c) -> Status {
    TANDEM_ASSIGN_OR_RETURN(UserRow u, LoadUser(c, username));
    Value p[] = {u.id};
    TANDEM_RETURN_IF_ERROR(c.Execute("UPDATE users SET totp_secret = NULL, totp_pending = NULL "
                                     "WHERE id = $1",
                                     p)
                               .status());
    TANDEM_RETURN_IF_ERROR(c.Execute("DELETE FROM recovery_codes WHERE user_id = $1", p).status());
    TANDEM_RETURN_IF_ERROR(c.Execute("DELETE FROM sessions WHERE user_id = $1", p).status());
    return Audit(c, by.name, "mfa.reset", "user", u.id, {{"username", username}});
  });
}

// --- roles and groups ----------------------------------------------------------

Result<json> AuthService::Roles(const Actor& by) {
  TANDEM_RETURN_IF_ERROR(CheckAdmin(by));
  TANDEM_RETURN_IF_ERROR(RefreshPolicy(-1));
  auto policy = CurrentPolicy();
  json out = json::array();
  for (const auto& [name, grants] : policy->roles) {
    json g = json::object();
    for (const auto& resource : Resources(registry_)) {
      auto it = grants.find(resource);
      g[resource] = it == grants.end() ? json::array() : json(PermissionNames(it->second));
    }
    out.push_back({{"name", name},
                   {"title", policy->titles.at(name)},
                   {"require_mfa", policy->require_mfa.at(name)},
                   {"grants", g}});
  }
  return out;
}

Result<json> AuthService::PutRole(const Actor& by, const std::string& name, const json& body) {
  TANDEM_RETURN_IF_ERROR(CheckAdmin(by, Change::kWrite));
  if (!body.is_object())
    return MakeError(ErrorCode::kBadRequest, "the request body must be a JSON object");
  std::vector<FieldError> errors;
  if (!std::regex_match(name, kRoleName))
    errors.push_back({"name", "must be 2 to 40 lower-case letters, digits or '_'"});
  for (const auto& [k, v] : body.items())
    if (k != "title" && k != "require_mfa" && k != "grants")
      errors.push_back({k, "is not a role field"});
  if (body.contains("title")) {
    if (!body["title"].is_string() || body["title"].get<std::string>().empty() ||
        body["title"].get<std::string>().size() > 100)
      errors.push_back({"title", "must be a string of 1 to 100 characters"});
    else if (std::string why = records::CheckFreeText(body["title"], 100, false); !why.empty())
      errors.push_back({"title", why});
  }
  if (body.contains("require_mfa") && !body["require_mfa"].is_boolean())
    errors.push_back({"require_mfa", "must be true or false"});
  std::map<std::string, records::TypeGrant> grants;
  const auto resources = Resources(registry_);
  if (body.contains("grants")) {
    if (!body["grants"].is_object()) {
      errors.push_back({"grants", "must map record types to arrays of actions"});
    } else {
      for (const auto& [type, actions] : body["grants"].items()) {
        if (std::find(resources.begin(), resources.end(), type) == resources.end()) {
          errors.push_back({"grants." + type, "is not a record type"});
          continue;
        }
        const model::RecordType* rt = registry_.Find(type);
        records::TypeGrant m;
        bool ok = IsStringArray(actions);
        if (ok)
          for (const auto& a : actions) ok &= AddPermission(m, a.get<std::string>(), rt);
        if (!ok) {
          std::string each;
          if (rt && rt->states)
            for (const auto& t : rt->states->transitions)
              each += (each.empty() ? "" : ", ") + std::string(kTransitionPrefix) + t.name;
          errors.push_back(
              {"grants." + type,
               "must be an array of: read, create, update, transition (every "
               "transition), archive, administer" +
                   (each.empty() ? std::string() : ", or single transitions: " + each)});
        }
        grants[type] = m;
      }
    }
  }
  if (name == "administrator" && body.contains("grants"))
    errors.push_back({"grants", "the administrator role always has every permission"});
  if (!errors.empty()) return MakeError(ErrorCode::kValidation, "the role is invalid", errors);
  TANDEM_RETURN_IF_ERROR(db_.Write([&](Connection& c) -> Status {
    Value n[] = {name};
    TANDEM_ASSIGN_OR_RETURN(store::Rows r,
                            c.Query("SELECT title, require_mfa FROM roles WHERE name = $1", n));
    json before = {{"title", r.empty() ? json() : json(Text(r.rows[0][0]))},
                   {"require_mfa", r.empty() ? json() : json(Int(r.rows[0][1]) != 0)}};
    if (r.empty() && !body.contains("title"))
      return MakeError(ErrorCode::kValidation, "a new role needs a title",
                       {{"title", "is required"}});
    const std::string title = body.value("title", r.empty() ? "" : Text(r.rows[0][0]));
    const bool mfa = body.value("require_mfa", !r.empty() && Int(r.rows[0][1]) != 0);
    Value p[] = {name, title, int64_t{mfa ? 1 : 0}};
    TANDEM_RETURN_IF_ERROR(
        c.Execute(r.empty() ? "INSERT INTO roles (name, title, require_mfa) VALUES ($1, $2, $3)"
                            : "UPDATE roles SET title = $2, require_mfa = $3 WHERE name = $1",
                  p)
            .status());
    json changes = {
        {"role", name}, {"before", before}, {"after", {{"title", title}, {"require_mfa", mfa}}}};
    for (const auto& [type, mask] : grants) {
      Value q[] = {name, type};
      TANDEM_ASSIGN_OR_RETURN(
          store::Rows old,
          c.Query("SELECT actions FROM role_permissions WHERE role = $1 AND record_type = $2", q));
      const std::string was = old.empty() ? "" : Text(old.rows[0][0]);
      const std::string now = JoinPermissions(mask);
      if (was == now && !old.empty()) continue;
      Value w[] = {name, type, now};
      TANDEM_RETURN_IF_ERROR(
          c.Execute("INSERT INTO role_permissions (role, record_type, actions) VALUES ($1, $2, $3) "
                    "ON CONFLICT (role, record_type) DO UPDATE SET actions = excluded.actions",
                    w)
              .status());
      changes["before"]["grants"][type] = was;
      changes["after"]["grants"][type] = now;
    }
    TANDEM_RETURN_IF_ERROR(BumpPolicy(c));
    return Audit(c, by.name, r.empty() ? "role.create" : "role.update", "role", std::nullopt,
                 changes);
  }));
  TANDEM_ASSIGN_OR_RETURN(json all, Roles(by));
  for (const auto& r : all)
    if (r["name"] == name) return r;
  return MakeError(ErrorCode::kInternal, "role vanished after saving");
}

Result<json> AuthService::Groups(const Actor& by) {
  TANDEM_RETURN_IF_ERROR(CheckAdmin(by));
  json out = json::array();
  TANDEM_RETURN_IF_ERROR(db_.Read([&](Connection& c) -> Status {
    TANDEM_ASSIGN_OR_RETURN(
        store::Rows r, c.Query("SELECT name, title, created_at FROM access_groups ORDER BY name"));
    for (const auto& row : r.rows)
      out.push_back(
          {{"name", Text(row[0])}, {"title", Text(row[1])}, {"created_at", Text(row[2])}});
    return Status::Ok();
  }));
  return out;
}

Result<json> AuthService::CreateGroup(const Actor& by, const json& body) {
  TANDEM_RETURN_IF_ERROR(CheckAdmin(by, Change::kWrite));
  std::vector<FieldError> errors;
  if (!body.is_object())
    return MakeError(ErrorCode::kBadRequest, "the request body must be a JSON object");
  for (const auto& [k, v] : body.items())
    if (k != "name" && k != "title") errors.push_back({k, "is not a group field"});
  const std::string name =
      body.value("name", json()).is_string() ? body["name"].get<std::string>() : "";
  if (!std::regex_match(name, kGroupName))
    errors.push_back({"name", "must be 2 to 64 lower-case letters, digits, '_' or '-'"});
  if (body.contains("title"))
    if (std::string why = records::CheckFreeText(body["title"], 200, false); !why.empty())
      errors.push_back({"title", why});
  if (!errors.empty()) return MakeError(ErrorCode::kValidation, "the group is invalid", errors);
  json out;
  TANDEM_RETURN_IF_ERROR(db_.Write([&](Connection& c) -> Status {
    Value p[] = {name, body.value("title", ""), FormatTimestamp(clock_.Now())};
    TANDEM_ASSIGN_OR_RETURN(store::Rows r,
                            c.Query("SELECT name FROM access_groups WHERE name = $1", {p, 1}));
    if (!r.empty())
      return MakeError(ErrorCode::kConflict, "a group '" + name + "' exists",
                       {{"name", "is taken"}});
    TANDEM_RETURN_IF_ERROR(
        c.Execute("INSERT INTO access_groups (name, title, created_at) VALUES ($1, $2, $3)", p)
            .status());
    out = {{"name", name},
           {"title", std::get<std::string>(p[1])},
           {"created_at", std::get<std::string>(p[2])}};
    return Audit(c, by.name, "group.create", "group", std::nullopt, out);
  }));
  return out;
}

Result<json> AuthService::SecurityEvents(const Actor& by, int64_t before_seq, int limit) {
  if (!by.Can(kAuditTrail, Action::kRead))
    return MakeError(ErrorCode::kForbidden, "your roles do not allow reading the audit trail");
  if (limit < 1 || limit > 500)
    return MakeError(ErrorCode::kBadRequest, "limit must be between 1 and 500");
  json out = json::array();
  TANDEM_RETURN_IF_ERROR(db_.Read([&](Connection& c) -> Status {
    // A restriction event exists for the reader only while its record does
    // (administrators are told of every restricted record anyway): otherwise
    // the feed would say which record went need-to-know, and when. Pages are
    // filled past such events, so a short page still means the end.
    auto visible = [&](const std::string& type_name, const Value& id) -> Result<bool> {
      const model::RecordType* type = registry_.Find(type_name);
      if (by.administrator || by.system || !type || store::IsNull(id)) return true;
      Value key[] = {id};
      TANDEM_ASSIGN_OR_RETURN(
          store::Rows g,
          c.Query("SELECT restricted_to FROM " + type->table() + " WHERE id = $1", key));
      return !g.empty() && (store::IsNull(g.rows[0][0]) || by.CanSee(Text(g.rows[0][0])));
    };
    int64_t cursor = before_seq > 0 ? before_seq : INT64_MAX;
    for (bool more = true; more && static_cast<int>(out.size()) < limit;) {
      Value p[] = {cursor, int64_t{limit}};
      TANDEM_ASSIGN_OR_RETURN(
          store::Rows r,
          c.Query(
              "SELECT seq, at, actor, action, record_type, record_id, changes FROM audit_events "
              "WHERE seq < $1 AND (record_type LIKE 'auth.%' OR action IN ('restrict', "
              "'unrestrict')) ORDER BY seq DESC LIMIT $2",
              p));
      more = static_cast<int>(r.size()) == limit;
      for (const auto& row : r.rows) {
        cursor = Int(row[0]);
        if (static_cast<int>(out.size()) == limit) break;
        if (!Text(row[4]).starts_with("auth.")) {
          TANDEM_ASSIGN_OR_RETURN(bool shown, visible(Text(row[4]), row[5]));
          if (!shown) continue;
        }
        json e = {{"seq", Int(row[0])},
                  {"at", Text(row[1])},
                  {"actor", Text(row[2])},
                  {"action", Text(row[3])},
                  {"subject", Text(row[4])},
                  {"subject_id", store::IsNull(row[5]) ? json() : json(Int(row[5]))}};
        json changes = json::parse(Text(row[6]), nullptr, false);
        // Restriction events name the group and the record, never its content.
        if (!Text(row[4]).starts_with("auth.")) {
          json slim = {{"restricted_to",
                        {{"before", changes["before"].value("restricted_to", json())},
                         {"after", changes["after"].value("restricted_to", json())}}}};
          changes = slim;
        }
        e["changes"] = changes;
        out.push_back(e);
      }
    }
    return Status::Ok();
  }));
  return out;
}

}  // namespace tandem::auth

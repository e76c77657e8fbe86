// /api/v1/auth/... (signing in, one's own account, tokens and delegations)
// and /api/v1/admin/... (users, roles, groups, restricted records, security
// events): each route with its OpenAPI operation.
#include <charconv>

#include "auth/password.h"
#include "auth/session_cookie.h"
#include "http/api.h"
#include "http/call.h"
#include "http/openapi.h"
#include "http/router.h"

namespace tandem::http {

using nlohmann::json;
using namespace oas;

namespace {

constexpr int kDefaultEventLimit = 100;

const char* const kAuthTag = "Authentication";
const char* const kAdminTag = "Administration";

// Schemas of what /auth and /admin read and write (auth.cpp, sessions.cpp).
json AuthSchemas(const model::Registry& registry) {
  json actions = json::array();
  for (auto a : records::kAllActions) actions.push_back(records::ActionName(a));
  json resources = json::array();
  for (const auto& t : registry.types()) resources.push_back(t.name);
  resources.push_back(auth::kAuditTrail);
  const json names = ArrayOf(String());
  const json display_name = {{"type", "string"}, {"maxLength", 200}};
  const json new_password = {
      {"type", "string"},
      {"minLength", auth::kMinPasswordLength},
      {"description", "At least " + std::to_string(auth::kMinPasswordLength) +
                          " characters and at most " + std::to_string(auth::kMaxPasswordBytes) +
                          " bytes; not one character repeated, not containing the user name, "
                          "not a common password"}};
  const json scope = {{"type", "string"}, {"enum", {"read", "read-write"}}};
  json scope_input = scope;
  scope_input["default"] = "read";
  const json csrf_token = {
      {"type", "string"},
      {"description", "Send as X-CSRF-Token with every state-changing request"}};
  json password_change = StringFields({"current_password", "new_password"});
  password_change["properties"]["new_password"] = new_password;
  json password_reset = StringFields({"password"});
  password_reset["properties"]["password"] = new_password;
  const json token_props = {{"id", Int64()},
                            {"name", String()},
                            {"scope", scope},
                            {"created_at", DateTime()},
                            {"expires_at", Nullable(DateTime())}};
  json token = token_props;
  token["last_used_at"] = Nullable(DateTime());
  token["revoked_at"] = Nullable(DateTime());
  json new_token = token_props;
  new_token["token"] = {{"type", "string"},
                        {"pattern", "^tdm_"},
                        {"description", "The bearer token; shown this once and never again"}};
  const json user = {{"username", String()},
                     {"display_name", String()},
                     {"roles", names},
                     {"groups", names},
                     {"disabled", Boolean()},
                     {"mfa_enabled", Boolean()},
                     {"must_change_password", Boolean()},
                     {"locked_until", Nullable(DateTime())},
                     {"created_at", DateTime()},
                     {"updated_at", DateTime()}};
  return {
      {"Action",
       {{"anyOf",
         {{{"type", "string"}, {"enum", actions}},
          {{"type", "string"}, {"pattern", "^transition:[a-z_]+$"}}}},
        {"description",
         "An action, or one transition granted alone (\"transition:approve\"); "
         "\"transition\" grants every transition of the type"}}},
      {"Grants",
       {{"type", "object"},
        {"description", "Actions allowed per record type (and on audit_trail)"},
        {"propertyNames", {{"enum", resources}}},
        {"additionalProperties", ArrayOf(Ref("Action"))}}},
      {"Pending",
       {{"type", {"string", "null"}},
        {"enum", {"mfa_code", "password_change", "mfa_enrollment", nullptr}},
        {"description",
         "What the session must do before anything else: mfa_code (POST /api/v1/auth/mfa), "
         "password_change (POST /api/v1/auth/password) or mfa_enrollment (POST "
         "/api/v1/auth/mfa/setup, then POST /api/v1/auth/mfa/enable); null once signed in"}}},
      {"SignIn",
       Output({{"username", String()}, {"csrf_token", csrf_token}, {"pending", Ref("Pending")}})},
      {"User", Output(user)},
      {"Me",
       {{"allOf",
         {Ref("User"),
          Output({{"permissions", Ref("Grants")},
                  {"pending", Ref("Pending")},
                  {"authenticated_by", {{"type", "string"}, {"enum", {"session", "token"}}}},
                  {"csrf_token", csrf_token}},
                 {"csrf_token"})}},
        {"description", "csrf_token is there for sessions only"}}},
      {"UserInput",
       Input({{"username", {{"type", "string"}, {"pattern", "^[a-z0-9][a-z0-9._-]{0,63}$"}}},
              {"password", new_password},
              {"display_name", display_name},
              {"roles", names},
              {"groups", names}},
             {"username", "password"})},
      {"UserPatch",
       Input({{"display_name", display_name},
              {"roles", names},
              {"groups", names},
              {"disabled",
               {{"type", "boolean"}, {"description", "Also ends the user's sessions"}}}})},
      {"PasswordChange", password_change},
      {"NewPassword", password_reset},
      {"MfaSetup",
       Output({{"secret", {{"type", "string"}, {"description", "TOTP secret (base32)"}}},
               {"otpauth_uri", {{"type", "string"}, {"format", "uri"}}}})},
      {"RecoveryCodes", Output({{"recovery_codes",
                                 {{"type", "array"},
                                  {"items", String()},
                                  {"description",
                                   "Single-use codes, each usable instead of a TOTP code; "
                                   "shown this once"}}},
                                {"csrf_token", String()}})},
      {"Token", Output(token)},
      {"NewToken", Output(new_token)},
      {"TokenInput", Input({{"name", {{"type", "string"}, {"minLength", 1}, {"maxLength", 100}}},
                            {"scope", scope_input},
                            {"expires_at",
                             {{"anyOf",
                               {{{"type", "string"}, {"format", "date"}},
                                {{"type", "string"}, {"format", "date-time"}},
                                {{"type", "null"}}}},
                              {"description",
                               "When the token stops working, in the future (a date means "
                               "its midnight UTC); absent or null: never"}}}},
                           {"name"})},
      {"Delegation",
       Output({{"id", Int64()},
               {"delegator", String()},
               {"delegate", String()},
               {"starts_at", DateTime()},
               {"ends_at", DateTime()},
               {"reason", String()},
               {"created_by", String()},
               {"created_at", DateTime()},
               {"revoked_at", {{"type", {"string", "null"}}, {"format", "date-time"}}},
               {"revoked_by", {{"type", {"string", "null"}}}},
               {"status",
                {{"type", "string"}, {"enum", {"scheduled", "active", "ended", "revoked"}}}}})},
      {"DelegationList", Output({{"items", ArrayOf(Ref("Delegation"))}})},
      {"DelegationInput",
       Input(
           {{"delegate", String()},
            {"delegator",
             {{"type", "string"},
              {"description", "Administrators only: whose rights are lent (default: the caller)"}}},
            {"starts_at", {{"anyOf", {DateTime(), {{"type", "null"}}}}}},
            {"ends_at", DateTime()},
            {"reason", {{"type", "string"}, {"minLength", 1}, {"maxLength", 500}}}},
           {"delegate", "ends_at", "reason"})},
      {"Role", Output({{"name", String()},
                       {"title", String()},
                       {"require_mfa", Boolean()},
                       {"grants", Ref("Grants")}})},
      {"RoleInput", Input({{"title", {{"type", "string"}, {"minLength", 1}, {"maxLength", 100}}},
                           {"require_mfa", Boolean()},
                           {"grants", Ref("Grants")}})},
      {"RoleName", {{"type", "string"}, {"pattern", "^[a-z][a-z0-9_]{1,39}$"}}},
      {"Group", Output({{"name", String()}, {"title", String()}, {"created_at", DateTime()}})},
      {"GroupInput",
       Input({{"name", {{"type", "string"}, {"pattern", "^[a-z0-9][a-z0-9_-]{1,63}$"}}},
              {"title", {{"type", "string"}, {"maxLength", 200}}}},
             {"name"})},
      {"RestrictedTo",
       {{"type", {"string", "null"}},
        {"description",
         "The group whose members alone may see the record; null: everyone "
         "with read permission"}}},
      {"RestrictionInput", Input({{"group", Ref("RestrictedTo")}}, {"group"})},
      {"RestrictedRecord", Output({{"type", String()},
                                   {"id", Int64()},
                                   {"number", String()},
                                   {"restricted_to", String()},
                                   {"updated_at", DateTime()}})},
      {"SecurityEvent", Output({{"seq", Int64()},
                                {"at", DateTime()},
                                {"actor", String()},
                                {"action", String()},
                                {"subject",
                                 {{"type", "string"},
                                  {"description",
                                   "auth.user, auth.token, auth.role, auth.group, or the record "
                                   "type of a restriction change"}}},
                                {"subject_id", Nullable(Int64())},
                                {"changes", {{"type", "object"}}}})},
  };
}

json TokenCreation(const std::string& id, const std::string& summary, const std::string& tag,
                   json errors) {
  json op = Op(id, summary, tag, std::move(errors));
  op["responses"]["201"] = Response("The token, with its secret this once", Ref("NewToken"));
  SetBody(op, JsonContent(Ref("TokenInput")));
  return op;
}

// POST /api/v1/admin/users/{username}/...: 204 when done.
json UserAction(const std::string& id, const std::string& summary) {
  json op = Op(id, summary, kAdminTag, Errors({404}));
  op["responses"]["204"] = NoContent("Done");
  return op;
}

void SetSessionCookie(Call& call, const std::string& value, bool clear) {
  call.res.set_header("Set-Cookie", auth::SessionCookie(value, call.secure_cookies, clear));
}

json SignInJson(const auth::SignIn& s) {
  const char* pending = auth::PendingName(s.pending);
  return {{"username", s.username},
          {"csrf_token", s.csrf_token},
          {"pending", pending ? json(pending) : json()}};
}

// Writes the value of `r` with `status`, or returns its error.
Status ReplyWith(Call& call, int status, const Result<json>& r) {
  if (!r.ok()) return r.error();
  return Reply(call, status, *r);
}

// 204 when `st` is Ok.
Status NoContentOr(Call& call, const Status& st) {
  TANDEM_RETURN_IF_ERROR(st);
  return ReplyNoContent(call);
}

// Route parameter `index` as a numeric id, or a 404 naming `what`.
Result<int64_t> IdParam(const Call& call, const char* what, size_t index = 0) {
  const std::string& s = call.param(index);
  int64_t id = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
  if (ec != std::errc() || p != s.data() + s.size())
    return MakeError(ErrorCode::kNotFound, std::string("no ") + what + " '" + s + "'");
  return id;
}

}  // namespace

Result<std::string> StringField(const json& body, const char* name) {
  if (!body.is_object() || !body.contains(name) || !body[name].is_string())
    return MakeError(ErrorCode::kValidation, std::string(name) + " is required",
                     {{name, "is required (a string)"}});
  return body[name].get<std::string>();
}

Result<std::vector<std::string>> BodyStrings(const Call& call,
                                             std::initializer_list<const char*> names) {
  TANDEM_ASSIGN_OR_RETURN(json b, ParseBody(call.req, false));
  std::vector<std::string> out;
  for (const char* name : names) {
    TANDEM_ASSIGN_OR_RETURN(std::string v, StringField(b, name));
    out.push_back(std::move(v));
  }
  return out;
}

void AddAuthRoutes(Router& router, auth::AuthService& auth, const model::Registry& registry) {
  const json schemas = AuthSchemas(registry);
  for (const auto& [name, schema] : schemas.items()) router.AddSchema(name, schema);
  auth::AuthService* a = &auth;
  const char* sessions_only = "Sessions only: an API token gets 403.";

  json login =
      PublicOp("login", "Sign in with user name and password", kAuthTag, Errors({401, 429}));
  login["description"] =
      "Sets the session cookie. When pending is not null, the session may only finish signing "
      "in. Repeated failures lock the account, and throttle the client address, for a while "
      "(429).";
  login["responses"]["200"] =
      WithSessionCookie(Response("Signed in; `pending` says what remains", Ref("SignIn")),
                        std::string(auth::kSessionCookie) + "=...; HttpOnly");
  SetBody(login, JsonContent(StringFields({"username", "password"})));
  router.Add({"POST", "/auth/login",
              [a](Call& c) -> Status {
                TANDEM_ASSIGN_OR_RETURN(auto f, BodyStrings(c, {"username", "password"}));
                TANDEM_ASSIGN_OR_RETURN(auto s, a->Login(f[0], f[1], c.client));
                if (!c.session_id.empty()) (void)a->Logout(c.session_id);  // never reuse an id
                SetSessionCookie(c, s.session_id, false);
                return Reply(c, 200, SignInJson(s));
              },
              login, Access::kPublic});

  json logout = Op("logout", "Sign out (end the session)", kAuthTag, json::object());
  logout["responses"]["204"] =
      WithSessionCookie(NoContent("Signed out"), "Clears the session cookie");
  router.Add({"POST", "/auth/logout",
              [a](Call& c) -> Status {
                if (!c.session_id.empty()) TANDEM_RETURN_IF_ERROR(a->Logout(c.session_id));
                SetSessionCookie(c, "", true);
                return ReplyNoContent(c);
              },
              logout});

  json mfa = Op("complete_mfa", "Finish signing in with a TOTP or recovery code", kAuthTag,
                Errors({409, 429}));
  mfa["description"] =
      "For a session whose pending is mfa_code. The session id changes. A wrong code is 401.";
  mfa["responses"]["200"] =
      WithSessionCookie(Response("Signed in", Ref("SignIn")), "The new session cookie");
  SetBody(mfa, JsonContent(StringFields({"code"})));
  router.Add({"POST", "/auth/mfa",
              [a](Call& c) -> Status {
                TANDEM_ASSIGN_OR_RETURN(auto f, BodyStrings(c, {"code"}));
                TANDEM_ASSIGN_OR_RETURN(auto s,
                                        a->CompleteMfa(c.who, c.session_id, f[0], c.client));
                SetSessionCookie(c, s.session_id, false);
                return Reply(c, 200, SignInJson(s));
              },
              mfa});

  // Allowed before signing in is finished, and a GET: no 403.
  json me = Op("me", "The signed-in user, permissions and CSRF token", kAuthTag, json::object());
  me["responses"].erase("403");
  me["responses"]["200"] = Response("The caller", Ref("Me"));
  router.Add({"GET", "/auth/me", [a](Call& c) { return ReplyWith(c, 200, a->Me(c.who)); }, me});

  json password = Op("change_password", "Change one's own password", kAuthTag, Errors({429}));
  password["description"] = std::string(sessions_only) +
                            " The session id and CSRF token change, and the user's other "
                            "sessions end. A wrong current password counts as a failed sign-in: "
                            "repeated ones lock the account (429).";
  password["responses"]["200"] = WithSessionCookie(
      Response("Changed; the session's new CSRF token", Ref("SignIn")), "The new session cookie");
  SetBody(password, JsonContent(Ref("PasswordChange")));
  router.Add(
      {"POST", "/auth/password",
       [a](Call& c) -> Status {
         TANDEM_ASSIGN_OR_RETURN(auto f, BodyStrings(c, {"current_password", "new_password"}));
         TANDEM_ASSIGN_OR_RETURN(auto s, a->ChangePassword(c.who, c.session_id, f[0], f[1]));
         SetSessionCookie(c, s.session_id, false);
         return Reply(c, 200, SignInJson(s));
       },
       password});

  json setup = Op("begin_mfa", "Start setting up two-factor sign-in", kAuthTag, Errors({409}));
  setup["description"] = std::string(sessions_only) +
                         " Confirm with POST /api/v1/auth/mfa/enable; 409 when it is already on.";
  setup["responses"]["200"] =
      Response("The secret to add to an authenticator app", Ref("MfaSetup"));
  router.Add({"POST", "/auth/mfa/setup",
              [a](Call& c) { return ReplyWith(c, 200, a->BeginMfa(c.who)); }, setup});

  json enable = Op("enable_mfa", "Confirm two-factor sign-in with a code", kAuthTag, Errors({409}));
  enable["description"] = std::string(sessions_only) +
                          " 409 when no set-up was started. The session id and CSRF token "
                          "change, and the user's other sessions end.";
  enable["responses"]["200"] =
      WithSessionCookie(Response("Recovery codes and the new CSRF token", Ref("RecoveryCodes")),
                        "The new session cookie");
  SetBody(enable, JsonContent(StringFields({"code"})));
  router.Add({"POST", "/auth/mfa/enable",
              [a](Call& c) -> Status {
                TANDEM_ASSIGN_OR_RETURN(auto f, BodyStrings(c, {"code"}));
                TANDEM_ASSIGN_OR_RETURN(auto r, a->EnableMfa(c.who, c.session_id, f[0]));
                SetSessionCookie(c, r.session.session_id, false);
                return Reply(
                    c, 200,
                    {{"recovery_codes", r.recovery_codes}, {"csrf_token", r.session.csrf_token}});
              },
              enable});

  json disable = Op("disable_mfa", "Turn two-factor sign-in off", kAuthTag, Errors({409}));
  disable["description"] =
      std::string(sessions_only) + " Needs the current password; 409 when a role requires it.";
  disable["responses"]["204"] = NoContent("Turned off");
  SetBody(disable, JsonContent(StringFields({"password"})));
  router.Add({"POST", "/auth/mfa/disable",
              [a](Call& c) -> Status {
                TANDEM_ASSIGN_OR_RETURN(auto f, BodyStrings(c, {"password"}));
                return NoContentOr(c, a->DisableMfa(c.who, f[0]));
              },
              disable});

  json tokens = Op("list_tokens", "One's own API tokens", kAuthTag, json::object());
  tokens["description"] = sessions_only;
  tokens["responses"]["200"] = Response("Tokens, without their secrets", ArrayOf(Ref("Token")));
  router.Add({"GET", "/auth/tokens", [a](Call& c) { return ReplyWith(c, 200, a->Tokens(c.who)); },
              tokens});
  json create = TokenCreation("create_token", "Create an API token", kAuthTag, Errors({409}));
  create["description"] = sessions_only;
  router.Add({"POST", "/auth/tokens",
              [a](Call& c) -> Status {
                TANDEM_ASSIGN_OR_RETURN(json b, ParseBody(c.req, false));
                return ReplyWith(c, 201, a->CreateToken(c.who, b));
              },
              create});

  json revoke = Op("revoke_token", "Revoke one of one's API tokens", kAuthTag, Errors({404}));
  revoke["description"] = sessions_only;
  revoke["responses"]["204"] = NoContent("Revoked");
  revoke["parameters"] = {PathParam("token_id", Int64())};
  router.Add({"DELETE", "/auth/tokens/{token_id}",
              [a](Call& c) -> Status {
                TANDEM_ASSIGN_OR_RETURN(int64_t id, IdParam(c, "token"));
                return NoContentOr(c, a->RevokeToken(c.who, id));
              },
              revoke});

  json delegations =
      Op("list_delegations", "Delegations one gave or received (administrators: all)", kAuthTag,
         json::object());
  delegations["responses"]["200"] = Response("Newest first", Ref("DelegationList"));
  router.Add({"GET", "/auth/delegations",
              [a](Call& c) -> Status {
                TANDEM_ASSIGN_OR_RETURN(json items, a->Delegations(c.actor()));
                return Reply(c, 200, {{"items", std::move(items)}});
              },
              delegations});
  json delegate =
      Op("create_delegation", "Lend one's transition rights for a period", kAuthTag, Errors({422}));
  delegate["description"] =
      "Absence cover: the delegate may take the transitions the delegator's roles allow, from "
      "starts_at until ends_at (at most a year), with the delegator's roles for role rules. "
      "Separation-of-duties rules bind both people, so nobody approves their own record.";
  delegate["responses"]["201"] = Response("The delegation", Ref("Delegation"));
  SetBody(delegate, JsonContent(Ref("DelegationInput")));
  router.Add({"POST", "/auth/delegations",
              [a](Call& c) -> Status {
                TANDEM_ASSIGN_OR_RETURN(json b, ParseBody(c.req, false));
                return ReplyWith(c, 201, a->CreateDelegation(c.actor(), b));
              },
              delegate});
  json end = Op("revoke_delegation", "End a delegation now (delegator, delegate or administrator)",
                kAuthTag, Errors({404, 409}));
  end["responses"]["200"] = Response("The revoked delegation", Ref("Delegation"));
  end["parameters"] = {PathParam("delegation_id", Int64())};
  router.Add({"DELETE", "/auth/delegations/{delegation_id}",
              [a](Call& c) -> Status {
                TANDEM_ASSIGN_OR_RETURN(int64_t id, IdParam(c, "delegation"));
                return ReplyWith(c, 200, a->RevokeDelegation(c.actor(), id));
              },
              end});
}

// Administrators only (403 otherwise), but security events need read on
// audit_trail.
void AddAdminRoutes(Router& router, auth::AuthService& auth, records::Engine& engine) {
  auth::AuthService* a = &auth;
  const json username = {{"$ref", "#/components/parameters/Username"}};
  // Adds `op` with the {username} parameter.
  auto on_user = [&](const char* method, const std::string& path, json op, Handler h) {
    op["parameters"].push_back(username);
    router.Add({method, "/admin/users/{username}" + path, std::move(h), std::move(op)});
  };

  json users = Op("list_users", "User accounts", kAdminTag, json::object());
  users["responses"]["200"] = Response("Users by name", ArrayOf(Ref("User")));
  router.Add({"GET", "/admin/users",
              [a](Call& c) { return ReplyWith(c, 200, a->Users(c.actor())); }, users});
  json create = Op("create_user", "Create a user account", kAdminTag, Errors({409}));
  create["responses"]["201"] = Response("The user", Ref("User"));
  SetBody(create, JsonContent(Ref("UserInput")));
  router.Add({"POST", "/admin/users",
              [a](Call& c) -> Status {
                TANDEM_ASSIGN_OR_RETURN(json b, ParseBody(c.req, false));
                return ReplyWith(c, 201, a->CreateUser(c.actor(), b));
              },
              create});

  json user = Op("get_user", "Read a user account", kAdminTag, Errors({404}));
  user["responses"]["200"] = Response("The user", Ref("User"));
  on_user("GET", "", user,
          [a](Call& c) { return ReplyWith(c, 200, a->User(c.actor(), c.param(0))); });
  json update = Op("update_user", "Change a user's name, roles, groups or disabled flag", kAdminTag,
                   Errors({404, 409}));
  update["description"] = "409 when it would leave no enabled administrator.";
  update["responses"]["200"] = Response("The user", Ref("User"));
  SetBody(update, MergePatchContent(Ref("UserPatch")));
  on_user("PATCH", "", update, [a](Call& c) -> Status {
    TANDEM_ASSIGN_OR_RETURN(json b, ParseBody(c.req, true));
    return ReplyWith(c, 200, a->UpdateUser(c.actor(), c.param(0), b));
  });

  on_user("POST", "/unlock",
          UserAction("unlock_user", "Unlock an account locked after failed sign-ins"),
          [a](Call& c) { return NoContentOr(c, a->Unlock(c.actor(), c.param(0))); });
  json reset_mfa = UserAction("reset_user_mfa", "Turn a user's two-factor sign-in off");
  reset_mfa["description"] = "Deletes the recovery codes and ends the user's sessions.";
  on_user("POST", "/reset-mfa", reset_mfa,
          [a](Call& c) { return NoContentOr(c, a->ResetMfa(c.actor(), c.param(0))); });
  json reset_password = UserAction("reset_user_password", "Set a user's password");
  reset_password["description"] =
      "The user must change it at their next sign-in; their sessions end.";
  SetBody(reset_password, JsonContent(Ref("NewPassword")));
  on_user("POST", "/reset-password", reset_password, [a](Call& c) -> Status {
    TANDEM_ASSIGN_OR_RETURN(auto f, BodyStrings(c, {"password"}));
    return NoContentOr(c, a->ResetPassword(c.actor(), c.param(0), f[0]));
  });
  json issue = TokenCreation("issue_user_token", "Create an API token for a user", kAdminTag,
                             Errors({404, 409}));
  on_user("POST", "/tokens", issue, [a](Call& c) -> Status {
    TANDEM_ASSIGN_OR_RETURN(json b, ParseBody(c.req, false));
    return ReplyWith(c, 201, a->IssueToken(c.actor(), c.param(0), b));
  });

  json user_tokens = Op("list_user_tokens", "A user's API tokens", kAdminTag, Errors({404}));
  user_tokens["responses"]["200"] =
      Response("Tokens, without their secrets", ArrayOf(Ref("Token")));
  on_user("GET", "/tokens", user_tokens,
          [a](Call& c) { return ReplyWith(c, 200, a->UserTokens(c.actor(), c.param(0))); });
  json revoke_user_token = UserAction("revoke_user_token", "Revoke one of a user's API tokens");
  revoke_user_token["parameters"] = {PathParam("token_id", Int64())};
  on_user("DELETE", "/tokens/{token_id}", revoke_user_token, [a](Call& c) -> Status {
    TANDEM_ASSIGN_OR_RETURN(int64_t id, IdParam(c, "token", 1));
    return NoContentOr(c, a->RevokeUserToken(c.actor(), c.param(0), id));
  });

  json roles = Op("list_roles", "Roles and their permissions", kAdminTag, json::object());
  roles["responses"]["200"] = Response("Roles by name", ArrayOf(Ref("Role")));
  router.Add({"GET", "/admin/roles",
              [a](Call& c) { return ReplyWith(c, 200, a->Roles(c.actor())); }, roles});
  json put_role = Op("put_role", "Create or change a role", kAdminTag, json::object());
  put_role["description"] =
      "A new role needs a title. Grants not named keep their actions; the administrator "
      "role's grants cannot be changed.";
  put_role["responses"]["200"] = Response("The role", Ref("Role"));
  put_role["parameters"] = {PathParam("role", Ref("RoleName"))};
  SetBody(put_role, JsonContent(Ref("RoleInput")));
  router.Add({"PUT", "/admin/roles/{role}",
              [a](Call& c) -> Status {
                TANDEM_ASSIGN_OR_RETURN(json b, ParseBody(c.req, false));
                return ReplyWith(c, 200, a->PutRole(c.actor(), c.param(0), b));
              },
              put_role});

  json groups = Op("list_groups", "Need-to-know groups", kAdminTag, json::object());
  groups["responses"]["200"] = Response("Groups by name", ArrayOf(Ref("Group")));
  router.Add({"GET", "/admin/groups",
              [a](Call& c) { return ReplyWith(c, 200, a->Groups(c.actor())); }, groups});
  json create_group = Op("create_group", "Create a need-to-know group", kAdminTag, Errors({409}));
  create_group["responses"]["201"] = Response("The group", Ref("Group"));
  SetBody(create_group, JsonContent(Ref("GroupInput")));
  router.Add({"POST", "/admin/groups",
              [a](Call& c) -> Status {
                TANDEM_ASSIGN_OR_RETURN(json b, ParseBody(c.req, false));
                return ReplyWith(c, 201, a->CreateGroup(c.actor(), b));
              },
              create_group});

  json restricted = Op("list_restricted", "Every restricted record, without its content", kAdminTag,
                       json::object());
  restricted["responses"]["200"] = Response("Restricted records", ArrayOf(Ref("RestrictedRecord")));
  records::Engine* e = &engine;
  router.Add({"GET", "/admin/restricted",
              [e](Call& c) { return ReplyWith(c, 200, e->RestrictedRecords(c.actor())); },
              restricted});

  json events = Op("security_events", "Security events and restriction changes, newest first",
                   kAdminTag, Errors({400}));
  events["description"] = "Needs read permission on audit_trail.";
  events["parameters"] = {
      {{"name", "before"},
       {"in", "query"},
       {"description", "Only events with a smaller seq (the last seq of the previous page)"},
       {"schema", Int64()}},
      {{"name", "limit"},
       {"in", "query"},
       {"schema", {{"type", "integer"}, {"minimum", 1}, {"maximum", 500}, {"default", 100}}}}};
  events["responses"]["200"] = Response("Events", ArrayOf(Ref("SecurityEvent")));
  router.Add(
      {"GET", "/admin/security-events",
       [a](Call& c) -> Status {
         int64_t before = 0, limit = kDefaultEventLimit;
         for (auto [name, out] : {std::pair{"before", &before}, std::pair{"limit", &limit}}) {
           if (!c.req.has_param(name)) continue;
           const std::string v = c.req.get_param_value(name);
           auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), *out);
           if (ec != std::errc() || p != v.data() + v.size())
             return MakeError(ErrorCode::kBadRequest, std::string(name) + " must be an integer");
         }
         return ReplyWith(c, 200, a->SecurityEvents(c.actor(), before, static_cast<int>(limit)));
       },
       events});
}

}  // namespace tandem::http

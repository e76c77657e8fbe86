// Generates the OpenAPI 3.1 description from the record-type declarations, so
// the document can never drift from what the server accepts.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "auth/password.h"
#include "http/api.h"
#include "http/call.h"

namespace tandem::http {

using model::FieldType;
using nlohmann::json;

namespace {

json FieldSchema(const model::FieldDecl& f) {
  json s;
  switch (f.type) {
    case FieldType::kText:
    case FieldType::kLongText:
      s = {{"type", "string"},
           {"maxLength", f.max_length ? f.max_length : (f.type == FieldType::kText ? 200 : 20000)}};
      break;
    case FieldType::kInteger:
      s = {{"type", "integer"}, {"format", "int64"}};
      if (f.min < f.max) {
        s["minimum"] = f.min;
        s["maximum"] = f.max;
      }
      break;
    case FieldType::kDecimal:
      s = {{"type", "number"}};
      break;
    case FieldType::kBoolean:
      s = {{"type", "boolean"}};
      break;
    case FieldType::kDate:
      s = {{"type", "string"}, {"format", "date"}};
      break;
    case FieldType::kDateTime:
      s = {{"type", "string"}, {"format", "date-time"}};
      break;
    case FieldType::kEnum:
      s = {{"type", "string"}, {"enum", f.enum_values}};
      break;
    case FieldType::kReference:
      s = {{"type", "integer"},
           {"format", "int64"},
           {"minimum", 1},
           {"description", "id of a " + f.ref_type}};
      break;
    case FieldType::kUser:
      s = {{"type", "string"}, {"pattern", "^[A-Za-z0-9._@-]{1,100}$"}};
      break;
    case FieldType::kJson:
      s = json::object();
      break;
  }
  if (!f.label.empty()) s["title"] = f.label;
  if (!f.help.empty()) s["description"] = f.help;
  if (!f.required && f.type != FieldType::kJson) {
    s["type"] = json::array({s["type"], "null"});
    if (s.contains("enum")) s["enum"].push_back(nullptr);
  }
  if (f.computed) s["readOnly"] = true;
  return s;
}

json Ref(const std::string& name) { return {{"$ref", "#/components/schemas/" + name}}; }

json JsonContent(const json& schema) { return {{"application/json", {{"schema", schema}}}}; }

// PATCH bodies: plain JSON or a JSON merge patch (RFC 7396), read alike.
json MergePatchContent(const json& schema) {
  return {{"application/json", {{"schema", schema}}},
          {"application/merge-patch+json", {{"schema", schema}}}};
}

json Response(const std::string& description, const json& schema) {
  return {{"description", description}, {"content", JsonContent(schema)}};
}

json NoContent(const std::string& description) { return {{"description", description}}; }

json ProblemResponse(const std::string& description) {
  return {{"description", description},
          {"content", {{"application/problem+json", {{"schema", Ref("Problem")}}}}}};
}

// References to the shared problem+json responses, one per status code.
json Errors(std::initializer_list<int> codes) {
  json r = json::object();
  for (int c : codes)
    r[std::to_string(c)] = {{"$ref", "#/components/responses/" + std::to_string(c)}};
  return r;
}

json Header(const std::string& description) {
  return {{"description", description}, {"schema", {{"type", "string"}}}};
}

// A response that sets (or clears) the session cookie.
json WithSessionCookie(json response, const std::string& what) {
  response["headers"]["Set-Cookie"] = Header(what);
  return response;
}

json PathParam(const std::string& name, const json& schema, const std::string& description = "") {
  json p = {{"name", name}, {"in", "path"}, {"required", true}, {"schema", schema}};
  if (!description.empty()) p["description"] = description;
  return p;
}

json ArrayOf(const json& items) { return {{"type", "array"}, {"items", items}}; }

json String() { return {{"type", "string"}}; }
json Int64() { return {{"type", "integer"}, {"format", "int64"}}; }
json Boolean() { return {{"type", "boolean"}}; }
json DateTime() { return {{"type", "string"}, {"format", "date-time"}}; }
json Nullable(json schema) {
  schema["type"] = json::array({schema["type"], "null"});
  return schema;
}

// An object the server writes: every property is always present but the
// `optional` ones.
json Output(const json& properties, std::initializer_list<const char*> optional = {}) {
  json required = json::array();
  for (const auto& [name, _] : properties.items())
    if (std::find(optional.begin(), optional.end(), name) == optional.end())
      required.push_back(name);
  return {{"type", "object"}, {"required", required}, {"properties", properties}};
}

// A request body whose unknown members are refused (422).
json Input(const json& properties, const json& required = json::array()) {
  json s = {{"type", "object"}, {"properties", properties}, {"additionalProperties", false}};
  if (!required.empty()) s["required"] = required;
  return s;
}

// A request body of required strings, as StringField reads them (other
// members are ignored).
json StringFields(std::initializer_list<const char*> names) {
  json props = json::object(), required = json::array();
  for (const char* n : names) {
    props[n] = String();
    required.push_back(n);
  }
  return {{"type", "object"}, {"required", required}, {"properties", props}};
}

json Operation(const std::string& id, const std::string& summary, const std::string& tag,
               json responses) {
  return {{"operationId", id},
          {"summary", summary},
          {"tags", {tag}},
          {"responses", std::move(responses)}};
}

// An operation that needs a session cookie or an API token (the document's
// default security): 401 without valid credentials; 403 when the caller's
// roles or a read-only token do not allow it, a session's X-CSRF-Token is
// missing, or the sign-in is unfinished.
json Op(const std::string& id, const std::string& summary, const std::string& tag, json responses) {
  responses.update(Errors({401, 403}));
  return Operation(id, summary, tag, std::move(responses));
}

// An operation anyone may call; credentials are read if sent.
json PublicOp(const std::string& id, const std::string& summary, const std::string& tag,
              json responses) {
  json op = Operation(id, summary, tag, std::move(responses));
  op["security"] = json::array();
  return op;
}

// The operation's JSON body (`content`, from JsonContent or MergePatchContent)
// and what a bad one gets: 400 malformed, 413 too large, 415 not JSON, 422
// invalid members.
void SetBody(json& op, json content) {
  op["requestBody"] = {{"required", true}, {"content", std::move(content)}};
  op["responses"].update(Errors({400, 413, 415, 422}));
}

void AddRecordType(json& doc, const model::RecordType& t) {
  json props = {
      {"id", {{"type", "integer"}, {"format", "int64"}, {"readOnly", true}}},
      {"number", {{"type", "string"}, {"readOnly", true}, {"examples", {t.prefix + "-000001"}}}},
      {"type", {{"type", "string"}, {"const", t.name}}},
      {"version", {{"type", "integer"}, {"readOnly", true}}},
      {"created_at", {{"type", "string"}, {"format", "date-time"}}},
      {"created_by", {{"type", "string"}}},
      {"updated_at", {{"type", "string"}, {"format", "date-time"}}},
      {"updated_by", {{"type", "string"}}},
      {"archived", {{"type", "boolean"}}},
      {"custom",
       {{"type", "object"}, {"description", "Values of custom fields defined at run time"}}},
      {"restricted_to", Ref("RestrictedTo")},
  };
  json required = {"id",         "number",     "type",     "version", "created_at",   "created_by",
                   "updated_at", "updated_by", "archived", "custom",  "restricted_to"};
  if (t.states) {
    props["state"] = {{"type", "string"}, {"enum", t.states->states}, {"readOnly", true}};
    required.push_back("state");
  }
  json input_props = {{"custom", {{"type", "object"}}}};
  json create_required = json::array();
  for (const auto& f : t.fields) {
    if (f.internal) continue;
    props[f.name] = FieldSchema(f);
    // A reference to a record hidden from the reader, and what derives from
    // it, reads as null whatever the declaration requires.
    if (json& s = props[f.name]; !t.MaskSources(f).empty() && s["type"].is_string()) {
      s["type"] = json::array({s["type"], "null"});
      if (s.contains("enum")) s["enum"].push_back(nullptr);
    }
    required.push_back(f.name);
    if (f.computed) continue;
    input_props[f.name] = FieldSchema(f);
    if (f.required && !f.default_value) create_required.push_back(f.name);
  }
  // A record may be need-to-know from its creation; later changes go through
  // its restriction route.
  json create_props = input_props;
  create_props["restricted_to"] = Ref("RestrictedTo");
  const std::string T = t.name;
  auto& schemas = doc["components"]["schemas"];
  schemas[T] = {{"type", "object"},
                {"title", t.title},
                {"description", t.description},
                {"properties", props},
                {"required", required}};
  schemas[T + "_create"] = Input(create_props, create_required);
  schemas[T + "_patch"] = Input(input_props);
  schemas[T + "_list"] = {{"type", "object"},
                          {"required", {"items", "limit", "next"}},
                          {"properties",
                           {{"items", {{"type", "array"}, {"items", Ref(T)}}},
                            {"limit", {{"type", "integer"}}},
                            {"next", {{"type", {"string", "null"}}}}}}};

  const std::string base = "/api/v1/" + t.collection;
  const json id_param = {{"$ref", "#/components/parameters/RecordId"}};
  auto& paths = doc["paths"];
  json list = Op("list_" + t.collection, "List " + t.title + " records", t.title, Errors({400}));
  list["responses"]["200"] = Response("A page of records", Ref(T + "_list"));
  list["parameters"] = {{{"$ref", "#/components/parameters/Filter"}},
                        {{"$ref", "#/components/parameters/Sort"}},
                        {{"$ref", "#/components/parameters/Limit"}},
                        {{"$ref", "#/components/parameters/After"}},
                        {{"$ref", "#/components/parameters/Search"}}};
  json create = Op("create_" + T, "Create a " + t.title, t.title, Errors({409}));
  create["responses"]["201"] = Response("Created", Ref(T));
  create["parameters"] = {{{"$ref", "#/components/parameters/IdempotencyKey"}}};
  SetBody(create, JsonContent(Ref(T + "_create")));
  paths[base] = {{"get", list}, {"post", create}};

  json get = Op("get_" + T, "Read a " + t.title, t.title, Errors({404}));
  get["responses"]["200"] = Response("The record; ETag carries its version", Ref(T));
  json patch =
      Op("update_" + T, "Change fields of a " + t.title, t.title, Errors({404, 409, 412, 428}));
  patch["responses"]["200"] = Response("The updated record", Ref(T));
  patch["parameters"] = {{{"$ref", "#/components/parameters/IfMatchRequired"}}};
  SetBody(patch, MergePatchContent(Ref(T + "_patch")));
  json del = Op("archive_" + T, "Archive a " + t.title + " (nothing is deleted)", t.title,
                Errors({404, 412}));
  del["responses"]["200"] = Response("The archived record", Ref(T));
  del["parameters"] = {{{"$ref", "#/components/parameters/IfMatch"}}};
  paths[base + "/{id}"] = {
      {"parameters", {id_param}}, {"get", get}, {"patch", patch}, {"delete", del}};

  json restore = Op("restore_" + T, "Restore an archived " + t.title, t.title, Errors({404, 412}));
  restore["responses"]["200"] = Response("The restored record", Ref(T));
  paths[base + "/{id}/restore"] = {{"parameters", {id_param}}, {"post", restore}};

  json restrict = Op("restrict_" + T, "Restrict a " + t.title + " to a group, or lift it", t.title,
                     Errors({404, 409, 412}));
  restrict["description"] =
      "Makes the record need-to-know: only members of the group can then read or change it. "
      "Needs update permission and membership of the new group and of the current one; "
      "{\"group\": null} lifts the restriction.";
  restrict["responses"]["200"] = Response("The record with its new restriction", Ref(T));
  restrict["parameters"] = {{{"$ref", "#/components/parameters/IfMatch"}}};
  SetBody(restrict, JsonContent(Ref("RestrictionInput")));
  paths[base + "/{id}/restriction"] = {{"parameters", {id_param}}, {"put", restrict}};

  json hist = Op("history_" + T, "Audit events of a " + t.title, t.title, Errors({404}));
  hist["responses"]["200"] = Response("Events, oldest first", Ref("History"));
  paths[base + "/{id}/history"] = {{"parameters", {id_param}}, {"get", hist}};

  json links = Op("links_" + T, "Links from and to a " + t.title, t.title, Errors({404}));
  links["responses"]["200"] = Response("Links", Ref("LinkList"));
  json add_link =
      Op("add_link_" + T, "Link a " + t.title + " to another record", t.title, Errors({404, 409}));
  add_link["responses"]["201"] = Response("The new link", Ref("Link"));
  SetBody(add_link, JsonContent(Ref("LinkInput")));
  paths[base + "/{id}/links"] = {{"parameters", {id_param}}, {"get", links}, {"post", add_link}};
  json rm_link = Op("remove_link_" + T, "Remove a link", t.title, Errors({404}));
  rm_link["responses"]["204"] = NoContent("Removed");
  paths[base + "/{id}/links/{link_id}"] = {
      {"parameters", {id_param, PathParam("link_id", {{"type", "integer"}})}}, {"delete", rm_link}};

  if (t.states) {
    json tr =
        Op("transitions_" + T, "Current state and allowed transitions", t.title, Errors({404}));
    tr["responses"]["200"] = Response("Allowed transitions", Ref("Transitions"));
    json take = Op("transition_" + T, "Take a transition", t.title, Errors({404, 409, 412}));
    take["responses"]["200"] = Response("The record in its new state", Ref(T));
    take["parameters"] = {{{"$ref", "#/components/parameters/IfMatch"}}};
    SetBody(take, JsonContent(Ref("TransitionInput")));
    paths[base + "/{id}/transitions"] = {{"parameters", {id_param}}, {"get", tr}, {"post", take}};
  }
}

// --- authentication and administration (auth_api.cpp) ------------------------

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
                                   "shown this once"}}}})},
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

// /api/v1/auth/...: signing in and out, one's own account and tokens.
void AddAuth(json& paths) {
  const std::string base = "/api/v1/auth";
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
  paths[base + "/login"] = {{"post", login}};

  json logout = Op("logout", "Sign out (end the session)", kAuthTag, json::object());
  logout["responses"]["204"] =
      WithSessionCookie(NoContent("Signed out"), "Clears the session cookie");
  paths[base + "/logout"] = {{"post", logout}};

  json mfa = Op("complete_mfa", "Finish signing in with a TOTP or recovery code", kAuthTag,
                Errors({409, 429}));
  mfa["description"] =
      "For a session whose pending is mfa_code. The session id changes. A wrong code is 401.";
  mfa["responses"]["200"] =
      WithSessionCookie(Response("Signed in", Ref("SignIn")), "The new session cookie");
  SetBody(mfa, JsonContent(StringFields({"code"})));
  paths[base + "/mfa"] = {{"post", mfa}};

  // Allowed before signing in is finished, and a GET: no 403.
  json me = Op("me", "The signed-in user, permissions and CSRF token", kAuthTag, json::object());
  me["responses"].erase("403");
  me["responses"]["200"] = Response("The caller", Ref("Me"));
  paths[base + "/me"] = {{"get", me}};

  json password = Op("change_password", "Change one's own password", kAuthTag, Errors({429}));
  password["description"] = std::string(sessions_only) +
                            " Ends the user's other sessions. A wrong current password counts as a "
                            "failed sign-in: repeated ones lock the account (429).";
  password["responses"]["204"] = NoContent("Changed");
  SetBody(password, JsonContent(Ref("PasswordChange")));
  paths[base + "/password"] = {{"post", password}};

  json setup = Op("begin_mfa", "Start setting up two-factor sign-in", kAuthTag, Errors({409}));
  setup["description"] = std::string(sessions_only) +
                         " Confirm with POST /api/v1/auth/mfa/enable; 409 when it is already on.";
  setup["responses"]["200"] =
      Response("The secret to add to an authenticator app", Ref("MfaSetup"));
  paths[base + "/mfa/setup"] = {{"post", setup}};

  json enable = Op("enable_mfa", "Confirm two-factor sign-in with a code", kAuthTag, Errors({409}));
  enable["description"] = std::string(sessions_only) + " 409 when no set-up was started.";
  enable["responses"]["200"] = Response("Recovery codes", Ref("RecoveryCodes"));
  SetBody(enable, JsonContent(StringFields({"code"})));
  paths[base + "/mfa/enable"] = {{"post", enable}};

  json disable = Op("disable_mfa", "Turn two-factor sign-in off", kAuthTag, Errors({409}));
  disable["description"] =
      std::string(sessions_only) + " Needs the current password; 409 when a role requires it.";
  disable["responses"]["204"] = NoContent("Turned off");
  SetBody(disable, JsonContent(StringFields({"password"})));
  paths[base + "/mfa/disable"] = {{"post", disable}};

  json tokens = Op("list_tokens", "One's own API tokens", kAuthTag, json::object());
  tokens["description"] = sessions_only;
  tokens["responses"]["200"] = Response("Tokens, without their secrets", ArrayOf(Ref("Token")));
  json create = TokenCreation("create_token", "Create an API token", kAuthTag, Errors({409}));
  create["description"] = sessions_only;
  paths[base + "/tokens"] = {{"get", tokens}, {"post", create}};

  json revoke = Op("revoke_token", "Revoke one of one's API tokens", kAuthTag, Errors({404}));
  revoke["description"] = sessions_only;
  revoke["responses"]["204"] = NoContent("Revoked");
  paths[base + "/tokens/{token_id}"] = {{"parameters", {PathParam("token_id", Int64())}},
                                        {"delete", revoke}};

  json delegations =
      Op("list_delegations", "Delegations one gave or received (administrators: all)", kAuthTag,
         json::object());
  delegations["responses"]["200"] = Response("Newest first", Ref("DelegationList"));
  json delegate =
      Op("create_delegation", "Lend one's transition rights for a period", kAuthTag, Errors({422}));
  delegate["description"] =
      "Absence cover: the delegate may take the transitions the delegator's roles allow, from "
      "starts_at until ends_at (at most a year), with the delegator's roles for role rules. "
      "Separation-of-duties rules bind both people, so nobody approves their own record.";
  delegate["responses"]["201"] = Response("The delegation", Ref("Delegation"));
  SetBody(delegate, JsonContent(Ref("DelegationInput")));
  paths[base + "/delegations"] = {{"get", delegations}, {"post", delegate}};
  json end = Op("revoke_delegation", "End a delegation now (delegator, delegate or administrator)",
                kAuthTag, Errors({404, 409}));
  end["responses"]["200"] = Response("The revoked delegation", Ref("Delegation"));
  paths[base + "/delegations/{delegation_id}"] = {
      {"parameters", {PathParam("delegation_id", Int64())}}, {"delete", end}};
}

// POST /api/v1/admin/users/{username}/...: 204 when done.
json UserAction(const std::string& id, const std::string& summary) {
  json op = Op(id, summary, kAdminTag, Errors({404}));
  op["responses"]["204"] = NoContent("Done");
  return op;
}

// /api/v1/admin/...: users, roles, groups, restricted records, security events.
// Administrators only (403 otherwise), but security events need read on
// audit_trail.
void AddAdmin(json& paths) {
  const std::string base = "/api/v1/admin";
  const json username = {{"$ref", "#/components/parameters/Username"}};

  json users = Op("list_users", "User accounts", kAdminTag, json::object());
  users["responses"]["200"] = Response("Users by name", ArrayOf(Ref("User")));
  json create = Op("create_user", "Create a user account", kAdminTag, Errors({409}));
  create["responses"]["201"] = Response("The user", Ref("User"));
  SetBody(create, JsonContent(Ref("UserInput")));
  paths[base + "/users"] = {{"get", users}, {"post", create}};

  json user = Op("get_user", "Read a user account", kAdminTag, Errors({404}));
  user["responses"]["200"] = Response("The user", Ref("User"));
  json update = Op("update_user", "Change a user's name, roles, groups or disabled flag", kAdminTag,
                   Errors({404, 409}));
  update["description"] = "409 when it would leave no enabled administrator.";
  update["responses"]["200"] = Response("The user", Ref("User"));
  SetBody(update, MergePatchContent(Ref("UserPatch")));
  paths[base + "/users/{username}"] = {
      {"parameters", {username}}, {"get", user}, {"patch", update}};

  json unlock = UserAction("unlock_user", "Unlock an account locked after failed sign-ins");
  paths[base + "/users/{username}/unlock"] = {{"parameters", {username}}, {"post", unlock}};
  json reset_mfa = UserAction("reset_user_mfa", "Turn a user's two-factor sign-in off");
  reset_mfa["description"] = "Deletes the recovery codes and ends the user's sessions.";
  paths[base + "/users/{username}/reset-mfa"] = {{"parameters", {username}}, {"post", reset_mfa}};
  json reset_password = UserAction("reset_user_password", "Set a user's password");
  reset_password["description"] =
      "The user must change it at their next sign-in; their sessions end.";
  SetBody(reset_password, JsonContent(Ref("NewPassword")));
  paths[base + "/users/{username}/reset-password"] = {{"parameters", {username}},
                                                      {"post", reset_password}};
  json issue = TokenCreation("issue_user_token", "Create an API token for a user", kAdminTag,
                             Errors({404, 409}));
  paths[base + "/users/{username}/tokens"] = {{"parameters", {username}}, {"post", issue}};

  json roles = Op("list_roles", "Roles and their permissions", kAdminTag, json::object());
  roles["responses"]["200"] = Response("Roles by name", ArrayOf(Ref("Role")));
  paths[base + "/roles"] = {{"get", roles}};
  json put_role = Op("put_role", "Create or change a role", kAdminTag, json::object());
  put_role["description"] =
      "A new role needs a title. Grants not named keep their actions; the administrator "
      "role's grants cannot be changed.";
  put_role["responses"]["200"] = Response("The role", Ref("Role"));
  SetBody(put_role, JsonContent(Ref("RoleInput")));
  paths[base + "/roles/{role}"] = {{"parameters", {PathParam("role", Ref("RoleName"))}},
                                   {"put", put_role}};

  json groups = Op("list_groups", "Need-to-know groups", kAdminTag, json::object());
  groups["responses"]["200"] = Response("Groups by name", ArrayOf(Ref("Group")));
  json create_group = Op("create_group", "Create a need-to-know group", kAdminTag, Errors({409}));
  create_group["responses"]["201"] = Response("The group", Ref("Group"));
  SetBody(create_group, JsonContent(Ref("GroupInput")));
  paths[base + "/groups"] = {{"get", groups}, {"post", create_group}};

  json restricted = Op("list_restricted", "Every restricted record, without its content", kAdminTag,
                       json::object());
  restricted["responses"]["200"] = Response("Restricted records", ArrayOf(Ref("RestrictedRecord")));
  paths[base + "/restricted"] = {{"get", restricted}};

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
  paths[base + "/security-events"] = {{"get", events}};
}

json Common(const model::Registry& registry) {
  json problem = {
      {"type", "object"},
      {"required", {"type", "title", "status"}},
      {"properties",
       {{"type", {{"type", "string"}}},
        {"title", {{"type", "string"}}},
        {"status", {{"type", "integer"}}},
        {"detail", {{"type", "string"}}},
        {"instance", {{"type", "string"}}},
        {"request_id", {{"type", "string"}}},
        {"rule",
         {{"type", "string"},
          {"description",
           "The separation-of-duties rule that refused a transition: not-creator, "
           "not-<user field>, not-actor-of-<transition> or role"}}},
        {"errors",
         {{"type", "array"},
          {"items",
           {{"type", "object"},
            {"required", {"field", "message"}},
            {"properties",
             {{"field", {{"type", "string"}}}, {"message", {{"type", "string"}}}}}}}}}}}};
  json ref_obj = {{"type", "object"},
                  {"properties",
                   {{"type", {{"type", "string"}}},
                    {"id", {{"type", "integer"}}},
                    {"number", {{"type", "string"}}},
                    {"display", {{"type", {"string", "null"}}}},
                    {"archived", {{"type", "boolean"}}}}}};
  json link = {{"type", "object"},
               {"required", {"id", "relation", "direction", "other"}},
               {"properties",
                {{"id", {{"type", "integer"}}},
                 {"relation", {{"type", "string"}}},
                 {"stored_relation", {{"type", "string"}}},
                 {"direction", {{"type", "string"}, {"enum", {"outgoing", "incoming"}}}},
                 {"other", ref_obj},
                 {"note", {{"type", "string"}}},
                 {"created_at", {{"type", "string"}, {"format", "date-time"}}},
                 {"created_by", {{"type", "string"}}}}}};
  json relations = json::array();
  for (const auto& r : model::Registry::Relations()) relations.push_back(r.name);
  json schemas = {
      {"Problem", problem},
      {"Link", link},
      {"LinkList",
       {{"type", "object"},
        {"properties", {{"items", {{"type", "array"}, {"items", Ref("Link")}}}}}}},
      {"LinkInput",
       {{"type", "object"},
        {"required", {"relation", "target"}},
        {"additionalProperties", false},
        {"properties",
         {{"relation", {{"type", "string"}, {"enum", relations}}},
          {"target",
           {{"oneOf",
             {{{"type", "string"}, {"description", "record number, e.g. SVC-000003"}},
              {{"type", "object"},
               {"required", {"type", "id"}},
               {"properties", {{"type", {{"type", "string"}}}, {"id", {{"type", "integer"}}}}}}}}}},
          {"note", {{"type", "string"}, {"maxLength", 2000}}}}}}},
      {"TransitionInput",
       {{"type", "object"},
        {"required", {"name"}},
        {"additionalProperties", false},
        {"properties", {{"name", {{"type", "string"}}}}}}},
      {"Transitions",
       {{"type", "object"},
        {"properties",
         {{"state", {{"type", {"string", "null"}}}},
          {"states", {{"type", "array"}, {"items", {{"type", "string"}}}}},
          {"transitions",
           ArrayOf(Output(
               {{"name", String()},
                {"to", String()},
                {"allowed",
                 {{"type", "boolean"}, {"description", "Whether this caller may take it now"}}},
                {"on_behalf_of",
                 {{"type", "string"},
                  {"description", "Allowed only through this delegator's delegation"}}},
                {"refusal", Output({{"detail", String()}, {"rule", String()}}, {"rule"})}},
               {"on_behalf_of", "refusal"}))}}}}},
      {"History",
       {{"type", "object"},
        {"properties",
         {{"items",
           {{"type", "array"},
            {"items",
             {{"type", "object"},
              {"properties",
               {{"seq", {{"type", "integer"}}},
                {"at", {{"type", "string"}}},
                {"actor", {{"type", "string"}}},
                {"action", {{"type", "string"}}},
                {"changes", {{"type", "object"}}},
                {"hash", {{"type", "string"}}}}}}}}}}}}},
      {"CustomField",
       {{"type", "object"},
        {"required", {"name", "type"}},
        {"properties",
         {{"name", {{"type", "string"}, {"pattern", "^[a-z][a-z0-9_]{0,39}$"}}},
          {"type",
           {{"type", "string"},
            {"enum",
             {"text", "long_text", "integer", "decimal", "boolean", "date", "datetime", "enum",
              "user", "json"}}}},
          {"label", {{"type", "string"}}},
          {"required", {{"type", "boolean"}}},
          {"enum_values", {{"type", "array"}, {"items", {{"type", "string"}}}}},
          {"max_length", {{"type", "integer"}}},
          {"help", {{"type", "string"}}}}}}},
  };
  json params = {
      {"RecordId",
       {{"name", "id"},
        {"in", "path"},
        {"required", true},
        {"description", "Numeric id or record number (INC-000042)"},
        {"schema", {{"type", "string"}}}}},
      {"Filter",
       {{"name", "filter"},
        {"in", "query"},
        {"style", "deepObject"},
        {"explode", true},
        {"description",
         "filter[field]=value or filter[field][op]=value; op is eq, ne, lt, le, gt, ge, in "
         "(comma-separated), contains or null (true/false)"},
        {"schema", {{"type", "object"}, {"additionalProperties", true}}}}},
      {"Sort",
       {{"name", "sort"},
        {"in", "query"},
        {"description", "A field name, prefixed with - for descending"},
        {"schema", {{"type", "string"}}}}},
      {"Limit",
       {{"name", "limit"},
        {"in", "query"},
        {"schema", {{"type", "integer"}, {"minimum", 1}, {"maximum", 500}, {"default", 50}}}}},
      {"After",
       {{"name", "after"},
        {"in", "query"},
        {"description", "The `next` cursor of the previous page"},
        {"schema", {{"type", "string"}}}}},
      {"Search",
       {{"name", "q"},
        {"in", "query"},
        {"description",
         "Words (up to 8) that must each appear, case-insensitively, in one of the type's text "
         "fields; or a record number"},
        {"schema", {{"type", "string"}, {"maxLength", 200}}}}},
      {"IdempotencyKey",
       {{"name", "Idempotency-Key"},
        {"in", "header"},
        {"description", "Retrying with the same key returns the first result"},
        {"schema", {{"type", "string"}, {"maxLength", 200}}}}},
      {"IfMatch",
       {{"name", "If-Match"},
        {"in", "header"},
        {"description", "The ETag (version) you last read"},
        {"schema", {{"type", "string"}}}}},
      {"IfMatchRequired",
       {{"name", "If-Match"},
        {"in", "header"},
        {"required", true},
        {"description", "The ETag (version) you last read"},
        {"schema", {{"type", "string"}}}}},
  };
  schemas.update(AuthSchemas(registry));
  params["Username"] = PathParam("username", String(), "A user name");
  json responses = json::object();
  for (int c : {400, 401, 403, 404, 405, 409, 412, 413, 415, 422, 428, 429})
    responses[std::to_string(c)] = ProblemResponse("Problem details (RFC 9457)");
  responses["401"]["headers"]["WWW-Authenticate"] =
      Header("Bearer realm=\"tandem\" when the request carries no valid credentials");
  responses["429"]["headers"]["Retry-After"] = Header("Seconds to wait before trying again");
  json security = {
      {"bearer",
       {{"type", "http"},
        {"scheme", "bearer"},
        {"description",
         "An API token (\"tdm_...\") from POST /api/v1/auth/tokens or `tandem token add`"}}},
      {"session",
       {{"type", "apiKey"},
        {"in", "cookie"},
        {"name", auth::kSessionCookie},
        {"description",
         "The session cookie set by POST /api/v1/auth/login. A state-changing request (any "
         "method but GET and HEAD) signed in with it must also send the X-CSRF-Token header "
         "holding the csrf_token of GET /api/v1/auth/me or of the login response."}}}};
  return {{"schemas", schemas},
          {"parameters", params},
          {"responses", responses},
          {"securitySchemes", security}};
}

}  // namespace

json QueryParam(const std::string& name, const json& schema, bool required,
                const std::string& description) {
  return {{"name", name},
          {"in", "query"},
          {"required", required},
          {"schema", schema},
          {"description", description}};
}

// The standards and traceability views (docs/api.md): fixed shapes answered
// from the standards index. GET /standards replaces the generic list, and
// GET /correspondences with `standard` answers the view instead of the list.
void AddStandardsViews(json& doc) {
  auto& paths = doc["paths"];
  const char* tag = "Standards and traceability";
  const json side = Output(
      {{"standard", String()}, {"ref", Nullable(String())}, {"qualifier", Nullable(String())}});
  const json standard_key = PathParam("key", String(), "The standard's key, e.g. iso27001:2022");

  json standards =
      Op("list_standards", "Every standard with its requirement count", tag, Errors({405}));
  standards["responses"]["200"] =
      Response("Standards by key", ArrayOf(Output({{"id", String()},
                                                   {"title", String()},
                                                   {"edition", Nullable(String())},
                                                   {"requirement_count", {{"type", "integer"}}},
                                                   {"provenance", Nullable(String())},
                                                   {"verification", Nullable(String())},
                                                   {"verification_note", Nullable(String())},
                                                   {"publisher", Nullable(String())},
                                                   {"management_system", String()},
                                                   {"origin", String()},
                                                   {"record_id", Int64()},
                                                   {"number", String()}})));
  paths["/api/v1/standards"]["get"] = standards;
  doc["components"]["schemas"].erase("standard_list");

  json reqs = Op("list_requirements_of_standard", "A standard's requirements in document order",
                 tag, Errors({404, 405}));
  reqs["responses"]["200"] =
      Response("Requirements", ArrayOf(Output({{"ref", String()},
                                               {"title", Nullable(String())},
                                               {"parent", Nullable(String())},
                                               {"kind", String()},
                                               {"applicability", String()},
                                               {"withdrawn", Boolean()},
                                               {"record_id", Int64()},
                                               {"number", String()}})));
  paths["/api/v1/standards/{key}/requirements"] = {{"parameters", {standard_key}}, {"get", reqs}};

  json corr = paths["/api/v1/correspondences"]["get"];
  corr["summary"] = "Correspondences of one requirement (with standard and ref), or the list";
  corr["description"] =
      "With `standard` and `ref`: the requirement's correspondences seen from its side, and "
      "with derived=true the chains computed on demand (weakest link, full path). Without "
      "`standard`: the ordinary paged list of correspondence records.";
  corr["parameters"].push_back(
      QueryParam("standard", String(), false, "The requirement's standard, e.g. iso27001:2013"));
  corr["parameters"].push_back(QueryParam("ref", String(), false, "As printed, e.g. A.12.3"));
  corr["parameters"].push_back(
      QueryParam("target", String(), false, "Only correspondences into this standard"));
  corr["parameters"].push_back(
      QueryParam("derived", Boolean(), false, "Add derived correspondences"));
  corr["responses"].update(Errors({404}));
  corr["responses"]["200"] = Response(
      "The view (with standard) or a page of records",
      {{"oneOf",
        {ArrayOf(Output({{"source", side},
                         {"target", side},
                         {"relationship", String()},
                         {"qualifier", Nullable(String())},
                         {"origin", Nullable(String())},
                         {"authority", String()},
                         {"note", Nullable(String())},
                         {"derived", Boolean()},
                         {"hops", {{"type", "integer"}}},
                         {"path", ArrayOf({{"type", "object"}})},
                         {"correspondence", String()},
                         {"author", String()},
                         {"rationale", Nullable(String())},
                         {"overrides", String()}},
                        {"note", "hops", "correspondence", "author", "rationale", "overrides"})),
         Ref("correspondence_list")}}});
  paths["/api/v1/correspondences"]["get"] = corr;

  json of = Op("correspondences_of_requirement",
               "Direct and derived correspondences of a requirement", tag, Errors({404, 405}));
  of["description"] =
      "Derived ones are computed on demand by chaining correspondences (at most 4, one "
      "standard visited once, and one step from an item or control to the clause or objective "
      "holding it); the relationship is the weakest link and the path is the provenance. "
      "They are never stored.";
  of["responses"]["200"] =
      Response("The requirement, its correspondences and the derived ones",
               Output({{"requirement", {{"type", "object"}}},
                       {"direct", ArrayOf({{"type", "object"}})},
                       {"derived", ArrayOf(Output({{"requirement", {{"type", "object"}}},
                                                   {"relationship", String()},
                                                   {"hops", {{"type", "integer"}}},
                                                   {"path", ArrayOf({{"type", "object"}})}}))}}));
  paths["/api/v1/requirements/{id}/correspondences"] = {
      {"parameters", {{{"$ref", "#/components/parameters/RecordId"}}}}, {"get", of}};

  json suggest = Op("suggest_requirements", "Requirements an element could also satisfy", tag,
                    Errors({404, 405}));
  suggest["responses"]["200"] =
      Response("Strongest first", ArrayOf(Output({{"requirement", {{"type", "object"}}},
                                                  {"relationship", String()},
                                                  {"derived", Boolean()},
                                                  {"because", {{"type", "object"}}},
                                                  {"via", json::object()},
                                                  {"serves", Boolean()}})));
  paths["/api/v1/elements/{id}/suggestions"] = {
      {"parameters", {{{"$ref", "#/components/parameters/RecordId"}}}}, {"get", suggest}};

  json matrix = Op("traceability_matrix", "The traceability matrix of one standard", tag,
                   Errors({400, 404, 405}));
  matrix["parameters"] = {
      QueryParam("standard", String(), true, "e.g. iso27001:2022"),
      QueryParam("format", {{"type", "string"}, {"enum", {"json", "csv", "xlsx"}}}, false,
                 "json (default), or a CSV or XLSX download"),
      QueryParam("limit", {{"type", "integer"}, {"minimum", 1}, {"maximum", 5000}}, false,
                 "JSON rows per page (default 2000)"),
      QueryParam("after", {{"type", "string"}}, false,
                 "the next page: the `next` of the previous one")};
  const json summary = Output({{"requirements", {{"type", "integer"}}},
                               {"covered", {{"type", "integer"}}},
                               {"partial", {{"type", "integer"}}},
                               {"gaps", {{"type", "integer"}}},
                               {"not_applicable", {{"type", "integer"}}},
                               {"withdrawn", {{"type", "integer"}}}});
  const json row = Output(
      {{"ref", String()},
       {"title", Nullable(String())},
       {"kind", String()},
       {"parent", Nullable(String())},
       {"status", {{"type", "string"}, {"enum", {"covered", "partial", "gap", "not_applicable"}}}},
       {"from_parts", Boolean()},
       {"justification", String()},
       {"elements", ArrayOf({{"type", "object"}})}},
      {"from_parts", "justification"});
  matrix["responses"]["200"] =
      Response("Every requirement with its elements and status",
               Output({{"standard", {{"type", "object"}}},
                       {"summary", summary},
                       {"rows", ArrayOf(row)},
                       {"next", Nullable(String())},
                       {"shared_elements", ArrayOf({{"type", "object"}})}}));
  matrix["responses"]["200"]["content"]["text/csv"] = {{"schema", String()}};
  matrix["responses"]["200"]["content"]
        ["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"] = {
            {"schema", {{"type", "string"}, {"contentMediaType", "application/octet-stream"}}}};
  paths["/api/v1/traceability"] = {{"get", matrix}};

  json catalog =
      Op("export_oscal_catalog", "A standard as an OSCAL 1.2.1 catalog", tag, Errors({404, 405}));
  catalog["responses"]["200"] = Response("{\"catalog\": ...}", {{"type", "object"}});
  paths["/api/v1/standards/{key}/oscal"] = {{"parameters", {standard_key}}, {"get", catalog}};

  json mapping = Op("export_oscal_mapping",
                    "Correspondences between two standards as an OSCAL 1.2.1 mapping collection",
                    tag, Errors({400, 404, 405, 422}));
  mapping["parameters"] = {QueryParam("source", String(), true, "e.g. iso27001:2013"),
                           QueryParam("target", String(), true, "e.g. iso20000-1:2011")};
  mapping["responses"]["200"] = Response("{\"mapping-collection\": ...}", {{"type", "object"}});
  paths["/api/v1/correspondences/oscal"] = {{"get", mapping}};

  json import = Op("import_framework", "Import a custom framework from CSV or an OSCAL catalog",
                   tag, Errors({400, 409, 413, 415, 422}));
  import["description"] =
      "The body is a CSV file (text/csv: ref, title[, parent, kind]) or an OSCAL catalog "
      "(application/json). All or nothing: every bad row is named by its line or JSON location.";
  import["parameters"] = {QueryParam("key", String(), false, "Required for CSV, e.g. acme:2026"),
                          QueryParam("title", String(), false, "Required for CSV"),
                          QueryParam("edition", String(), false, "Edition or version"),
                          QueryParam("publisher", String(), false, "Publisher"),
                          QueryParam("management_system",
                                     {{"type", "string"},
                                      { "enum",
                                        { "isms",
                                          "sms",
                                          "qms",
                                          "other" } }},
                                     false, "Default other")};
  import["requestBody"] = {{"required", true},
                           { "content",
                             { {"text/csv",
                                {
                                  { "schema",
                                    String() }
                                }},
                               { "application/json",
                                 {
                                   { "schema",
                                     {
                                       { "type",
                                         "object" }
                                     } }
                                 } } } }};
  import["responses"]["201"] = Response("The standard and how many requirements were created",
                                        Output({{"standard", Ref("standard")},
                                                {"requirements",
                                                 {
                                                   { "type",
                                                     "integer" }
                                                 }},
                                                { "withdrawn",
                                                  {
                                                    { "type",
                                                      "integer" }
                                                  } }}));
  paths["/api/v1/standards/import"] = {{"post", import}};

  json terms = Op("terminology", "ISO/IEC 27013 Annex B: terms of 27000 and 20000-1 compared", tag,
                  Errors({405}));
  terms["parameters"] = {
      QueryParam("field", String(), false, "Only terms to show beside this field or type")};
  terms["responses"]["200"] = Response(
      "Terms", ArrayOf(Output(
                   {{"term", String()},
                    {"in_27000", Boolean()},
                    {"in_20000_1", Boolean()},
                    {"meaning",
                     {{"type", "string"}, {"enum", {"same", "similar", "different", "one-only"}}}},
                    {"note", String()},
                    {"fields", ArrayOf(String())}})));
  paths["/api/v1/terminology"] = {{"get", terms}};

  json overlap = Op("scope_overlap", "What the ISMS and SMS scopes in force cover, compared",
                    "Scope", Errors({405}));
  const json members = {{"type", "object"},
                        {"properties",
                         {{"in_both", ArrayOf({{"type", "object"}})},
                          {"isms_only", ArrayOf({{"type", "object"}})},
                          {"sms_only", ArrayOf({{"type", "object"}})}}}};
  overlap["responses"]["200"] = Response(
      "Members by kind and the warnings ISO/IEC 27013 5.2 implies",
      Output({{"scopes", {{"type", "object"}}},
              {"kinds", {{"type", "object"}, {"additionalProperties", members}}},
              {"warnings", ArrayOf(Output({{"code",
                                            {{"type", "string"},
                                             {"enum",
                                              {"service-outside-isms",
                                               "process-operated-by-other-party", "no-scope"}}}},
                                           {"member", {{"type", {"object", "null"}}}},
                                           {"message", String()}}))}}));
  paths["/api/v1/scopes/overlap"] = {{"get", overlap}};

  json readiness = Op("readiness", "Readiness for a standard over time, from gap assessments", tag,
                      Errors({400, 404, 405}));
  readiness["parameters"] = {
      QueryParam("standard", String(), true, "e.g. iso27001:2022"),
      QueryParam("format", {{"type", "string"}, {"enum", {"json", "svg"}}}, false,
                 "json (default), or svg: a line chart of readiness (0-100%) by assessment date")};
  readiness["responses"]["200"] = Response("One entry per assessment, oldest first",
                                           ArrayOf(Output({{"assessment", {{"type", "object"}}},
                                                           {"requirements", {{"type", "integer"}}},
                                                           {"counts", {{"type", "object"}}},
                                                           {"readiness", {{"type", "number"}}}})));
  readiness["responses"]["200"]["content"]["image/svg+xml"] = {{"schema", String()}};
  paths["/api/v1/assessments/readiness"] = {{"get", readiness}};

  json seed = Op("seed_integration_plan", "Seed the integration plan from the starting scenario",
                 tag, Errors({409, 405}));
  SetBody(seed, JsonContent(Input(
                    {{"scenario",
                      {{"type", "string"}, {"enum", {"none_used", "one_used", "both_separate"}}}}},
                    {"scenario"})));
  seed["responses"]["201"] = Response(
      "The tasks created", Output({{"scenario", String()}, {"tasks", ArrayOf(Ref("plan_task"))}}));
  paths["/api/v1/integration-plan"] = {{"post", seed}};
}

// The Statement of Applicability views (soa_api.cpp).
void AddSoaViews(json& doc) {
  auto& paths = doc["paths"];
  const char* tag = "Statement of Applicability";
  const json id = {{"$ref", "#/components/parameters/RecordId"}};
  const json items = ArrayOf(Output({{"id", Int64()},
                                     {"number", String()},
                                     {"title", Nullable(String())},
                                     {"state", Nullable(String())}}));
  const json row = Output({{"ref", String()},
                           {"title", Nullable(String())},
                           {"requirement", Int64()},
                           {"entry", Nullable(Int64())},
                           {"applicability", Nullable(String())},
                           {"reasons", ArrayOf(String())},
                           {"justification", Nullable(String())},
                           {"implementation", Nullable(String())},
                           {"note", Nullable(String())},
                           {"requirement_applicability", String()},
                           {"elements", items},
                           {"risks", items}});
  json counts = json::object();
  for (const char* k : {"controls", "applicable", "not_applicable", "implemented", "partial",
                        "planned", "not_implemented", "undecided", "missing"})
    counts[k] = {{"type", "integer"}};
  json statement = Op("soa_statement", "A statement of applicability, control by control", tag,
                      Errors({400, 404, 405, 422}));
  statement["description"] =
      "A draft's statement is worked out from the live records (entries, the elements traced to "
      "each control, the risks the control or its elements mitigate); an approved one is the "
      "statement frozen at approval. Only what the caller may see is included. format=oscal "
      "gives it as an OSCAL 1.2.1 system security plan: one implemented requirement per control "
      "with an entry (422 when there is none to show).";
  statement["parameters"] = {
      QueryParam("format", {{"type", "string"}, {"enum", {"json", "csv", "xlsx", "oscal"}}}, false,
                 "json (default), a CSV or XLSX download, or oscal (an OSCAL system security "
                 "plan, JSON)")};
  const json ssp = {{"type", "object"},
                    {"required", json::array({"system-security-plan"})},
                    {"properties", {{"system-security-plan", {{"type", "object"}}}}}};
  statement["responses"]["200"] =
      Response("The statement; with format=oscal, {\"system-security-plan\": ...}",
               {{"oneOf",
                 {Output({{"soa", {{"type", "object"}}},
                          {"frozen", Boolean()},
                          {"summary", Output(counts)},
                          {"rows", ArrayOf(row)},
                          {"missing", ArrayOf(String())}}),
                  ssp}}});
  statement["responses"]["200"]["content"]["text/csv"] = {{"schema", String()}};
  statement["responses"]["200"]["content"]
           ["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"] = {
               {"schema", {{"type", "string"}, {"contentMediaType", "application/octet-stream"}}}};
  paths["/api/v1/soas/{id}/statement"] = {{"parameters", {id}}, {"get", statement}};

  json populate = Op("soa_populate", "Add an entry for every control a draft lacks", tag,
                     Errors({403, 404, 405, 409}));
  populate["description"] =
      "Entries are copied from the latest approved revision, or prefilled from the "
      "requirement's applicability, the traces and risk links; implementation comes from the "
      "latest completed gap assessment when there is one. All or nothing.";
  populate["responses"]["200"] =
      Response("What was added", Output({{"created", {{"type", "integer"}}},
                                         {"copied_from", Nullable(String())},
                                         {"assessment", Nullable(String())}}));
  paths["/api/v1/soas/{id}/populate"] = {{"parameters", {id}}, {"post", populate}};

  json compare = Op("soa_compare", "What changed between two statements of one standard", tag,
                    Errors({400, 404, 405, 422}));
  compare["parameters"] = {QueryParam("from", String(), true, "id or number, e.g. SOA-000001"),
                           QueryParam("to", String(), true, "id or number, e.g. SOA-000002")};
  compare["responses"]["200"] =
      Response("Changes control by control",
               Output({{"from", {{"type", "object"}}},
                       {"to", {{"type", "object"}}},
                       {"summary", Output({{"added", {{"type", "integer"}}},
                                           {"removed", {{"type", "integer"}}},
                                           {"changed", {{"type", "integer"}}},
                                           {"unchanged", {{"type", "integer"}}}})},
                       {"changes", ArrayOf({{"type", "object"}})}}));
  paths["/api/v1/soas/compare"] = {{"get", compare}};
}

json BuildOpenApi(const model::Registry& registry) {
  json doc = {
      {"openapi", "3.1.0"},
      {"info",
       {{"title", "Tandem API"},
        {"version", "1"},
        {"description",
         "One set of records for an integrated ISO/IEC 27001, ISO/IEC 20000-1 and ISO 9001 "
         "management system."},
        {"license", {{"name", "Proprietary"}, {"identifier", "LicenseRef-Tandem"}}}}},
      {"servers", {{{"url", "/"}}}},
      {"security", {{{"bearer", json::array()}}, {{"session", json::array()}}}},
      {"paths", json::object()},
      {"components", Common(registry)},
  };
  auto& paths = doc["paths"];
  json health = PublicOp("health", "Liveness check", "System", Errors({405}));
  health["responses"]["200"] = Response("Up", {{"type", "object"}});
  paths["/api/v1/health"] = {{"get", health}};
  json openapi = PublicOp("openapi", "This OpenAPI document", "System", Errors({405}));
  openapi["responses"]["200"] = Response("OpenAPI 3.1", {{"type", "object"}});
  paths["/api/v1/openapi.json"] = {{"get", openapi}};
  json types = Op("list_types", "Record types this server serves", "System", Errors({405}));
  types["responses"]["200"] =
      Response("Types", {{"type", "array"}, {"items", {{"type", "object"}}}});
  paths["/api/v1/types"] = {{"get", types}};
  json cf_list =
      Op("list_custom_fields", "Custom fields of a record type", "System", Errors({404}));
  cf_list["responses"]["200"] =
      Response("Definitions", {{"type", "array"}, {"items", Ref("CustomField")}});
  json cf_add = Op("define_custom_field", "Add a custom field to a record type", "System",
                   Errors({404, 409}));
  cf_add["responses"]["201"] = Response("The definition", Ref("CustomField"));
  SetBody(cf_add, JsonContent(Ref("CustomField")));
  paths["/api/v1/types/{type}/custom-fields"] = {
      {"parameters", {PathParam("type", String())}}, {"get", cf_list}, {"post", cf_add}};
  json verify = Op("verify_audit", "Verify the audit trail's hash chain", "System", Errors({405}));
  verify["responses"]["200"] = Response("Verification report", {{"type", "object"}});
  paths["/api/v1/audit/verify"] = {{"get", verify}};
  AddAuth(paths);
  AddAdmin(paths);
  for (const auto& t : registry.types()) AddRecordType(doc, t);
  AddStandardsViews(doc);
  AddSoaViews(doc);
  return doc;
}

}  // namespace tandem::http

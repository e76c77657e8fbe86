// The OpenAPI 3.1 document: the shared components, and every route's own
// operation (http/router.h). The record routes' operations are generated from
// the declarations (record_routes.cpp), so the document cannot drift from what
// the server accepts; tests/api/openapi_check.mjs checks every answer the API
// test files get against it.
#include "http/openapi.h"

#include <algorithm>

#include "auth/session_cookie.h"
#include "http/router.h"
#include "model/registry.h"

namespace tandem::http {

namespace oas {

using model::FieldType;

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
    case FieldType::kFile:
      s = {{"type", "object"},
           {"required", {"sha256", "name"}},
           {"properties",
            {{"sha256", {{"type", "string"}, {"pattern", "^[0-9a-f]{64}$"}}},
             {"name", {{"type", "string"}, {"maxLength", 200}}},
             {"media_type", {{"type", "string"}, {"readOnly", true}}},
             {"size", {{"type", "integer"}, {"readOnly", true}}}}},
           {"description", "A file from POST /api/v1/files; download it from …/files/{field}"}};
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

json PathParam(const std::string& name, const json& schema, const std::string& description) {
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
json Output(const json& properties, std::initializer_list<const char*> optional) {
  json required = json::array();
  for (const auto& [name, _] : properties.items())
    if (std::find(optional.begin(), optional.end(), name) == optional.end())
      required.push_back(name);
  return {{"type", "object"}, {"required", required}, {"properties", properties}};
}

// A request body whose unknown members are refused (422).
json Input(const json& properties, const json& required) {
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
  // Any API request may meet a rate limit (serve --rate-limit-*).
  responses.update(Errors({429}));
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

json QueryParam(const std::string& name, const json& schema, bool required,
                const std::string& description) {
  return {{"name", name},
          {"in", "query"},
          {"required", required},
          {"schema", schema},
          {"description", description}};
}

json RecordIdParam() { return {{"$ref", "#/components/parameters/RecordId"}}; }

void AddFileContent(json& response, const char* media_type) {
  response["content"][media_type] = {
      {"schema", {{"type", "string"}, {"contentMediaType", "application/octet-stream"}}}};
}

}  // namespace oas

namespace {

using nlohmann::json;
using namespace oas;

// Components every part of the API shares: problem details, links,
// transitions, history, custom fields, list parameters, error responses and
// the security schemes.
json Common() {
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

json BuildOpenApi(const Router& router) {
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
      {"components", Common()},
  };
  router.Describe(doc);
  return doc;
}

}  // namespace tandem::http

// Generates the OpenAPI 3.1 description from the record-type declarations, so
// the document can never drift from what the server accepts.
#include <nlohmann/json.hpp>

#include "http/api.h"

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

json Response(const std::string& description, const json& schema) {
  return {{"description", description}, {"content", JsonContent(schema)}};
}

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

json Op(const std::string& id, const std::string& summary, const std::string& tag, json responses) {
  return {{"operationId", id},
          {"summary", summary},
          {"tags", {tag}},
          {"responses", std::move(responses)}};
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
  };
  json required = {"id",         "number",     "type",       "version",  "created_at",
                   "created_by", "updated_at", "updated_by", "archived", "custom"};
  if (t.states) {
    props["state"] = {{"type", "string"}, {"enum", t.states->states}, {"readOnly", true}};
    required.push_back("state");
  }
  json input_props = {{"custom", {{"type", "object"}}}};
  json create_required = json::array();
  for (const auto& f : t.fields) {
    props[f.name] = FieldSchema(f);
    required.push_back(f.name);
    if (f.computed) continue;
    input_props[f.name] = FieldSchema(f);
    if (f.required && !f.default_value) create_required.push_back(f.name);
  }
  const std::string T = t.name;
  auto& schemas = doc["components"]["schemas"];
  schemas[T] = {{"type", "object"},
                {"title", t.title},
                {"description", t.description},
                {"properties", props},
                {"required", required}};
  schemas[T + "_create"] = {{"type", "object"},
                            {"properties", input_props},
                            {"required", create_required},
                            {"additionalProperties", false}};
  schemas[T + "_patch"] = {
      {"type", "object"}, {"properties", input_props}, {"additionalProperties", false}};
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
                        {{"$ref", "#/components/parameters/After"}}};
  json create =
      Op("create_" + T, "Create a " + t.title, t.title, Errors({400, 409, 413, 415, 422}));
  create["responses"]["201"] = Response("Created", Ref(T));
  create["parameters"] = {{{"$ref", "#/components/parameters/IdempotencyKey"}}};
  create["requestBody"] = {{"required", true}, {"content", JsonContent(Ref(T + "_create"))}};
  paths[base] = {{"get", list}, {"post", create}};

  json get = Op("get_" + T, "Read a " + t.title, t.title, Errors({404}));
  get["responses"]["200"] = Response("The record; ETag carries its version", Ref(T));
  json patch = Op("update_" + T, "Change fields of a " + t.title, t.title,
                  Errors({400, 404, 409, 412, 415, 422, 428}));
  patch["responses"]["200"] = Response("The updated record", Ref(T));
  patch["parameters"] = {{{"$ref", "#/components/parameters/IfMatchRequired"}}};
  patch["requestBody"] = {{"required", true}, {"content", JsonContent(Ref(T + "_patch"))}};
  json del = Op("archive_" + T, "Archive a " + t.title + " (nothing is deleted)", t.title,
                Errors({404, 412}));
  del["responses"]["200"] = Response("The archived record", Ref(T));
  del["parameters"] = {{{"$ref", "#/components/parameters/IfMatch"}}};
  paths[base + "/{id}"] = {
      {"parameters", {id_param}}, {"get", get}, {"patch", patch}, {"delete", del}};

  json restore = Op("restore_" + T, "Restore an archived " + t.title, t.title, Errors({404, 412}));
  restore["responses"]["200"] = Response("The restored record", Ref(T));
  paths[base + "/{id}/restore"] = {{"parameters", {id_param}}, {"post", restore}};

  json hist = Op("history_" + T, "Audit events of a " + t.title, t.title, Errors({404}));
  hist["responses"]["200"] = Response("Events, oldest first", Ref("History"));
  paths[base + "/{id}/history"] = {{"parameters", {id_param}}, {"get", hist}};

  json links = Op("links_" + T, "Links from and to a " + t.title, t.title, Errors({404}));
  links["responses"]["200"] = Response("Links", Ref("LinkList"));
  json add_link = Op("add_link_" + T, "Link a " + t.title + " to another record", t.title,
                     Errors({400, 404, 409, 415, 422}));
  add_link["responses"]["201"] = Response("The new link", Ref("Link"));
  add_link["requestBody"] = {{"required", true}, {"content", JsonContent(Ref("LinkInput"))}};
  paths[base + "/{id}/links"] = {{"parameters", {id_param}}, {"get", links}, {"post", add_link}};
  json rm_link = Op("remove_link_" + T, "Remove a link", t.title, Errors({404}));
  rm_link["responses"]["204"] = {{"description", "Removed"}};
  paths[base + "/{id}/links/{link_id}"] = {{"parameters",
                                            {id_param,
                                             {{"name", "link_id"},
                                              {"in", "path"},
                                              {"required", true},
                                              {"schema", {{"type", "integer"}}}}}},
                                           {"delete", rm_link}};

  if (t.states) {
    json tr =
        Op("transitions_" + T, "Current state and allowed transitions", t.title, Errors({404}));
    tr["responses"]["200"] = Response("Allowed transitions", Ref("Transitions"));
    json take =
        Op("transition_" + T, "Take a transition", t.title, Errors({400, 404, 409, 412, 415, 422}));
    take["responses"]["200"] = Response("The record in its new state", Ref(T));
    take["parameters"] = {{{"$ref", "#/components/parameters/IfMatch"}}};
    take["requestBody"] = {{"required", true}, {"content", JsonContent(Ref("TransitionInput"))}};
    paths[base + "/{id}/transitions"] = {{"parameters", {id_param}}, {"get", tr}, {"post", take}};
  }
}

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
          {"transitions", {{"type", "array"}, {"items", {{"type", "object"}}}}}}}}},
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
  json responses = json::object();
  for (int c : {400, 404, 405, 409, 412, 413, 415, 422, 428})
    responses[std::to_string(c)] = ProblemResponse("Problem details (RFC 9457)");
  return {{"schemas", schemas}, {"parameters", params}, {"responses", responses}};
}

}  // namespace

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
      {"paths", json::object()},
      {"components", Common()},
  };
  auto& paths = doc["paths"];
  json health = Op("health", "Liveness check", "System", Errors({405}));
  health["responses"]["200"] = Response("Up", {{"type", "object"}});
  paths["/api/v1/health"] = {{"get", health}};
  json types = Op("list_types", "Record types this server serves", "System", Errors({405}));
  types["responses"]["200"] =
      Response("Types", {{"type", "array"}, {"items", {{"type", "object"}}}});
  paths["/api/v1/types"] = {{"get", types}};
  json cf_list =
      Op("list_custom_fields", "Custom fields of a record type", "System", Errors({404}));
  cf_list["responses"]["200"] =
      Response("Definitions", {{"type", "array"}, {"items", Ref("CustomField")}});
  json cf_add = Op("define_custom_field", "Add a custom field to a record type", "System",
                   Errors({400, 404, 409, 415, 422}));
  cf_add["responses"]["201"] = Response("The definition", Ref("CustomField"));
  cf_add["requestBody"] = {{"required", true}, {"content", JsonContent(Ref("CustomField"))}};
  paths["/api/v1/types/{type}/custom-fields"] = {
      {"parameters",
       {{{"name", "type"}, {"in", "path"}, {"required", true}, {"schema", {{"type", "string"}}}}}},
      {"get", cf_list},
      {"post", cf_add}};
  json verify = Op("verify_audit", "Verify the audit trail's hash chain", "System", Errors({405}));
  verify["responses"]["200"] = Response("Verification report", {{"type", "object"}});
  paths["/api/v1/audit/verify"] = {{"get", verify}};
  for (const auto& t : registry.types()) AddRecordType(doc, t);
  return doc;
}

}  // namespace tandem::http

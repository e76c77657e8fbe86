// The generic routes of a record type, with their OpenAPI operations, both
// made from its declaration: list and create, read, update and archive,
// restore, restriction, history, links and transitions.
#include <charconv>

#include "core/hash.h"
#include "http/api.h"
#include "http/call.h"
#include "http/openapi.h"
#include "http/router.h"
#include "records/codec.h"

namespace tandem::http {

using nlohmann::json;
using namespace oas;

namespace {

// The record `text` names: a numeric id, a number (INC-000042) or, for a type
// with a key field, its key (iso27001:2022). A 404 when there is none the
// caller may see.
Result<int64_t> RecordId(records::Engine& engine, const Call& call, const model::RecordType& type,
                         const std::string& text) {
  if (const int64_t id = records::ParseRecordId(type, text); id != 0) return id;
  const Error none = MakeError(ErrorCode::kNotFound, "no " + type.name + " '" + text + "'");
  if (type.key_field.empty()) return none;
  TANDEM_ASSIGN_OR_RETURN(
      auto q, engine.ParseList(type, {{"filter[" + type.key_field + "]", text}, {"limit", "1"}}));
  TANDEM_ASSIGN_OR_RETURN(auto page, engine.List(call.actor(), type, q));
  if (page.items.empty()) return none;
  return page.items[0]["id"].get<int64_t>();
}

// GET /{collection}
Status List(records::Engine& engine, Call& call, const model::RecordType& type) {
  std::multimap<std::string, std::string> params(call.req.params.begin(), call.req.params.end());
  TANDEM_ASSIGN_OR_RETURN(auto q, engine.ParseList(type, params));
  TANDEM_ASSIGN_OR_RETURN(auto list, engine.List(call.actor(), type, q));
  return Reply(call, 200,
               {{"items", std::move(list.items)},
                {"limit", q.limit},
                {"next", list.next_cursor.empty() ? json() : json(list.next_cursor)}});
}

// POST /{collection}
Status Create(records::Engine& engine, Call& call, const model::RecordType& type) {
  const auto& req = call.req;
  TANDEM_ASSIGN_OR_RETURN(json body, ParseBody(req, false));
  std::optional<records::IdempotencyKey> idem;
  if (req.has_header("Idempotency-Key")) {
    std::string key = req.get_header_value("Idempotency-Key");
    if (key.empty() || key.size() > 200)
      return MakeError(ErrorCode::kBadRequest, "Idempotency-Key must be 1 to 200 characters");
    idem = records::IdempotencyKey{key, Sha256Hex(req.method + " " + req.path + "\n" + req.body)};
  }
  bool replayed = false;
  TANDEM_ASSIGN_OR_RETURN(json rec, engine.Create(call.actor(), type, body, idem, &replayed));
  call.res.set_header(
      "Location", "/api/v1/" + type.collection + "/" + std::to_string(rec["id"].get<int64_t>()));
  if (replayed) call.res.set_header("Idempotent-Replayed", "true");
  return ReplyRecord(call, 201, rec);
}

Status Patch(records::Engine& engine, Call& call, const model::RecordType& type, int64_t id) {
  TANDEM_ASSIGN_OR_RETURN(auto version, IfMatch(call.req));
  if (!version)
    return MakeError(ErrorCode::kPreconditionRequired,
                     "send If-Match with the version you edited (the ETag of your GET)");
  TANDEM_ASSIGN_OR_RETURN(json body, ParseBody(call.req, true));
  TANDEM_ASSIGN_OR_RETURN(json rec, engine.Update(call.actor(), type, id, *version, body));
  return ReplyRecord(call, 200, rec);
}

Status Archive(records::Engine& engine, Call& call, const model::RecordType& type, int64_t id,
               bool archived) {
  TANDEM_ASSIGN_OR_RETURN(auto version, IfMatch(call.req));
  TANDEM_ASSIGN_OR_RETURN(json rec, engine.SetArchived(call.actor(), type, id, archived, version));
  return ReplyRecord(call, 200, rec);
}

// PUT /{collection}/{id}/restriction {"group": "incident-response" | null}
Status Restrict(records::Engine& engine, Call& call, const model::RecordType& type, int64_t id) {
  TANDEM_ASSIGN_OR_RETURN(json body, ParseBody(call.req, false));
  if (!body.is_object() || body.size() != 1 || !body.contains("group") ||
      !(body["group"].is_string() || body["group"].is_null()))
    return MakeError(
        ErrorCode::kValidation, "name the group, or null to lift the restriction",
        {{"group", "must be a group name or null, e.g. {\"group\": \"incident-response\"}"}});
  TANDEM_ASSIGN_OR_RETURN(auto version, IfMatch(call.req));
  const json& g = body["group"];
  TANDEM_ASSIGN_OR_RETURN(
      json rec,
      engine.Restrict(call.actor(), type, id,
                      g.is_null() ? std::nullopt : std::optional<std::string>(g), version));
  return ReplyRecord(call, 200, rec);
}

// POST /{collection}/{id}/transitions {"name": "resolve"}
Status Transition(records::Engine& engine, Call& call, const model::RecordType& type, int64_t id) {
  TANDEM_ASSIGN_OR_RETURN(json body, ParseBody(call.req, false));
  if (!body.is_object() || !body.contains("name") || !body["name"].is_string() || body.size() != 1)
    return MakeError(ErrorCode::kValidation, "name the transition to take",
                     {{"name", "must be the transition's name, e.g. {\"name\": \"resolve\"}"}});
  TANDEM_ASSIGN_OR_RETURN(auto version, IfMatch(call.req));
  TANDEM_ASSIGN_OR_RETURN(json rec, engine.Transition(call.actor(), type, id,
                                                      body["name"].get<std::string>(), version));
  return ReplyRecord(call, 200, rec);
}

Status RemoveLink(records::Engine& engine, Call& call, const model::RecordType& type, int64_t id) {
  const std::string& text = call.param(1);
  int64_t link_id = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), link_id);
  if (ec != std::errc() || p != text.data() + text.size())
    return MakeError(ErrorCode::kNotFound, "no link '" + text + "'");
  TANDEM_RETURN_IF_ERROR(engine.RemoveLink(call.actor(), type, id, link_id));
  return ReplyNoContent(call);
}

// The schemas of a type's records and of what its routes accept.
void AddSchemas(Router& router, const model::RecordType& t) {
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
  const std::string& T = t.name;
  router.AddSchema(T, {{"type", "object"},
                       {"title", t.title},
                       {"description", t.description},
                       {"properties", props},
                       {"required", required}});
  router.AddSchema(T + "_create", Input(create_props, create_required));
  router.AddSchema(T + "_patch", Input(input_props));
  router.AddSchema(T + "_list", {{"type", "object"},
                                 {"required", {"items", "limit", "next"}},
                                 {"properties",
                                  {{"items", {{"type", "array"}, {"items", Ref(T)}}},
                                   {"limit", {{"type", "integer"}}},
                                   {"next", {{"type", {"string", "null"}}}}}}});
}

}  // namespace

void AddRecordRoutes(Router& router, records::Engine& engine, const model::RecordType& t) {
  AddSchemas(router, t);
  const std::string& T = t.name;
  const std::string base = "/" + t.collection;
  const model::RecordType* type = &t;
  records::Engine* e = &engine;
  // A route on one record: the handler gets its id.
  auto one = [&](const char* method, const std::string& path, json op,
                 std::function<Status(Call&, int64_t)> f) {
    op["parameters"].push_back(RecordIdParam());
    router.Add({method, base + "/{id}" + path,
                [e, type, f](Call& call) -> Status {
                  TANDEM_ASSIGN_OR_RETURN(int64_t id, RecordId(*e, call, *type, call.param(0)));
                  return f(call, id);
                },
                std::move(op)});
  };

  json list = Op("list_" + t.collection, "List " + t.title + " records", t.title, Errors({400}));
  list["responses"]["200"] = Response("A page of records", Ref(T + "_list"));
  list["parameters"] = {{{"$ref", "#/components/parameters/Filter"}},
                        {{"$ref", "#/components/parameters/Sort"}},
                        {{"$ref", "#/components/parameters/Limit"}},
                        {{"$ref", "#/components/parameters/After"}},
                        {{"$ref", "#/components/parameters/Search"}}};
  router.Add({"GET", base, [e, type](Call& c) { return List(*e, c, *type); }, list});

  json create = Op("create_" + T, "Create a " + t.title, t.title, Errors({409}));
  create["responses"]["201"] = Response("Created", Ref(T));
  create["parameters"] = {{{"$ref", "#/components/parameters/IdempotencyKey"}}};
  SetBody(create, JsonContent(Ref(T + "_create")));
  router.Add({"POST", base, [e, type](Call& c) { return Create(*e, c, *type); }, create});

  json get = Op("get_" + T, "Read a " + t.title, t.title, Errors({404}));
  get["responses"]["200"] = Response("The record; ETag carries its version", Ref(T));
  one("GET", "", get, [e, type](Call& c, int64_t id) -> Status {
    TANDEM_ASSIGN_OR_RETURN(json rec, e->Get(c.actor(), *type, id));
    return ReplyRecord(c, 200, rec);
  });

  json patch =
      Op("update_" + T, "Change fields of a " + t.title, t.title, Errors({404, 409, 412, 428}));
  patch["responses"]["200"] = Response("The updated record", Ref(T));
  patch["parameters"] = {{{"$ref", "#/components/parameters/IfMatchRequired"}}};
  SetBody(patch, MergePatchContent(Ref(T + "_patch")));
  one("PATCH", "", patch, [e, type](Call& c, int64_t id) { return Patch(*e, c, *type, id); });

  json del = Op("archive_" + T, "Archive a " + t.title + " (nothing is deleted)", t.title,
                Errors({404, 412}));
  del["responses"]["200"] = Response("The archived record", Ref(T));
  del["parameters"] = {{{"$ref", "#/components/parameters/IfMatch"}}};
  one("DELETE", "", del,
      [e, type](Call& c, int64_t id) { return Archive(*e, c, *type, id, true); });

  json restore = Op("restore_" + T, "Restore an archived " + t.title, t.title, Errors({404, 412}));
  restore["responses"]["200"] = Response("The restored record", Ref(T));
  one("POST", "/restore", restore,
      [e, type](Call& c, int64_t id) { return Archive(*e, c, *type, id, false); });

  json restrict = Op("restrict_" + T, "Restrict a " + t.title + " to a group, or lift it", t.title,
                     Errors({404, 409, 412}));
  restrict["description"] =
      "Makes the record need-to-know: only members of the group can then read or change it. "
      "Needs update permission and membership of the new group and of the current one; "
      "{\"group\": null} lifts the restriction.";
  restrict["responses"]["200"] = Response("The record with its new restriction", Ref(T));
  restrict["parameters"] = {{{"$ref", "#/components/parameters/IfMatch"}}};
  SetBody(restrict, JsonContent(Ref("RestrictionInput")));
  one("PUT", "/restriction", restrict,
      [e, type](Call& c, int64_t id) { return Restrict(*e, c, *type, id); });

  json hist = Op("history_" + T, "Audit events of a " + t.title, t.title, Errors({404}));
  hist["responses"]["200"] = Response("Events, oldest first", Ref("History"));
  one("GET", "/history", hist, [e, type](Call& c, int64_t id) -> Status {
    TANDEM_ASSIGN_OR_RETURN(json h, e->History(c.actor(), *type, id));
    return Reply(c, 200, {{"items", std::move(h)}});
  });

  json links = Op("links_" + T, "Links from and to a " + t.title, t.title, Errors({404}));
  links["responses"]["200"] = Response("Links", Ref("LinkList"));
  one("GET", "/links", links, [e, type](Call& c, int64_t id) -> Status {
    TANDEM_ASSIGN_OR_RETURN(json l, e->Links(c.actor(), *type, id));
    return Reply(c, 200, {{"items", std::move(l)}});
  });
  json add_link =
      Op("add_link_" + T, "Link a " + t.title + " to another record", t.title, Errors({404, 409}));
  add_link["responses"]["201"] = Response("The new link", Ref("Link"));
  SetBody(add_link, JsonContent(Ref("LinkInput")));
  one("POST", "/links", add_link, [e, type](Call& c, int64_t id) -> Status {
    TANDEM_ASSIGN_OR_RETURN(json body, ParseBody(c.req, false));
    TANDEM_ASSIGN_OR_RETURN(json link, e->AddLink(c.actor(), *type, id, body));
    return Reply(c, 201, link);
  });
  json rm_link = Op("remove_link_" + T, "Remove a link", t.title, Errors({404}));
  rm_link["responses"]["204"] = NoContent("Removed");
  rm_link["parameters"] = {PathParam("link_id", {{"type", "integer"}})};
  one("DELETE", "/links/{link_id}", rm_link,
      [e, type](Call& c, int64_t id) { return RemoveLink(*e, c, *type, id); });

  bool has_files = false;
  for (const auto& f : t.fields) has_files |= f.type == model::FieldType::kFile;
  if (has_files) {
    json download = Op("download_" + T, "Download the file a " + t.title + " holds in a field",
                       t.title, Errors({404}));
    download["parameters"] = {PathParam("field", String(), "A file field of the type")};
    download["responses"]["200"] = {
        {"description", "The file, as an attachment"},
        {"content",
         {{"application/octet-stream",
           {{"schema", {{"type", "string"}, {"contentMediaType", "application/octet-stream"}}}}}}}};
    one("GET", "/files/{field}", download, [e, type](Call& c, int64_t id) -> Status {
      TANDEM_ASSIGN_OR_RETURN(auto file, e->ReadFile(c.actor(), *type, id, c.param(1)));
      return ReplyStoredFile(c, file);
    });
  }

  if (!t.states) return;
  json tr = Op("transitions_" + T, "Current state and allowed transitions", t.title, Errors({404}));
  tr["responses"]["200"] = Response("Allowed transitions", Ref("Transitions"));
  one("GET", "/transitions", tr, [e, type](Call& c, int64_t id) -> Status {
    TANDEM_ASSIGN_OR_RETURN(json out, e->Transitions(c.actor(), *type, id));
    return Reply(c, 200, out);
  });
  json take = Op("transition_" + T, "Take a transition", t.title, Errors({404, 409, 412}));
  take["responses"]["200"] = Response("The record in its new state", Ref(T));
  take["parameters"] = {{{"$ref", "#/components/parameters/IfMatch"}}};
  SetBody(take, JsonContent(Ref("TransitionInput")));
  one("POST", "/transitions", take,
      [e, type](Call& c, int64_t id) { return Transition(*e, c, *type, id); });
}

}  // namespace tandem::http

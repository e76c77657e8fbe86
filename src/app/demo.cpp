// The demo organization: records described in content/demo/demo.json are
// created through the engine (so hooks, numbering and the audit trail behave
// exactly as for real users), then moved through their transitions.
//
// demo.json: {"groups": [{"name", "title"}], "users": [{"username",
// "display_name", "roles", "groups"}], "records": [{"key", "type", "fields",
// "restricted_to"?, "steps": [{"set": {...}} | {"transition": "name"}]}],
// "links": [{"from", "relation", "to", "note"}], "custom_fields": [{"type",
// "definition"}]}. "@key" as the value of a reference field stands for the id
// of the record with that key.
#include <map>
#include <nlohmann/json.hpp>

#include "app/app.h"
#include "core/content.h"
#include "records/codec.h"
#include "records/transfer.h"

namespace tandem::app {

using nlohmann::json;

namespace {

// Replaces "@key" in reference fields by the id of the record with that key.
Result<json> Resolve(const model::RecordType& type, const json& fields,
                     const std::map<std::string, int64_t>& ids) {
  json out = fields;
  for (auto& [k, v] : out.items()) {
    const model::FieldDecl* f = type.Field(k);
    if (!f || f->type != model::FieldType::kReference || !v.is_string()) continue;
    const std::string key = v.get<std::string>();
    auto it = key.starts_with("@") ? ids.find(key.substr(1)) : ids.end();
    if (it == ids.end())
      return MakeError(ErrorCode::kValidation, "demo data: " + k + " names unknown key " + key);
    v = it->second;
  }
  return out;
}

Error Context(const std::string& key, const Error& e) {
  Error out = e;
  out.detail = "demo record '" + key + "': " + e.detail;
  for (const auto& f : e.fields) out.detail += "; " + f.field + " " + f.message;
  return out;
}

Status LoadAll(App& app, const json& demo, int& created) {
  records::Engine& engine = *app.engine;
  const records::Actor actor = records::SystemActor("demo");
  for (const auto& g : demo.value("groups", json::array()))
    TANDEM_RETURN_IF_ERROR(app.auth->CreateGroup(actor, g).status());
  for (auto u : demo.value("users", json::array())) {
    u["password"] = kDemoPassword;
    TANDEM_RETURN_IF_ERROR(app.auth->CreateUser(actor, u).status());
  }
  std::map<std::string, int64_t> ids;
  std::map<std::string, const model::RecordType*> types;
  for (const auto& cf : demo.value("custom_fields", json::array())) {
    const auto* t = engine.registry().Find(cf.at("type").get<std::string>());
    if (!t) return MakeError(ErrorCode::kValidation, "demo custom field on unknown type");
    TANDEM_RETURN_IF_ERROR(engine.DefineCustomField(actor, *t, cf.at("definition")).status());
  }
  for (const auto& r : demo.at("records")) {
    const std::string key = r.at("key").get<std::string>();
    const auto* t = engine.registry().Find(r.at("type").get<std::string>());
    if (!t)
      return MakeError(ErrorCode::kValidation, "demo record '" + key + "' has an unknown type");
    TANDEM_ASSIGN_OR_RETURN(json fields, Resolve(*t, r.at("fields"), ids));
    if (r.contains("restricted_to")) fields["restricted_to"] = r["restricted_to"];
    auto rec = engine.Create(actor, *t, fields);
    if (!rec.ok()) return Context(key, rec.error());
    const int64_t id = (*rec)["id"].get<int64_t>();
    int64_t version = 1;
    ids[key] = id;
    types[key] = t;
    ++created;
    for (const auto& step : r.value("steps", json::array())) {
      Result<json> next = MakeError(ErrorCode::kValidation, "demo step needs set or transition");
      if (step.contains("set")) {
        TANDEM_ASSIGN_OR_RETURN(json patch, Resolve(*t, step["set"], ids));
        next = engine.Update(actor, *t, id, version, patch);
      } else if (step.contains("transition")) {
        next = engine.Transition(actor, *t, id, step["transition"].get<std::string>(), version);
      }
      if (!next.ok()) return Context(key, next.error());
      version = (*next)["version"].get<int64_t>();
    }
  }
  for (const auto& l : demo.value("links", json::array())) {
    const std::string from = l.at("from").get<std::string>(), to = l.at("to").get<std::string>();
    if (!ids.count(from) || !ids.count(to))
      return MakeError(ErrorCode::kValidation, "demo link names an unknown key");
    json body = {{"relation", l.at("relation")},
                 {"target", records::FormatNumber(*types[to], ids[to])},
                 {"note", l.value("note", "")}};
    auto link = engine.AddLink(actor, *types[from], ids[from], body);
    if (!link.ok()) return Context(from, link.error());
  }
  return Status::Ok();
}

}  // namespace

Result<int> LoadDemo(App& app) {
  records::Engine& engine = *app.engine;
  const json demo = json::parse(content::Get("content/demo/demo.json"));
  int created = 0;
  // One transaction: the engine's own writes nest inside it, so a failure
  // leaves the database exactly as it was.
  Status st = engine.db().Write([&](store::Connection& c) -> Status {
    TANDEM_RETURN_IF_ERROR(records::RequireEmpty(engine, c, "load the demo into an empty one"));
    return LoadAll(app, demo, created);
  });
  if (!st.ok()) {
    (void)engine.ReloadCustomFields();  // definitions made before the failure were rolled back
    return st.error();
  }
  return created;
}

}  // namespace tandem::app

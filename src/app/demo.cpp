// The demo organization: records described in content/demo/demo.json are
// created through the engine (so hooks, numbering and the audit trail behave
// exactly as for real users), then moved through their transitions.
//
// demo.json: {"groups": [{"name", "title"}], "users": [{"username",
// "display_name", "roles", "groups"}], "records": [{"key", "type", "fields",
// "restricted_to"?, "steps": [{"set": {...}} | {"transition": "name"}]}],
// "links": [{"from", "relation", "to", "note"}], "custom_fields": [{"type",
// "definition"}], "traces": [{"element", "requirement", "extent", "note"}],
// "not_applicable": [{"requirement", "justification"}], "assessments":
// [{"title", "standard", "assessed_on", "lead_assessor", "complete",
// "results": [[requirement, status, evidence]]}], "integration_plan":
// scenario, "statements_of_applicability": [{"standard", "title", "owner",
// "change_summary", "undecided": {fields for applicable entries the
// prefill left undecided}, "entries": {ref: {fields}}, "approve_as"}]}.
// "@key" as the value
// of a reference field stands for the id of the record with that key; a
// requirement is named "standard-key ref", e.g. "iso27001:2022 A.8.13", and
// resolved after the built-in catalogs are loaded.
#include <array>
#include <map>
#include <nlohmann/json.hpp>

#include "app/app.h"
#include "core/content.h"
#include "domains/domains.h"
#include "domains/governance/governance.h"
#include "domains/integration/plan.h"
#include "domains/standards/catalogs.h"
#include "domains/standards/soa.h"
#include "records/codec.h"
#include "records/transfer.h"

namespace tandem::app {

using nlohmann::json;

namespace {

// The id of the built-in requirement named "standard-key ref".
Result<int64_t> FindRequirement(records::Engine& engine, const records::Actor& actor,
                                const std::string& name) {
  const auto space = name.find(' ');
  const std::string key = name.substr(0, space), ref = name.substr(space + 1);
  TANDEM_ASSIGN_OR_RETURN(auto standards,
                          domains::ListAll(engine, actor, "standard", {{"filter[key]", key}}));
  if (space == std::string::npos || standards.empty())
    return MakeError(ErrorCode::kValidation, "demo data: no requirement " + name);
  TANDEM_ASSIGN_OR_RETURN(
      auto found,
      domains::ListAll(engine, actor, "requirement",
                       {{"filter[standard]", std::to_string(standards[0]["id"].get<int64_t>())},
                        {"filter[ref]", ref}}));
  if (found.empty()) return MakeError(ErrorCode::kValidation, "demo data: no requirement " + name);
  return found[0]["id"].get<int64_t>();
}

// Replaces "@key" in reference fields by the id of the record with that key;
// with `engine`, a requirement named "standard-key ref" by its id.
Result<json> Resolve(const model::RecordType& type, const json& fields,
                     const std::map<std::string, int64_t>& ids,
                     records::Engine* engine = nullptr) {
  json out = fields;
  for (auto& [k, v] : out.items()) {
    const model::FieldDecl* f = type.Field(k);
    if (!f || f->type != model::FieldType::kReference || !v.is_string()) continue;
    const std::string key = v.get<std::string>();
    if (engine && f->ref_type == "requirement" && !key.starts_with("@")) {
      TANDEM_ASSIGN_OR_RETURN(v, FindRequirement(*engine, records::SystemActor("demo"), key));
      continue;
    }
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

using Types = std::map<std::string, const model::RecordType*>;

// One demo record: created (as "as", else the demo loader), then moved
// through its steps. A step is {"set": fields}, {"transition": name}, for an
// audit {"checklist": true} (made from its scope) or {"check": {"requirement",
// fields...}} (one item of its checklist), each optionally "as" someone.
// `catalogs`: the built-in catalogs are loaded, so requirements may be named.
Status LoadRecord(records::Engine& engine, const json& r, std::map<std::string, int64_t>& ids,
                  Types& types, int& created, bool catalogs) {
  const records::Actor actor = records::SystemActor("demo");
  const std::string key = r.at("key").get<std::string>();
  const auto* t = engine.registry().Find(r.at("type").get<std::string>());
  if (!t) return MakeError(ErrorCode::kValidation, "demo record '" + key + "' has an unknown type");
  int64_t id = 0, version = 0;
  if (r.value("continue", false)) {  // more steps for a record made before
    if (!ids.count(key)) return MakeError(ErrorCode::kValidation, "demo: no record " + key);
    id = ids.at(key);
    TANDEM_ASSIGN_OR_RETURN(json current, engine.Get(actor, *t, id));
    version = current["version"].get<int64_t>();
  } else {
    TANDEM_ASSIGN_OR_RETURN(json fields,
                            Resolve(*t, r.at("fields"), ids, catalogs ? &engine : nullptr));
    // A file is given as {"name", "text"}: stored first, as an upload would be.
    for (const auto& f : t->fields) {
      if (f.type != model::FieldType::kFile || !fields.contains(f.name)) continue;
      const json given = fields[f.name];
      TANDEM_ASSIGN_OR_RETURN(json stored, engine.PutFile(actor, given.at("text").get<std::string>(),
                                                          given.at("name").get<std::string>()));
      fields[f.name] = {{"sha256", stored["sha256"]}, {"name", stored["name"]}};
    }
    if (r.contains("restricted_to")) fields["restricted_to"] = r["restricted_to"];
    const records::Actor creator =
        r.contains("as") ? records::SystemActor(r["as"].get<std::string>()) : actor;
    auto rec = engine.Create(creator, *t, fields);
    if (!rec.ok()) return Context(key, rec.error());
    id = (*rec)["id"].get<int64_t>();
    version = (*rec)["version"].get<int64_t>();
    ids[key] = id;
    types[key] = t;
    ++created;
  }
  for (const auto& step : r.value("steps", json::array())) {
    // "as": the person who took the step, so that history and the
    // separation-of-duties rules see who did what.
    const records::Actor by =
        step.contains("as") ? records::SystemActor(step["as"].get<std::string>()) : actor;
    Status st = MakeError(ErrorCode::kValidation, "demo step needs set, transition or check");
    Result<json> next = st.error();
    if (step.contains("set")) {
      TANDEM_ASSIGN_OR_RETURN(json patch, Resolve(*t, step["set"], ids, catalogs ? &engine : nullptr));
      next = engine.Update(by, *t, id, version, patch);
    } else if (step.contains("transition")) {
      next = engine.Transition(by, *t, id, step["transition"].get<std::string>(), version);
    }
    if (next.ok()) {
      version = (*next)["version"].get<int64_t>();
      st = Status::Ok();
    } else if (step.contains("set") || step.contains("transition")) {
      st = next.error();
    } else if (step.contains("checklist")) {
      st = domains::GenerateChecklist(engine, by, id).status();
    } else if (step.contains("check")) {
      const auto& check_type = *engine.registry().Find("audit_check");
      json check = step["check"];
      TANDEM_ASSIGN_OR_RETURN(int64_t requirement,
                              FindRequirement(engine, actor, check.at("requirement")));
      check.erase("requirement");
      TANDEM_ASSIGN_OR_RETURN(auto found,
                              domains::ListAll(engine, actor, "audit_check",
                                               {{"filter[audit]", std::to_string(id)},
                                                {"filter[requirement]", std::to_string(requirement)}}));
      if (found.empty()) return MakeError(ErrorCode::kValidation, key + ": no checklist item");
      st = engine.Update(by, check_type, found[0]["id"], found[0]["version"], check).status();
    }
    if (!st.ok()) return Context(key, st.error());
  }
  return Status::Ok();
}

// Links between demo records, by key.
Status LoadLinks(records::Engine& engine, const json& links,
                 const std::map<std::string, int64_t>& ids, Types& types) {
  const records::Actor actor = records::SystemActor("demo");
  for (const auto& l : links) {
    const std::string from = l.at("from").get<std::string>(), to = l.at("to").get<std::string>();
    if (!ids.count(from) || !ids.count(to))
      return MakeError(ErrorCode::kValidation, "demo link names an unknown key");
    json body = {{"relation", l.at("relation")},
                 {"target", records::FormatNumber(*types[to], ids.at(to))},
                 {"note", l.value("note", "")}};
    auto link = engine.AddLink(actor, *types[from], ids.at(from), body);
    if (!link.ok()) return Context(from, link.error());
  }
  return Status::Ok();
}

Status LoadRecords(App& app, const json& demo, std::map<std::string, int64_t>& ids, Types& types,
                   int& created) {
  records::Engine& engine = *app.engine;
  const records::Actor actor = records::SystemActor("demo");
  for (const auto& g : demo.value("groups", json::array()))
    TANDEM_RETURN_IF_ERROR(app.auth->CreateGroup(actor, g).status());
  for (auto u : demo.value("users", json::array())) {
    u["password"] = kDemoPassword;
    TANDEM_RETURN_IF_ERROR(app.auth->CreateUser(actor, u).status());
  }
  for (const auto& cf : demo.value("custom_fields", json::array())) {
    const auto* t = engine.registry().Find(cf.at("type").get<std::string>());
    if (!t) return MakeError(ErrorCode::kValidation, "demo custom field on unknown type");
    TANDEM_RETURN_IF_ERROR(engine.DefineCustomField(actor, *t, cf.at("definition")).status());
  }
  for (const auto& r : demo.at("records"))
    TANDEM_RETURN_IF_ERROR(LoadRecord(engine, r, ids, types, created, false));
  return LoadLinks(engine, demo.value("links", json::array()), ids, types);
}


// Traces and exclusions name requirements of the built-in catalogs, which
// must be loaded (and committed: lookups read committed data) first.
Status LoadTraceability(records::Engine& engine, const json& demo,
                        const std::map<std::string, int64_t>& ids, int& created) {
  const records::Actor actor = records::SystemActor("demo");
  const auto& trace = *engine.registry().Find("trace");
  for (auto t : demo.value("traces", json::array())) {
    const std::string element = t.at("element").get<std::string>();
    if (!ids.count(element))
      return MakeError(ErrorCode::kValidation, "demo trace names an unknown element");
    t["element"] = ids.at(element);
    TANDEM_ASSIGN_OR_RETURN(t["requirement"],
                            FindRequirement(engine, actor, t["requirement"].get<std::string>()));
    if (auto rec = engine.Create(actor, trace, t); !rec.ok()) return Context(element, rec.error());
    ++created;
  }
  const auto& requirement = *engine.registry().Find("requirement");
  for (const auto& na : demo.value("not_applicable", json::array())) {
    const std::string name = na.at("requirement").get<std::string>();
    TANDEM_ASSIGN_OR_RETURN(int64_t id, FindRequirement(engine, actor, name));
    TANDEM_ASSIGN_OR_RETURN(json r, engine.Get(actor, requirement, id));
    json patch = {{"applicability", "not_applicable"}, {"justification", na.at("justification")}};
    if (auto rec = engine.Update(actor, requirement, id, r["version"], patch); !rec.ok())
      return Context(name, rec.error());
  }
  const auto& assessment_type = *engine.registry().Find("assessment");
  const auto& result_type = *engine.registry().Find("assessment_result");
  for (const auto& a : demo.value("assessments", json::array())) {
    const std::string title = a.at("title");
    TANDEM_ASSIGN_OR_RETURN(auto standards, domains::ListAll(engine, actor, "standard",
                                                             {{"filter[key]", a.at("standard")}}));
    if (standards.empty())
      return MakeError(ErrorCode::kValidation, "demo data: no standard for " + title);
    json body = {{"title", title},
                 {"standard", standards[0]["id"]},
                 {"assessed_on", a.at("assessed_on")},
                 {"lead_assessor", a.at("lead_assessor")}};
    auto rec = engine.Create(actor, assessment_type, body);
    if (!rec.ok()) return Context(title, rec.error());
    ++created;
    for (const auto& [name, status, evidence] :
         a.at("results").get<std::vector<std::array<std::string, 3>>>()) {
      TANDEM_ASSIGN_OR_RETURN(int64_t id, FindRequirement(engine, actor, name));
      json result = {{"assessment", (*rec)["id"]},
                     {"requirement", id},
                     {"status", status},
                     {"evidence", evidence},
                     {"assessed_on", a.at("assessed_on")}};
      if (status == "not_applicable") result["justification"] = evidence;
      if (auto r = engine.Create(actor, result_type, result); !r.ok())
        return Context(name, r.error());
      ++created;
    }
    if (a.value("complete", false))
      if (auto done =
              engine.Transition(actor, assessment_type, (*rec)["id"], "complete", std::nullopt);
          !done.ok())
        return Context(title, done.error());
  }
  if (demo.contains("integration_plan")) {
    TANDEM_ASSIGN_OR_RETURN(json plan,
                            domains::SeedIntegrationPlan(engine, actor, demo["integration_plan"]));
    created += static_cast<int>(plan["tasks"].size());
  }
  return Status::Ok();
}

// Statements of Applicability, drafted, filled and approved step by step as
// an ISMS manager would: each step reads what the one before committed.
Status LoadStatements(records::Engine& engine, const json& demo, int& created) {
  const records::Actor actor = records::SystemActor("demo");
  const auto& soa_type = *engine.registry().Find("soa");
  const auto& entry_type = *engine.registry().Find("soa_entry");
  for (const auto& s : demo.value("statements_of_applicability", json::array())) {
    const std::string title = s.at("title");
    TANDEM_ASSIGN_OR_RETURN(auto standards, domains::ListAll(engine, actor, "standard",
                                                             {{"filter[key]", s.at("standard")}}));
    if (standards.empty())
      return MakeError(ErrorCode::kValidation, "demo data: no standard for " + title);
    json body = {{"standard", standards[0]["id"]},
                 {"title", title},
                 {"owner", s.at("owner")},
                 {"change_summary", s.at("change_summary")}};
    auto soa = engine.Create(actor, soa_type, body);
    if (!soa.ok()) return Context(title, soa.error());
    const std::string id = std::to_string((*soa)["id"].get<int64_t>());
    TANDEM_ASSIGN_OR_RETURN(json filled, domains::PopulateSoa(engine, actor, (*soa)["id"]));
    created += 1 + filled["created"].get<int>();
    TANDEM_ASSIGN_OR_RETURN(auto entries,
                            domains::ListAll(engine, actor, "soa_entry", {{"filter[soa]", id}}));
    const json chosen = s.value("entries", json::object());
    const json undecided = s.value("undecided", json::object());
    for (const auto& e : entries) {
      json patch = json::object();
      const std::string ref = e["ref"].get<std::string>();
      if (e["applicability"] == "applicable") {
        bool has_reason = domains::IsSet(e, "justification");
        for (const auto& [k, v] : e.items()) has_reason |= k.starts_with("reason_") && v == true;
        for (const auto& [k, v] : undecided.items())
          if (k.starts_with("reason_") ? !has_reason : e[k].is_null()) patch[k] = v;
      }
      if (chosen.contains(ref)) patch.update(chosen[ref]);
      if (patch.empty()) continue;
      if (auto r = engine.Update(actor, entry_type, e["id"], e["version"], patch); !r.ok())
        return Context(title + " " + ref, r.error());
    }
    if (s.contains("approve_as"))
      if (auto r = engine.Transition(records::SystemActor(s["approve_as"]), soa_type, (*soa)["id"],
                                     "approve", std::nullopt);
          !r.ok())
        return Context(title, r.error());
  }
  return Status::Ok();
}

}  // namespace

Result<int> LoadDemo(App& app) {
  records::Engine& engine = *app.engine;
  const json demo = json::parse(content::Get("content/demo/demo.json"));
  int created = 0;
  std::map<std::string, int64_t> ids;
  Types types;
  // One transaction: the engine's own writes nest inside it, so a failure
  // leaves the database exactly as it was.
  Status st = engine.db().Write([&](store::Connection& c) -> Status {
    TANDEM_RETURN_IF_ERROR(records::RequireEmpty(engine, c, "load the demo into an empty one"));
    return LoadRecords(app, demo, ids, types, created);
  });
  if (!st.ok()) {
    (void)engine.ReloadCustomFields();  // definitions made before the failure were rolled back
    return st.error();
  }
  TANDEM_RETURN_IF_ERROR(domains::LoadBuiltinCatalogs(engine));
  TANDEM_RETURN_IF_ERROR(engine.db().Write(
      [&](store::Connection&) { return LoadTraceability(engine, demo, ids, created); }));
  TANDEM_RETURN_IF_ERROR(LoadStatements(engine, demo, created));
  // The records of clauses 4-10 name requirements (audit checklists,
  // findings), so they come once the catalogs are in.
  // Each write commits, as statements do: checklists read what is stored.
  for (const auto& r : demo.value("governance_records", json::array()))
    TANDEM_RETURN_IF_ERROR(LoadRecord(engine, r, ids, types, created, true));
  TANDEM_RETURN_IF_ERROR(
      LoadLinks(engine, demo.value("governance_links", json::array()), ids, types));
  // Delegations run relative to today, so the demo always has one in force.
  const records::Actor actor = records::SystemActor("demo");
  for (const auto& d : demo.value("delegations", json::array())) {
    auto day = [&](const char* key) {
      return FormatTimestamp(engine.clock().Now() + std::chrono::days(d.at(key).get<int>()));
    };
    json body = {{"delegator", d.at("delegator")},
                 {"delegate", d.at("delegate")},
                 {"starts_at", day("starts_in_days")},
                 {"ends_at", day("ends_in_days")},
                 {"reason", d.at("reason")}};
    if (auto r = app.auth->CreateDelegation(actor, body); !r.ok())
      return Context("delegation", r.error());
  }
  return created;
}

}  // namespace tandem::app

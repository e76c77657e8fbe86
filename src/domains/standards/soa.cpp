#include "domains/standards/soa.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "core/clock.h"
#include "core/csv.h"
#include "core/json_access.h"
#include "core/xlsx.h"
#include "domains/domains.h"
#include "records/tx_read.h"

namespace tandem::domains {

using nlohmann::json;
using records::Action;
using records::HookContext;

namespace {

// Inclusion reasons: the entry's boolean field and the name statements use.
struct Reason {
  const char* field;
  const char* name;
  const char* label;
};
constexpr Reason kReasons[] = {
    {"reason_risk", "risk_treatment", "risk treatment"},
    {"reason_legal", "legal", "legal or regulatory"},
    {"reason_contract", "contractual", "contractual"},
    {"reason_business", "business", "business need"},
};

// Fields copied from an entry into its row, and compared between versions.
constexpr const char* kEntryFields[] = {"applicability", "justification", "implementation", "note"};

bool IsControl(const json& requirement) {
  return Str(requirement, "kind") == "control" && requirement["withdrawn"] != true;
}

const model::RecordType& TypeOf(const model::Registry& registry, const char* name) {
  return *registry.Find(name);
}

std::string Refs(const std::vector<std::string>& refs) {
  std::string out;
  for (size_t i = 0; i < refs.size() && i < 10; ++i) out += (i ? ", " : "") + refs[i];
  if (refs.size() > 10) out += " and " + std::to_string(refs.size() - 10) + " more";
  return out;
}

// The standard's controls, withdrawn ones aside, in document order.
Result<std::vector<json>> Controls(store::Connection& c, const model::Registry& registry,
                                   int64_t standard) {
  TANDEM_ASSIGN_OR_RETURN(
      auto all, records::SelectRecords(c, TypeOf(registry, "requirement"), "standard", standard));
  std::vector<json> out;
  for (auto& r : all)
    if (IsControl(r)) out.push_back(std::move(r));
  std::stable_sort(out.begin(), out.end(), [](const json& a, const json& b) {
    return Str(a, "sort_key") < Str(b, "sort_key");
  });
  return out;
}

// A statement item names the need-to-know groups of the records it shows in
// "_groups"; ForReader drops it for readers outside any of them.
void Gate(json& item, const json& record, const char* key = "_groups") {
  if (!item.contains(key)) item[key] = json::array();
  if (record["restricted_to"].is_string()) item[key].push_back(record["restricted_to"]);
}

void CopyEntry(json& row, const json* entry) {
  row["entry"] = entry ? json((*entry)["id"]) : json();
  json reasons = json::array();
  for (const auto& r : kReasons)
    if (entry && (*entry)[r.field] == true) reasons.push_back(r.name);
  row["reasons"] = reasons;
  for (const char* f : kEntryFields) row[f] = entry ? (*entry)[f] : json();
}

// The statement of `soa` as the system sees it, from the records as they are,
// with each implementing element's evidence as it stands on `today`.
Result<json> BuildStatement(store::Connection& c, const model::Registry& registry, const json& soa,
                            const std::string& today) {
  const int64_t standard = soa["standard"].get<int64_t>();
  TANDEM_ASSIGN_OR_RETURN(auto controls, Controls(c, registry, standard));
  TANDEM_ASSIGN_OR_RETURN(auto entries, records::SelectRecords(c, TypeOf(registry, "soa_entry"),
                                                               "soa", soa["id"].get<int64_t>()));
  std::map<int64_t, const json*> entry_of;
  for (const auto& e : entries) entry_of[e["requirement"].get<int64_t>()] = &e;
  TANDEM_ASSIGN_OR_RETURN(
      auto traces, records::SelectRecords(c, TypeOf(registry, "trace"), "standard", standard));
  std::multimap<int64_t, const json*> traces_of;
  for (const auto& t : traces) traces_of.emplace(t["requirement"].get<int64_t>(), &t);

  std::map<std::pair<std::string, int64_t>, json> cache;
  auto read = [&](const char* type, int64_t id) -> Result<const json*> {
    auto [it, fresh] = cache.try_emplace({type, id});
    if (fresh) {
      auto r = records::ReadRecord(c, TypeOf(registry, type), id);
      if (r.ok())
        it->second = std::move(*r);
      else if (r.error().code != ErrorCode::kNotFound)
        return r.error();
    }
    return it->second.is_null() || it->second["archived"] == true ? nullptr : &it->second;
  };
  // What the evidence of an element says for one of its traces. Need-to-know
  // evidence is left out: the statement is read by everyone who may read it.
  std::map<int64_t, std::vector<json>> evidence_of;
  auto evidence_for = [&](int64_t element, const json& trace) -> Result<std::string> {
    auto [it, fresh] = evidence_of.try_emplace(element);
    if (fresh) {
      TANDEM_ASSIGN_OR_RETURN(
          it->second, records::SelectRecords(c, TypeOf(registry, "evidence"), "element", element));
    }
    EvidenceTally tally;
    for (const auto& e : it->second)
      if (!e["restricted_to"].is_string() && (!IsSet(e, "trace") || e["trace"] == trace["id"]))
        tally.Add(Str(e, "state"), Str(e, "valid_until"), today);
    return std::string(tally.Status());
  };
  // Risks mitigated by (type, id), gated like `via`.
  auto add_risks = [&](json& risks, std::set<int64_t>& seen, const char* type, int64_t id,
                       const json& via_groups) -> Status {
    TANDEM_ASSIGN_OR_RETURN(auto ids, records::LinkedIds(c, type, id, "mitigates", "risk"));
    for (int64_t rid : ids) {
      TANDEM_ASSIGN_OR_RETURN(const json* risk, read("risk", rid));
      if (!risk || !seen.insert(rid).second) continue;
      json item = {{"id", rid},
                   {"number", (*risk)["number"]},
                   {"title", (*risk)["title"]},
                   {"state", (*risk)["state"]},
                   {"_groups", via_groups}};
      Gate(item, *risk);
      risks.push_back(std::move(item));
    }
    return Status::Ok();
  };

  json rows = json::array(), missing = json::array();
  for (const auto& req : controls) {
    const int64_t rid = req["id"].get<int64_t>();
    json row = {{"ref", req["ref"]},
                {"title", req["title"]},
                {"requirement", rid},
                {"requirement_applicability", req["applicability"]}};
    Gate(row, req);
    auto e = entry_of.find(rid);
    CopyEntry(row, e == entry_of.end() ? nullptr : e->second);
    if (e != entry_of.end())
      Gate(row, *e->second, "_entry_groups");
    else
      missing.push_back(req["ref"]);
    json elements = json::array(), risks = json::array();
    std::set<int64_t> seen_risks;
    TANDEM_RETURN_IF_ERROR(add_risks(risks, seen_risks, "requirement", rid, json::array()));
    for (auto [it, end] = traces_of.equal_range(rid); it != end; ++it) {
      const json& t = *it->second;
      TANDEM_ASSIGN_OR_RETURN(const json* el, read("element", t["element"].get<int64_t>()));
      if (!el || (*el)["state"] == "retired") continue;
      json item = {{"id", (*el)["id"]},     {"number", (*el)["number"]}, {"title", (*el)["title"]},
                   {"kind", (*el)["kind"]}, {"state", (*el)["state"]},   {"extent", t["extent"]}};
      TANDEM_ASSIGN_OR_RETURN(item["evidence"], evidence_for((*el)["id"].get<int64_t>(), t));
      Gate(item, t);
      Gate(item, *el);
      TANDEM_RETURN_IF_ERROR(
          add_risks(risks, seen_risks, "element", (*el)["id"].get<int64_t>(), item["_groups"]));
      elements.push_back(std::move(item));
    }
    row["elements"] = std::move(elements);
    row["risks"] = std::move(risks);
    rows.push_back(std::move(row));
  }
  return json{{"rows", std::move(rows)}};
}

// Adds each referenced record's current need-to-know group to the gates of a
// frozen statement: a record restricted after approval is hidden too.
Status GateByCurrentRestrictions(store::Connection& c, const model::Registry& registry,
                                 json& statement) {
  std::map<std::string, std::map<int64_t, std::string>> restricted;
  for (const char* type : {"requirement", "soa_entry", "element", "risk"}) {
    TANDEM_ASSIGN_OR_RETURN(restricted[type],
                            records::RestrictedRecords(c, TypeOf(registry, type)));
  }
  auto gate = [&](json& item, const char* type, const json& id, const char* key = "_groups") {
    if (!id.is_number_integer()) return;
    auto& of = restricted[type];
    if (auto it = of.find(id.get<int64_t>()); it != of.end()) item[key].push_back(it->second);
  };
  for (auto& row : statement["rows"]) {
    gate(row, "requirement", row["requirement"]);
    if (!row.contains("_entry_groups")) row["_entry_groups"] = json::array();
    gate(row, "soa_entry", row["entry"], "_entry_groups");
    for (auto& e : row["elements"]) gate(e, "element", e["id"]);
    for (auto& r : row["risks"]) gate(r, "risk", r["id"]);
  }
  return Status::Ok();
}

bool Visible(const records::Actor& actor, const json& item, const char* key = "_groups") {
  if (auto it = item.find(key); it != item.end())
    for (const auto& g : *it)
      if (!actor.CanSee(g.get<std::string>())) return false;
  return true;
}

json Summarize(const json& rows) {
  json s = {{"controls", rows.size()}, {"applicable", 0},      {"not_applicable", 0},
            {"implemented", 0},        {"partial", 0},         {"planned", 0},
            {"not_implemented", 0},    {"undecided", 0},       {"missing", 0},
            {"evidence_current", 0},   {"evidence_missing", 0}};
  for (const auto& row : rows) {
    if (row["entry"].is_null()) {
      s["missing"] = s["missing"].get<int>() + 1;
      continue;
    }
    const std::string a = Str(row, "applicability");
    s[a] = s[a].get<int>() + 1;
    const std::string impl = Str(row, "implementation");
    if (a == "applicable") {
      const char* key = impl.empty() ? "undecided" : impl.c_str();
      s[key] = s[key].get<int>() + 1;
    }
    // Implemented controls: is the implementation proven?
    if (a == "applicable" && impl == "implemented") {
      const char* key = row["evidence"] == "current" ? "evidence_current" : "evidence_missing";
      s[key] = s[key].get<int>() + 1;
    }
  }
  return s;
}

// The best of the row's elements' evidence (statements frozen before
// evidence was recorded have none: null).
json RowEvidence(const json& elements) {
  json best;
  for (const auto& e : elements) {
    const json& ev = At(e, "evidence");
    if (!ev.is_string()) continue;
    if (ev == "current" || best.is_null() || (ev == "expired" && best == "missing")) best = ev;
  }
  return best;
}

// What `actor` may see of a statement: rows of hidden requirements, entries,
// elements and risks are left out, and the totals count what is left.
json ForReader(const json& statement, const records::Actor& actor) {
  const bool entries = actor.Can("soa_entry", Action::kRead);
  const bool elements = actor.Can("element", Action::kRead) && actor.Can("trace", Action::kRead);
  const bool risks = actor.Can("risk", Action::kRead);
  json rows = json::array(), missing = json::array();
  for (const auto& in : statement["rows"]) {
    if (!Visible(actor, in)) continue;
    json row = in;
    row.erase("_groups");
    if (!entries || !Visible(actor, in, "_entry_groups")) CopyEntry(row, nullptr);
    row.erase("_entry_groups");
    if (row["entry"].is_null()) missing.push_back(row["ref"]);
    for (auto [key, allowed] : {std::pair{"elements", elements}, std::pair{"risks", risks}}) {
      json kept = json::array();
      for (const auto& item : in[key])
        if (allowed && Visible(actor, item)) {
          kept.push_back(item);
          kept.back().erase("_groups");
        }
      row[key] = std::move(kept);
    }
    row["evidence"] = RowEvidence(row["elements"]);
    rows.push_back(std::move(row));
  }
  return json{{"summary", Summarize(rows)}, {"rows", std::move(rows)}, {"missing", missing}};
}

json Header(const json& soa, const std::string& standard_key) {
  return {{"id", soa["id"]},
          {"number", soa["number"]},
          {"title", soa["title"]},
          {"revision", soa["revision"]},
          {"state", soa["state"]},
          {"standard", standard_key},
          {"approved_by", soa["approved_by"]},
          {"approved_at", soa["approved_at"]},
          {"change_summary", soa["change_summary"]}};
}

// --- hooks -------------------------------------------------------------------

// Only a draft changes: an approved statement is frozen, a discarded one kept
// as it was left.
Error NotADraft(const json& soa) {
  const std::string what = soa["number"].get<std::string>() + " (revision " +
                           std::to_string(soa["revision"].get<int64_t>()) + ")";
  return MakeError(ErrorCode::kConflict,
                   soa["state"] == "approved"
                       ? what + " is approved and frozen; draft a new revision to change it"
                       : what + " was discarded; draft a new revision instead");
}

// A new statement takes the next revision number of its standard's
// statements, discarded and archived ones included.
Status PrepareSoa(HookContext& ctx) {
  json& s = ctx.after;
  if (ctx.before) {
    if ((*ctx.before)["state"] != "draft") return NotADraft(*ctx.before);
    if ((*ctx.before)["standard"] != s["standard"])
      return MakeError(ErrorCode::kValidation, "the statement is invalid",
                       {{"standard", "cannot change; draft a statement for the other standard"}});
    return Status::Ok();
  }
  const int64_t standard = s["standard"].get<int64_t>();
  TANDEM_ASSIGN_OR_RETURN(json std_rec, ctx.Read("standard", standard));
  TANDEM_ASSIGN_OR_RETURN(auto controls, Controls(ctx.conn, *ctx.registry, standard));
  if (controls.empty())
    return MakeError(ErrorCode::kValidation, "the statement is invalid",
                     {{"standard", Str(std_rec, "key") + " has no controls to state"}});
  TANDEM_ASSIGN_OR_RETURN(auto others,
                          records::SelectRecords(ctx.conn, ctx.type, "standard", standard, true));
  int64_t last = 0;
  for (const auto& o : others)
    if (o["revision"].is_number_integer()) last = std::max(last, o["revision"].get<int64_t>());
  s["revision"] = last + 1;
  return Status::Ok();
}

// Approval: every control decided, the statement agreeing with the
// requirements' own applicability (which the traceability matrix shows), and
// the statement frozen as it stands.
Status ApproveSoa(HookContext& ctx) {
  json& s = ctx.after;
  TANDEM_ASSIGN_OR_RETURN(json statement,
                          BuildStatement(ctx.conn, *ctx.registry, s, DateOf(ctx.clock.Now())));
  std::vector<std::string> missing, undecided, disagree;
  for (const auto& row : statement["rows"]) {
    const std::string ref = row["ref"].get<std::string>();
    if (row["entry"].is_null()) {
      missing.push_back(ref);
      continue;
    }
    if (row["applicability"] == "applicable" &&
        (row["implementation"].is_null() ||
         (row["reasons"].empty() && Str(row, "justification").empty())))
      undecided.push_back(ref);
    if (row["applicability"] != row["requirement_applicability"]) disagree.push_back(ref);
  }
  if (!missing.empty())
    return MakeError(ErrorCode::kConflict,
                     "controls without an entry: " + Refs(missing) + "; populate the statement");
  if (!undecided.empty())
    return MakeError(ErrorCode::kConflict,
                     "applicable controls need an implementation status and a reason or "
                     "justification for inclusion: " +
                         Refs(undecided));
  if (!disagree.empty())
    return MakeError(ErrorCode::kConflict,
                     "the statement and the requirements disagree on the applicability of " +
                         Refs(disagree) +
                         "; set the requirement's applicability to match, so the traceability "
                         "matrix and the statement say the same");
  s["snapshot"] = std::move(statement);
  s["approved_by"] = ctx.actor.name;
  s["approved_at"] = FormatTimestamp(ctx.clock.Now());
  return Status::Ok();
}

Status PrepareSoaEntry(HookContext& ctx) {
  json& e = ctx.after;
  TANDEM_ASSIGN_OR_RETURN(json soa, ctx.Read("soa", e["soa"].get<int64_t>()));
  if (soa["state"] != "draft") return NotADraft(soa);
  if (ctx.before && (*ctx.before)["soa"] != e["soa"])
    return MakeError(ErrorCode::kValidation, "the entry is invalid",
                     {{"soa", "cannot change; add an entry to the other statement"}});
  TANDEM_ASSIGN_OR_RETURN(json req, ctx.Read("requirement", e["requirement"].get<int64_t>()));
  TANDEM_ASSIGN_OR_RETURN(json standard, ctx.Read("standard", soa["standard"].get<int64_t>()));
  if (req["standard"] != soa["standard"] || !IsControl(req))
    return MakeError(ErrorCode::kValidation, "the entry is invalid",
                     {{"requirement", "must be a control of " + Str(standard, "key")}});
  if (e["applicability"] == "not_applicable" && !IsSet(e, "justification"))
    return MakeError(ErrorCode::kValidation, "say why the control is excluded",
                     {{"justification", "is required when the control is not applicable"}});
  e["standard"] = soa["standard"];
  e["ref"] = req["ref"];
  e["sort_key"] = req["sort_key"];
  std::string summary = Str(req, "ref") + " " + Str(e, "applicability");
  if (e["applicability"] == "applicable" && IsSet(e, "implementation"))
    summary += ", " + Str(e, "implementation");
  e["summary"] = summary;
  return Status::Ok();
}

// --- reading -----------------------------------------------------------------

// The statement of `soa` (a record `actor` may read), before reader
// filtering. The frozen snapshot is an internal field, so it is read as
// stored.
Result<json> RawStatement(records::Engine& engine, const json& soa) {
  json statement;
  TANDEM_RETURN_IF_ERROR(engine.db().Read([&](store::Connection& c) -> Status {
    TANDEM_ASSIGN_OR_RETURN(json stored, records::ReadRecord(c, TypeOf(engine.registry(), "soa"),
                                                             soa["id"].get<int64_t>()));
    if (stored["state"] == "approved" && stored["snapshot"].is_object()) {
      statement = std::move(stored["snapshot"]);
      return GateByCurrentRestrictions(c, engine.registry(), statement);
    }
    TANDEM_ASSIGN_OR_RETURN(
        statement, BuildStatement(c, engine.registry(), stored, DateOf(engine.clock().Now())));
    return Status::Ok();
  }));
  return statement;
}

Result<json> GetSoa(records::Engine& engine, const records::Actor& actor, int64_t id) {
  return engine.Get(actor, TypeOf(engine.registry(), "soa"), id);
}

}  // namespace

void RegisterSoaHooks(records::HookRegistry& hooks) {
  hooks.OnSave("soa", PrepareSoa);
  hooks.OnTransition("soa", "approve", ApproveSoa);
  hooks.OnSave("soa_entry", PrepareSoaEntry);
}

Result<json> SoaStatement(records::Engine& engine, const records::Actor& actor, int64_t id) {
  TANDEM_ASSIGN_OR_RETURN(json soa, GetSoa(engine, actor, id));
  TANDEM_ASSIGN_OR_RETURN(json standard, engine.Get(actor, TypeOf(engine.registry(), "standard"),
                                                    soa["standard"].get<int64_t>()));
  TANDEM_ASSIGN_OR_RETURN(json raw, RawStatement(engine, soa));
  json out = ForReader(raw, actor);
  out["soa"] = Header(soa, Str(standard, "key"));
  out["frozen"] = soa["state"] == "approved";
  return out;
}

Result<json> PopulateSoa(records::Engine& engine, const records::Actor& actor, int64_t id) {
  const auto& reg = engine.registry();
  TANDEM_ASSIGN_OR_RETURN(json soa, GetSoa(engine, actor, id));
  // Checked before anything is read, so that a reader learns nothing (and a
  // populated draft does not answer "nothing to add" to someone who may not add).
  if (!actor.Can("soa_entry", Action::kCreate))
    return MakeError(ErrorCode::kForbidden, "you may not add entries to a statement");
  if (soa["state"] != "draft") return NotADraft(soa);
  const std::string standard = std::to_string(soa["standard"].get<int64_t>());
  TANDEM_ASSIGN_OR_RETURN(auto requirements,
                          ListAll(engine, actor, "requirement",
                                  {{"filter[standard]", standard}, {"filter[kind]", "control"}}));
  // The latest approved version's entries, by requirement.
  std::map<int64_t, json> previous;
  TANDEM_ASSIGN_OR_RETURN(auto approved,
                          ListAll(engine, actor, "soa",
                                  {{"filter[standard]", standard}, {"filter[state]", "approved"}}));
  const json* latest = nullptr;
  for (const auto& a : approved)
    if (!latest || a["revision"].get<int64_t>() > (*latest)["revision"].get<int64_t>()) latest = &a;
  if (latest) {
    TANDEM_ASSIGN_OR_RETURN(
        auto entries, ListAll(engine, actor, "soa_entry",
                              {{"filter[soa]", std::to_string((*latest)["id"].get<int64_t>())}}));
    for (auto& e : entries) {
      const int64_t requirement = e["requirement"].get<int64_t>();
      previous[requirement] = std::move(e);
    }
  }
  // The latest completed gap assessment's results, by requirement.
  std::map<int64_t, std::string> assessed;
  TANDEM_ASSIGN_OR_RETURN(
      auto campaigns, ListAll(engine, actor, "assessment",
                              {{"filter[standard]", standard}, {"filter[state]", "completed"}}));
  const json* campaign = nullptr;
  for (const auto& a : campaigns)
    if (!campaign || Str(a, "assessed_on") > Str(*campaign, "assessed_on")) campaign = &a;
  if (campaign) {
    TANDEM_ASSIGN_OR_RETURN(
        auto results,
        ListAll(engine, actor, "assessment_result",
                {{"filter[assessment]", std::to_string((*campaign)["id"].get<int64_t>())}}));
    for (const auto& r : results) assessed[r["requirement"].get<int64_t>()] = Str(r, "status");
  }
  // The draft as it stands: which controls have an entry, and what the
  // traces and risk links say for controls neither source covers.
  TANDEM_ASSIGN_OR_RETURN(json raw, RawStatement(engine, soa));
  json statement = ForReader(raw, actor);
  std::map<int64_t, const json*> row_of;
  std::set<int64_t> have;
  for (const auto& row : statement["rows"]) {
    row_of[row["requirement"].get<int64_t>()] = &row;
    if (!row["entry"].is_null()) have.insert(row["requirement"].get<int64_t>());
  }

  std::vector<json> bodies;
  for (const auto& req : requirements) {
    const int64_t rid = req["id"].get<int64_t>();
    if (!IsControl(req) || have.count(rid)) continue;
    json body = {{"soa", id}, {"requirement", rid}};
    const json* row = row_of.count(rid) ? row_of[rid] : nullptr;
    if (auto p = previous.find(rid); p != previous.end()) {
      for (const char* f : kEntryFields) body[f] = p->second[f];
      for (const auto& r : kReasons) body[r.field] = p->second[r.field];
    } else {
      body["applicability"] = req["applicability"];
      body["justification"] = req["justification"];
      body["reason_risk"] = row && !(*row)["risks"].empty();
      if (row) {
        bool fully = false, partly = false, drafted = false;
        for (const auto& el : (*row)["elements"]) {
          const bool in_force = el["state"] == "approved" || el["state"] == "operating";
          fully |= in_force && el["extent"] == "fully";
          partly |= in_force;
          drafted |= !in_force;
        }
        if (fully)
          body["implementation"] = "implemented";
        else if (partly)
          body["implementation"] = "partial";
        else if (drafted)
          body["implementation"] = "planned";
      }
    }
    if (auto a = assessed.find(rid);
        a != assessed.end() && a->second != "not_assessed" && a->second != "not_applicable")
      body["implementation"] = a->second;
    if (body["applicability"] == "not_applicable") body.erase("implementation");
    for (auto it = body.begin(); it != body.end();)
      it = it->is_null() ? body.erase(it) : std::next(it);
    bodies.push_back(std::move(body));
  }
  // One transaction: every missing entry, or none (a concurrent populate
  // loses on the unique {requirement, soa} and changes nothing).
  if (!bodies.empty())
    TANDEM_RETURN_IF_ERROR(engine.CreateBatch(actor, TypeOf(reg, "soa_entry"), bodies).status());
  return json{{"created", bodies.size()},
              {"copied_from", latest ? (*latest)["number"] : json()},
              {"assessment", campaign ? (*campaign)["number"] : json()}};
}

Result<json> CompareSoas(records::Engine& engine, const records::Actor& actor, int64_t from,
                         int64_t to) {
  TANDEM_ASSIGN_OR_RETURN(json a, SoaStatement(engine, actor, from));
  TANDEM_ASSIGN_OR_RETURN(json b, SoaStatement(engine, actor, to));
  if (a["soa"]["standard"] != b["soa"]["standard"])
    return MakeError(ErrorCode::kValidation, "compare versions of one standard's statement",
                     {{"to", "is a statement for " + b["soa"]["standard"].get<std::string>() +
                                 ", not " + a["soa"]["standard"].get<std::string>()}});
  std::map<std::string, const json*> before;
  for (const auto& row : a["rows"]) before[row["ref"].get<std::string>()] = &row;
  // Items of a row's list, by number, as "EL-000001 Title".
  auto names = [](const json& items) {
    std::map<std::string, std::string> out;
    for (const auto& i : items)
      out[i["number"].get<std::string>()] = i["number"].get<std::string>() + " " + Str(i, "title");
    return out;
  };
  auto list_diff = [&](const json& old_items, const json& new_items) {
    auto o = names(old_items), n = names(new_items);
    json added = json::array(), removed = json::array();
    for (const auto& [k, v] : n)
      if (!o.count(k)) added.push_back(v);
    for (const auto& [k, v] : o)
      if (!n.count(k)) removed.push_back(v);
    return json{{"added", added}, {"removed", removed}};
  };
  json changes = json::array();
  int added = 0, removed = 0, changed = 0, unchanged = 0;
  static const json kNoRow = {{"entry", nullptr},
                              {"reasons", json::array()},
                              {"elements", json::array()},
                              {"risks", json::array()}};
  for (const auto& row : b["rows"]) {
    auto it = before.find(row["ref"].get<std::string>());
    const json& old = it == before.end() ? kNoRow : *it->second;
    if (it != before.end()) before.erase(it);
    json change = {{"ref", row["ref"]}, {"title", row["title"]}};
    if (old["entry"].is_null() != row["entry"].is_null()) {
      change["change"] = row["entry"].is_null() ? "removed" : "added";
      ++(row["entry"].is_null() ? removed : added);
    }
    json fields = json::object();
    for (const char* f : {"applicability", "justification", "implementation", "note", "reasons"}) {
      const json& x = old.contains(f) ? old[f] : json();
      if (x != row[f]) fields[f] = {{"from", x}, {"to", row[f]}};
    }
    json elements = list_diff(old["elements"], row["elements"]);
    json risks = list_diff(old["risks"], row["risks"]);
    const bool lists_changed = !elements["added"].empty() || !elements["removed"].empty() ||
                               !risks["added"].empty() || !risks["removed"].empty();
    if (!change.contains("change")) {
      if (fields.empty() && !lists_changed) {
        ++unchanged;
        continue;
      }
      change["change"] = "changed";
      ++changed;
    }
    change["fields"] = std::move(fields);
    change["elements"] = std::move(elements);
    change["risks"] = std::move(risks);
    changes.push_back(std::move(change));
  }
  for (const auto& [ref, row] : before) {  // controls no longer in the catalog
    changes.push_back({{"ref", ref}, {"title", (*row)["title"]}, {"change", "removed"}});
    ++removed;
  }
  return json{
      {"from", a["soa"]},
      {"to", b["soa"]},
      {"summary",
       {{"added", added}, {"removed", removed}, {"changed", changed}, {"unchanged", unchanged}}},
      {"changes", std::move(changes)}};
}

// --- exports -----------------------------------------------------------------

namespace {

const std::vector<std::string> kSoaHeader = {"control",
                                             "title",
                                             "applicable",
                                             "reasons for inclusion",
                                             "justification",
                                             "implementation",
                                             "implementing elements",
                                             "evidence",
                                             "risks",
                                             "note"};

std::vector<std::string> SoaCells(const json& row) {
  auto join = [](const json& items) {
    std::string out;
    for (const auto& i : items) {
      out += (out.empty() ? "" : "; ") + i["number"].get<std::string>() + " " + Str(i, "title");
      if (i.contains("extent")) out += " (" + Str(i, "extent") + ")";
    }
    return out;
  };
  std::string reasons;
  for (const auto& r : row["reasons"])
    for (const auto& k : kReasons)
      if (r == k.name) reasons += (reasons.empty() ? "" : "; ") + std::string(k.label);
  const std::string a = Str(row, "applicability");
  return {Str(row, "ref"),
          Str(row, "title"),
          a.empty()           ? "undecided"
          : a == "applicable" ? "yes"
                              : "no",
          reasons,
          Str(row, "justification"),
          Str(row, "implementation"),
          join(row["elements"]),
          row["evidence"].is_string() ? row["evidence"].get<std::string>() : "",
          join(row["risks"]),
          Str(row, "note")};
}

}  // namespace

std::string SoaCsv(const json& statement) {
  std::string out = CsvLine(kSoaHeader);
  for (const auto& row : statement["rows"]) out += CsvLine(SoaCells(row));
  return out;
}

Result<std::string> SoaXlsx(const json& statement, const std::string& author) {
  const json& h = statement["soa"];
  const json& s = statement["summary"];
  XlsxSheet summary{"Summary", {"Statement of Applicability", ""}, {}, {28, 60}};
  summary.rows = {{"Statement", Str(h, "number")},
                  {"Title", Str(h, "title")},
                  {"Standard", Str(h, "standard")},
                  {"Revision", h["revision"].is_number() ? h["revision"].get<double>() : 0.0},
                  {"State", Str(h, "state")},
                  {"Approved by", Str(h, "approved_by")},
                  {"Approved at", Str(h, "approved_at")},
                  {"Changes in this version", Str(h, "change_summary")}};
  for (const char* k :
       {"controls", "applicable", "not_applicable", "implemented", "partial", "planned",
        "not_implemented", "undecided", "missing", "evidence_current", "evidence_missing"})
    summary.rows.push_back({std::string(k), s[k].get<double>()});
  XlsxSheet table{"Statement", kSoaHeader, {}, {10, 50, 10, 30, 50, 16, 60, 12, 50, 40}};
  for (const auto& row : statement["rows"]) {
    std::vector<XlsxCell> cells;
    for (auto& text : SoaCells(row)) cells.emplace_back(std::move(text));
    table.rows.push_back(std::move(cells));
  }
  return WriteXlsx({summary, table},
                   {.title = "Statement of Applicability " + Str(h, "number"), .author = author});
}

}  // namespace tandem::domains

// Internal audits (clause 9.2): independence of the auditors, the checklist
// from the requirements in scope and what claims to satisfy them, findings
// that raise nonconformities or improvements in one step, and the report.
#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "core/clock.h"
#include "core/json_access.h"
#include "domains/domains.h"
#include "domains/governance/governance.h"
#include "records/codec.h"
#include "records/tx_read.h"

namespace tandem::domains {

using nlohmann::json;

namespace {

// "a, b,c" -> {"a", "b", "c"}
std::vector<std::string> CommaList(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) {
    const auto b = item.find_first_not_of(" \t"), e = item.find_last_not_of(" \t");
    if (b != std::string::npos) out.push_back(item.substr(b, e - b + 1));
  }
  return out;
}

const model::RecordType& TypeOf(const records::HookContext& ctx, const char* name) {
  return *ctx.registry->Find(name);
}

// An auditor may not audit their own area (ISO/IEC 27001 9.2.2 c: objectivity
// and impartiality): neither the lead auditor nor anyone of the team may own
// the audited area, own the audited process or manage the audited team.
Status CheckIndependence(records::HookContext& ctx) {
  const json& a = ctx.after;
  std::vector<std::pair<std::string, std::string>> owners;  // user, why it is theirs
  if (IsSet(a, "auditee")) owners.push_back({Str(a, "auditee"), "owns the audited area"});
  if (IsSet(a, "process")) {
    TANDEM_ASSIGN_OR_RETURN(json p, ctx.Read("element", Int(a, "process")));
    if (IsSet(p, "owner")) owners.push_back({Str(p, "owner"), "owns " + Str(p, "number")});
  }
  if (IsSet(a, "org_unit")) {
    TANDEM_ASSIGN_OR_RETURN(json u, ctx.Read("org_unit", Int(a, "org_unit")));
    if (IsSet(u, "manager")) owners.push_back({Str(u, "manager"), "manages " + Str(u, "name")});
  }
  std::vector<std::pair<std::string, std::string>> auditors = {
      {Str(a, "lead_auditor"), "lead_auditor"}};
  for (const auto& member : CommaList(Str(a, "team"))) auditors.push_back({member, "team"});
  for (const auto& [auditor, field] : auditors)
    for (const auto& [owner, why] : owners)
      if (auditor == owner) {
        Error e = MakeError(ErrorCode::kForbidden, auditor + " " + why + " and may not audit it",
                            {{field, auditor + " " + why + "; choose an auditor from elsewhere"}});
        e.rule = "auditor-independence";
        return e;
      }
  return Status::Ok();
}

Status AuditSave(records::HookContext& ctx) {
  std::vector<FieldError> errors;
  const auto keys = CommaList(Str(ctx.after, "standards"));
  if (keys.empty()) errors.push_back({"standards", "name at least one standard by its key"});
  for (const auto& key : keys) {
    TANDEM_ASSIGN_OR_RETURN(auto found,
                            records::SelectRecords(ctx.conn, TypeOf(ctx, "standard"), "key", key));
    if (found.empty()) errors.push_back({"standards", "no standard '" + key + "'"});
  }
  if (!errors.empty())
    return MakeError(ErrorCode::kValidation, "the audit's scope is not valid", std::move(errors));
  return CheckIndependence(ctx);
}

Status AuditReportTransition(records::HookContext& ctx) {
  if (!IsSet(ctx.after, "conclusion"))
    return MissingFields("reporting an audit", {{"conclusion", "give the audit's conclusion"}});
  if (!IsSet(ctx.after, "held_on")) ctx.after["held_on"] = DateOf(ctx.clock.Now());
  return Status::Ok();
}

// What claims to satisfy the requirement, and the evidence behind it, as
// the checklist records them when an item is made.
Status CheckSave(records::HookContext& ctx) {
  json& c = ctx.after;
  if (ctx.before) return Status::Ok();
  TANDEM_ASSIGN_OR_RETURN(json audit, ctx.Read("audit", Int(c, "audit")));
  if (Str(audit, "state") == "closed" || Str(audit, "state") == "cancelled")
    return MakeError(ErrorCode::kConflict, Str(audit, "number") + " is " + Str(audit, "state"),
                     {{"audit", "takes no more checklist items"}});
  TANDEM_ASSIGN_OR_RETURN(json req, ctx.Read("requirement", Int(c, "requirement")));
  c["sort_key"] = req["sort_key"];
  c["summary"] = Str(req, "label").empty() ? Str(req, "ref") : Str(req, "label");
  if (Str(req, "applicability") == "not_applicable") {
    c["claimed_by"] = "Not applicable: " + Str(req, "justification");
    c["evidence_status"] = "not_applicable";
    return Status::Ok();
  }
  const std::string today = DateOf(ctx.clock.Now());
  TANDEM_ASSIGN_OR_RETURN(auto traces, records::SelectRecords(ctx.conn, TypeOf(ctx, "trace"),
                                                              "requirement", Int(req, "id")));
  std::string claimed;
  EvidenceTally evidence_of_claims;
  // Need-to-know records are left out: the item is read by everyone who may
  // read the audit.
  for (const auto& t : traces) {
    if (IsSet(t, "restricted_to")) continue;
    TANDEM_ASSIGN_OR_RETURN(json el, ctx.Read("element", Int(t, "element")));
    if (IsSet(el, "restricted_to")) continue;
    claimed += (claimed.empty() ? "" : "; ") + Str(el, "number") + " " + Str(el, "title") + " (" +
               Str(t, "extent") + ", " + Str(el, "state") + ")";
    TANDEM_ASSIGN_OR_RETURN(auto evidence, records::SelectRecords(ctx.conn, TypeOf(ctx, "evidence"),
                                                                  "element", Int(el, "id")));
    for (const auto& e : evidence) {
      if (IsSet(e, "trace") && Int(e, "trace") != Int(t, "id")) continue;  // another claim's
      if (IsSet(e, "restricted_to")) continue;
      evidence_of_claims.Add(Str(e, "state"), Str(e, "valid_until"), today);
    }
  }
  c["claimed_by"] = claimed.empty() ? json("No element claims it.") : json(claimed);
  c["evidence_status"] = claimed.empty() ? "not_claimed" : evidence_of_claims.Status();
  return Status::Ok();
}

// Raising a finding creates, in the same step, the nonconformity a major or
// minor nonconformity needs, or the improvement an opportunity proposes;
// both link back to the finding.
Status FindingRaise(records::HookContext& ctx) {
  json& f = ctx.after;
  const std::string kind = Str(f, "kind");
  if (kind == "observation")
    return MakeError(ErrorCode::kConflict,
                     "an observation is closed, not raised; record an opportunity to propose an "
                     "improvement",
                     {{"kind", "is an observation"}});
  TANDEM_ASSIGN_OR_RETURN(json audit, ctx.Read("audit", Int(f, "audit")));
  const std::string description =
      Str(f, "description") + (IsSet(f, "evidence") ? "\n\nEvidence: " + Str(f, "evidence") : "") +
      "\n\nRaised from " + Str(f, "number") + " of " + Str(audit, "number") + ".";
  if (kind == "opportunity") {
    json body = {{"title", Str(f, "title")}, {"source", "audit"}, {"description", description}};
    for (const char* ms : {"for_isms", "for_sms", "for_qms"}) body[ms] = Flag(audit, ms);
    TANDEM_ASSIGN_OR_RETURN(json imp, ctx.effects->Create("improvement", body));
    f["improvement"] = imp["id"];
    return ctx.effects->Link("improvement", Int(imp, "id"), "raised_from", "audit_finding",
                             Int(f, "id"), "");
  }
  std::string system = "ims";
  int systems = 0;
  for (const char* ms : {"isms", "sms", "qms"})
    if (Flag(audit, (std::string("for_") + ms).c_str())) {
      system = ms;
      ++systems;
    }
  if (systems != 1) system = "ims";
  json body = {{"title", Str(f, "title")},
               {"description", description},
               {"source", Str(audit, "kind") == "internal" ? "internal_audit" : "external_audit"},
               {"management_system", system},
               {"severity", kind == "major_nc" ? "major" : "minor"},
               {"finding", Int(f, "id")}};
  if (IsSet(f, "requirement")) body["requirement"] = f["requirement"];
  if (IsSet(audit, "auditee")) body["owner"] = audit["auditee"];
  TANDEM_ASSIGN_OR_RETURN(json nc, ctx.effects->Create("nonconformity", body));
  f["nonconformity"] = nc["id"];
  return ctx.effects->Link("nonconformity", Int(nc, "id"), "raised_from", "audit_finding",
                           Int(f, "id"), "");
}

Status FindingSave(records::HookContext& ctx) {
  TANDEM_ASSIGN_OR_RETURN(json audit, ctx.Read("audit", Int(ctx.after, "audit")));
  if (!ctx.before && (Str(audit, "state") == "planned" || Str(audit, "state") == "closed" ||
                      Str(audit, "state") == "cancelled"))
    return MakeError(ErrorCode::kConflict,
                     "findings are recorded while an audit is in progress or being reported; " +
                         Str(audit, "number") + " is " + Str(audit, "state"),
                     {{"audit", "is " + Str(audit, "state")}});
  return Status::Ok();
}

}  // namespace

void RegisterAuditHooks(records::HookRegistry& hooks) {
  hooks.OnSave("audit", AuditSave);
  hooks.OnTransition("audit", "report", AuditReportTransition);
  hooks.OnSave("audit_check", CheckSave);
  hooks.OnSave("audit_finding", FindingSave);
  hooks.OnTransition("audit_finding", "raise", FindingRaise);
}

Result<json> GenerateChecklist(records::Engine& engine, const records::Actor& actor,
                               int64_t audit_id) {
  const auto& audit_type = *engine.registry().Find("audit");
  TANDEM_ASSIGN_OR_RETURN(json audit, engine.Get(actor, audit_type, audit_id));
  const std::string state = Str(audit, "state");
  if (state == "closed" || state == "cancelled" || state == "reported")
    return MakeError(ErrorCode::kConflict,
                     Str(audit, "number") + " is " + state + "; its checklist is kept as it was");
  const auto prefixes = CommaList(Str(audit, "clauses"));
  auto in_scope = [&](const std::string& ref) {
    if (prefixes.empty()) return true;
    for (const auto& p : prefixes)
      if (ref == p || (ref.starts_with(p) && (ref[p.size()] == '.' || ref[p.size()] == ' ')))
        return true;
    return false;
  };
  TANDEM_ASSIGN_OR_RETURN(auto existing, ListAll(engine, actor, "audit_check",
                                                 {{"filter[audit]", std::to_string(audit_id)}}));
  std::set<int64_t> have;
  for (const auto& c : existing) have.insert(Int(c, "requirement"));
  std::vector<json> bodies;
  for (const auto& key : CommaList(Str(audit, "standards"))) {
    TANDEM_ASSIGN_OR_RETURN(auto standards,
                            ListAll(engine, actor, "standard", {{"filter[key]", key}}));
    if (standards.empty()) return MakeError(ErrorCode::kNotFound, "no standard '" + key + "'");
    TANDEM_ASSIGN_OR_RETURN(auto reqs,
                            ListAll(engine, actor, "requirement",
                                    {{"filter[standard]", std::to_string(Int(standards[0], "id"))},
                                     {"filter[withdrawn]", "false"},
                                     {"sort", "sort_key"}}));
    for (const auto& r : reqs)
      if (in_scope(Str(r, "ref")) && !have.count(Int(r, "id")))
        bodies.push_back({{"audit", audit_id}, {"requirement", Int(r, "id")}});
  }
  TANDEM_ASSIGN_OR_RETURN(
      auto created, engine.CreateBatch(actor, *engine.registry().Find("audit_check"), bodies));
  return json{{"created", created.size()}, {"items", existing.size() + created.size()}};
}

Result<Report> AuditReport(records::Engine& engine, const records::Actor& actor, int64_t audit_id) {
  TANDEM_ASSIGN_OR_RETURN(json a, engine.Get(actor, *engine.registry().Find("audit"), audit_id));
  const std::string id = std::to_string(audit_id);
  TANDEM_ASSIGN_OR_RETURN(auto checks, ListAll(engine, actor, "audit_check",
                                               {{"filter[audit]", id}, {"sort", "sort_key"}}));
  TANDEM_ASSIGN_OR_RETURN(auto findings,
                          ListAll(engine, actor, "audit_finding", {{"filter[audit]", id}}));
  Report r{.title = "Audit report: " + Str(a, "title"),
           .subtitle = Str(a, "number") + ", " + Str(a, "kind") + " audit",
           .facts = {{"Standards", Str(a, "standards")},
                     {"Clauses", IsSet(a, "clauses") ? Str(a, "clauses") : "all"},
                     {"Lead auditor", Str(a, "lead_auditor")},
                     {"Team", Str(a, "team")},
                     {"Owner of the audited area", Str(a, "auditee")},
                     {"Planned for", Str(a, "planned_on")},
                     {"Held on", Str(a, "held_on")},
                     {"State", Str(a, "state")}},
           .footer = Str(a, "number") + " " + Str(a, "title")};
  std::map<std::string, int> results, evidence;
  ReportTable check_rows{.columns = {"Requirement", "Claimed by", "Evidence", "Result", "Notes"},
                         .widths = {2.2, 3, 1, 1, 2.5},
                         .empty_text = "No checklist was made."};
  for (const auto& c : checks) {
    ++results[Str(c, "result")];
    ++evidence[Str(c, "evidence_status")];
    check_rows.rows.push_back({Str(c, "summary"), Str(c, "claimed_by"), Str(c, "evidence_status"),
                               Str(c, "result"), Str(c, "notes")});
  }
  auto count = [](const std::map<std::string, int>& m, const char* k) {
    auto it = m.find(k);
    return std::to_string(it == m.end() ? 0 : it->second);
  };
  r.sections.push_back(
      {.heading = "Scope and criteria",
       .blocks = {Paragraph(IsSet(a, "criteria") ? Str(a, "criteria") : "No criteria recorded.")}});
  r.sections.push_back(
      {.heading = "Checklist",
       .blocks = {Facts({{"Requirements checked", std::to_string(checks.size())},
                         {"Conforming", count(results, "conforming")},
                         {"With a finding", count(results, "finding")},
                         {"Not checked", count(results, "not_checked")},
                         {"Claimed with current evidence", count(evidence, "current")},
                         {"Evidence missing or expired",
                          std::to_string(std::stoi(count(evidence, "missing")) +
                                         std::stoi(count(evidence, "expired")))},
                         {"Claimed by no element", count(evidence, "not_claimed")}}),
                  Table(check_rows)}});
  ReportTable finding_rows{.columns = {"Finding", "Kind", "Title", "Raised"},
                           .widths = {1, 1, 4, 1.2},
                           .empty_text = "No findings."};
  const auto& nc_type = *engine.registry().Find("nonconformity");
  const auto& imp_type = *engine.registry().Find("improvement");
  for (const auto& f : findings) {
    std::string raised = Str(f, "state");
    if (At(f, "nonconformity").is_number_integer())
      raised = records::FormatNumber(nc_type, Int(f, "nonconformity"));
    if (At(f, "improvement").is_number_integer())
      raised = records::FormatNumber(imp_type, Int(f, "improvement"));
    finding_rows.rows.push_back({Str(f, "number"), Str(f, "kind"), Str(f, "title"), raised});
  }
  r.sections.push_back({.heading = "Findings", .blocks = {Table(finding_rows)}});
  r.sections.push_back(
      {.heading = "Conclusion",
       .blocks = {IsSet(a, "conclusion") ? Paragraph(Str(a, "conclusion"))
                                         : Note("The audit has not been reported yet.")}});
  return r;
}

}  // namespace tandem::domains

// The governance module's web pages: parts of record pages (a measure's
// chart, an audit's checklist, a review's pack, a person's competence, a
// document's versions and readers) and the pages under /governance (reports
// to read or print, acknowledging a document, team capacity).
//
// Every figure comes from the same functions the API answers with, called as
// the signed-in user.
#include "core/json_access.h"
#include "domains/domains.h"
#include "domains/governance/governance.h"
#include "domains/governance/governance_api.h"
#include "records/codec.h"
#include "web/extensions.h"
#include "web/fields.h"

namespace tandem::domains {

namespace {

using nlohmann::json;
using namespace web;

const model::RecordType& TypeOf(const Page& p, const char* name) {
  return *p.engine.registry().Find(name);
}

// The record of `type` a path segment names by number, or the page's 404.
Result<int64_t> IdIn(const Page& p, const char* type, const std::string& text) {
  const int64_t id = records::ParseRecordId(TypeOf(p, type), text);
  if (id == 0) return NoPage(p);
  return id;
}

Result<std::string> MeasurePart(Page& p, const json& m) {
  TANDEM_ASSIGN_OR_RETURN(std::string svg, MeasureChart(p.engine, p.actor(), Int(m, "id")));
  TANDEM_ASSIGN_OR_RETURN(auto values, ListAll(p.engine, p.actor(), "measurement",
                                               {{"filter[measure]", std::to_string(Int(m, "id"))},
                                                {"sort", "-taken_on"}}));
  Data rows = Data::type::list;
  for (size_t i = 0; i < values.size() && i < 12; ++i)
    rows.push_back(Obj({{"number", Str(values[i], "number")},
                        {"href", RecordPath(TypeOf(p, "measurement"), Int(values[i], "id"))},
                        {"date", Str(values[i], "taken_on")},
                        {"value", values[i]["value"].dump()},
                        {"status", Humanize(Str(values[i], "status"))}}));
  return Render("gov_measure", Obj({{"svg", svg},
                                    {"rows", rows},
                                    {"empty", values.empty()},
                                    {"status", Humanize(Str(m, "status"))},
                                    {"next_due", Str(m, "next_due")}}));
}

Result<std::string> AuditPart(Page& p, const json& a) {
  TANDEM_ASSIGN_OR_RETURN(auto checks, ListAll(p.engine, p.actor(), "audit_check",
                                               {{"filter[audit]", std::to_string(Int(a, "id"))},
                                                {"sort", "sort_key"}}));
  std::map<std::string, int> by_result, by_evidence;
  Data rows = Data::type::list;
  for (const auto& c : checks) {
    ++by_result[Str(c, "result")];
    ++by_evidence[Str(c, "evidence_status")];
    rows.push_back(Obj({{"href", RecordPath(TypeOf(p, "audit_check"), Int(c, "id"))},
                        {"summary", Str(c, "summary")},
                        {"evidence", Humanize(Str(c, "evidence_status"))},
                        {"evidence_warn", Str(c, "evidence_status") != "current" &&
                                              Str(c, "evidence_status") != "not_applicable"},
                        {"result", Humanize(Str(c, "result"))}}));
  }
  auto n = [](const std::map<std::string, int>& m, const char* k) {
    auto it = m.find(k);
    return std::to_string(it == m.end() ? 0 : it->second);
  };
  const std::string state = Str(a, "state");
  const std::string number = Str(a, "number");
  return Render("gov_audit",
                Obj({{"rows", rows},
                     {"empty", checks.empty()},
                     {"total", std::to_string(checks.size())},
                     {"not_checked", n(by_result, "not_checked")},
                     {"conforming", n(by_result, "conforming")},
                     {"findings", n(by_result, "finding")},
                     {"current", n(by_evidence, "current")},
                     {"no_evidence", std::to_string(std::stoi(n(by_evidence, "missing")) +
                                                    std::stoi(n(by_evidence, "expired")))},
                     {"not_claimed", n(by_evidence, "not_claimed")},
                     {"can_generate", (state == "planned" || state == "in_progress") &&
                                          p.actor().Can("audit_check", records::Action::kCreate)},
                     {"generate_action", "/governance/audits/" + number + "/checklist"},
                     {"report_href", "/governance/audits/" + number + "/report"},
                     {"csrf_token", CsrfData(p)}}));
}

Result<std::string> ReviewPart(Page& p, const json& r) {
  TANDEM_ASSIGN_OR_RETURN(json pack, ReviewPack(p.engine, p.actor(), Int(r, "id")));
  Data missing = Data::type::list;
  for (const auto& m : pack["missing"])
    missing.push_back(Obj({{"input", Str(m, "input")}, {"why", Str(m, "why")}}));
  const std::string number = Str(r, "number");
  return Render("gov_review", Obj({{"frozen", Text(Str(pack, "frozen_at"))},
                                   {"sections", std::to_string(pack["sections"].size())},
                                   {"missing", missing},
                                   {"has_missing", !pack["missing"].empty()},
                                   {"pack_href", "/governance/reviews/" + number + "/pack"}}));
}

Result<std::string> PersonPart(Page& p, const json& person) {
  TANDEM_ASSIGN_OR_RETURN(json c, CompetenceOf(p.engine, p.actor(), Int(person, "id")));
  Data rows = Data::type::list;
  for (const auto& item : c["competences"])
    rows.push_back(
        Obj({{"competence", Str(item["competence"], "title")},
             {"status", Humanize(Str(item, "status"))},
             {"warn", Str(item, "status") != "valid"},
             {"record", Text(item["record"].is_string() ? Str(item, "record") : "")},
             {"expires_on", Text(item["expires_on"].is_string() ? Str(item, "expires_on") : "")}}));
  return Render("gov_person", Obj({{"rows", rows},
                                   {"empty", c["competences"].empty()},
                                   {"has_role", IsSet(person, "role")},
                                   {"gaps", std::to_string(Int(c, "gaps"))}}));
}

Result<std::string> DocumentPart(Page& p, const json& d) {
  TANDEM_ASSIGN_OR_RETURN(
      auto versions,
      ListAll(p.engine, p.actor(), "document_version",
              {{"filter[document]", std::to_string(Int(d, "id"))}, {"sort", "-id"}}, true));
  Data rows = Data::type::list;
  for (const auto& v : versions)
    rows.push_back(Obj({{"number", Str(v, "number")},
                        {"href", RecordPath(TypeOf(p, "document_version"), Int(v, "id"))},
                        {"label", Str(v, "label")},
                        {"state", Humanize(Str(v, "state"))},
                        {"in_force", Str(v, "state") == "approved"},
                        {"author", Str(v, "author")},
                        {"approved", Text(Str(v, "approved_on"))}}));
  TANDEM_ASSIGN_OR_RETURN(json acks, Acknowledgements(p.engine, p.actor(), Int(d, "id")));
  Data outstanding = Data::type::list;
  for (const auto& o : acks["outstanding"]) outstanding.push_back(Obj({{"name", Str(o, "name")}}));
  return Render("gov_document", Obj({{"rows", rows},
                                     {"empty", versions.empty()},
                                     {"requires", Flag(d, "requires_acknowledgement")},
                                     {"has_version", acks["version"].is_string()},
                                     {"acknowledged", std::to_string(acks["acknowledged"].size())},
                                     {"outstanding", outstanding},
                                     {"none_outstanding", acks["outstanding"].empty()}}));
}

Result<std::string> VersionPart(Page& p, const json& v) {
  if (Str(v, "state") != "approved") return std::string();
  TANDEM_ASSIGN_OR_RETURN(auto mine,
                          ListAll(p.engine, p.actor(), "acknowledgement",
                                  {{"filter[document_version]", std::to_string(Int(v, "id"))},
                                   {"filter[reader]", p.actor().name}}));
  return Render("gov_version",
                Obj({{"acknowledged", !mine.empty()},
                     {"at", Text(mine.empty() ? "" : Str(mine[0], "acknowledged_at"))},
                     {"can", p.actor().Can("acknowledgement", records::Action::kCreate)},
                     {"action", "/governance/acknowledge/" + Str(v, "number")},
                     {"csrf_token", CsrfData(p)}}));
}

// A report inside the page frame, with its PDF to print.
Status ShowReport(Page& p, const Report& r, const std::string& name) {
  if (p.Param("format") == "pdf") {
    TANDEM_ASSIGN_OR_RETURN(std::string pdf, ReportPdf(r));
    p.res.status = 200;
    p.res.set_header("Content-Disposition", "attachment; filename=\"" + name + ".pdf\"");
    p.res.set_content(pdf, "application/pdf");
    return Status::Ok();
  }
  return SendTemplate(p, 200, r.title, "gov_report",
                      Obj({{"report", ReportHtml(r)}, {"pdf_href", p.req.path + "?format=pdf"}}));
}

Status Capacity(Page& p) {
  TANDEM_ASSIGN_OR_RETURN(json c, TeamCapacity(p.engine, p.actor()));
  Data rows = Data::type::list;
  for (const auto& t : c["teams"])
    rows.push_back(Obj({{"team", Str(t, "team")},
                        {"people", std::to_string(Int(t, "people"))},
                        {"fte", t["fte"].dump()},
                        {"gaps", std::to_string(Int(t, "gaps"))},
                        {"warn", Int(t, "gaps") > 0}}));
  return SendTemplate(p, 200, "Team capacity", "gov_capacity",
                      Obj({{"rows", rows}, {"empty", c["teams"].empty()}}));
}

Status GovernancePages(Page& p) {
  const auto& seg = p.seg;
  if (seg.size() == 2 && seg[1] == "capacity" && !p.post()) return Capacity(p);
  if (seg.size() == 4 && seg[1] == "audits") {
    TANDEM_ASSIGN_OR_RETURN(int64_t id, IdIn(p, "audit", seg[2]));
    const std::string back = RecordPath(TypeOf(p, "audit"), id);
    if (seg[3] == "checklist" && p.post()) {
      TANDEM_RETURN_IF_ERROR(GenerateChecklist(p.engine, p.actor(), id).status());
      return Redirect(p, back);
    }
    if (seg[3] == "report" && !p.post()) {
      TANDEM_ASSIGN_OR_RETURN(Report r, AuditReport(p.engine, p.actor(), id));
      return ShowReport(p, r, "audit-" + seg[2]);
    }
  }
  if (seg.size() == 4 && seg[1] == "reviews" && seg[3] == "pack" && !p.post()) {
    TANDEM_ASSIGN_OR_RETURN(int64_t id, IdIn(p, "management_review", seg[2]));
    TANDEM_ASSIGN_OR_RETURN(json pack, ReviewPack(p.engine, p.actor(), id));
    return ShowReport(p, ReviewPackReport(pack), "review-" + seg[2]);
  }
  if (seg.size() == 3 && seg[1] == "acknowledge" && p.post()) {
    TANDEM_ASSIGN_OR_RETURN(int64_t id, IdIn(p, "document_version", seg[2]));
    TANDEM_RETURN_IF_ERROR(
        p.engine.Create(p.actor(), TypeOf(p, "acknowledgement"), {{"document_version", id}})
            .status());
    return Redirect(p, RecordPath(TypeOf(p, "document_version"), id));
  }
  return NoPage(p);
}

}  // namespace

void AddGovernancePages(web::Extensions& web) {
  web.AddSection({.section = "governance", .handler = GovernancePages});
  web.AddRecordPart({"measure", "Measurements", 10, MeasurePart});
  web.AddRecordPart({"audit", "Checklist", 10, AuditPart});
  web.AddRecordPart({"management_review", "Input pack", 10, ReviewPart});
  web.AddRecordPart({"person", "Competence", 10, PersonPart});
  web.AddRecordPart({"document", "Versions and readers", 10, DocumentPart});
  web.AddRecordPart({"document_version", "Read and understood", 10, VersionPart});
}

}  // namespace tandem::domains

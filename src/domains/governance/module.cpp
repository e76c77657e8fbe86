// The governance module: the records of clauses 4-10 that the ISMS, the SMS
// and the QMS share (ISO/IEC 27013 6.3.1, 6.3.3; ISO/IEC TR 20000-7 Table 1),
// their hooks and views, each management system's governance figures on its
// dashboard panel, and the governance calendar.
#include "core/json_access.h"
#include "domains/domains.h"
#include "domains/governance/governance.h"
#include "domains/governance/governance_api.h"
#include "domains/module.h"
#include "records/codec.h"
#include "web/extensions.h"
#include "web/pages.h"
#include "web/panel.h"

namespace tandem::domains {

namespace {

using nlohmann::json;

const char* SystemName(const std::string& ms) {
  return ms == "isms" ? "ISMS" : ms == "sms" ? "SMS" : "QMS";
}

// The nonconformities, documents, objectives and measures of management
// system `ms` ("isms", "sms" or "qms"), those of the whole IMS included, and
// who manages its improvements (ISO/IEC 27013 6.3.3 asks for a named role for
// information security as ISO/IEC 20000-1 does for services).
void Governance(web::Panel& panel, const std::string& ms) {
  const std::string today = panel.today();
  const std::string serves = "filter[for_" + ms + "]";
  const web::Panel::Params nc = {{"filter[management_system][in]", ms + ",ims"},
                                 {"filter[state][ne]", "closed"}};
  panel.CountFigure("Open nonconformities", "nonconformity", nc, false);
  web::Panel::Params overdue = nc;
  overdue.emplace("filter[due_date][lt]", today);
  panel.CountFigure("Corrective actions overdue", "nonconformity", overdue);
  panel.CountFigure("Documents overdue for review", "document",
                    {{serves, "true"},
                     {"filter[state]", "in_force"},
                     {"filter[review_date][lt]", today}});
  panel.CountFigure("Objectives past their due date", "objective",
                    {{serves, "true"}, {"filter[state]", "approved"}, {"filter[due_date][lt]", today}});
  panel.CountFigure("Measures off target", "measure",
                    {{serves, "true"}, {"filter[state]", "active"}, {"filter[status]", "off_target"}});
  // The role that manages improvements, or a warning while there is none.
  if (!panel.actor().Can("ims_role", records::Action::kRead)) return;
  std::string holder, number;
  panel.First("ims_role", {{"filter[improvement_owner_" + ms + "]", "true"},
                           {"filter[holder][null]", "false"}},
              1, [&](const json& r) {
                holder = Str(r, "holder");
                number = Str(r, "number");
              });
  if (holder.empty()) {
    panel.Add({.label = std::string("Role managing ") + SystemName(ms) + " improvements",
               .value = "not assigned",
               .detail = "Name the role responsible for managing improvements and who holds it.",
               .href = panel.ListHref("ims_role", {}),
               .warn = true});
    return;
  }
  panel.Add({.label = std::string(SystemName(ms)) + " improvements managed by",
             .value = holder,
             .href = "/r/ims-roles/" + number});
}

// One source of the governance calendar: `type` records whose `date_field`
// is due by the calendar's end, in `states`, labelled `what`.
web::CalendarSource Due(const char* type, const char* date_field, const char* states,
                        const char* what, const char* label_field) {
  return [=](web::Panel& panel, const std::string& until, std::vector<web::CalendarEntry>& out) {
    const auto* t = panel.engine().registry().Find(type);
    web::Panel::Params params = {{std::string("filter[") + date_field + "][le]", until},
                                 {"sort", date_field}};
    if (*states) params.emplace("filter[state][in]", states);
    panel.First(type, params, 20, [&](const json& r) {
      out.push_back({Str(r, date_field), std::string(what) + ": " + Str(r, label_field),
                     "/r/" + t->collection + "/" + Str(r, "number")});
    });
  };
}

class GovernanceDomain : public Module {
 public:
  std::string_view name() const override { return "governance"; }

  void AddHooks(records::HookRegistry& hooks) const override {
    RegisterGovernanceHooks(hooks);
    RegisterAuditHooks(hooks);
    RegisterReviewHooks(hooks, &engine_);
  }

  void Attach(records::Engine& engine) override { engine_ = &engine; }

  void DeclareNames(NameCheck& names) const override {
    names
        .Fields("document", {"owner", "review_months", "requires_acknowledgement",
                             "distribution_unit", "current_version", "doc_version",
                             "approved_on", "review_date", "title", "for_isms", "for_sms",
                             "for_qms"})
        .States("document", {"draft", "in_force", "withdrawn"})
        .Transitions("document", {"bring_into_force"})
        .Fields("document_version", {"document", "label", "author", "content", "location",
                                     "approved_by", "approved_on", "superseded_on", "summary"})
        .States("document_version", {"approved"})
        .Transitions("document_version", {"submit_for_review", "approve", "supersede"})
        .Fields("acknowledgement", {"document_version", "reader", "acknowledged_at", "summary"})
        .Fields("evidence", {"element", "trace", "file", "link", "collected_on", "valid_until",
                             "review_months", "due_date", "title"})
        .States("evidence", {"requested", "current", "withdrawn"})
        .Transitions("evidence", {"provide"})
        .Fields("trace", {"element", "requirement", "extent"})
        .Fields("element", {"owner", "title"})
        .Fields("measure", {"latest_value", "latest_on", "status", "next_due", "target",
                            "warning", "direction", "frequency", "unit", "kind", "title"})
        .Values("measure", "status", {"no_data", "on_target", "warning", "off_target"})
        .Values("measure", "kind", {"control_effectiveness", "process_performance"})
        .States("measure", {"active"})
        .Fields("measurement", {"measure", "taken_on", "value", "status", "summary"})
        .Fields("training_record", {"person", "competence", "completed_on", "expires_on", "summary"})
        .Fields("competence", {"validity_months", "title"})
        .Fields("person", {"name", "username", "org_unit", "role", "fte", "active"})
        .Fields("org_unit", {"name", "manager"})
        .Relations({"requires", "raised_from"})
        .Fields("ims_role", {"holder", "improvement_owner_isms", "improvement_owner_sms",
                             "improvement_owner_qms"})
        .Fields("objective", {"outcome", "due_date", "target", "owner", "title"})
        .States("objective", {"approved", "achieved", "not_achieved"})
        .Transitions("objective", {"achieve", "miss"})
        .Fields("nonconformity", {"root_cause", "corrective_action", "effectiveness_review",
                                  "due_date", "finding", "requirement", "severity", "owner"})
        .Values("nonconformity", "management_system", {"isms", "sms", "qms", "ims"})
        .Values("nonconformity", "source", {"internal_audit", "external_audit", "complaint"})
        .States("nonconformity", {"closed"})
        .Transitions("nonconformity", {"plan_action", "close"})
        .Fields("corrective_action", {"nonconformity", "kind", "completed_on", "due_date"})
        .States("corrective_action", {"open", "done"})
        .Transitions("corrective_action", {"complete", "reopen"})
        .Fields("improvement", {"owner", "measured_benefit", "source", "target_date"})
        .Values("improvement", "source", {"audit", "complaint"})
        .Transitions("improvement", {"close"})
        .Fields("audit", {"standards", "clauses", "process", "org_unit", "auditee",
                          "lead_auditor", "team", "held_on", "conclusion", "kind", "planned_on"})
        .States("audit", {"planned", "in_progress", "reported", "closed", "cancelled"})
        .Transitions("audit", {"report"})
        .Fields("audit_check", {"audit", "requirement", "claimed_by", "evidence_status",
                                "result", "sort_key", "summary", "notes"})
        .Fields("audit_finding", {"audit", "requirement", "kind", "description", "evidence",
                                  "nonconformity", "improvement"})
        .Values("audit_finding", "kind", {"major_nc", "minor_nc", "observation", "opportunity"})
        .Transitions("audit_finding", {"raise"})
        .Fields("requirement", {"applicability", "justification", "label", "sort_key", "ref",
                                "withdrawn", "standard"})
        .Fields("standard", {"key"})
        .Fields("management_review", {"period_start", "period_end", "chair", "minutes",
                                      "held_on", "pack", "pack_frozen_at", "planned_on"})
        .Transitions("management_review", {"hold", "close"})
        .Fields("review_action", {"review", "kind", "description", "owner", "due_date", "outcome"})
        .States("review_action", {"open", "done"})
        .Transitions("review_action", {"complete"})
        .Fields("context_issue", {"review_date", "kind", "direction"})
        .Fields("obligation", {"compliance", "next_review"})
        .Fields("interested_party", {"review_date"})
        .Fields("risk", {"domain", "inherent_score", "residual_score", "treatment", "review_date"})
        .Fields("incident", {"classification", "priority", "major"})
        .States("change", {"implemented", "reviewed", "closed"})
        .Fields("supplier", {"next_review"});
  }

  void Serve(ServeContext& ctx) override {
    AddGovernanceRoutes(ctx.api, ctx.engine);
    AddGovernancePages(ctx.web);
    for (const char* ms : web::kPanels)
      ctx.web.AddPanelPart({ms, 60, [ms = std::string(ms)](web::Panel& p) { Governance(p, ms); }});
    for (auto source :
         {Due("management_review", "planned_on", "planned", "Management review", "title"),
          Due("audit", "planned_on", "planned", "Audit", "title"),
          Due("document", "review_date", "in_force", "Document review", "title"),
          Due("measure", "next_due", "active", "Measurement due", "title"),
          Due("evidence", "due_date", "requested", "Evidence requested", "title"),
          Due("evidence", "valid_until", "current", "Evidence expires", "title"),
          Due("training_record", "expires_on", "", "Training expires", "summary"),
          Due("objective", "due_date", "approved", "Objective due", "title"),
          Due("corrective_action", "due_date", "open", "Corrective action due", "summary"),
          Due("review_action", "due_date", "open", "Review action due", "summary"),
          Due("obligation", "next_review", "in_force", "Obligation review", "title"),
          Due("context_issue", "review_date", "current", "Context issue review", "title")})
      ctx.web.AddCalendar(source);
  }

 private:
  records::Engine* engine_ = nullptr;
};

}  // namespace

std::unique_ptr<Module> GovernanceModule() { return std::make_unique<GovernanceDomain>(); }

}  // namespace tandem::domains

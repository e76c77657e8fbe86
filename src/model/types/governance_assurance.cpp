// Checking and acting (clauses 9.2, 9.3, 10): the internal audit programme,
// audits with their checklists and findings, nonconformities and their
// actions, management reviews and their outputs, and the improvement
// register. One integrated audit or review may cover all three systems.
#include "model/declare.h"
#include "model/registry.h"

namespace tandem::model {

namespace {

RecordType AuditProgramme() {
  return RecordType{
      .name = "audit_programme",
      .collection = "audit-programmes",
      .title = "Audit programme",
      .area = "governance",
      .prefix = "AUP",
      .display_field = "title",
      .description = "The internal audit programme of a period (clause 9.2.2): objectives, "
                     "criteria and the audits planned.",
      .fields = ServingSystems({
          Text("title", "Programme").Required(),
          Date("period_start", "From").Required(),
          Date("period_end", "To").Required(),
          LongText("objectives", "Objectives"),
          LongText("criteria", "Criteria and methods"),
          User("owner", "Owner").Indexed(),
      }),
      .states =
          StateMachineDecl{
              .initial = "draft",
              .states = {"draft", "approved", "closed"},
              .transitions =
                  {
                      {"approve",
                       {"draft"},
                       "approved",
                       {RoleOneOf({"top_management", "isms_manager", "service_manager"})}},
                      {"close", {"approved"}, "closed"},
                  },
              .final_states = {"closed"},
          },
  };
}

RecordType Audit() {
  return RecordType{
      .name = "audit",
      .collection = "audits",
      .title = "Audit",
      .area = "governance",
      .prefix = "AUD",
      .display_field = "title",
      .description =
          "An audit: its scope (standards, clauses, a process, a team, a site), criteria, lead "
          "auditor and team. Its checklist comes from the requirements in scope and the "
          "traceability matrix; an auditor may not audit their own area.",
      .fields = ServingSystems({
          Ref("audit_programme", "Programme", "audit_programme"),
          Text("title", "Audit").Required(),
          Enum("kind", "Kind", {"internal", "supplier", "external", "certification"})
              .Default("\"internal\"")
              .Required(),
          Text("standards", "Standards")
              .Required()
              .MaxLength(500)
              .Help("Keys, comma-separated: one audit may cover several, e.g. iso27001:2022, "
                    "iso20000-1:2018"),
          Text("clauses", "Clauses")
              .MaxLength(500)
              .Help("Requirements whose reference starts with one of these, comma-separated, "
                    "e.g. 7.5, 8.5, A.5.2; empty: all"),
          Ref("process", "Process audited", "element"),
          Ref("org_unit", "Team audited", "org_unit"),
          Ref("location", "Site", "location"),
          User("auditee", "Owner of the audited area")
              .Help("Whose area it is: neither the lead auditor nor the team may be"),
          LongText("criteria", "Criteria"),
          User("lead_auditor", "Lead auditor").Required().Indexed(),
          Text("team", "Audit team").Help("User names, comma-separated"),
          Date("planned_on", "Planned for").Indexed(),
          Date("held_on", "Held on"),
          LongText("conclusion", "Conclusion"),
      }),
      .states =
          StateMachineDecl{
              .initial = "planned",
              .states = {"planned", "in_progress", "reported", "closed", "cancelled"},
              .transitions =
                  {
                      {"start", {"planned"}, "in_progress"},
                      {"report", {"in_progress"}, "reported"},
                      // Closed by someone who did not lead it (the programme
                      // owner), once the findings are taken up.
                      {"close", {"reported"}, "closed", {NotUser("lead_auditor")}},
                      {"cancel", {"planned"}, "cancelled"},
                  },
              .final_states = {"closed", "cancelled"},
          },
  };
}

RecordType AuditCheck() {
  return RecordType{
      .name = "audit_check",
      .collection = "audit-checks",
      .title = "Audit checklist item",
      .area = "governance",
      .prefix = "CHK",
      .display_field = "summary",
      .description = "One requirement to check in an audit, with the elements that claim to "
                     "satisfy it and their evidence as the checklist found them.",
      .fields =
          {
              Ref("audit", "Audit", "audit").Required(),
              Ref("requirement", "Requirement", "requirement").Required(),
              Text("claimed_by", "Claimed by")
                  .MaxLength(4000)
                  .Computed()
                  .DerivedFrom({"requirement"})
                  .Help("The elements traced to it when the checklist was made"),
              Enum("evidence_status", "Evidence",
                   {"current", "expired", "missing", "not_claimed", "not_applicable"})
                  .Computed(),
              Enum("result", "Result", {"not_checked", "conforming", "finding", "not_applicable"})
                  .Default("\"not_checked\"")
                  .Indexed(),
              LongText("notes", "Audit notes"),
              Text("sort_key", "Order").Computed().DerivedFrom({"requirement"}),
              Text("summary", "Summary").Computed().DerivedFrom({"requirement"}),
          },
      .indexes = {{"audit", "sort_key"}},
      .unique = {{"audit", "requirement"}},
  };
}

RecordType AuditFinding() {
  return RecordType{
      .name = "audit_finding",
      .collection = "audit-findings",
      .title = "Audit finding",
      .area = "governance",
      .prefix = "FND",
      .display_field = "title",
      .description = "A finding against a requirement: a major or minor nonconformity, an "
                     "observation or an opportunity for improvement. Raising it creates the "
                     "nonconformity (or the improvement) in one step.",
      .fields =
          {
              Ref("audit", "Audit", "audit").Required(),
              Ref("requirement", "Requirement", "requirement"),
              Enum("kind", "Kind", {"major_nc", "minor_nc", "observation", "opportunity"})
                  .Required()
                  .Indexed(),
              Text("title", "Finding").Required(),
              LongText("description", "Description").Required(),
              LongText("evidence", "Objective evidence"),
              Ref("nonconformity", "Nonconformity raised", "nonconformity").Computed(),
              Ref("improvement", "Improvement raised", "improvement").Computed(),
          },
      .states =
          StateMachineDecl{
              .initial = "open",
              .states = {"open", "raised", "closed"},
              .transitions =
                  {
                      {"raise", {"open"}, "raised"},
                      {"close", {"open", "raised"}, "closed"},
                  },
              .final_states = {"closed"},
          },
  };
}

RecordType Nonconformity() {
  return RecordType{
      .name = "nonconformity",
      .collection = "nonconformities",
      .title = "Nonconformity",
      .area = "governance",
      .prefix = "NC",
      .display_field = "title",
      .description = "A requirement not fulfilled (clause 10.1): the correction, its cause, the "
                     "corrective actions and the review of their effectiveness.",
      .fields =
          {
              Text("title", "Title").Required(),
              LongText("description", "Description"),
              Enum("source", "Source",
                   {"internal_audit", "external_audit", "incident", "management_review",
                    "complaint", "monitoring", "measurement", "other"})
                  .Required(),
              Enum("management_system", "Management system", {"isms", "sms", "qms", "ims"})
                  .Required()
                  .Indexed(),
              Enum("severity", "Severity", {"major", "minor", "observation"}).Required(),
              Ref("requirement", "Requirement not fulfilled", "requirement"),
              Ref("finding", "Audit finding", "audit_finding"),
              User("owner", "Owner").Indexed(),
              LongText("correction", "Correction").Help("What was done at once to contain it"),
              LongText("root_cause", "Root cause"),
              LongText("corrective_action", "Corrective action")
                  .Help("The plan; each action with its owner and due date is a corrective "
                        "action record"),
              Date("due_date", "Due").Indexed(),
              User("reviewer", "Effectiveness reviewer")
                  .Help("Someone other than the owner and the actions' owners"),
              Date("review_due", "Effectiveness review due").Indexed(),
              LongText("effectiveness_review", "Effectiveness review"),
          },
      .states =
          StateMachineDecl{
              .initial = "open",
              .states = {"open", "action_planned", "verifying", "closed"},
              .transitions =
                  {
                      {"plan_action", {"open"}, "action_planned"},
                      // The effectiveness review and the closure are
                      // someone else's than the action owner's.
                      {"verify", {"action_planned"}, "verifying", {NotUser("owner")}},
                      {"reopen", {"verifying"}, "action_planned"},
                      {"close", {"verifying"}, "closed", {NotUser("owner")}},
                  },
              .final_states = {"closed"},
          },
  };
}

RecordType CorrectiveAction() {
  return RecordType{
      .name = "corrective_action",
      .collection = "corrective-actions",
      .title = "Corrective action",
      .area = "governance",
      .prefix = "CA",
      .display_field = "summary",
      .description = "One action on a nonconformity: a correction or a corrective action, with "
                     "its owner and due date; verified by someone else.",
      .fields =
          {
              Ref("nonconformity", "Nonconformity", "nonconformity").Required(),
              Enum("kind", "Kind", {"correction", "corrective_action"}).Required(),
              LongText("action", "Action").Required(),
              User("owner", "Owner").Required().Indexed(),
              Date("due_date", "Due").Required().Indexed(),
              Date("completed_on", "Completed on").Computed(),
              LongText("verification", "Verification"),
              Text("summary", "Summary").Computed().DerivedFrom({"nonconformity"}),
          },
      .states =
          StateMachineDecl{
              .initial = "open",
              .states = {"open", "done", "verified", "cancelled"},
              .transitions =
                  {
                      {"complete", {"open"}, "done"},
                      {"verify", {"done"}, "verified", {NotUser("owner")}},
                      {"reopen", {"done"}, "open"},
                      {"cancel", {"open"}, "cancelled"},
                  },
              .final_states = {"verified", "cancelled"},
          },
  };
}

RecordType ManagementReview() {
  return RecordType{
      .name = "management_review",
      .collection = "management-reviews",
      .title = "Management review",
      .area = "governance",
      .prefix = "MR",
      .display_field = "title",
      .description =
          "A review of the management systems by top management (clause 9.3 of each standard): "
          "the input pack is compiled from the live records of the period and frozen when the "
          "review is closed; decisions and actions are its outputs.",
      .fields = ServingSystems({
          Text("title", "Review").Required(),
          Date("period_start", "Period from").Required(),
          Date("period_end", "Period to").Required(),
          User("chair", "Chair").Required(),
          LongText("attendees", "Attendees"),
          Date("planned_on", "Planned for").Indexed(),
          Date("held_on", "Held on"),
          LongText("minutes", "Minutes and conclusions"),
          Json("pack", "Input pack, as reviewed").Internal(),
          DateTime("pack_frozen_at", "Input pack frozen at").Computed(),
      }),
      .states =
          StateMachineDecl{
              .initial = "planned",
              .states = {"planned", "held", "closed"},
              .transitions =
                  {
                      {"hold", {"planned"}, "held"},
                      {"reopen", {"held"}, "planned"},
                      // Closed by top management: the outputs are theirs.
                      {"close", {"held"}, "closed", {RoleOneOf({"top_management"})}},
                  },
              .final_states = {"closed"},
          },
  };
}

RecordType ReviewAction() {
  return RecordType{
      .name = "review_action",
      .collection = "review-actions",
      .title = "Review output",
      .area = "governance",
      .prefix = "RA",
      .display_field = "summary",
      .description = "A decision, action or resource need from a management review, with its "
                     "owner and due date.",
      .fields = ServingSystems({
          Ref("review", "Management review", "management_review").Required(),
          Enum("kind", "Kind", {"decision", "action", "resource_need", "change_to_ims"})
              .Required(),
          LongText("description", "Description").Required(),
          User("owner", "Owner").Indexed(),
          Date("due_date", "Due").Indexed(),
          Decimal("budget", "Budget").Help("For a resource need"),
          LongText("outcome", "Outcome"),
          Text("summary", "Summary").Computed().DerivedFrom({"review"}),
      }),
      .states =
          StateMachineDecl{
              .initial = "open",
              .states = {"open", "done", "cancelled"},
              .transitions = {{"complete", {"open"}, "done"},
                              {"cancel", {"open"}, "cancelled"},
                              {"reopen", {"done"}, "open"}},
              .final_states = {"cancelled"},
          },
  };
}

RecordType Improvement() {
  return RecordType{
      .name = "improvement",
      .collection = "improvements",
      .title = "Improvement",
      .area = "governance",
      .prefix = "IMP",
      .display_field = "title",
      .description =
          "An opportunity for improvement (clause 10.2; ISO/IEC 20000-1:2011 4.5.5): where it "
          "came from, its evaluation and approval, its implementation and the benefit measured. "
          "Managed by the role named for improvements of its management system.",
      .fields = ServingSystems({
          Text("title", "Improvement").Required(),
          Enum("source", "Source",
               {"audit", "incident", "complaint", "management_review", "measurement",
                "suggestion", "nonconformity", "other"})
              .Required(),
          LongText("description", "Description").Required(),
          LongText("evaluation", "Evaluation").Help("Benefit, cost, risk, priority"),
          Enum("priority", "Priority", {"high", "medium", "low"}),
          User("owner", "Owner")
              .Indexed()
              .Help("Empty: the holder of the role that manages improvements"),
          Date("target_date", "Target date").Indexed(),
          LongText("expected_benefit", "Expected benefit"),
          LongText("measured_benefit", "Measured benefit"),
      }),
      .states =
          StateMachineDecl{
              .initial = "proposed",
              .states = {"proposed", "approved", "implementing", "implemented", "closed",
                         "rejected"},
              .transitions =
                  {
                      {"approve", {"proposed"}, "approved", {NotCreator()}},
                      {"reject", {"proposed"}, "rejected"},
                      {"start", {"approved"}, "implementing"},
                      {"complete", {"implementing"}, "implemented"},
                      {"close", {"implemented"}, "closed"},
                  },
              .final_states = {"closed", "rejected"},
          },
  };
}

}  // namespace

std::vector<RecordType> GovernanceAssuranceTypes() {
  return {AuditProgramme(), Audit(),           AuditCheck(),       AuditFinding(), Nonconformity(),
          CorrectiveAction(), ManagementReview(), ReviewAction(), Improvement()};
}

}  // namespace tandem::model

// Controlled documents and nonconformities, shared by ISMS, SMS and QMS.
#include "model/declare.h"
#include "model/registry.h"

namespace tandem::model {

namespace {

RecordType Document() {
  return RecordType{
      .name = "document",
      .collection = "documents",
      .title = "Controlled document",
      .area = "governance",
      .prefix = "DOC",
      .display_field = "title",
      .description =
          "Policies, processes, procedures and plans: one set of documentation for the IMS.",
      .fields =
          {
              Text("title", "Title").Required().Indexed(),
              Enum("doc_type", "Type",
                   {"policy", "process", "procedure", "plan", "record", "other"})
                  .Required()
                  .Indexed(),
              User("owner", "Owner"),
              Text("doc_version", "Version"),
              Boolean("for_isms", "Serves the ISMS").Default("false"),
              Boolean("for_sms", "Serves the SMS").Default("false"),
              Boolean("for_qms", "Serves the QMS").Default("false"),
              Date("approved_on", "Approved on"),
              Date("review_date", "Next review").Indexed(),
              Text("location", "Location / link"),
          },
      .states =
          StateMachineDecl{
              .initial = "draft",
              .states = {"draft", "in_review", "approved", "retired"},
              .transitions =
                  {
                      {"submit_for_review", {"draft"}, "in_review"},
                      // Approved by someone other than its author.
                      {"approve",
                       {"in_review"},
                       "approved",
                       {NotCreator(), NotActorOf("submit_for_review")}},
                      {"revise", {"in_review", "approved"}, "draft"},
                      {"retire", {"draft", "approved"}, "retired"},
                  },
              .final_states = {"retired"},
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
      .description = "A requirement not fulfilled, with correction and corrective action.",
      .fields =
          {
              Text("title", "Title").Required(),
              LongText("description", "Description"),
              Enum("source", "Source",
                   {"internal_audit", "external_audit", "incident", "management_review",
                    "complaint", "monitoring", "other"})
                  .Required(),
              Enum("management_system", "Management system", {"isms", "sms", "qms", "ims"})
                  .Required()
                  .Indexed(),
              Enum("severity", "Severity", {"major", "minor", "observation"}).Required(),
              User("owner", "Owner").Indexed(),
              LongText("correction", "Correction"),
              LongText("root_cause", "Root cause"),
              LongText("corrective_action", "Corrective action"),
              Date("due_date", "Due").Indexed(),
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

}  // namespace

std::vector<RecordType> GovernanceTypes() { return {Document(), Nonconformity()}; }

}  // namespace tandem::model

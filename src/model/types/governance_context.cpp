// Context, interested parties and their requirements, roles, communication
// and objectives: clauses 4, 5, 6.2 and 7.4 of the high level structure that
// ISO/IEC 27001, ISO/IEC 20000-1 and ISO 9001 share (ISO/IEC TR 20000-7
// Table 1). One register serves all three systems; each record says which.
#include "model/declare.h"
#include "model/registry.h"

namespace tandem::model {

namespace {

RecordType ContextIssue() {
  return RecordType{
      .name = "context_issue",
      .collection = "context-issues",
      .title = "Context issue",
      .area = "governance",
      .prefix = "CTX",
      .display_field = "title",
      .description = "An internal or external issue relevant to the purpose of the management "
                     "systems and their intended outcomes (clause 4.1).",
      .fields = ServingSystems({
          Text("title", "Issue").Required(),
          Enum("kind", "Internal or external", {"internal", "external"}).Required().Indexed(),
          Enum("category", "Category",
               {"political", "economic", "social", "technological", "legal", "environmental",
                "organizational", "contractual", "other"}),
          LongText("description", "Description"),
          LongText("effect", "Effect on the intended outcomes")
              .Help("What it means for information security, the services or quality"),
          Enum("direction", "Risk or opportunity", {"risk", "opportunity", "both"}),
          User("owner", "Owner").Indexed(),
          Date("review_date", "Next review").Indexed(),
      }),
      .states =
          StateMachineDecl{
              .initial = "current",
              .states = {"current", "closed"},
              .transitions = {{"close", {"current"}, "closed"}, {"reopen", {"closed"}, "current"}},
          },
  };
}

RecordType InterestedParty() {
  return RecordType{
      .name = "interested_party",
      .collection = "interested-parties",
      .title = "Interested party",
      .area = "governance",
      .prefix = "IP",
      .display_field = "name",
      .description = "A person or organization that affects, or is affected by, the management "
                     "systems and the services (clause 4.2; ISO/IEC 27013 6.3.3).",
      .fields = ServingSystems({
          Text("name", "Name").Required(),
          Enum("kind", "Kind",
               {"customer", "user", "staff", "shareholder", "regulator", "supplier", "partner",
                "public", "other"})
              .Required()
              .Indexed(),
          LongText("description", "Description"),
          Text("contact", "Contact"),
          Enum("influence", "Influence", {"high", "medium", "low"}),
          Enum("interest", "Interest", {"high", "medium", "low"}),
          User("owner", "Relationship owner").Indexed(),
          Date("review_date", "Next review").Indexed(),
      }),
      .unique = {{"name"}},
  };
}

RecordType Obligation() {
  return RecordType{
      .name = "obligation",
      .collection = "obligations",
      .title = "Obligation",
      .area = "governance",
      .prefix = "OBL",
      .display_field = "title",
      .description =
          "A requirement of an interested party, and the register of legal, regulatory and "
          "contractual requirements (clause 4.2; ISO/IEC 27001:2022 A.5.31-A.5.34). Each is an "
          "input to risk identification; the controls and agreements that meet it link to it.",
      .fields = ServingSystems({
          Text("title", "Requirement").Required(),
          Enum("kind", "Kind",
               {"legal", "regulatory", "contractual", "customer", "standard", "internal",
                "other"})
              .Required()
              .Indexed(),
          Ref("party", "Interested party", "interested_party"),
          Text("source", "Source").Help("The act, regulation, contract clause or letter, e.g. "
                                        "GDPR Art. 33"),
          Text("jurisdiction", "Jurisdiction"),
          LongText("description", "What it requires"),
          LongText("how_met", "How it is met")
              .Help("Link the controls, elements and agreements that fulfil it"),
          Boolean("security_relevant", "Information security obligation")
              .Default("false")
              .Help("Contractual security obligations are an input to risk assessment (ISO/IEC "
                    "27013 6.3.5)"),
          Enum("compliance", "Compliance",
               {"not_assessed", "compliant", "partly_compliant", "not_compliant"})
              .Default("\"not_assessed\"")
              .Indexed(),
          User("owner", "Owner").Indexed(),
          Date("next_review", "Next review").Indexed(),
      }),
      .states =
          StateMachineDecl{
              .initial = "in_force",
              .states = {"in_force", "retired"},
              .transitions = {{"retire", {"in_force"}, "retired"},
                              {"reinstate", {"retired"}, "in_force"}},
          },
  };
}

RecordType ImsRole() {
  return RecordType{
      .name = "ims_role",
      .collection = "ims-roles",
      .title = "IMS role",
      .area = "governance",
      .prefix = "ROLE",
      .display_field = "title",
      .description = "A role with its responsibilities and authorities (clause 5.3), and who "
                     "holds it: among them the management representative and the role "
                     "responsible for managing improvements (ISO/IEC 27013 6.3.3).",
      .fields = ServingSystems({
          Text("title", "Role").Required(),
          LongText("responsibilities", "Responsibilities").Required(),
          LongText("authorities", "Authorities"),
          User("holder", "Held by").Indexed(),
          User("deputy", "Deputy"),
          Ref("org_unit", "Organizational unit", "org_unit"),
          Boolean("improvement_owner_isms", "Manages improvements of the ISMS")
              .Default("false")
              .Help("ISO/IEC 27013 6.3.3: assign the management of information security "
                    "improvements to a named role, as ISO/IEC 20000-1 does for the SMS"),
          Boolean("improvement_owner_sms", "Manages improvements of the SMS").Default("false"),
          Boolean("improvement_owner_qms", "Manages improvements of the QMS").Default("false"),
          Boolean("management_representative", "Management representative").Default("false"),
      }),
      .unique = {{"title"}},
  };
}

RecordType Communication() {
  return RecordType{
      .name = "communication",
      .collection = "communications",
      .title = "Communication",
      .area = "governance",
      .prefix = "COM",
      .display_field = "subject",
      .description =
          "The communication plan (clause 7.4): what, when, with whom, who and how.",
      .fields = ServingSystems({
          Text("subject", "What").Required(),
          Text("audience", "With whom").Required(),
          Enum("direction", "Internal or external", {"internal", "external"}).Required(),
          User("communicator", "Who communicates"),
          Enum("channel", "How",
               {"email", "intranet", "meeting", "training", "report", "website", "letter",
                "other"})
              .Required(),
          Enum("frequency", "When",
               {"once", "weekly", "monthly", "quarterly", "yearly", "on_event"})
              .Required(),
          Date("next_due", "Next due").Indexed(),
          LongText("notes", "Notes"),
      }),
      .states =
          StateMachineDecl{
              .initial = "active",
              .states = {"active", "retired"},
              .transitions = {{"retire", {"active"}, "retired"},
                              {"reinstate", {"retired"}, "active"}},
          },
  };
}

RecordType Objective() {
  return RecordType{
      .name = "objective",
      .collection = "objectives",
      .title = "Objective",
      .area = "governance",
      .prefix = "OBJ",
      .display_field = "title",
      .description = "An objective of the management systems and the plan to achieve it "
                     "(ISO/IEC 27001 6.2, ISO/IEC 20000-1 6.2, ISO 9001 6.2); the measures that "
                     "track it name it, and it serves requirements through links.",
      .fields = ServingSystems({
          Text("title", "Objective").Required(),
          LongText("description", "Description"),
          User("owner", "Owner").Required().Indexed(),
          Text("target", "Target").Required().Help("Measurable: what, how much, by when"),
          Date("due_date", "Due").Required().Indexed(),
          LongText("plan", "Plan").Help("What will be done, with what resources, by whom"),
          LongText("evaluation", "How results are evaluated"),
          LongText("outcome", "Outcome"),
      }),
      .states =
          StateMachineDecl{
              .initial = "proposed",
              .states = {"proposed", "approved", "achieved", "not_achieved", "cancelled"},
              .transitions =
                  {
                      // Objectives are set by top management or the system's managers.
                      {"approve",
                       {"proposed"},
                       "approved",
                       {RoleOneOf({"top_management", "isms_manager", "service_manager"})}},
                      {"achieve", {"approved"}, "achieved"},
                      {"miss", {"approved"}, "not_achieved"},
                      {"cancel", {"proposed", "approved"}, "cancelled"},
                  },
              .final_states = {"achieved", "not_achieved", "cancelled"},
          },
  };
}

}  // namespace

std::vector<RecordType> GovernanceContextTypes() {
  return {ContextIssue(), InterestedParty(), Obligation(), ImsRole(), Communication(), Objective()};
}

}  // namespace tandem::model

// Incidents, problems and changes (ISO/IEC 27013 6.2.5, 6.2.6).
//
// One incident record serves both standards: `kind` separates service
// requests, service incidents, security events and security incidents, and
// `classification` says which management system(s) must handle it, because an
// ISO/IEC 27001 security incident need not be an ISO/IEC 20000-1 incident and
// vice versa.
#include "model/declare.h"
#include "model/registry.h"

namespace tandem::model {

namespace {

RecordType Incident() {
  return RecordType{
      .name = "incident",
      .collection = "incidents",
      .title = "Incident",
      .area = "operations",
      .prefix = "INC",
      .display_field = "title",
      .description = "Service requests, incidents, security events and security incidents.",
      .fields =
          {
              Text("title", "Title").Required(),
              LongText("description", "Description"),
              Enum("kind", "Kind",
                   {"service_request", "incident", "security_event", "security_incident"})
                  .Required()
                  .Indexed(),
              Enum("classification", "Handled under", {"sms", "isms", "both"})
                  .Required()
                  .Indexed()
                  .Help("SMS: affects a service; ISMS: threatens information security; both: each "
                        "process applies."),
              Boolean("major", "Major incident")
                  .Default("false")
                  .Indexed()
                  .Help(
                      "Top management is informed of every major incident (ISO/IEC 20000-1 8.1)."),
              Enum("impact", "Impact", {"high", "medium", "low"}).Required(),
              Enum("urgency", "Urgency", {"high", "medium", "low"}).Required(),
              Enum("priority", "Priority", {"p1", "p2", "p3", "p4"})
                  .Computed()
                  .Indexed()
                  .Help("Derived from impact and urgency."),
              Ref("service", "Affected service", "service"),
              Text("reported_by", "Reported by"),
              User("assignee", "Assignee").Indexed(),
              DateTime("occurred_at", "Occurred at"),
              DateTime("resolved_at", "Resolved at").Computed(),
              LongText("resolution", "Resolution"),
          },
      .states =
          StateMachineDecl{
              .initial = "new",
              .states = {"new", "in_progress", "on_hold", "resolved", "closed", "cancelled"},
              .transitions =
                  {
                      {"start", {"new", "on_hold"}, "in_progress"},
                      {"hold", {"in_progress"}, "on_hold"},
                      {"resolve", {"new", "in_progress"}, "resolved"},
                      {"reopen", {"resolved"}, "in_progress"},
                      {"close", {"resolved"}, "closed"},
                      {"cancel", {"new", "in_progress", "on_hold"}, "cancelled"},
                  },
              .final_states = {"closed", "cancelled"},
          },
      // The queues people work from (open P1s) and the two axes ISO/IEC 27013
      // 6.2.5 asks to keep apart (what happened, which system handles it).
      .indexes = {{"state", "priority"}, {"kind", "classification"}},
  };
}

RecordType Problem() {
  return RecordType{
      .name = "problem",
      .collection = "problems",
      .title = "Problem",
      .area = "operations",
      .prefix = "PRB",
      .display_field = "title",
      .description =
          "The root cause of one or more incidents; a known error once cause or workaround is "
          "known.",
      .fields =
          {
              Text("title", "Title").Required(),
              LongText("description", "Description"),
              Enum("priority", "Priority", {"p1", "p2", "p3", "p4"}).Required().Indexed(),
              Ref("service", "Affected service", "service"),
              User("owner", "Problem owner").Indexed(),
              LongText("root_cause", "Root cause"),
              LongText("workaround", "Workaround"),
              Boolean("security_relevant", "Security relevant")
                  .Default("false")
                  .Help("Vulnerability analysis feeds problem management (ISO/IEC 27013 6.2.5)."),
          },
      .states =
          StateMachineDecl{
              .initial = "new",
              .states = {"new", "investigating", "known_error", "resolved", "closed"},
              .transitions =
                  {
                      {"investigate", {"new"}, "investigating"},
                      {"record_known_error", {"investigating"}, "known_error"},
                      {"resolve", {"investigating", "known_error"}, "resolved"},
                      {"close", {"resolved"}, "closed"},
                  },
              .final_states = {"closed"},
          },
  };
}

RecordType Change() {
  return RecordType{
      .name = "change",
      .collection = "changes",
      .title = "Change",
      .area = "operations",
      .prefix = "CHG",
      .display_field = "title",
      .description =
          "A request for change, assessed for its impact on services and on security controls.",
      .fields =
          {
              Text("title", "Title").Required(),
              LongText("description", "Description"),
              Enum("kind", "Kind", {"standard", "normal", "emergency"}).Required().Indexed(),
              Enum("risk_level", "Risk", {"low", "medium", "high"}).Required(),
              Ref("service", "Affected service", "service"),
              User("owner", "Change owner").Indexed(),
              Text("requested_by", "Requested by"),
              LongText("security_impact", "Impact on information security controls")
                  .Help("ISO/IEC 20000-1 (2011) 6.6.3: assess the change's effect on existing "
                        "security controls."),
              Boolean("security_impact_assessed", "Security impact assessed").Default("false"),
              DateTime("planned_start", "Planned start").Indexed(),
              DateTime("planned_end", "Planned end"),
              LongText("backout_plan", "Back-out plan"),
              LongText("review_notes", "Post-implementation review"),
              Boolean("successful", "Successful"),
          },
      .states =
          StateMachineDecl{
              .initial = "draft",
              .states = {"draft", "submitted", "approved", "rejected", "implemented", "reviewed",
                         "closed", "cancelled"},
              .transitions =
                  {
                      {"submit", {"draft"}, "submitted"},
                      // Four eyes (ISO/IEC 27013 6.2.6): the change board approves,
                      // never whoever raised, submitted or owns the change.
                      {"approve",
                       {"submitted"},
                       "approved",
                       {NotCreator(), NotActorOf("submit"), NotUser("owner")}},
                      {"reject", {"submitted"}, "rejected"},
                      {"implement", {"approved"}, "implemented"},
                      {"review", {"implemented"}, "reviewed"},
                      {"close", {"reviewed", "rejected"}, "closed"},
                      {"cancel", {"draft", "submitted", "approved"}, "cancelled"},
                  },
              .final_states = {"closed", "cancelled"},
          },
  };
}

}  // namespace

std::vector<RecordType> OperationsTypes() { return {Incident(), Problem(), Change()}; }

}  // namespace tandem::model

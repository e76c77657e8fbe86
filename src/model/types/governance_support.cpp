// Measures and their measurements (clause 9.1), and competence and awareness
// (clauses 7.2, 7.3): people, the competences roles require, and training.
#include "model/declare.h"
#include "model/registry.h"

namespace tandem::model {

namespace {

RecordType Measure() {
  return RecordType{
      .name = "measure",
      .collection = "measures",
      .title = "Measure",
      .area = "governance",
      .prefix = "KPI",
      .display_field = "title",
      .description =
          "What is monitored and measured (clause 9.1): definition, method, frequency, target "
          "and warning threshold, and what it measures (a control, an element, a service or an "
          "objective). Its status comes from the latest measurement. Control effectiveness "
          "measures are what ISO/IEC 27013 6.3.2 puts in service reports.",
      .fields = ServingSystems({
          Text("title", "Measure").Required(),
          LongText("definition", "Definition").Required(),
          LongText("method", "Method").Help("How it is measured, from which source"),
          Enum("kind", "Kind",
               {"control_effectiveness", "process_performance", "service_performance",
                "objective_progress", "other"})
              .Required()
              .Indexed(),
          Text("unit", "Unit").Help("e.g. %, hours, count"),
          Enum("frequency", "Frequency", {"weekly", "monthly", "quarterly", "yearly"}).Required(),
          Enum("direction", "Better when", {"higher", "lower"}).Required(),
          Decimal("target", "Target").Required(),
          Decimal("warning", "Warning threshold")
              .Help("Between the target and this value the status is 'warning'; beyond it, "
                    "'off target'"),
          User("owner", "Owner").Indexed(),
          Ref("objective", "Objective", "objective"),
          Ref("element", "IMS element or control", "element"),
          Ref("requirement", "Requirement", "requirement"),
          Ref("service", "Service", "service"),
          Decimal("latest_value", "Latest value").Computed(),
          Date("latest_on", "Latest measured on").Computed(),
          Enum("status", "Status", {"no_data", "on_target", "warning", "off_target"})
              .Computed()
              .Indexed(),
          Date("next_due", "Next measurement due").Computed().Indexed(),
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

RecordType Measurement() {
  return RecordType{
      .name = "measurement",
      .collection = "measurements",
      .title = "Measurement",
      .area = "governance",
      .prefix = "MSR",
      .display_field = "summary",
      .description = "One value of a measure, on a date, with its evidence.",
      .fields =
          {
              Ref("measure", "Measure", "measure").Required(),
              Date("taken_on", "Measured on").Required().Indexed(),
              Decimal("value", "Value").Required(),
              LongText("note", "Note"),
              File("evidence", "Evidence"),
              Enum("status", "Status", {"on_target", "warning", "off_target"}).Computed(),
              Text("summary", "Summary").Computed().DerivedFrom({"measure"}),
          },
      .indexes = {{"measure", "taken_on"}},
  };
}

RecordType Person() {
  return RecordType{
      .name = "person",
      .collection = "people",
      .title = "Person",
      .area = "governance",
      .prefix = "PER",
      .display_field = "name",
      .description = "Someone doing work under the organization's control (clause 7.2), linked "
                     "to their account where they have one; their team's hours are the human "
                     "capacity of capacity management (ISO/IEC 27013 6.3.4).",
      .fields =
          {
              Text("name", "Name").Required(),
              User("username", "Account").Indexed(),
              Text("email", "E-mail"),
              Text("job_title", "Job title"),
              Ref("org_unit", "Team", "org_unit"),
              Ref("role", "IMS role", "ims_role"),
              Decimal("fte", "Full-time equivalent")
                  .Default("1")
                  .Help("1 for full time; the team's capacity is the sum"),
              Boolean("active", "Active").Default("true"),
          },
      .unique = {{"username"}},
  };
}

RecordType Competence() {
  return RecordType{
      .name = "competence",
      .collection = "competences",
      .title = "Competence",
      .area = "governance",
      .prefix = "CMP",
      .display_field = "title",
      .description = "A skill, qualification or awareness the organization requires; a role "
                     "requires it by a link (requires).",
      .fields = ServingSystems({
          Text("title", "Competence").Required(),
          LongText("description", "Description"),
          Enum("kind", "Kind", {"skill", "qualification", "certification", "awareness"})
              .Required(),
          Integer("validity_months", "Valid for (months)")
              .Range(0, 120)
              .Help("0 or empty: does not expire"),
      }),
      .unique = {{"title"}},
  };
}

RecordType TrainingRecord() {
  return RecordType{
      .name = "training_record",
      .collection = "training-records",
      .title = "Training record",
      .area = "governance",
      .prefix = "TRN",
      .display_field = "summary",
      .description = "Training, awareness, a certification or an assessment a person completed, "
                     "with its evidence and expiry (clauses 7.2, 7.3).",
      .fields =
          {
              Ref("person", "Person", "person").Required(),
              Ref("competence", "Competence", "competence").Required(),
              Enum("kind", "Kind",
                   {"training", "awareness", "certification", "assessment", "experience"})
                  .Required(),
              Date("completed_on", "Completed on").Required(),
              Date("expires_on", "Expires on")
                  .Indexed()
                  .Help("Empty: from the competence's validity"),
              Text("provider", "Provider"),
              File("evidence", "Evidence"),
              LongText("note", "Note"),
              Text("summary", "Summary").Computed().DerivedFrom({"person", "competence"}),
          },
      .indexes = {{"person", "competence"}},
  };
}

}  // namespace

std::vector<RecordType> GovernanceSupportTypes() {
  return {Measure(), Measurement(), Person(), Competence(), TrainingRecord()};
}

}  // namespace tandem::model

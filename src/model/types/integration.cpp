// The plan for integrating the management systems (ISO/IEC 27013 5.3):
// tasks seeded from the organization's starting scenario, then worked like
// any other record.
#include "model/declare.h"
#include "model/registry.h"

namespace tandem::model {

namespace {

RecordType PlanTask() {
  return RecordType{
      .name = "plan_task",
      .collection = "plan-tasks",
      .title = "Integration plan task",
      .area = "traceability",
      .prefix = "PT",
      .display_field = "title",
      .description = "A task of the plan for integrating the management systems.",
      .fields =
          {
              Text("title", "Title").Required().MaxLength(200),
              Enum("phase", "Phase",
                   {"review_existing", "scope", "business_case", "stakeholders", "planning",
                    "implementation"})
                  .Required()
                  .Indexed(),
              LongText("description", "Description"),
              Text("guidance", "Guidance").Help("Where the task comes from, e.g. ISO/IEC 27013 5.3.4 c)"),
              User("owner", "Owner").Indexed(),
              Date("due", "Due").Indexed(),
              Enum("scenario", "Seeded for", {"none_used", "one_used", "both_separate"})
                  .Indexed()
                  .Help("The starting scenario that seeded the task; empty for tasks added later"),
              LongText("outcome", "Outcome"),
          },
      .states =
          StateMachineDecl{
              .initial = "open",
              .states = {"open", "in_progress", "done", "cancelled"},
              .transitions =
                  {
                      {"start", {"open"}, "in_progress"},
                      {"finish", {"open", "in_progress"}, "done"},
                      {"cancel", {"open", "in_progress"}, "cancelled"},
                      {"reopen", {"done", "cancelled"}, "open"},
                  },
              .final_states = {"done", "cancelled"},
          },
  };
}

}  // namespace

std::vector<RecordType> IntegrationTypes() { return {PlanTask()}; }

}  // namespace tandem::model

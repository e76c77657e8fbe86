// Gap assessment (ISO/IEC 27013 5.3): campaigns that judge, requirement by
// requirement, how far the organization meets a standard, so readiness can
// be followed over time.
#include "model/declare.h"
#include "model/registry.h"

namespace tandem::model {

namespace {

RecordType Assessment() {
  return RecordType{
      .name = "assessment",
      .collection = "assessments",
      .title = "Gap assessment",
      .area = "traceability",
      .prefix = "GA",
      .display_field = "title",
      .description = "A campaign assessing the organization against one standard.",
      .fields =
          {
              Ref("standard", "Standard", "standard").Required(),
              Text("title", "Title").Required().MaxLength(200),
              User("lead_assessor", "Lead assessor"),
              Date("assessed_on", "Assessment date")
                  .Required()
                  .Indexed()
                  .Help("The date its results describe; readiness is charted by it"),
              LongText("summary", "Summary"),
          },
      .states =
          StateMachineDecl{
              .initial = "in_progress",
              .states = {"in_progress", "completed"},
              .transitions =
                  {
                      {"complete", {"in_progress"}, "completed"},
                      {"reopen", {"completed"}, "in_progress"},
                  },
          },
  };
}

RecordType AssessmentResult() {
  return RecordType{
      .name = "assessment_result",
      .collection = "assessment-results",
      .title = "Assessment result",
      .area = "traceability",
      .prefix = "GAR",
      .display_field = "summary",
      .description = "How far one requirement is met, with the evidence seen.",
      .fields =
          {
              Ref("assessment", "Assessment", "assessment").Required(),
              Ref("requirement", "Requirement", "requirement").Required(),
              Enum("status", "Status",
                   {"not_assessed", "not_implemented", "partial", "implemented", "not_applicable"})
                  .Required()
                  .Indexed(),
              LongText("justification", "Justification")
                  .Help("Required when not applicable (Annex A controls only)"),
              LongText("evidence", "Evidence seen"),
              User("assessor", "Assessor"),
              Date("assessed_on", "Assessed on"),
              Text("summary", "Summary").Computed().DerivedFrom({"assessment", "requirement"}),
          },
      .unique = {{"requirement", "assessment"}},
  };
}

}  // namespace

std::vector<RecordType> AssessmentTypes() { return {Assessment(), AssessmentResult()}; }

}  // namespace tandem::model

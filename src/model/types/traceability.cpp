// The IMS's own elements (policies, processes, procedures, controls...) and
// their traces to the requirements they satisfy: the documented traceability
// ISO/IEC 27013 6.1 asks for between the integrated management system and
// each separate standard.
#include "model/declare.h"
#include "model/registry.h"

namespace tandem::model {

namespace {

RecordType Element() {
  return RecordType{
      .name = "element",
      .collection = "elements",
      .title = "IMS element",
      .area = "traceability",
      .prefix = "EL",
      .display_field = "title",
      .description =
          "A policy, process, procedure, plan, control, record type or role of the integrated "
          "management system, and which management systems it serves.",
      .fields =
          {
              Text("title", "Title").Required().MaxLength(300).Indexed(),
              Enum("kind", "Kind",
                   {"policy", "process", "procedure", "plan", "control", "record_type", "role",
                    "other"})
                  .Required()
                  .Indexed(),
              LongText("description", "Description"),
              User("owner", "Owner").Indexed(),
              Boolean("for_isms", "Serves the ISMS").Default("false"),
              Boolean("for_sms", "Serves the SMS").Default("false"),
              Boolean("for_qms", "Serves the QMS").Default("false"),
              // ISO/IEC 27013 5.1 c) and d): for each element, decide whether
              // one element serves every system or each keeps its own.
              Enum("integration", "Integration", {"merged", "separate"})
                  .Required()
                  .Help("Merged: one element serves several management systems. Separate: kept "
                        "apart on purpose (say why)"),
              LongText("integration_rationale", "Why kept separate")
                  .Help("Required when the element is kept separate"),
              Text("location", "Location / link"),
              Ref("operator", "Operated by", "supplier")
                  .Help("Another party that operates this process for the organization"),
          },
      .states =
          StateMachineDecl{
              .initial = "draft",
              .states = {"draft", "approved", "operating", "retired"},
              .transitions =
                  {
                      {"approve", {"draft"}, "approved"},
                      {"put_into_operation", {"approved"}, "operating"},
                      {"revise", {"approved", "operating"}, "draft"},
                      {"retire", {"draft", "approved", "operating"}, "retired"},
                  },
              .final_states = {"retired"},
          },
  };
}

RecordType Trace() {
  return RecordType{
      .name = "trace",
      .collection = "traces",
      .title = "Trace",
      .area = "traceability",
      .prefix = "TR",
      .display_field = "summary",
      .description = "An IMS element satisfying a requirement, fully or in part.",
      .fields =
          {
              Ref("element", "Element", "element").Required(),
              Ref("requirement", "Requirement", "requirement").Required(),
              Enum("extent", "Satisfies", {"fully", "partly"}).Required(),
              LongText("note", "Note").Help("How the element satisfies it, or what is missing"),
              Ref("standard", "Standard", "standard").Computed().DerivedFrom({"requirement"}),
              Text("summary", "Summary").Computed().DerivedFrom({"element", "requirement"}),
          },
      .unique = {{"element", "requirement"}},
  };
}

}  // namespace

std::vector<RecordType> TraceabilityTypes() { return {Element(), Trace()}; }

}  // namespace tandem::model

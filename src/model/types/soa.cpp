// The Statement of Applicability (ISO/IEC 27001 6.1.3 d)): for every control
// of the standard's Annex A, whether it applies and why, and how far it is
// implemented. Versions are drafted, approved (which freezes them) and
// compared; the one approved last is in force. A draft nobody will approve
// is discarded, and kept.
#include "model/declare.h"
#include "model/registry.h"

namespace tandem::model {

namespace {

RecordType Soa() {
  return RecordType{
      .name = "soa",
      .collection = "soas",
      .title = "Statement of Applicability",
      .area = "traceability",
      .prefix = "SOA",
      .display_field = "title",
      .description = "One version of the Statement of Applicability for a standard's controls.",
      .fields =
          {
              Ref("standard", "Standard", "standard")
                  .Required()
                  .Help("ISO/IEC 27001:2022 or 2013, or another framework with controls"),
              Text("title", "Title").Required().MaxLength(200),
              Ref("scope", "Scope", "scope").Help("The ISMS scope the statement covers"),
              Integer("revision", "Revision").Computed().Indexed(),
              User("owner", "Owner"),
              LongText("change_summary", "Changes in this version")
                  .Help("What changed since the previous version, and why"),
              User("approved_by", "Approved by").Computed(),
              DateTime("approved_at", "Approved at").Computed(),
              // Approval freezes the statement as it then stood: every entry
              // with its implementing elements and risks. Served, filtered
              // for the reader, by GET /soas/{id}/statement only.
              Json("snapshot", "Approved statement").Internal(),
          },
      .states =
          StateMachineDecl{
              .initial = "draft",
              .states = {"draft", "approved", "discarded"},
              .transitions = {{"approve",
                               {"draft"},
                               "approved",
                               {RoleOneOf({"isms_manager", "top_management"})}},
                              {"discard", {"draft"}, "discarded"}},
              .final_states = {"approved", "discarded"},
          },
      .unique = {{"standard", "revision"}},
  };
}

RecordType SoaEntry() {
  return RecordType{
      .name = "soa_entry",
      .collection = "soa-entries",
      .title = "SoA entry",
      .area = "traceability",
      .prefix = "SOAE",
      .display_field = "summary",
      .description =
          "One control in a Statement of Applicability: applicability, reasons, "
          "implementation.",
      .fields =
          {
              Ref("soa", "Statement", "soa").Required(),
              Ref("requirement", "Control", "requirement").Required(),
              Enum("applicability", "Applicability", {"applicable", "not_applicable"})
                  .Required()
                  .Indexed(),
              // The usual reasons for including a control; at least one, or a
              // justification, before the statement can be approved.
              Boolean("reason_risk", "Risk treatment").Default("false"),
              Boolean("reason_legal", "Legal or regulatory requirement").Default("false"),
              Boolean("reason_contract", "Contractual obligation").Default("false"),
              Boolean("reason_business", "Business need or good practice").Default("false"),
              LongText("justification", "Justification")
                  .Help("Why the control is included, or why it is excluded (required then)"),
              Enum("implementation", "Implementation",
                   {"implemented", "partial", "planned", "not_implemented"})
                  .Indexed()
                  .Help("Required for an applicable control before approval"),
              LongText("note", "How it is implemented"),
              Ref("standard", "Standard", "standard").Computed().DerivedFrom({"soa"}),
              Text("ref", "Control reference").Computed().DerivedFrom({"requirement"}),
              Text("sort_key", "Sort key").Computed().DerivedFrom({"requirement"}),
              Text("summary", "Summary").Computed().DerivedFrom({"requirement"}),
          },
      .indexes = {{"soa", "sort_key"}},
      .unique = {{"requirement", "soa"}},
  };
}

}  // namespace

std::vector<RecordType> SoaTypes() { return {Soa(), SoaEntry()}; }

}  // namespace tandem::model

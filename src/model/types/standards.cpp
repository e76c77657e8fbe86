// Standards and their requirements: what the IMS's records are traced to
// (ISO/IEC 27013 6.1). Built-in catalogs carry identifiers and titles only,
// never the standards' text; users keep their own notes per requirement.
#include "model/declare.h"
#include "model/registry.h"

namespace tandem::model {

namespace {

RecordType Standard() {
  return RecordType{
      .name = "standard",
      .collection = "standards",
      .title = "Standard",
      .area = "standards",
      .prefix = "STD",
      .display_field = "title",
      .key_field = "key",
      .description =
          "A standard or framework whose requirements the IMS is traced to: built in "
          "(identifiers and titles only) or imported as a custom framework.",
      .fields =
          {
              Text("key", "Identifier")
                  .Required()
                  .MaxLength(64)
                  .Help("Unique and stable, e.g. iso27001:2013"),
              Text("title", "Title").Required().MaxLength(300),
              Text("edition", "Edition").MaxLength(64).Help("e.g. 2013, or 5.0.1"),
              Text("publisher", "Publisher"),
              Enum("management_system", "Management system", {"isms", "sms", "qms", "other"})
                  .Required()
                  .Indexed(),
              Enum("origin", "Origin", {"builtin", "imported", "custom"})
                  .Default("\"custom\"")
                  .Indexed()
                  .Help("Built-in catalogs ship with Tandem and cannot be edited"),
              LongText("provenance", "Provenance")
                  .Help("Where the identifiers and titles come from"),
              Enum("verification", "Verification", {"verified", "partly_verified", "unverified"})
                  .Default("\"unverified\""),
              LongText("verification_note", "Verification note")
                  .Help("What has been checked against the published standard, and what not"),
          },
      .unique = {{"key"}},
  };
}

RecordType Requirement() {
  return RecordType{
      .name = "requirement",
      .collection = "requirements",
      .title = "Requirement",
      .area = "standards",
      .prefix = "REQ",
      .display_field = "label",
      .description = "A clause, control or lettered item of a standard, by its printed reference.",
      .fields =
          {
              Ref("standard", "Standard", "standard").Required(),
              Text("ref", "Reference")
                  .Required()
                  .MaxLength(64)
                  .Help("As printed in the standard: 6.1.2, A.12.3, 8.5.1, 5.1 c)"),
              Text("title", "Title")
                  .MaxLength(300)
                  .Help("Empty for numbered paragraphs that have no title in the standard"),
              Text("parent_ref", "Part of").MaxLength(64),
              Integer("position", "Position")
                  .Help("Order in the source document (imported catalogs); when empty, the "
                        "reference gives the order"),
              Enum("kind", "Kind",
                   {"clause", "item", "domain", "objective", "theme", "control", "group",
                    "enhancement", "other"})
                  .Required()
                  .Indexed(),
              Boolean("title_confirmed", "Title confirmed")
                  .Default("true")
                  .Help("False where the catalog's title has not been checked against the "
                        "published standard"),
              Boolean("withdrawn", "Withdrawn").Default("false"),
              Boolean("builtin", "Built in")
                  .Default("false")
                  .Help("Part of a catalog shipped with Tandem: only the notes can be edited"),
              LongText("note", "Our notes")
                  .Help("Your own notes or paraphrase; never the standard's text"),
              Enum("applicability", "Applicability", {"applicable", "not_applicable"})
                  .Default("\"applicable\"")
                  .Help("Not applicable needs a justification; ISO/IEC 27001 and 20000-1 "
                        "clauses 4 to 10 cannot be excluded"),
              LongText("justification", "Justification")
                  .Help("Why the requirement is not applicable (or, for an Annex A control, "
                        "why it is included)"),
              Text("label", "Label").Computed(),
              Text("sort_key", "Sort key").Computed(),
          },
      // A standard's requirements in document order; one requirement per reference.
      .indexes = {{"standard", "sort_key"}},
      .unique = {{"standard", "ref"}},
  };
}

// How a requirement of one standard relates to one of another, in the
// vocabulary of NIST OLIR and OSCAL mappings.
RecordType Correspondence() {
  return RecordType{
      .name = "correspondence",
      .collection = "correspondences",
      .title = "Correspondence",
      .area = "standards",
      .prefix = "COR",
      .display_field = "summary",
      .description =
          "How a requirement of one standard relates to a requirement of another: "
          "published (e.g. ISO/IEC 27013 Table A.1), compiled, or a user's own.",
      .fields =
          {
              Ref("source", "Requirement", "requirement").Required(),
              Text("source_qualifier", "Part of it").Help("e.g. a), Para. 1, last para."),
              Ref("target", "Corresponds to", "requirement")
                  .Help("Empty when the other standard has no counterpart"),
              Text("target_qualifier", "Part of it"),
              Ref("target_standard", "Other standard", "standard")
                  .DerivedFrom({"target"})
                  .Help("Set from the target; name it when there is no target"),
              Ref("source_standard", "Standard", "standard").Computed().DerivedFrom({"source"}),
              Enum("relationship", "Relationship",
                   {"equal", "subset", "superset", "intersect", "no-relationship", "not-mapped"})
                  .Required()
                  .Indexed()
                  .Help("The source is equal to, a subset of, a superset of, or intersects the "
                        "target; no-relationship: the other standard has no counterpart; "
                        "not-mapped: the source claims nothing here (see the note)"),
              Enum("authority", "Authority", {"published", "compiled", "user"})
                  .Default("\"user\"")
                  .Indexed()
                  .Help("Published in a standard, compiled by the Tandem project (unverified), "
                        "or a user's own"),
              Text("origin", "Origin")
                  .Help("Where it comes from, e.g. ISO/IEC 27013:2015 Table A.1"),
              LongText("note", "Note"),
              LongText("rationale", "Rationale").Help("Why a user added or overrode it"),
              Ref("overrides", "Overrides", "correspondence")
                  .Help("A published or compiled correspondence this one replaces"),
              Boolean("builtin", "Built in").Default("false"),
              Text("content_key", "Content key")
                  .Help("Where in Tandem's content a built-in correspondence comes from"),
              Text("summary", "Summary")
                  .Computed()
                  .DerivedFrom({"source", "target", "target_standard"}),
          },
      .indexes = {{"source_standard", "target_standard"}},
      .unique = {{"content_key"}},
  };
}

}  // namespace

std::vector<RecordType> StandardsTypes() { return {Standard(), Requirement(), Correspondence()}; }

}  // namespace tandem::model

// Documented information (clause 7.5) and evidence of operation, shared by
// the ISMS, the SMS and the QMS: one set of documentation (ISO/IEC 27013 6.1).
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
          "A policy, process, procedure or plan: one set of documentation for the IMS. Its "
          "versions are drafted and approved one by one; the approved version stays in force "
          "while the next is drafted.",
      .fields = ServingSystems({
          Text("title", "Title").Required().Indexed(),
          Enum("doc_type", "Type", {"policy", "process", "procedure", "plan", "record", "other"})
              .Required()
              .Indexed(),
          User("owner", "Owner").Indexed(),
          Ref("element", "IMS element it documents", "element")
              .Help("The element is what traces to requirements"),
          Integer("review_months", "Review every (months)").Range(1, 60).Default("12"),
          Text("distribution", "Distribution").Help("Who must have it, e.g. all staff"),
          Ref("distribution_unit", "Distributed to team", "org_unit")
              .Help("Whose members must acknowledge it; empty: everyone with an account"),
          Boolean("requires_acknowledgement", "Requires read-and-understood").Default("false"),
          Text("retention", "Retention").Help("How long versions are kept, e.g. 7 years"),
          Date("dispose_on", "Dispose on").Indexed(),
          Text("location", "Location / link"),
          Ref("current_version", "Version in force", "document_version").Computed(),
          Text("doc_version", "Version").Computed(),
          Date("approved_on", "Approved on").Computed(),
          Date("review_date", "Next review").Computed().Indexed(),
      }),
      .states =
          StateMachineDecl{
              .initial = "draft",
              .states = {"draft", "in_force", "withdrawn"},
              .transitions =
                  {
                      // Taken when its first version is approved (document_version).
                      {"bring_into_force", {"draft"}, "in_force"},
                      {"withdraw", {"draft", "in_force"}, "withdrawn"},
                  },
              .final_states = {"withdrawn"},
          },
  };
}

RecordType DocumentVersion() {
  return RecordType{
      .name = "document_version",
      .collection = "document-versions",
      .title = "Document version",
      .area = "governance",
      .prefix = "DOV",
      .display_field = "summary",
      .description =
          "One version of a controlled document: drafted by its author, approved by someone "
          "else, in force until the next is approved, then kept and marked superseded.",
      .fields =
          {
              Ref("document", "Document", "document").Required(),
              Text("label", "Version").Required().MaxLength(40).Help("e.g. 3.0"),
              User("author", "Author").Required().Indexed(),
              LongText("change_summary", "What changed").Required(),
              File("content", "Content"),
              Text("location", "Location / link").Help("Where it is kept, if not uploaded"),
              User("approved_by", "Approved by").Computed(),
              Date("approved_on", "Approved on").Computed(),
              Date("superseded_on", "Superseded on").Computed(),
              Text("summary", "Summary").Computed().DerivedFrom({"document"}),
          },
      .states =
          StateMachineDecl{
              .initial = "draft",
              .states = {"draft", "in_review", "approved", "superseded", "withdrawn"},
              .transitions =
                  {
                      {"submit_for_review", {"draft"}, "in_review"},
                      {"return_for_changes", {"in_review"}, "draft"},
                      // Approved by someone other than its author and whoever
                      // wrote it into Tandem (ISO/IEC 27001 7.5.2 c).
                      {"approve",
                       {"in_review"},
                       "approved",
                       {NotUser("author"), NotCreator(), NotActorOf("submit_for_review")}},
                      // Taken when the next version is approved.
                      {"supersede", {"approved"}, "superseded"},
                      {"withdraw", {"draft", "in_review"}, "withdrawn"},
                  },
              .final_states = {"superseded", "withdrawn"},
          },
      .unique = {{"document", "label"}},
  };
}

RecordType Acknowledgement() {
  return RecordType{
      .name = "acknowledgement",
      .collection = "acknowledgements",
      .title = "Acknowledgement",
      .area = "governance",
      .prefix = "ACK",
      .display_field = "summary",
      .description = "Someone read and understood a document version in force.",
      .fields =
          {
              Ref("document_version", "Document version", "document_version").Required(),
              User("reader", "Read by")
                  .Indexed()
                  .Help("Whoever records it; imports and the demo name the reader"),
              DateTime("acknowledged_at", "Acknowledged at").Computed(),
              LongText("comment", "Comment").Help("A question or remark for the document owner"),
              Text("summary", "Summary").Computed().DerivedFrom({"document_version"}),
          },
      .unique = {{"document_version", "reader"}},
  };
}

RecordType Evidence() {
  return RecordType{
      .name = "evidence",
      .collection = "evidence",
      .title = "Evidence",
      .area = "governance",
      .prefix = "EVD",
      .display_field = "title",
      .description =
          "Evidence that an IMS element operates: a file or a link, what it shows, when it was "
          "collected and until when it holds. Requested with a due date, then provided. The "
          "traceability matrix and the Statement of Applicability tell covered requirements "
          "with current evidence from those without.",
      .fields =
          {
              Text("title", "Evidence").Required(),
              LongText("shows", "What it shows").Required(),
              Ref("element", "IMS element", "element"),
              Ref("trace", "Trace", "trace").Help("The claim it supports, if one in particular"),
              File("file", "File"),
              Text("link", "Link").Help("Where it is kept, if not uploaded"),
              Date("collected_on", "Collected on"),
              Date("valid_until", "Valid until").Indexed(),
              User("owner", "Owner").Indexed(),
              Integer("review_months", "Collect again every (months)").Range(1, 60),
              User("requested_from", "Requested from").Indexed(),
              Date("due_date", "Due").Indexed(),
          },
      .states =
          StateMachineDecl{
              .initial = "requested",
              .states = {"requested", "current", "superseded", "withdrawn"},
              .transitions =
                  {
                      {"provide", {"requested"}, "current"},
                      {"supersede", {"current"}, "superseded"},
                      {"withdraw", {"requested", "current"}, "withdrawn"},
                  },
              .final_states = {"superseded", "withdrawn"},
          },
  };
}

}  // namespace

std::vector<RecordType> GovernanceTypes() {
  return {Document(), DocumentVersion(), Acknowledgement(), Evidence()};
}

}  // namespace tandem::model

// The scope of each management system and what it covers: organizational
// units, locations, services, processes, assets and CIs, suppliers. The
// scopes of the ISMS and the SMS are usually not the same (ISO/IEC 27013
// 5.2); the overlap report compares them.
#include "model/declare.h"
#include "model/registry.h"

namespace tandem::model {

namespace {

RecordType OrgUnit() {
  return RecordType{
      .name = "org_unit",
      .collection = "org-units",
      .title = "Organizational unit",
      .area = "scopes",
      .prefix = "OU",
      .display_field = "name",
      .description = "A department, team or legal entity of the organization.",
      .fields =
          {
              Text("name", "Name").Required().MaxLength(200),
              Ref("parent", "Part of", "org_unit"),
              User("manager", "Manager"),
              LongText("description", "Description"),
          },
      .unique = {{"name"}},
  };
}

RecordType Location() {
  return RecordType{
      .name = "location",
      .collection = "locations",
      .title = "Location",
      .area = "scopes",
      .prefix = "LOC",
      .display_field = "name",
      .description = "A site, data centre, cloud region or other place the organization works.",
      .fields =
          {
              Text("name", "Name").Required().MaxLength(200),
              Enum("kind", "Kind", {"office", "data_centre", "cloud_region", "remote", "other"})
                  .Required(),
              LongText("address", "Address"),
          },
      .unique = {{"name"}},
  };
}

RecordType Scope() {
  return RecordType{
      .name = "scope",
      .collection = "scopes",
      .title = "Scope",
      .area = "scopes",
      .prefix = "SCO",
      .display_field = "title",
      .description =
          "The scope of one management system for a period: statement, boundaries and "
          "exclusions. The approved scope of the latest period is the one in force.",
      .fields =
          {
              Enum("management_system", "Management system", {"isms", "sms", "qms"}).Required(),
              Text("period", "Period")
                  .Required()
                  .MaxLength(32)
                  .Help("e.g. 2026, or the certification cycle it belongs to"),
              Text("title", "Title").Required().MaxLength(200),
              LongText("statement", "Scope statement").Required(),
              LongText("boundaries", "Boundaries and interfaces")
                  .Help("Where the scope ends, and what crosses the boundary"),
              LongText("exclusions", "Exclusions and their justification"),
              Integer("risk_acceptance_score", "Risk acceptance threshold")
                  .Range(1, 25)
                  .Help("This management system's risk acceptance criterion: a risk scored above "
                        "it (likelihood x impact, 1-25) needs treatment or its owner's acceptance. "
                        "The ISMS and the SMS may set different ones (ISO/IEC 27013 6.2.3)."),
          },
      .states =
          StateMachineDecl{
              .initial = "draft",
              .states = {"draft", "approved"},
              .transitions =
                  {
                      {"approve", {"draft"}, "approved"},
                      {"revise", {"approved"}, "draft"},
                  },
          },
      // One scope per management system and period: next year's can be
      // drafted while this year's is in force.
      .unique = {{"management_system", "period"}},
  };
}

RecordType ScopeItem() {
  return RecordType{
      .name = "scope_item",
      .collection = "scope-items",
      .title = "Scope member",
      .area = "scopes",
      .prefix = "SCI",
      .display_field = "summary",
      .description =
          "Something inside a management system's scope: an organizational unit, location, "
          "service, process, asset or CI, or supplier.",
      .fields =
          {
              Ref("scope", "Scope", "scope").Required(),
              Enum("kind", "Kind",
                   {"org_unit", "location", "service", "process", "asset", "supplier"})
                  .Required()
                  .Indexed(),
              Ref("org_unit", "Organizational unit", "org_unit"),
              Ref("location", "Location", "location"),
              Ref("service", "Service", "service"),
              Ref("process", "Process", "element").Help("An IMS element of kind process"),
              Ref("asset", "Asset or CI", "asset"),
              Ref("supplier", "Supplier", "supplier"),
              LongText("note", "Note"),
              Enum("management_system", "Management system", {"isms", "sms", "qms"})
                  .Computed()
                  .DerivedFrom({"scope"}),
              Text("member", "Member")
                  .Computed()
                  .DerivedFrom({"org_unit", "location", "service", "process", "asset", "supplier"}),
              Text("summary", "Summary")
                  .Computed()
                  .DerivedFrom(
                      {"scope", "org_unit", "location", "service", "process", "asset", "supplier"}),
          },
      .unique = {{"member", "scope"}},
  };
}

}  // namespace

std::vector<RecordType> ScopeTypes() { return {OrgUnit(), Location(), Scope(), ScopeItem()}; }

}  // namespace tandem::model

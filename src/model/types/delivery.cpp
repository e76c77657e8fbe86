// Services, agreements and suppliers (ISO/IEC 27013 6.3.2, 6.3.5, 6.3.7).
#include "model/declare.h"
#include "model/registry.h"

namespace tandem::model {

namespace {

RecordType Service() {
  return RecordType{
      .name = "service",
      .collection = "services",
      .title = "Service",
      .area = "delivery",
      .prefix = "SVC",
      .display_field = "name",
      .description = "A service in the catalogue.",
      .fields =
          {
              Text("name", "Name").Required().Indexed(),
              LongText("description", "Description"),
              Text("customer", "Customer(s)"),
              User("owner", "Service owner").Indexed(),
              Enum("criticality", "Criticality", {"low", "medium", "high", "critical"})
                  .Required()
                  .Indexed(),
              Decimal("availability_target", "Availability target (%)")
                  .Help("ISO/IEC 20000-1 sense: agreed time the service performs its function."),
              Text("service_hours", "Service hours"),
              Boolean("in_sms_scope", "In SMS scope").Default("true"),
              Boolean("in_isms_scope", "In ISMS scope").Default("true"),
          },
      .states =
          StateMachineDecl{
              .initial = "pipeline",
              .states = {"pipeline", "live", "retiring", "retired"},
              .transitions =
                  {
                      {"go_live", {"pipeline"}, "live"},
                      {"start_retirement", {"live"}, "retiring"},
                      {"retire", {"retiring", "pipeline"}, "retired"},
                  },
              .final_states = {"retired"},
          },
  };
}

RecordType Supplier() {
  return RecordType{
      .name = "supplier",
      .collection = "suppliers",
      .title = "Supplier / other party",
      .area = "delivery",
      .prefix = "SUP",
      .display_field = "name",
      .description = "External suppliers, internal groups and customers acting as suppliers.",
      .fields =
          {
              Text("name", "Name").Required().Indexed(),
              Enum("kind", "Kind", {"external_supplier", "internal_group", "customer_as_supplier"})
                  .Required()
                  .Help("ISO/IEC 20000-1 other parties; all are third parties and risk sources to "
                        "the ISMS."),
              LongText("provides", "Provides"),
              User("owner", "Relationship owner"),
              Enum("criticality", "Criticality", {"low", "medium", "high", "critical"}).Required(),
              LongText("security_requirements", "Security requirements in the agreement"),
              Date("contract_end", "Contract end").Indexed(),
              Date("next_review", "Next performance review"),
          },
      .states =
          StateMachineDecl{
              .initial = "onboarding",
              .states = {"onboarding", "active", "under_review", "terminated"},
              .transitions =
                  {
                      {"activate", {"onboarding", "under_review"}, "active"},
                      {"review", {"active"}, "under_review"},
                      {"terminate", {"onboarding", "active", "under_review"}, "terminated"},
                  },
              .final_states = {"terminated"},
          },
  };
}

RecordType Agreement() {
  return RecordType{
      .name = "agreement",
      .collection = "agreements",
      .title = "Agreement",
      .area = "delivery",
      .prefix = "AGR",
      .display_field = "title",
      .description = "Service level agreements, operational level agreements and contracts.",
      .fields =
          {
              Text("title", "Title").Required(),
              Enum("kind", "Kind", {"sla", "ola", "contract"}).Required().Indexed(),
              Ref("service", "Service", "service"),
              Ref("supplier", "Supplier / other party", "supplier"),
              Text("customer", "Customer"),
              Date("starts_on", "Starts on"),
              Date("ends_on", "Ends on").Indexed(),
              Decimal("availability_target", "Availability target (%)"),
              Integer("p1_resolution_minutes", "P1 resolution target (minutes)"),
              Integer("security_incident_notice_hours", "Security incident notification (hours)")
                  .Help("Security obligations belong in agreements too (ISO/IEC 27013 6.3.5)."),
              LongText("security_obligations", "Security obligations"),
          },
      .states =
          StateMachineDecl{
              .initial = "draft",
              .states = {"draft", "agreed", "expired", "terminated"},
              .transitions =
                  {
                      {"agree", {"draft"}, "agreed"},
                      {"expire", {"agreed"}, "expired"},
                      {"terminate", {"draft", "agreed"}, "terminated"},
                  },
              .final_states = {"expired", "terminated"},
          },
  };
}

}  // namespace

std::vector<RecordType> DeliveryTypes() { return {Service(), Supplier(), Agreement()}; }

}  // namespace tandem::model

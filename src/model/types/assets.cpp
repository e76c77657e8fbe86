// Assets and configuration items: ONE register (ISO/IEC 27013 6.2.1, 6.3.8).
// An item carries labels saying what it is to each standard: an information
// asset (ISO/IEC 27001 inventory, A.8.1.1 / A.5.9), a configuration item
// (ISO/IEC 20000-1 CMDB) and/or a financial asset (monetary value).
#include "model/declare.h"
#include "model/registry.h"

namespace tandem::model {

std::vector<RecordType> AssetTypes() {
  RecordType asset{
      .name = "asset",
      .collection = "assets",
      .title = "Asset / configuration item",
      .area = "assets",
      .prefix = "AST",
      .display_field = "name",
      .description =
          "One register for information assets, configuration items and financial assets.",
      .fields =
          {
              Text("name", "Name").Required().Indexed(),
              LongText("description", "Description"),
              Enum("asset_type", "Type",
                   {"information", "software", "hardware", "service_component", "network",
                    "cloud_resource", "facility", "people", "document", "other"})
                  .Required()
                  .Indexed(),
              Boolean("information_asset", "Information asset (ISO/IEC 27001)")
                  .Default("false")
                  .Indexed()
                  .Help("In the ISMS asset inventory: information or a resource that handles it."),
              Boolean("configuration_item", "Configuration item (ISO/IEC 20000-1)")
                  .Default("false")
                  .Indexed()
                  .Help("Needs to be controlled to deliver a service; recorded in the CMDB."),
              Boolean("financial_asset", "Financial asset")
                  .Default("false")
                  .Help("Has monetary value to be accounted for (e.g. software licences)."),
              User("owner", "Owner")
                  .Indexed()
                  .Help("Accountable for the asset's protection and lifecycle."),
              User("custodian", "Custodian"),
              Enum("classification", "Classification",
                   {"public", "internal", "confidential", "restricted"})
                  .Default("\"internal\"")
                  .Indexed(),
              Rating("confidentiality", "Confidentiality value (1-5)"),
              Rating("integrity", "Integrity value (1-5)"),
              Rating("availability", "Availability value (1-5)")
                  .Help("ISO/IEC 27000 sense: accessible and usable on demand. Service "
                        "availability is on the service."),
              Decimal("monetary_value", "Monetary value"),
              Text("location", "Location"),
              Text("model", "Make, model or version"),
          },
      .states =
          StateMachineDecl{
              .initial = "planned",
              .states = {"planned", "in_use", "maintenance", "retired", "disposed"},
              .transitions =
                  {
                      {"commission", {"planned"}, "in_use"},
                      {"start_maintenance", {"in_use"}, "maintenance"},
                      {"end_maintenance", {"maintenance"}, "in_use"},
                      {"retire", {"in_use", "maintenance", "planned"}, "retired"},
                      {"dispose", {"retired"}, "disposed"},
                  },
              .final_states = {"disposed"},
          },
  };
  return {asset};
}

}  // namespace tandem::model

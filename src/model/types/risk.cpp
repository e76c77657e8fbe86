// Risks for both management systems (ISO/IEC 27013 6.2.3, 6.2.4): one register
// whose `domain` says whether a risk is to information security, to services
// and the SMS, or both, and whose owner may be the customer.
#include "model/declare.h"
#include "model/registry.h"

namespace tandem::model {

std::vector<RecordType> RiskTypes() {
  RecordType risk{
      .name = "risk",
      .collection = "risks",
      .title = "Risk",
      .area = "risk",
      .prefix = "RSK",
      .display_field = "title",
      .description = "An information security risk, a service risk, or one that is both.",
      .fields =
          {
              Text("title", "Title").Required(),
              LongText("description", "Description"),
              Enum("domain", "Domain", {"security", "service", "both"})
                  .Required()
                  .Indexed()
                  .Help("Security risks use ISMS criteria, service risks SMS criteria (ISO/IEC "
                        "27013 6.2.3)."),
              Text("threat", "Threat / source"),
              Text("vulnerability", "Vulnerability"),
              User("owner", "Risk owner").Indexed(),
              Enum("owner_party", "Owned by", {"provider", "customer"})
                  .Default("\"provider\"")
                  .Help("Service risks may be owned and accepted by the customer (ISO/IEC 27013 "
                        "6.2.3)."),
              Rating("likelihood", "Inherent likelihood (1-5)").Required(),
              Rating("impact", "Inherent impact (1-5)").Required(),
              Integer("inherent_score", "Inherent score").Computed().Indexed(),
              Rating("residual_likelihood", "Residual likelihood (1-5)"),
              Rating("residual_impact", "Residual impact (1-5)"),
              Integer("residual_score", "Residual score").Computed().Indexed(),
              Enum("treatment", "Treatment option", {"modify", "retain", "avoid", "share"}),
              LongText("treatment_plan", "Treatment plan"),
              Text("accepted_by", "Residual risk accepted by"),
              Date("accepted_on", "Accepted on"),
              Date("review_date", "Next review").Indexed(),
          },
      .states =
          StateMachineDecl{
              .initial = "identified",
              .states = {"identified", "assessed", "in_treatment", "accepted", "closed"},
              .transitions =
                  {
                      {"assess", {"identified"}, "assessed"},
                      {"treat", {"assessed"}, "in_treatment"},
                      // Security risks are accepted under the ISMS's criteria by
                      // its management (ISO/IEC 27013 6.2.3); service risks
                      // by whoever the role matrix lets accept them.
                      {"accept",
                       {"assessed", "in_treatment"},
                       "accepted",
                       {RoleOneOf({"isms_manager", "top_management"}, "domain",
                                  {"security", "both"})}},
                      {"reassess", {"accepted", "in_treatment"}, "assessed"},
                      {"close", {"identified", "assessed", "in_treatment", "accepted"}, "closed"},
                  },
              .final_states = {"closed"},
          },
  };
  return {risk};
}

}  // namespace tandem::model

// The integration module: seeding the integration plan from the starting
// scenario (ISO/IEC 27013 5.3), POST /integration-plan.
#include "domains/module.h"

#include "domains/integration/plan.h"
#include "http/call.h"
#include "http/openapi.h"
#include "http/router.h"

namespace tandem::domains {

namespace {

using nlohmann::json;
using namespace http::oas;

class Integration : public Module {
 public:
  std::string_view name() const override { return "integration"; }

  void DeclareNames(NameCheck& names) const override { names.Type("plan_task"); }

  void Serve(ServeContext& ctx) override {
    json seed = Op("seed_integration_plan", "Seed the integration plan from the starting scenario",
                   "Standards and traceability", Errors({409}));
    SetBody(seed,
            JsonContent(Input(
                {{"scenario",
                  {{"type", "string"}, {"enum", {"none_used", "one_used", "both_separate"}}}}},
                {"scenario"})));
    seed["responses"]["201"] =
        Response("The tasks created",
                 Output({{"scenario", String()}, {"tasks", ArrayOf(Ref("plan_task"))}}));
    records::Engine* e = &ctx.engine;
    ctx.api.Add({"POST", "/integration-plan",
                 [e](http::Call& c) -> Status {
                   TANDEM_ASSIGN_OR_RETURN(json body, http::ParseBody(c.req, false));
                   TANDEM_ASSIGN_OR_RETURN(std::string scenario,
                                           http::StringField(body, "scenario"));
                   TANDEM_ASSIGN_OR_RETURN(json out, SeedIntegrationPlan(*e, c.actor(), scenario));
                   return http::Reply(c, 201, out);
                 },
                 seed});
  }
};

}  // namespace

std::unique_ptr<Module> IntegrationModule() { return std::make_unique<Integration>(); }

}  // namespace tandem::domains

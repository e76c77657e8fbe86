#include "domains/integration/plan.h"

#include <nlohmann/json.hpp>

#include "core/content.h"
#include "domains/domains.h"

namespace tandem::domains {

using nlohmann::json;

Result<json> SeedIntegrationPlan(records::Engine& engine, const records::Actor& actor,
                                 const std::string& scenario) {
  const json content = json::parse(content::Get("content/standards/integration-plan.json"));
  const json& scenarios = content.at("scenarios");
  if (!scenarios.contains(scenario))
    return MakeError(ErrorCode::kValidation, "unknown starting scenario",
                     {{"scenario", "must be none_used, one_used or both_separate"}});
  // Refused before looking, so the answer says nothing to whoever may not seed.
  if (!actor.Can("plan_task", records::Action::kCreate))
    return MakeError(ErrorCode::kForbidden, "your roles do not allow create on plan_task records");
  TANDEM_ASSIGN_OR_RETURN(auto seeded, ListAll(engine, actor, "plan_task",
                                               {{"filter[scenario][null]", "false"}}, true));
  if (!seeded.empty())
    return MakeError(ErrorCode::kConflict,
                     "the integration plan was seeded before (" +
                         seeded[0]["number"].get<std::string>() + "); edit its tasks instead");
  std::vector<json> bodies;
  for (const auto& t : scenarios.at(scenario)) {
    json body = t;
    body["scenario"] = scenario;
    bodies.push_back(std::move(body));
  }
  TANDEM_ASSIGN_OR_RETURN(auto tasks,
                          engine.CreateBatch(actor, *engine.registry().Find("plan_task"), bodies));
  return json{{"scenario", scenario}, {"tasks", tasks}};
}

}  // namespace tandem::domains

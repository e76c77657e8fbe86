// Seeding the integration plan from the starting scenario (ISO/IEC 27013
// 5.3.2 to 5.3.4; content/standards/integration-plan.json).
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>

#include "records/engine.h"

namespace tandem::domains {

// Creates, as `actor` and in one transaction, the starting tasks for
// `scenario` (none_used, one_used or both_separate). kValidation naming an
// unknown scenario; kConflict when the plan was seeded before (its tasks are
// the users' to edit from then on). Returns {"scenario", "tasks": [...]}.
Result<nlohmann::json> SeedIntegrationPlan(records::Engine& engine, const records::Actor& actor,
                                           const std::string& scenario);

}  // namespace tandem::domains

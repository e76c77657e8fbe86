// Readiness over time from gap assessments (ISO/IEC 27013 5.3).
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>

#include "domains/standards/index.h"
#include "records/engine.h"

namespace tandem::domains {

// Every assessment of the standard, oldest first by its date: how many of
// the standard's requirements (withdrawn ones aside) it found implemented,
// partial, not implemented, not applicable or did not assess, and readiness
// = (implemented + partial / 2) / applicable requirements, in percent, 0
// when none applies. Read as `view`'s reader; kNotFound naming an unknown
// standard.
Result<nlohmann::json> Readiness(records::Engine& engine, const SnapshotView& view,
                                 const std::string& standard_key);

}  // namespace tandem::domains

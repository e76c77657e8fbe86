// Correspondences of a requirement: the direct ones, and those derived on
// demand by chaining (ISO/IEC 27001:2022 A.8.13 -> 27001:2013 A.12.3.1, part
// of A.12.3 -> 20000-1:2011 6.3 -> 20000-1:2018 8.7.2). A derived one is
// never stored: its relationship is the weakest link of its path, and the
// path is its provenance.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include "core/result.h"
#include "records/engine.h"

namespace tandem::domains {

// {"requirement": {...}, "direct": [correspondence...],
//  "derived": [{"requirement", "standard", "relationship", "hops", "path": [step...]}]}
// where a step is {"from", "to", "relationship", "via"} and via is a
// correspondence number with its origin, or "part of" for the step from an
// item or control up to the clause or objective that holds it. Reads as
// `actor`: what it may not see is not used. Paths have at most `max_hops`
// correspondences, visit each standard once, and skip correspondences a
// user's one overrides.
Result<nlohmann::json> CorrespondencesOf(records::Engine& engine, const records::Actor& actor,
                                         int64_t requirement_id, int max_hops = 4);

}  // namespace tandem::domains

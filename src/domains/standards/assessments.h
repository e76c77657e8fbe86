// Readiness over time from gap assessments (ISO/IEC 27013 5.3).
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>

#include "core/svg_chart.h"
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

// Readiness() entries as a line chart: one point per assessment, oldest
// first, at its date, with its readiness in percent on a fixed 0-100 axis;
// titled with `standard_title`, described point by point for screen readers.
// An entry without a numeric readiness is a missing point.
LineChart ReadinessChart(const nlohmann::json& readiness, const std::string& standard_title);

// The standard's readiness over time (Readiness) drawn as an SVG line chart
// (ReadinessChart); the same errors as Readiness.
Result<std::string> ReadinessSvg(records::Engine& engine, const SnapshotView& view,
                                 const std::string& standard_key);

}  // namespace tandem::domains

// Realistic incident content shared by the load generator (request bodies)
// and the seeder (imported records), so both benchmarks exercise the same
// value distributions over the indexed fields.
#pragma once

#include <array>
#include <random>
#include <string>
#include <string_view>

namespace tandem::bench {

// Values of the incident's indexed enum fields (src/model/types/operations.cpp).
inline constexpr std::array<std::string_view, 4> kKinds = {"service_request", "incident",
                                                           "security_event", "security_incident"};
inline constexpr std::array<std::string_view, 3> kClassifications = {"sms", "isms", "both"};
inline constexpr std::array<std::string_view, 4> kPriorities = {"p1", "p2", "p3", "p4"};

// The client-writable fields of one incident.
struct Incident {
  std::string title;
  std::string description;
  std::string_view kind;
  std::string_view classification;
  std::string_view impact;
  std::string_view urgency;
};

// One incident with a plausible mix of kinds and severities. Security events
// and incidents are always classified isms or both, as the server requires.
Incident RandomIncident(std::mt19937_64& rng);

// The priority the server derives from impact x urgency; mirrors IncidentSave
// in src/domains/operations/operations_hooks.cpp.
std::string_view Priority(std::string_view impact, std::string_view urgency);

// True when the server accepts `classification` for `kind`.
bool ValidCombination(std::string_view kind, std::string_view classification);

}  // namespace tandem::bench

#include "incidents.h"

namespace tandem::bench {

namespace {

template <typename T, size_t N>
const T& Pick(std::mt19937_64& rng, const std::array<T, N>& items) {
  return items[std::uniform_int_distribution<size_t>(0, N - 1)(rng)];
}

// Picks items[i] with probability weights[i] / sum(weights).
template <size_t N>
std::string_view Weighted(std::mt19937_64& rng, const std::array<std::string_view, N>& items,
                          const std::array<double, N>& weights) {
  std::discrete_distribution<size_t> d(weights.begin(), weights.end());
  return items[d(rng)];
}

constexpr std::array<std::string_view, 16> kServices = {
    "Mail relay",       "VPN gateway",   "Customer portal",    "Payroll system",
    "Build server",     "File share",    "Wi-Fi (building B)", "ERP database",
    "Ticketing system", "SSO login",     "Backup service",     "Web shop checkout",
    "Telephony",        "Print service", "HR portal",          "Monitoring"};

constexpr std::array<std::string_view, 8> kRequests = {"access request for a new starter",
                                                       "password reset",
                                                       "licence upgrade",
                                                       "new distribution list",
                                                       "firewall rule change",
                                                       "extra storage quota",
                                                       "certificate renewal",
                                                       "account deactivation"};

constexpr std::array<std::string_view, 8> kFailures = {
    "is unreachable",    "responds slowly",  "returns HTTP 500 errors", "rejects logins",
    "drops connections", "shows stale data", "fails health check",      "runs out of disk space"};

constexpr std::array<std::string_view, 8> kSecurity = {
    "phishing mail reported by staff",    "malware alert on a workstation",
    "unusual login from abroad",          "lost laptop",
    "port scan from an external address", "privilege escalation attempt",
    "data sent to a wrong recipient",     "expired TLS certificate exposed"};

constexpr std::array<std::string_view, 8> kDetails = {
    "Reported by the service desk after several calls from users.",
    "First noticed by monitoring during the night shift.",
    "Affects users in two offices; a workaround is not known yet.",
    "The supplier has been informed and asked for a status update.",
    "Logs were collected and attached to the ticket for analysis.",
    "Started shortly after this morning's scheduled maintenance window.",
    "Only a small group of users appears to be affected so far.",
    "Management asked to be kept informed until this is closed."};

std::string Title(std::mt19937_64& rng, std::string_view kind) {
  const std::string service(Pick(rng, kServices));
  if (kind == "service_request") return service + ": " + std::string(Pick(rng, kRequests));
  if (kind == "incident") return service + " " + std::string(Pick(rng, kFailures));
  return std::string(Pick(rng, kSecurity)) + " (" + service + ")";
}

std::string Description(std::mt19937_64& rng) {
  std::string out(Pick(rng, kDetails));
  out += ' ';
  out += Pick(rng, kDetails);
  out +=
      " Reference " + std::to_string(std::uniform_int_distribution<int>(10000, 99999)(rng)) + ".";
  return out;
}

std::string_view Classification(std::mt19937_64& rng, std::string_view kind) {
  if (kind == "security_event") return Weighted<2>(rng, {"isms", "both"}, {0.8, 0.2});
  if (kind == "security_incident") return Weighted<2>(rng, {"isms", "both"}, {0.5, 0.5});
  if (kind == "incident") return Weighted<2>(rng, {"sms", "both"}, {0.75, 0.25});
  return Weighted<2>(rng, {"sms", "both"}, {0.9, 0.1});
}

int Level(std::string_view v) { return v == "high" ? 0 : v == "medium" ? 1 : 2; }

}  // namespace

Incident RandomIncident(std::mt19937_64& rng) {
  constexpr std::array<std::string_view, 3> kLevels = {"high", "medium", "low"};
  constexpr std::array<double, 3> kLevelWeights = {0.15, 0.35, 0.5};
  Incident i;
  i.kind = Weighted<4>(rng, kKinds, {0.35, 0.40, 0.18, 0.07});
  i.classification = Classification(rng, i.kind);
  i.impact = Weighted<3>(rng, kLevels, kLevelWeights);
  i.urgency = Weighted<3>(rng, kLevels, kLevelWeights);
  i.title = Title(rng, i.kind);
  i.description = Description(rng);
  return i;
}

std::string_view Priority(std::string_view impact, std::string_view urgency) {
  static constexpr std::array<std::string_view, 5> kByLevel = {"p1", "p2", "p3", "p4", "p4"};
  return kByLevel[Level(impact) + Level(urgency)];
}

bool ValidCombination(std::string_view kind, std::string_view classification) {
  return !((kind == "security_event" || kind == "security_incident") && classification == "sms");
}

}  // namespace tandem::bench

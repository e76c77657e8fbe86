// Risk scoring and acceptance rules.
#include <nlohmann/json.hpp>

#include "domains/domains.h"

namespace tandem::domains {

using nlohmann::json;

namespace {

// likelihood x impact on the 1..5 scales; null when either is unset.
json Score(const json& r, const char* likelihood, const char* impact) {
  if (!IsSet(r, likelihood) || !IsSet(r, impact)) return nullptr;
  return r[likelihood].get<int64_t>() * r[impact].get<int64_t>();
}

Status ComputeScores(records::HookContext& ctx) {
  json& r = ctx.after;
  if (IsSet(r, "residual_likelihood") != IsSet(r, "residual_impact"))
    return MakeError(ErrorCode::kValidation, "residual likelihood and impact go together",
                     {{IsSet(r, "residual_likelihood") ? "residual_impact" : "residual_likelihood",
                       "is required when the other residual rating is set"}});
  r["inherent_score"] = Score(r, "likelihood", "impact");
  r["residual_score"] = Score(r, "residual_likelihood", "residual_impact");
  return Status::Ok();
}

// Accepting a residual risk is a decision someone owns: record who (for a
// customer-owned service risk, the customer's representative) and when.
Status GuardAccept(records::HookContext& ctx) {
  json& r = ctx.after;
  std::vector<FieldError> missing;
  if (!IsSet(r, "accepted_by"))
    missing.push_back({"accepted_by", "name who accepts the residual risk"});
  if (!IsSet(r, "residual_likelihood"))
    missing.push_back({"residual_likelihood", "rate the residual risk before accepting it"});
  if (!missing.empty()) return MissingFields("accepting a risk", std::move(missing));
  if (!IsSet(r, "accepted_on")) {
    std::string ts = FormatTimestamp(ctx.clock.Now());
    r["accepted_on"] = ts.substr(0, 10);
  }
  return Status::Ok();
}

Status GuardTreat(records::HookContext& ctx) {
  std::vector<FieldError> missing;
  if (!IsSet(ctx.after, "treatment")) missing.push_back({"treatment", "choose a treatment option"});
  if (!IsSet(ctx.after, "treatment_plan"))
    missing.push_back({"treatment_plan", "describe the treatment plan"});
  if (!missing.empty()) return MissingFields("treating a risk", std::move(missing));
  return Status::Ok();
}

}  // namespace

void RegisterRiskHooks(records::HookRegistry& hooks) {
  hooks.OnSave("risk", ComputeScores);
  hooks.OnTransition("risk", "accept", GuardAccept);
  hooks.OnTransition("risk", "treat", GuardTreat);
}

}  // namespace tandem::domains

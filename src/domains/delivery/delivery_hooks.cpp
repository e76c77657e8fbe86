// Agreements: a period that makes sense and targets within range.
#include <nlohmann/json.hpp>

#include "domains/domains.h"

namespace tandem::domains {

using nlohmann::json;

namespace {

void CheckPercent(const json& r, const char* field, std::vector<FieldError>& errors) {
  if (IsSet(r, field) && (r[field].get<double>() < 0 || r[field].get<double>() > 100))
    errors.push_back({field, "must be a percentage from 0 to 100"});
}

void CheckPositive(const json& r, const char* field, std::vector<FieldError>& errors) {
  if (IsSet(r, field) && r[field].get<int64_t>() <= 0)
    errors.push_back({field, "must be positive"});
}

Status AgreementSave(records::HookContext& ctx) {
  const json& r = ctx.after;
  std::vector<FieldError> errors;
  CheckPercent(r, "availability_target", errors);
  CheckPositive(r, "p1_resolution_minutes", errors);
  CheckPositive(r, "security_incident_notice_hours", errors);
  if (IsSet(r, "starts_on") && IsSet(r, "ends_on") && r["ends_on"] < r["starts_on"])
    errors.push_back({"ends_on", "must not be before starts_on"});
  if (!errors.empty())
    return MakeError(ErrorCode::kValidation, "the agreement is inconsistent", std::move(errors));
  return Status::Ok();
}

Status ServiceSave(records::HookContext& ctx) {
  std::vector<FieldError> errors;
  CheckPercent(ctx.after, "availability_target", errors);
  if (!errors.empty())
    return MakeError(ErrorCode::kValidation, "the service is inconsistent", std::move(errors));
  return Status::Ok();
}

}  // namespace

void RegisterDeliveryHooks(records::HookRegistry& hooks) {
  hooks.OnSave("agreement", AgreementSave);
  hooks.OnSave("service", ServiceSave);
}

}  // namespace tandem::domains

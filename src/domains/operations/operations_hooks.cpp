// Incident priority, the security classification rule, and the guards that
// make incidents, problems and changes carry what both standards ask for.
#include <nlohmann/json.hpp>

#include "domains/domains.h"

namespace tandem::domains {

using nlohmann::json;

namespace {

int Level(const json& v) {  // high=0, medium=1, low=2
  const auto& s = v.get_ref<const std::string&>();
  return s == "high" ? 0 : s == "medium" ? 1 : 2;
}

// The usual impact x urgency matrix: both high is P1, one step down P2 ...
Status IncidentSave(records::HookContext& ctx) {
  json& r = ctx.after;
  static const char* kPriority[] = {"p1", "p2", "p3", "p4", "p4"};
  r["priority"] = kPriority[Level(r["impact"]) + Level(r["urgency"])];
  // An ISO/IEC 27001 security incident is always the ISMS's business, even when
  // it also disrupts a service (ISO/IEC 27013 6.2.5).
  const auto& kind = r["kind"].get_ref<const std::string&>();
  if ((kind == "security_event" || kind == "security_incident") && r["classification"] == "sms")
    return MakeError(ErrorCode::kValidation,
                     "security events and incidents are handled under the ISMS",
                     {{"classification", "must be isms or both for a " + kind}});
  return Status::Ok();
}

Status IncidentResolve(records::HookContext& ctx) {
  if (!IsSet(ctx.after, "resolution"))
    return MissingFields("resolving an incident", {{"resolution", "describe how it was resolved"}});
  ctx.after["resolved_at"] = FormatTimestamp(ctx.clock.Now());
  return Status::Ok();
}

Status IncidentReopen(records::HookContext& ctx) {
  ctx.after["resolved_at"] = nullptr;
  return Status::Ok();
}

Status ProblemKnownError(records::HookContext& ctx) {
  // A known error has an identified root cause or a workaround.
  if (!IsSet(ctx.after, "root_cause") && !IsSet(ctx.after, "workaround"))
    return MissingFields("recording a known error",
                         {{"root_cause", "give the root cause or a workaround"},
                          {"workaround", "give the root cause or a workaround"}});
  return Status::Ok();
}

// Every change is assessed for its effect on security controls before
// approval (ISO/IEC 27013 6.2.6), emergency changes included.
Status ChangeApprove(records::HookContext& ctx) {
  std::vector<FieldError> missing;
  if (!IsSet(ctx.after, "security_impact"))
    missing.push_back({"security_impact", "assess the impact on information security controls"});
  if (!IsSet(ctx.after, "security_impact_assessed"))
    missing.push_back({"security_impact_assessed", "confirm the security impact assessment"});
  if (!IsSet(ctx.after, "backout_plan") && ctx.after["kind"] != "standard")
    missing.push_back({"backout_plan", "describe how to back the change out"});
  if (!missing.empty()) return MissingFields("approving a change", std::move(missing));
  return Status::Ok();
}

Status ChangeReview(records::HookContext& ctx) {
  std::vector<FieldError> missing;
  if (!IsSet(ctx.after, "review_notes"))
    missing.push_back({"review_notes", "record the post-implementation review"});
  if (ctx.after["successful"].is_null())
    missing.push_back({"successful", "say whether the change succeeded"});
  if (!missing.empty()) return MissingFields("reviewing a change", std::move(missing));
  return Status::Ok();
}

Status ChangeSave(records::HookContext& ctx) {
  const json& r = ctx.after;
  if (IsSet(r, "planned_start") && IsSet(r, "planned_end") && r["planned_end"] < r["planned_start"])
    return MakeError(ErrorCode::kValidation, "the change ends before it starts",
                     {{"planned_end", "must not be before planned_start"}});
  return Status::Ok();
}

}  // namespace

void RegisterOperationsHooks(records::HookRegistry& hooks) {
  hooks.OnSave("incident", IncidentSave);
  hooks.OnTransition("incident", "resolve", IncidentResolve);
  hooks.OnTransition("incident", "reopen", IncidentReopen);
  hooks.OnTransition("problem", "record_known_error", ProblemKnownError);
  hooks.OnSave("change", ChangeSave);
  hooks.OnTransition("change", "approve", ChangeApprove);
  hooks.OnTransition("change", "review", ChangeReview);
}

}  // namespace tandem::domains

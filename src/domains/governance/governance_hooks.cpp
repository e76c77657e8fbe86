// Nonconformities follow correction -> corrective action -> effectiveness
// review; documents are approved with a date.
#include <nlohmann/json.hpp>

#include "domains/domains.h"

namespace tandem::domains {

namespace {

Status NcPlanAction(records::HookContext& ctx) {
  std::vector<FieldError> missing;
  if (!IsSet(ctx.after, "root_cause"))
    missing.push_back({"root_cause", "determine the cause first"});
  if (!IsSet(ctx.after, "corrective_action"))
    missing.push_back({"corrective_action", "plan the corrective action"});
  if (!missing.empty()) return MissingFields("planning corrective action", std::move(missing));
  return Status::Ok();
}

Status NcClose(records::HookContext& ctx) {
  if (!IsSet(ctx.after, "effectiveness_review"))
    return MissingFields(
        "closing a nonconformity",
        {{"effectiveness_review", "review the effectiveness of the corrective action"}});
  return Status::Ok();
}

Status DocumentApprove(records::HookContext& ctx) {
  std::vector<FieldError> missing;
  if (!IsSet(ctx.after, "owner"))
    missing.push_back({"owner", "an approved document needs an owner"});
  if (!IsSet(ctx.after, "doc_version"))
    missing.push_back({"doc_version", "give the version being approved"});
  if (!missing.empty()) return MissingFields("approving a document", std::move(missing));
  ctx.after["approved_on"] = FormatTimestamp(ctx.clock.Now()).substr(0, 10);
  return Status::Ok();
}

// A revised document is no longer the approved version.
Status DocumentRevise(records::HookContext& ctx) {
  ctx.after["approved_on"] = nullptr;
  return Status::Ok();
}

}  // namespace

void RegisterGovernanceHooks(records::HookRegistry& hooks) {
  hooks.OnTransition("nonconformity", "plan_action", NcPlanAction);
  hooks.OnTransition("nonconformity", "close", NcClose);
  hooks.OnTransition("document", "approve", DocumentApprove);
  hooks.OnTransition("document", "revise", DocumentRevise);
}

}  // namespace tandem::domains

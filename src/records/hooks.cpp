#include "records/hooks.h"

#include <nlohmann/json.hpp>

#include "records/tx_read.h"

namespace tandem::records {

Result<nlohmann::json> HookContext::Read(const std::string& type_name, int64_t id) const {
  const model::RecordType* t = registry ? registry->Find(type_name) : nullptr;
  if (!t) return MakeError(ErrorCode::kInternal, "no record type " + type_name);
  return ReadRecord(conn, *t, id);
}

void HookRegistry::OnSave(const std::string& type, Hook hook) {
  save_[type].push_back(std::move(hook));
}

void HookRegistry::OnTransition(const std::string& type, const std::string& transition, Hook hook) {
  transition_[{type, transition}].push_back(std::move(hook));
}

void HookRegistry::AfterSave(const std::string& type, Hook hook) {
  after_save_[type].push_back(std::move(hook));
}

void HookRegistry::AfterTransition(const std::string& type, const std::string& transition,
                                   Hook hook) {
  after_transition_[{type, transition}].push_back(std::move(hook));
}

Status HookRegistry::Check(const model::Registry& registry) const {
  for (const auto* hooks : {&save_, &after_save_})
    for (const auto& [type, unused] : *hooks)
      if (!registry.Find(type))
        return MakeError(ErrorCode::kInternal,
                         "a save hook names unknown record type '" + type + "'");
  for (const auto* hooks : {&transition_, &after_transition_})
    for (const auto& [key, unused] : *hooks) {
      const auto& [type, transition] = key;
      const model::RecordType* t = registry.Find(type);
      if (!t || !t->states || !t->states->Find(transition))
        return MakeError(ErrorCode::kInternal, "a transition hook names '" + type + "' '" +
                                                   transition + "', which is not declared");
    }
  return Status::Ok();
}

Status HookRegistry::RunSave(HookContext& ctx) const {
  if (auto it = save_.find(ctx.type.name); it != save_.end())
    for (const auto& h : it->second) TANDEM_RETURN_IF_ERROR(h(ctx));
  return Status::Ok();
}

Status HookRegistry::RunTransition(HookContext& ctx) const {
  if (!ctx.transition) return Status::Ok();
  if (auto it = transition_.find({ctx.type.name, ctx.transition->name}); it != transition_.end())
    for (const auto& h : it->second) TANDEM_RETURN_IF_ERROR(h(ctx));
  return Status::Ok();
}

Status HookRegistry::RunAfter(HookContext& ctx) const {
  if (ctx.transition)
    if (auto it = after_transition_.find({ctx.type.name, ctx.transition->name});
        it != after_transition_.end())
      for (const auto& h : it->second) TANDEM_RETURN_IF_ERROR(h(ctx));
  if (auto it = after_save_.find(ctx.type.name); it != after_save_.end())
    for (const auto& h : it->second) TANDEM_RETURN_IF_ERROR(h(ctx));
  return Status::Ok();
}

}  // namespace tandem::records

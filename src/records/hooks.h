// Hooks: how a domain adds behaviour to a record type without forking the
// generic path. A hook computes fields, validates across fields, or refuses a
// change; it runs inside the write transaction, before the row is written.
#pragma once

#include <functional>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "model/record_type.h"
#include "model/registry.h"
#include "records/actor.h"
#include "store/database.h"

namespace tandem::records {

struct HookContext {
  const model::RecordType& type;
  const Actor& actor;
  store::Connection& conn;
  const Clock& clock;
  const nlohmann::json* before;  // the stored record; null on create
  nlohmann::json& after;         // the record about to be saved; hooks may edit it
  const model::TransitionDecl* transition = nullptr;  // set while transitioning
  const model::Registry* registry = nullptr;

  // Another record as stored, read in the same transaction whoever the actor
  // is (a hook checks consistency; it does not show the record to anyone).
  // kNotFound when there is none.
  Result<nlohmann::json> Read(const std::string& type_name, int64_t id) const;
};

using Hook = std::function<Status(HookContext&)>;

class HookRegistry {
 public:
  // Runs on create, update and transition, after field validation.
  void OnSave(const std::string& type, Hook hook);
  // Runs before `transition` of `type` is saved (a guard); before OnSave hooks.
  void OnTransition(const std::string& type, const std::string& transition, Hook hook);

  Status RunSave(HookContext& ctx) const;
  Status RunTransition(HookContext& ctx) const;

  // kInternal naming the first hook registered for a type or transition the
  // registry does not declare: a typo would otherwise never run, silently.
  // Checked when the engine is built.
  Status Check(const model::Registry& registry) const;

 private:
  std::map<std::string, std::vector<Hook>> save_;
  std::map<std::pair<std::string, std::string>, std::vector<Hook>> transition_;
};

}  // namespace tandem::records

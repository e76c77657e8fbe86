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

// What a hook may change beyond its own record, inside the same transaction.
// Each change is a write of its own: validated, with its type's hooks and an
// audit event recorded as the actor's, naming the record that caused it
// ("cause"). Domain rules decide these writes, so the actor's permissions on
// the other type are not asked; need-to-know is (a record the actor cannot
// see is not found), and transitions keep their separation-of-duties rules.
class Effects {
 public:
  virtual ~Effects() = default;
  // Creates a record from a body validated as a client's would be.
  virtual Result<nlohmann::json> Create(const std::string& type, const nlohmann::json& body) = 0;
  // Sets fields of a record, computed ones included.
  virtual Result<nlohmann::json> Update(const std::string& type, int64_t id,
                                        const nlohmann::json& changes) = 0;
  // Takes a transition.
  virtual Result<nlohmann::json> Transition(const std::string& type, int64_t id,
                                            const std::string& transition) = 0;
  // Links (from_type, from_id) to (to_type, to_id) by `relation`.
  virtual Status Link(const std::string& from_type, int64_t from_id, const std::string& relation,
                      const std::string& to_type, int64_t to_id, const std::string& note) = 0;
};

struct HookContext {
  const model::RecordType& type;
  const Actor& actor;
  store::Connection& conn;
  const Clock& clock;
  const nlohmann::json* before;  // the stored record; null on create
  nlohmann::json& after;         // the record about to be saved; hooks may edit it
  const model::TransitionDecl* transition = nullptr;  // set while transitioning
  const model::Registry* registry = nullptr;
  // Changes to other records (set for every hook; before the write, a
  // record being created has no id yet, so hooks that need it run after).
  Effects* effects = nullptr;

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
  // Run once the record is written (ctx.after is the stored record, with its
  // id and new version), in the same transaction: for changes to other
  // records that follow from this one (ctx.effects). AfterSave runs on
  // create, update, transition, archive and restore; AfterTransition only on
  // that transition, before AfterSave.
  void AfterSave(const std::string& type, Hook hook);
  void AfterTransition(const std::string& type, const std::string& transition, Hook hook);

  Status RunSave(HookContext& ctx) const;
  Status RunTransition(HookContext& ctx) const;
  Status RunAfter(HookContext& ctx) const;

  // kInternal naming the first hook registered for a type or transition the
  // registry does not declare: a typo would otherwise never run, silently.
  // Checked when the engine is built.
  Status Check(const model::Registry& registry) const;

 private:
  std::map<std::string, std::vector<Hook>> save_, after_save_;
  std::map<std::pair<std::string, std::string>, std::vector<Hook>> transition_, after_transition_;
};

}  // namespace tandem::records

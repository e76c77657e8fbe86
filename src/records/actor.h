// Who is acting, and what they may do. Every engine call takes an Actor; the
// engine, not the caller, decides from it whether the call is allowed and
// which records exist for it.
//
// The auth layer builds actors for signed-in users and API tokens from the
// stored roles and groups; internal work (the CLI, the demo loader, imports)
// acts as a system actor.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace tandem::records {

// What a permission allows on a record type.
enum class Action : uint8_t { kRead, kCreate, kUpdate, kTransition, kArchive, kAdminister };
inline constexpr Action kAllActions[] = {Action::kRead,    Action::kCreate,
                                         Action::kUpdate,  Action::kTransition,
                                         Action::kArchive, Action::kAdminister};

std::string_view ActionName(Action a);
std::optional<Action> ParseAction(std::string_view name);

// One bit per Action.
using ActionMask = uint32_t;
constexpr ActionMask Bit(Action a) { return ActionMask{1} << static_cast<int>(a); }

// Record type name -> allowed actions.
using Grants = std::map<std::string, ActionMask, std::less<>>;

struct Actor {
  std::string name;  // recorded as created_by / updated_by and in the audit trail
  // Internal work (CLI, imports, the demo loader): every action, every record.
  bool system = false;
  // May administer users, roles and groups; told that restricted records it
  // cannot read exist (403 instead of 404), never shown their content.
  bool administrator = false;
  // A read-only API token: any write is refused whatever the roles allow.
  bool read_only = false;
  std::set<std::string, std::less<>> groups;  // need-to-know groups the actor belongs to
  std::shared_ptr<const Grants> grants;       // the union of the actor's roles

  bool Can(std::string_view type, Action a) const {
    if (system) return true;
    if (read_only && a != Action::kRead) return false;
    if (!grants) return false;
    auto it = grants->find(type);
    return it != grants->end() && (it->second & Bit(a)) != 0;
  }
  // Whether a record restricted to `group` ("" = unrestricted) exists for the actor.
  bool CanSee(std::string_view group) const {
    return group.empty() || system || groups.count(group) != 0;
  }
};

inline Actor SystemActor(std::string name = "system") {
  Actor a;
  a.name = std::move(name);
  a.system = true;
  return a;
}

}  // namespace tandem::records

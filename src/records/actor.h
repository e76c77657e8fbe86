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
#include <vector>

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

// What one record type allows: whole actions, and transitions one by one.
struct TypeGrant {
  ActionMask actions = 0;
  // Transitions granted by name; Action::kTransition in `actions` grants
  // every transition of the type.
  std::set<std::string, std::less<>> transitions;

  bool AllowsTransition(std::string_view transition) const {
    return (actions & Bit(Action::kTransition)) != 0 || transitions.count(transition) != 0;
  }
  bool operator==(const TypeGrant&) const = default;
};

// Record type name -> what it allows.
using Grants = std::map<std::string, TypeGrant, std::less<>>;

// Transition rights another user lent the actor for a period (absence
// cover). Only transitions are lent; reading and editing stay the actor's own.
struct Delegation {
  int64_t id = 0;
  std::string from;                          // the delegator
  std::set<std::string, std::less<>> roles;  // the delegator's roles (role rules)
  std::shared_ptr<const Grants> grants;      // the delegator's own grants
  std::string ends_at;                       // UTC timestamp; already filtered by time

  bool AllowsTransition(std::string_view type, std::string_view transition) const {
    if (!grants) return false;
    auto it = grants->find(type);
    return it != grants->end() && it->second.AllowsTransition(transition);
  }
};

struct Actor {
  std::string name;  // recorded as created_by / updated_by and in the audit trail
  // Internal work (CLI, imports, the demo loader): every action, every record.
  // Separation-of-duties rules that name people still bind it (by name).
  bool system = false;
  // May administer users, roles and groups; told that restricted records it
  // cannot read exist (403 instead of 404), never shown their content.
  bool administrator = false;
  // A read-only API token: any write is refused whatever the roles allow.
  bool read_only = false;
  std::set<std::string, std::less<>> groups;  // need-to-know groups the actor belongs to
  std::set<std::string, std::less<>> roles;   // for separation-of-duties role rules
  std::shared_ptr<const Grants> grants;       // the union of the actor's roles
  std::vector<Delegation> delegations;        // in force now, given to this actor

  // Whether the actor may perform `a` on `type`. For kTransition: whether it
  // may take at least one transition, by its own roles or a delegation.
  bool Can(std::string_view type, Action a) const {
    if (system) return true;
    if (read_only && a != Action::kRead) return false;
    const TypeGrant* g = Grant(type);
    if (g && (g->actions & Bit(a)) != 0) return true;
    if (a != Action::kTransition) return false;
    if (g && !g->transitions.empty()) return true;
    for (const auto& d : delegations)
      if (d.grants)
        if (auto it = d.grants->find(type);
            it != d.grants->end() &&
            ((it->second.actions & Bit(a)) || !it->second.transitions.empty()))
          return true;
    return false;
  }
  // Whether the actor's own roles allow taking `transition` on `type`.
  bool MayTake(std::string_view type, std::string_view transition) const {
    if (system) return true;
    if (read_only) return false;
    const TypeGrant* g = Grant(type);
    return g && g->AllowsTransition(transition);
  }
  // Whether the actor belongs to a record restricted to `group` ("" = unrestricted).
  bool CanSee(std::string_view group) const {
    return group.empty() || system || groups.count(group) != 0;
  }

 private:
  const TypeGrant* Grant(std::string_view type) const {
    if (!grants) return nullptr;
    auto it = grants->find(type);
    return it == grants->end() ? nullptr : &it->second;
  }
};

inline Actor SystemActor(std::string name = "system") {
  Actor a;
  a.name = std::move(name);
  a.system = true;
  return a;
}

}  // namespace tandem::records

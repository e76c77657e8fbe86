// Separation of duties (ISO/IEC 27001:2022 A.5.3; ISO/IEC 27013 6.2.3, 6.2.6):
// who may take a transition, in two steps.
//
// 1. Permission. The actor's roles grant the transition (a whole "transition"
//    permission grants every one), or a delegation in force lends it.
// 2. Rules. The type's declaration attaches DutyRules to a transition (four
//    eyes, role). They are checked against the stored record inside the write
//    transaction, on every path that takes a transition.
//
// A delegate acts with the delegator's authority, so role rules read the
// delegator's roles, and four-eyes rules bind both people: a delegation never
// lets anyone approve their own record, nor the delegator's.
#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "records/codec.h"
#include "records/engine.h"

namespace tandem::records {

using model::DutyRule;
using model::RecordType;
using model::TransitionDecl;
using nlohmann::json;
using store::Connection;

namespace {

// Someone the transition could be taken as: the actor by its own right, or a
// delegate standing in for `delegation->from`.
struct Capacity {
  const Delegation* delegation = nullptr;
  const std::set<std::string, std::less<>>* roles = nullptr;
};

std::string Quoted(const std::string& s) { return "'" + s + "'"; }

Error Refusal(const DutyRule& rule, const std::string& detail) {
  Error e(ErrorCode::kForbidden, detail + " (separation of duties, rule " + rule.Name() + ")",
          {{rule.Subject(), detail}});
  e.rule = rule.Name();
  return e;
}

}  // namespace

Status Engine::AuthorizeTransition(const Actor& actor, const RecordType& type,
                                   const TransitionDecl& tr) const {
  if (actor.MayTake(type.name, tr.name)) return Status::Ok();
  if (actor.read_only) return MakeError(ErrorCode::kForbidden, "this API token is read-only");
  for (const auto& d : actor.delegations)
    if (d.AllowsTransition(type.name, tr.name)) return Status::Ok();
  return MakeError(ErrorCode::kForbidden, "your roles do not allow the transition '" + tr.name +
                                              "' on " + type.name + " records");
}

Result<std::string> Engine::CheckDuties(Connection& c, const Actor& actor, const RecordType& type,
                                        const json& record, const TransitionDecl& tr,
                                        bool ask_permission) {
  std::vector<Capacity> capacities;
  if (!ask_permission || actor.MayTake(type.name, tr.name))
    capacities.push_back({nullptr, &actor.roles});
  if (!actor.read_only)
    for (const auto& d : actor.delegations)
      if (d.AllowsTransition(type.name, tr.name)) capacities.push_back({&d, &d.roles});
  if (capacities.empty()) {
    TANDEM_RETURN_IF_ERROR(AuthorizeTransition(actor, type, tr));
  }
  if (tr.rules.empty()) return std::string();

  const std::string number = record.value("number", "");
  // Who took each earlier transition the rules ask about, read once.
  std::map<std::string, std::set<std::string>> took;
  for (const auto& rule : tr.rules) {
    if (rule.kind != DutyRule::Kind::kNotActorOf || took.count(rule.transition)) continue;
    auto& names = took[rule.transition];
    TANDEM_ASSIGN_OR_RETURN(auto events, RecordHistory(c, type.name, record["id"].get<int64_t>()));
    // Only the last time it was taken counts: after a rework the record is a
    // new submission.
    for (auto it = events.rbegin(); it != events.rend(); ++it) {
      json changes = json::parse(it->changes, nullptr, false);
      if (it->action != "transition" || changes.value("transition", "") != rule.transition)
        continue;
      names.insert(it->actor);
      if (changes.contains("on_behalf_of") && changes["on_behalf_of"].is_string())
        names.insert(changes["on_behalf_of"].get<std::string>());
      break;
    }
  }

  std::optional<Error> first;
  for (const Capacity& who : capacities) {
    // The people this capacity stands for: four-eyes rules bind them all.
    std::vector<std::string> people = {actor.name};
    if (who.delegation) people.push_back(who.delegation->from);
    const std::string acting =
        who.delegation ? " (acting for " + who.delegation->from + ")" : std::string();
    std::optional<Error> failed;
    for (const auto& rule : tr.rules) {
      if (!rule.when_field.empty()) {
        const json& v = record.contains(rule.when_field) ? record[rule.when_field] : json();
        if (!v.is_string() || std::find(rule.when_values.begin(), rule.when_values.end(),
                                        v.get<std::string>()) == rule.when_values.end())
          continue;
      }
      auto named = [&](const std::string& field) -> std::string {
        const json& v = record.contains(field) ? record[field] : json();
        if (!v.is_string()) return "";
        for (const auto& p : people)
          if (p == v.get<std::string>()) return p;
        return "";
      };
      switch (rule.kind) {
        case DutyRule::Kind::kNotCreator:
          if (auto p = named("created_by"); !p.empty())
            failed = Refusal(rule, number + " was created by " + p + "; someone else must " +
                                       tr.name + " it" + acting);
          break;
        case DutyRule::Kind::kNotUser:
          if (auto p = named(rule.field); !p.empty())
            failed = Refusal(rule, p + " is the " + type.Field(rule.field)->label + " of " +
                                       number + "; someone else must " + tr.name + " it" + acting);
          break;
        case DutyRule::Kind::kNotActorOf:
          for (const auto& p : people)
            if (took[rule.transition].count(p)) {
              failed = Refusal(rule, p + " took " + Quoted(rule.transition) + " on " + number +
                                         "; someone else must " + tr.name + " it" + acting);
              break;
            }
          break;
        case DutyRule::Kind::kRole: {
          if (actor.system && !who.delegation) break;  // internal work holds no roles
          bool holds = false;
          for (const auto& r : rule.roles) holds |= who.roles->count(r) != 0;
          if (!holds) {
            std::string list;
            for (const auto& r : rule.roles) list += (list.empty() ? "" : ", ") + r;
            std::string what = Quoted(tr.name) + " on " + type.name + " records";
            if (!rule.when_field.empty())
              what +=
                  " whose " + rule.when_field + " is " + record[rule.when_field].get<std::string>();
            failed = Refusal(rule, what + " needs one of the roles " + list + acting);
          }
          break;
        }
      }
      if (failed) break;
    }
    if (!failed) return who.delegation ? who.delegation->from : std::string();
    if (!first) first = std::move(failed);
  }
  return *first;
}

}  // namespace tandem::records

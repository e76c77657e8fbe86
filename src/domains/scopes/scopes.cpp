#include "domains/scopes/scopes.h"

#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "domains/domains.h"
#include "records/codec.h"

namespace tandem::domains {

using nlohmann::json;

namespace {

// Scope member kind -> the reference field naming it and the record type.
struct MemberKind {
  const char* kind;
  const char* type;
};
constexpr MemberKind kKinds[] = {{"org_unit", "org_unit"}, {"location", "location"},
                                 {"service", "service"},   {"process", "element"},
                                 {"asset", "asset"},       {"supplier", "supplier"}};

// The member a scope item names: exactly the reference field its kind says.
Status PrepareScopeItem(records::HookContext& ctx) {
  json& item = ctx.after;
  const std::string kind = item.value("kind", "");
  std::vector<FieldError> errors;
  const MemberKind* chosen = nullptr;
  for (const auto& k : kKinds) {
    if (kind == k.kind)
      chosen = &k;
    else if (IsSet(item, k.kind))
      errors.push_back({k.kind, std::string("leave empty for a member of kind ") + kind});
  }
  if (chosen && !IsSet(item, chosen->kind))
    errors.push_back({chosen->kind, std::string("name the ") + kind + " inside the scope"});
  if (!errors.empty())
    return MakeError(ErrorCode::kValidation, "the scope member is invalid", std::move(errors));
  TANDEM_ASSIGN_OR_RETURN(json scope, ctx.Read("scope", item["scope"].get<int64_t>()));
  const int64_t member_id = item[chosen->kind].get<int64_t>();
  TANDEM_ASSIGN_OR_RETURN(json member, ctx.Read(chosen->type, member_id));
  if (kind == "process" && member.value("kind", "") != "process")
    return MakeError(ErrorCode::kValidation, "the scope member is invalid",
                     {{"process", "must be an IMS element of kind process"}});
  const auto* type = ctx.registry->Find(chosen->type);
  const std::string label = member.value(type->display_field, "");
  item["management_system"] = scope["management_system"];
  item["member"] = kind + ":" + std::to_string(member_id);
  item["summary"] = scope["management_system"].get<std::string>() +
                    " scope: " + records::FormatNumber(*type, member_id) + " " + label;
  return Status::Ok();
}

}  // namespace

void RegisterScopeHooks(records::HookRegistry& hooks) {
  hooks.OnSave("scope_item", PrepareScopeItem);
}

Result<std::map<std::string, json>> ScopesInForce(records::Engine& engine,
                                                  const records::Actor& actor) {
  TANDEM_ASSIGN_OR_RETURN(auto scopes, ListAll(engine, actor, "scope"));
  // Approved before draft, then the latest period, then the newest record.
  auto rank = [](const json& s) {
    return std::tuple(s["state"] == "approved", s["period"].get<std::string>(),
                      s["id"].get<int64_t>());
  };
  std::map<std::string, json> in_force;
  for (auto& s : scopes) {
    const std::string ms = s["management_system"];
    if (!in_force.count(ms) || rank(s) > rank(in_force[ms])) in_force[ms] = std::move(s);
  }
  return in_force;
}

Result<json> ScopeOverlap(records::Engine& engine, const records::Actor& actor) {
  TANDEM_ASSIGN_OR_RETURN(auto in_force, ScopesInForce(engine, actor));
  TANDEM_ASSIGN_OR_RETURN(auto items, ListAll(engine, actor, "scope_item"));
  json out = {{"scopes", {{"isms", nullptr}, {"sms", nullptr}}},
              {"kinds", json::object()},
              {"warnings", json::array()}};
  in_force.erase("qms");
  std::set<int64_t> chosen;
  for (const auto& [ms, s] : in_force) {
    chosen.insert(s["id"].get<int64_t>());
    out["scopes"][ms] = {{"id", s["id"]},
                         {"number", s["number"]},
                         {"title", s["title"]},
                         {"period", s["period"]},
                         {"state", s["state"]}};
  }
  // member key -> (systems holding it, a description)
  std::map<std::string, std::set<std::string>> systems;
  std::map<std::string, json> described;
  for (const auto& item : items) {
    const std::string kind = item["kind"];
    if (!item["scope"].is_number() || !chosen.count(item["scope"].get<int64_t>())) continue;
    if (item[kind].is_null()) continue;  // the member is hidden from this reader
    const std::string key = item["member"];
    systems[key].insert(item["management_system"].get<std::string>());
    if (!described.count(key)) {
      const MemberKind* mk = nullptr;
      for (const auto& k : kKinds)
        if (kind == k.kind) mk = &k;
      const auto& type = *engine.registry().Find(mk->type);
      auto member = engine.Get(actor, type, item[kind].get<int64_t>());
      if (!member.ok()) continue;
      described[key] = {{"kind", kind},
                        {"id", (*member)["id"]},
                        {"number", (*member)["number"]},
                        {"name", (*member)[type.display_field]},
                        {"operator", kind == "process" ? (*member)["operator"] : json()}};
    }
  }
  for (const auto& k : kKinds)
    out["kinds"][k.kind] = {
        {"in_both", json::array()}, {"isms_only", json::array()}, {"sms_only", json::array()}};
  auto warn = [&](const char* code, const json& member, std::string message) {
    out["warnings"].push_back({{"code", code}, {"member", member}, {"message", message}});
  };
  for (const auto& [key, in] : systems) {
    if (!described.count(key)) continue;
    json m = described[key];
    const bool isms = in.count("isms"), sms = in.count("sms");
    if (!isms && !sms) continue;  // QMS only
    const std::string kind = m["kind"];
    out["kinds"][kind][isms && sms ? "in_both" : isms ? "isms_only" : "sms_only"].push_back(m);
    const std::string name = m["number"].get<std::string>() + " " + m["name"].get<std::string>();
    if (kind == "service" && sms && !isms)
      warn("service-outside-isms", m,
           "The service " + name +
               " is in the SMS scope but outside the ISMS scope: ISO/IEC 20000-1 asks for "
               "information security management of the services it covers, which the ISMS "
               "then does not provide (ISO/IEC 27013 5.2).");
    if (kind == "process" && sms && m["operator"].is_number())
      warn("process-operated-by-other-party", m,
           "The process " + name +
               " is operated by another party inside the SMS scope: the organization must keep "
               "governance of it and show how it is controlled (ISO/IEC 20000-1 8.2.3), and the "
               "ISMS treats that party as a source of risk (ISO/IEC 27013 5.2).");
  }
  for (const char* ms : {"isms", "sms"})
    if (out["scopes"][ms].is_null())
      warn("no-scope", nullptr,
           std::string("No scope is defined for the ") +
               (ms == std::string("isms") ? "ISMS" : "SMS") + ": the overlap cannot be judged.");
  return out;
}

}  // namespace tandem::domains

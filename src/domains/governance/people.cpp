// People (clauses 7.2, 7.3): a person's competence against what their role
// requires, each team's human capacity (ISO/IEC 27013 6.3.4), and who has
// read and understood the documents distributed to them (7.5.3).
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "core/clock.h"
#include "core/json_access.h"
#include "domains/domains.h"
#include "domains/governance/governance.h"
#include "records/codec.h"

namespace tandem::domains {

using nlohmann::json;

namespace {

// Within this many days of expiry a competence is "expiring".
constexpr int kExpiringDays = 30;

// The competences each role requires (links "requires" from the role).
Result<std::map<int64_t, std::vector<int64_t>>> RequiredByRole(records::Engine& engine,
                                                               const records::Actor& actor,
                                                               const std::set<int64_t>& roles) {
  std::map<int64_t, std::vector<int64_t>> out;
  const auto& role_type = *engine.registry().Find("ims_role");
  for (int64_t role : roles) {
    TANDEM_ASSIGN_OR_RETURN(json links, engine.Links(actor, role_type, role));
    for (const auto& l : links)
      if (Str(l, "relation") == "requires" && Str(l["other"], "type") == "competence")
        out[role].push_back(Int(l["other"], "id"));
  }
  return out;
}

// How a person holds each competence they must: from their training records.
json Assess(const std::vector<int64_t>& required, const std::vector<json>& records,
            const std::map<int64_t, json>& competences, const std::string& today) {
  json rows = json::array();
  int gaps = 0;
  for (int64_t c : required) {
    const json* best = nullptr;
    for (const auto& r : records) {
      if (Int(r, "competence") != c) continue;
      // A record that never expires beats any that does; else the latest expiry.
      if (!best || !IsSet(r, "expires_on") ||
          (IsSet(*best, "expires_on") && Str(r, "expires_on") > Str(*best, "expires_on")))
        best = &r;
    }
    std::string status = "missing";
    if (best) {
      const std::string expires = Str(*best, "expires_on");
      status = expires.empty() || expires >= AddDays(today, kExpiringDays) ? "valid"
               : expires >= today                                          ? "expiring"
                                                                           : "expired";
    }
    if (status == "missing" || status == "expired") ++gaps;
    auto it = competences.find(c);
    rows.push_back({{"competence",
                     {{"id", c},
                      {"number", it == competences.end() ? "" : Str(it->second, "number")},
                      {"title", it == competences.end() ? "" : Str(it->second, "title")}}},
                    {"status", status},
                    {"record", best ? json(Str(*best, "number")) : json()},
                    {"expires_on", best && IsSet(*best, "expires_on") ? (*best)["expires_on"] : json()}});
  }
  return {{"competences", rows}, {"gaps", gaps}};
}

Result<std::map<int64_t, json>> Competences(records::Engine& engine, const records::Actor& actor) {
  TANDEM_ASSIGN_OR_RETURN(auto all, ListAll(engine, actor, "competence"));
  std::map<int64_t, json> out;
  for (auto& c : all) {
    const int64_t id = Int(c, "id");
    out[id] = std::move(c);
  }
  return out;
}

}  // namespace

Result<json> CompetenceOf(records::Engine& engine, const records::Actor& actor, int64_t person_id) {
  TANDEM_ASSIGN_OR_RETURN(json person,
                          engine.Get(actor, *engine.registry().Find("person"), person_id));
  std::set<int64_t> roles;
  if (IsSet(person, "role")) roles.insert(Int(person, "role"));
  TANDEM_ASSIGN_OR_RETURN(auto required, RequiredByRole(engine, actor, roles));
  TANDEM_ASSIGN_OR_RETURN(auto records, ListAll(engine, actor, "training_record",
                                                {{"filter[person]", std::to_string(person_id)}}));
  TANDEM_ASSIGN_OR_RETURN(auto competences, Competences(engine, actor));
  json out = Assess(required[Int(person, "role")], records, competences, DateOf(engine.clock().Now()));
  out["person"] = {{"id", person_id}, {"number", Str(person, "number")}, {"name", Str(person, "name")}};
  out["role"] = person["role"];
  return out;
}

Result<json> TeamCapacity(records::Engine& engine, const records::Actor& actor) {
  TANDEM_ASSIGN_OR_RETURN(auto units, ListAll(engine, actor, "org_unit", {{"sort", "name"}}));
  TANDEM_ASSIGN_OR_RETURN(auto people, ListAll(engine, actor, "person", {{"filter[active]", "true"}}));
  TANDEM_ASSIGN_OR_RETURN(auto records, ListAll(engine, actor, "training_record"));
  TANDEM_ASSIGN_OR_RETURN(auto competences, Competences(engine, actor));
  std::set<int64_t> roles;
  for (const auto& p : people)
    if (IsSet(p, "role")) roles.insert(Int(p, "role"));
  TANDEM_ASSIGN_OR_RETURN(auto required, RequiredByRole(engine, actor, roles));
  std::map<int64_t, std::vector<json>> by_person;
  for (auto& r : records) by_person[Int(r, "person")].push_back(std::move(r));
  const std::string today = DateOf(engine.clock().Now());
  struct Team {
    int people = 0, gaps = 0;
    double fte = 0;
  };
  std::map<int64_t, Team> teams;  // 0: no team
  for (const auto& p : people) {
    Team& t = teams[Int(p, "org_unit")];
    ++t.people;
    t.fte += At(p, "fte").is_number() ? p["fte"].get<double>() : 0;
    t.gaps += Int(Assess(required[Int(p, "role")], by_person[Int(p, "id")], competences, today),
                  "gaps");
  }
  json out = json::array();
  auto add = [&](const json& unit, const Team& t) {
    out.push_back({{"team", unit.is_object() ? Str(unit, "name") : "No team"},
                   {"org_unit", unit.is_object() ? json(Str(unit, "number")) : json()},
                   {"people", t.people},
                   {"fte", t.fte},
                   {"gaps", t.gaps}});
  };
  for (const auto& u : units)
    if (auto it = teams.find(Int(u, "id")); it != teams.end()) add(u, it->second);
  if (auto it = teams.find(0); it != teams.end()) add(json(), it->second);
  return json{{"teams", out}};
}

Result<json> Acknowledgements(records::Engine& engine, const records::Actor& actor,
                              int64_t document_id) {
  TANDEM_ASSIGN_OR_RETURN(json doc,
                          engine.Get(actor, *engine.registry().Find("document"), document_id));
  json out = {{"document", Str(doc, "number")},
              {"requires_acknowledgement", Flag(doc, "requires_acknowledgement")},
              {"version", nullptr},
              {"acknowledged", json::array()},
              {"outstanding", json::array()}};
  if (!At(doc, "current_version").is_number_integer()) return out;
  const std::string version = std::to_string(Int(doc, "current_version"));
  out["version"] = records::FormatNumber(*engine.registry().Find("document_version"),
                                         Int(doc, "current_version"));
  TANDEM_ASSIGN_OR_RETURN(auto acks, ListAll(engine, actor, "acknowledgement",
                                             {{"filter[document_version]", version}}));
  std::set<std::string> readers;
  for (const auto& a : acks) {
    readers.insert(Str(a, "reader"));
    out["acknowledged"].push_back({{"reader", Str(a, "reader")}, {"at", Str(a, "acknowledged_at")}});
  }
  std::multimap<std::string, std::string> who = {{"filter[active]", "true"},
                                                 {"filter[username][null]", "false"}};
  if (IsSet(doc, "distribution_unit"))
    who.emplace("filter[org_unit]", std::to_string(Int(doc, "distribution_unit")));
  TANDEM_ASSIGN_OR_RETURN(auto people, ListAll(engine, actor, "person", who));
  for (const auto& p : people)
    if (!readers.count(Str(p, "username")))
      out["outstanding"].push_back({{"person", Str(p, "number")},
                                    {"name", Str(p, "name")},
                                    {"username", Str(p, "username")}});
  return out;
}

}  // namespace tandem::domains

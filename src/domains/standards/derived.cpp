#include "domains/standards/derived.h"

#include <deque>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "domains/domains.h"

namespace tandem::domains {

using nlohmann::json;

namespace {

std::string Inverse(const std::string& r) {
  if (r == "subset") return "superset";
  if (r == "superset") return "subset";
  return r;
}

// The relationship of a chain a -> b -> c from those of its links: equal
// keeps the other, subset of a subset is a subset (likewise superset), and
// anything else only intersects.
std::string Compose(const std::string& ab, const std::string& bc) {
  if (ab == "equal") return bc;
  if (bc == "equal") return ab;
  if (ab == bc && ab != "intersect") return ab;
  return "intersect";
}

struct Edge {
  int64_t to;
  std::string relationship;
  json via;  // the correspondence (number, origin, authority) or "part of"
};

struct Step {
  int64_t node;
  std::string relationship;  // composed so far
  int hops = 0;              // correspondences used
  bool climbed = false;      // the one "part of" step is used
  std::set<int64_t> standards;
  json path = json::array();
};

}  // namespace

Result<json> CorrespondencesOf(records::Engine& engine, const records::Actor& actor,
                               int64_t requirement_id, int max_hops) {
  const auto& requirement_type = *engine.registry().Find("requirement");
  TANDEM_ASSIGN_OR_RETURN(json start, engine.Get(actor, requirement_type, requirement_id));
  TANDEM_ASSIGN_OR_RETURN(auto standards, ListAll(engine, actor, "standard"));
  TANDEM_ASSIGN_OR_RETURN(auto requirements, ListAll(engine, actor, "requirement"));
  TANDEM_ASSIGN_OR_RETURN(auto correspondences, ListAll(engine, actor, "correspondence"));

  std::map<int64_t, std::string> standard_key;
  for (const auto& s : standards) standard_key[s["id"]] = s["key"];
  std::map<int64_t, const json*> by_id;
  std::map<std::pair<int64_t, std::string>, int64_t> by_ref;
  for (const auto& r : requirements) {
    by_id[r["id"]] = &r;
    by_ref[{r["standard"], r["ref"]}] = r["id"];
  }
  auto describe = [&](int64_t id) {
    const json& r = *by_id.at(id);
    return json{{"id", id},
                {"number", r["number"]},
                {"standard", standard_key[r["standard"]]},
                {"ref", r["ref"]},
                {"label", r["label"]}};
  };

  std::set<int64_t> overridden;
  for (const auto& c : correspondences)
    if (c["overrides"].is_number()) overridden.insert(c["overrides"].get<int64_t>());
  std::map<int64_t, std::vector<Edge>> edges;
  json direct = json::array();
  for (const auto& c : correspondences) {
    const int64_t source = c["source"];
    const bool has_target = c["target"].is_number();
    if (source == requirement_id || (has_target && c["target"] == requirement_id))
      direct.push_back(c);
    if (overridden.count(c["id"]) || !has_target || c["relationship"] == "no-relationship")
      continue;
    const int64_t target = c["target"];
    if (!by_id.count(source) || !by_id.count(target)) continue;
    json via = {
        {"correspondence", c["number"]}, {"origin", c["origin"]}, {"authority", c["authority"]}};
    edges[source].push_back({target, c["relationship"], via});
    edges[target].push_back({source, Inverse(c["relationship"]), via});
  }

  // Breadth first, so each requirement is reached by a shortest path.
  std::set<int64_t> reached = {requirement_id};
  json derived = json::array();
  std::deque<Step> queue;
  queue.push_back({requirement_id, "equal", 0, false, {start["standard"].get<int64_t>()}, {}});
  while (!queue.empty()) {
    Step at = std::move(queue.front());
    queue.pop_front();
    const json& here = *by_id.at(at.node);
    auto visit = [&](int64_t to, const std::string& relationship, const json& via, bool climb) {
      const int64_t to_standard = by_id.at(to)->at("standard");
      if (reached.count(to) || (!climb && at.standards.count(to_standard))) return;
      reached.insert(to);
      Step next{to,
                Compose(at.relationship, relationship),
                at.hops + (climb ? 0 : 1),
                at.climbed || climb,
                at.standards,
                at.path};
      next.standards.insert(to_standard);
      next.path.push_back({{"from", describe(at.node)},
                           {"to", describe(to)},
                           {"relationship", relationship},
                           {"via", via}});
      // One correspondence and no "part of" step: a direct one, listed above.
      // The start's own clause or objective is no correspondence either.
      if ((next.hops > 1 || next.climbed) && to_standard != start["standard"].get<int64_t>())
        derived.push_back({{"requirement", describe(to)},
                           {"relationship", next.relationship},
                           {"hops", next.hops},
                           {"path", next.path}});
      if (next.hops < max_hops) queue.push_back(std::move(next));
    };
    for (const auto& e : edges[at.node]) visit(e.to, e.relationship, e.via, false);
    // An item or control is part of its clause or objective, which may be
    // what the other standards correspond to; one such step per path.
    if (!at.climbed && here["parent_ref"].is_string())
      if (auto p = by_ref.find({here["standard"], here["parent_ref"]}); p != by_ref.end())
        visit(p->second, "subset", "part of", true);
  }
  return json{{"requirement", describe(requirement_id)}, {"direct", direct}, {"derived", derived}};
}

}  // namespace tandem::domains

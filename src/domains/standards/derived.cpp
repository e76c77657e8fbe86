#include "domains/standards/derived.h"

#include <deque>
#include <nlohmann/json.hpp>
#include <set>

namespace tandem::domains {

using nlohmann::json;

namespace {

// The relationship of a chain a -> b -> c from those of its links: equal
// keeps the other, subset of a subset is a subset (likewise superset), and
// anything else only intersects.
std::string Compose(const std::string& ab, const std::string& bc) {
  if (ab == "equal") return bc;
  if (bc == "equal") return ab;
  if (ab == bc && ab != "intersect") return ab;
  return "intersect";
}

struct Step {
  int64_t node;
  std::string relationship;  // composed so far
  int hops = 0;
  bool climbed = false;  // the one "part of" step is used
  std::set<int64_t> standards;
  std::vector<json> path;
};

json Via(const CorrespondenceEntry& c) {
  return {{"correspondence", c.number}, {"origin", c.origin}, {"authority", c.authority}};
}

}  // namespace

std::string InverseRelationship(const std::string& r) {
  if (r == "subset") return "superset";
  if (r == "superset") return "subset";
  return r;
}

json DescribeRequirement(const SnapshotView& view, int64_t id) {
  const auto& r = view.data().requirements->at(id);
  return {{"id", id},
          {"number", r.number},
          {"standard", view.data().standards.at(r.standard).key},
          {"ref", r.ref},
          {"label", r.label}};
}

std::vector<const CorrespondenceEntry*> DirectCorrespondences(const SnapshotView& view,
                                                              int64_t requirement) {
  std::vector<const CorrespondenceEntry*> out;
  auto it = view.data().correspondences_of.find(requirement);
  if (it == view.data().correspondences_of.end()) return out;
  const auto& overridden_by = view.data().overridden_by;
  auto overridden = [&](int64_t id) {
    auto o = overridden_by.find(id);
    if (o == overridden_by.end()) return false;
    for (int64_t by : o->second)
      if (view.Correspondence(by)) return true;
    return false;
  };
  for (int64_t id : it->second)
    if (const auto* c = view.Correspondence(id); c && !overridden(id)) out.push_back(c);
  return out;
}

std::vector<DerivedCorrespondence> Derive(const SnapshotView& view, int64_t start, int max_hops) {
  std::vector<DerivedCorrespondence> out;
  const RequirementEntry* first = view.Requirement(start);
  if (!first) return out;
  std::set<int64_t> reached = {start};
  std::deque<Step> queue;
  queue.push_back({start, "equal", 0, false, {first->standard}, {}});
  while (!queue.empty()) {
    Step at = std::move(queue.front());
    queue.pop_front();
    const RequirementEntry& here = *view.Requirement(at.node);
    auto visit = [&](const RequirementEntry& to, const std::string& relationship, json via,
                     bool climb) {
      if (reached.count(to.id) || (!climb && at.standards.count(to.standard))) return;
      reached.insert(to.id);
      Step next{to.id,
                Compose(at.relationship, relationship),
                at.hops + (climb ? 0 : 1),
                at.climbed || climb,
                at.standards,
                at.path};
      next.standards.insert(to.standard);
      next.path.push_back({{"from", DescribeRequirement(view, at.node)},
                           {"to", DescribeRequirement(view, to.id)},
                           {"relationship", relationship},
                           {"via", std::move(via)}});
      // One correspondence and no "part of" step: a direct one. The start's
      // own clause or objective is no correspondence either.
      if ((next.hops > 1 || next.climbed) && to.standard != first->standard)
        out.push_back({to.id, next.relationship, next.hops, next.path});
      if (next.hops < max_hops) queue.push_back(std::move(next));
    };
    for (const CorrespondenceEntry* c : DirectCorrespondences(view, at.node)) {
      if (!c->target || c->relationship == "no-relationship") continue;
      const bool forward = c->source == at.node;
      const RequirementEntry* to = view.Requirement(forward ? c->target : c->source);
      if (to)
        visit(*to, forward ? c->relationship : InverseRelationship(c->relationship), Via(*c),
              false);
    }
    // An item or control is part of its clause or objective, which may be
    // what the other standards correspond to; one such step per path.
    if (!at.climbed && here.parent)
      if (const RequirementEntry* parent = view.Requirement(here.parent))
        visit(*parent, "subset", "part of", true);
  }
  return out;
}

Result<json> CorrespondencesOf(const SnapshotView& view, int64_t requirement_id) {
  TANDEM_RETURN_IF_ERROR(view.Require({"requirement"}));
  const RequirementEntry* r = view.Requirement(requirement_id);
  if (!r)
    return MakeError(ErrorCode::kNotFound, "no requirement " + std::to_string(requirement_id));
  json direct = json::array();
  for (const CorrespondenceEntry* c : DirectCorrespondences(view, requirement_id))
    direct.push_back({{"id", c->id},
                      {"number", c->number},
                      {"summary", c->summary},
                      {"source", DescribeRequirement(view, c->source)},
                      {"source_qualifier", c->source_qualifier},
                      {"target", c->target ? DescribeRequirement(view, c->target) : json()},
                      {"target_qualifier", c->target_qualifier},
                      {"relationship", c->relationship},
                      {"authority", c->authority},
                      {"origin", c->origin}});
  json derived = json::array();
  for (auto& d : Derive(view, requirement_id))
    derived.push_back({{"requirement", DescribeRequirement(view, d.requirement)},
                       {"relationship", d.relationship},
                       {"hops", d.hops},
                       {"path", d.path}});
  return json{{"requirement", DescribeRequirement(view, requirement_id)},
              {"direct", std::move(direct)},
              {"derived", std::move(derived)}};
}

}  // namespace tandem::domains

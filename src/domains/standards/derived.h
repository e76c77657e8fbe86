// Correspondences of a requirement: the direct ones, and those derived on
// demand by chaining (ISO/IEC 27001:2022 A.8.13 -> 27001:2013 A.12.3.1, part
// of A.12.3 -> 20000-1:2011 6.3 -> 20000-1:2018 8.7.2). A derived one is
// never stored: its relationship is the weakest link of its path, and the
// path is its provenance.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "domains/standards/index.h"

namespace tandem::domains {

struct DerivedCorrespondence {
  int64_t requirement = 0;
  std::string relationship;          // of the start to `requirement`, composed along the path
  int hops = 0;                      // correspondences used
  std::vector<nlohmann::json> path;  // steps {from, to, relationship, via}
};

// Requirements of other standards reached from `start` by chains of at most
// `max_hops` correspondences plus at most one "part of" step (an item or
// control up to the clause or objective that holds it), visiting each
// standard once, in breadth-first order (shortest paths first). Skips
// no-relationship entries and correspondences a user's one overrides; uses
// only what the view's reader may see. One-correspondence chains are direct
// correspondences and are not repeated here.
std::vector<DerivedCorrespondence> Derive(const SnapshotView& view, int64_t start,
                                          int max_hops = 4);

// The correspondences still in force (not overridden) at either end of
// `requirement`, as the view's reader sees them.
std::vector<const CorrespondenceEntry*> DirectCorrespondences(const SnapshotView& view,
                                                              int64_t requirement);

// {"id", "number", "standard" (key), "ref", "label"}.
nlohmann::json DescribeRequirement(const SnapshotView& view, int64_t id);

// GET /requirements/{id}/correspondences:
// {"requirement": {...}, "direct": [correspondence...], "derived": [{"requirement",
//  "relationship", "hops", "path"}]}. kNotFound when the reader cannot see it.
Result<nlohmann::json> CorrespondencesOf(const SnapshotView& view, int64_t requirement_id);

// The inverse relationship: a subset of B makes B a superset.
std::string InverseRelationship(const std::string& relationship);

}  // namespace tandem::domains

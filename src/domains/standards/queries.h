// The standards layer's read API: catalogs, requirements, correspondences,
// the traceability matrix and suggestions, answered from the standards index
// as the view's reader sees it. Each returns the JSON the HTTP layer sends
// (docs/api.md, "Standards and traceability"); errors name what is unknown.
#pragma once

#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "domains/standards/index.h"

namespace tandem::domains {

// [{id (key), title, edition, requirement_count, provenance, ...}] by key.
Result<nlohmann::json> ListStandards(const SnapshotView& view);

// The visible standard with `key`, or kNotFound naming it.
Result<const StandardEntry*> FindStandard(const SnapshotView& view, const std::string& key);

// [{ref, title, parent, kind, ...}] in document order.
Result<nlohmann::json> ListRequirements(const SnapshotView& view, const std::string& key);

struct CorrespondenceQuery {
  std::string standard, ref;
  std::optional<std::string> target;  // only correspondences into this standard
  bool derived = false;               // add chains (see Derive)
};
// [{source:{standard, ref, qualifier}, target:{standard, ref, qualifier},
//   relationship, qualifier, origin, authority, derived, path, ...}], each seen
// from the queried requirement (a stored correspondence naming it as target is
// turned round, its relationship inverted).
Result<nlohmann::json> QueryCorrespondences(const SnapshotView& view,
                                            const CorrespondenceQuery& query);

// One row of a traceability matrix.
struct MatrixRow {
  const RequirementEntry* requirement;
  std::string status;                     // covered, partial, gap, not_applicable
  bool rolled_up = false;                 // status from the requirement's parts, not its own traces
  std::vector<const TraceEntry*> traces;  // to live (not retired) elements
  // Per trace, what its evidence says (SnapshotView::EvidenceOf); and for
  // the row, the best of the traces that make its status (or, rolled up,
  // the worst of its parts'): current, expired or missing. Null for a gap,
  // an exclusion, and readers who may not read evidence.
  std::vector<const char*> trace_evidence;
  const char* evidence = nullptr;
};

struct Matrix {
  const StandardEntry* standard;
  std::vector<MatrixRow> rows;  // document order; withdrawn requirements left out
  int covered = 0, partial = 0, gaps = 0, not_applicable = 0, withdrawn = 0;
  // Covered rows whose evidence is current, and those whose evidence is
  // missing or expired; -1 for readers who may not read evidence.
  int evidence_current = 0, evidence_missing = 0;
};

// Every requirement of the standard with the elements tracing to it and a
// status:
//  - not_applicable: marked so, with its justification;
//  - covered: an approved or operating element satisfies it fully;
//  - partial: some live element traces to it, but none of those does;
//  - gap: nothing traces to it.
// Covered and partial rows also say whether evidence of operation backs the
// claim (MatrixRow::evidence): "covered, evidence current" is what an auditor
// accepts; "covered, evidence missing or expired" is a claim to prove.
// A requirement with parts (a clause with subclauses, an objective with
// controls) takes the better of its own status and its parts': covered when
// every applicable part is, partial when some part is at least partial.
Result<Matrix> BuildMatrix(const SnapshotView& view, const std::string& key);

// An element of the matrix that traces to more than one standard, counting
// only the traces the reader may see.
struct SharedElement {
  const ElementEntry* element;
  int requirements = 0;                // of the matrix's standard it traces to
  std::vector<std::string> standards;  // keys of all the standards it traces to, sorted
};
// The matrix's shared elements by element id.
std::vector<SharedElement> SharedElements(const SnapshotView& view, const Matrix& matrix);

// The matrix as JSON text, as GET /traceability sends it:
// {standard, summary:{requirements, covered, partial, gaps, not_applicable,
//  withdrawn, evidence_current, evidence_missing}, rows:[{ref, title, kind,
//  parent, status, evidence, elements:[{..., evidence}]}],
//  shared_elements:[...]}. Written directly, without a JSON tree, with the
// keys of each object in nlohmann::json's order (sorted) and its escaping, so
// that the text is what json::dump() would give for the same document.
std::string MatrixJson(const SnapshotView& view, const Matrix& matrix);

// ISO/IEC 27013:2015 Annex B as content (content/standards/terminology.csv):
// [{term, in_27000, in_20000_1, meaning, note, fields:[...]}] by term; with
// `field`, only the terms to show beside that field or record type (e.g.
// availability, incident, configuration_item).
Result<nlohmann::json> Terminology(const std::string& field = "");

// BuildMatrix, kept with the snapshot per audience (SnapshotView::Audience)
// until the next write: the pages of the web UI and the API share it.
Result<std::shared_ptr<const Matrix>> KeptMatrix(const SnapshotView& view, const std::string& key);

// One page of the matrix as GET /traceability sends it: MatrixJson with
// only rows [after, after + limit), and "next", the `after` of the following
// page as a string, or null on the last. Summary, standard and shared
// elements are those of the whole matrix on every page. The matrix is kept
// with the snapshot per audience (SnapshotView::Audience), so between two
// writes it is worked out once per standard and audience, not once per
// request or page, and the pages asked for most are kept written out: no
// reader can make the server repeat the work. kBadRequest when `after` is
// past the last row.
Result<std::shared_ptr<const std::string>> MatrixPage(const SnapshotView& view,
                                                      const std::string& key, size_t after,
                                                      size_t limit);

// Requirements of other standards that correspond, directly or by a derived
// chain, to those the element traces to, and that it does not trace to yet:
// [{requirement, relationship, derived, because, via, serves}] strongest first.
Result<nlohmann::json> SuggestRequirements(const SnapshotView& view, int64_t element_id);

}  // namespace tandem::domains

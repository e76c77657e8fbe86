#include "domains/standards/exports.h"

#include <nlohmann/json.hpp>
#include <set>

#include "core/csv.h"
#include "core/xlsx.h"
#include "domains/standards/derived.h"

namespace tandem::domains {

using nlohmann::json;

namespace {

const std::vector<std::string> kMatrixHeader = {
    "ref", "title", "kind", "status", "justification", "elements", "extent", "also serves"};

// The matrix row as text cells, shared by CSV and XLSX.
std::vector<std::string> RowCells(const SnapshotView& view, const Matrix& m, const MatrixRow& row) {
  const auto& data = view.data();
  std::string elements, extents;
  std::set<std::string> others;
  for (const TraceEntry* t : row.traces) {
    const ElementEntry& e = data.elements.at(t->element);
    if (!elements.empty()) {
      elements += "; ";
      extents += "; ";
    }
    elements += e.number + " " + e.title + " (" + e.state + ")";
    extents += t->extent;
    if (auto of = data.traces_of.find(e.id); of != data.traces_of.end())
      for (int64_t id : of->second)
        if (const TraceEntry* other = view.Trace(id); other && other->standard != m.standard->id)
          others.insert(data.standards.at(other->standard).key);
  }
  std::string also;
  for (const auto& k : others) also += (also.empty() ? "" : "; ") + k;
  const RequirementEntry& r = *row.requirement;
  return {r.ref,
          r.title,
          r.kind,
          row.status + (row.rolled_up ? " (from parts)" : ""),
          row.status == "not_applicable" ? r.justification : "",
          elements,
          extents,
          also};
}

}  // namespace

std::string MatrixCsv(const SnapshotView& view, const Matrix& m) {
  std::string out = CsvLine(kMatrixHeader);
  for (const auto& row : m.rows) out += CsvLine(RowCells(view, m, row));
  return out;
}

Result<std::string> MatrixXlsx(const SnapshotView& view, const Matrix& m) {
  const StandardEntry& s = *m.standard;
  XlsxSheet summary{"Summary", {"", ""}, {}, {28, 60}};
  summary.rows = {{"Standard", s.key},
                  {"Title", s.title},
                  {"Edition", s.edition},
                  {"Catalog verification", s.verification},
                  {"Requirements", static_cast<double>(m.rows.size())},
                  {"Covered", static_cast<double>(m.covered)},
                  {"Partially covered", static_cast<double>(m.partial)},
                  {"Gaps", static_cast<double>(m.gaps)},
                  {"Not applicable", static_cast<double>(m.not_applicable)},
                  {"Withdrawn (not listed)", static_cast<double>(m.withdrawn)}};
  summary.header = {"Traceability matrix", ""};
  XlsxSheet matrix{"Matrix", kMatrixHeader, {}, {12, 50, 10, 20, 40, 60, 12, 30}};
  for (const auto& row : m.rows) {
    std::vector<XlsxCell> cells;
    for (auto& text : RowCells(view, m, row)) cells.emplace_back(std::move(text));
    matrix.rows.push_back(std::move(cells));
  }
  XlsxSheet elements{"Shared elements",
                     {"element", "title", "kind", "requirements", "standards"},
                     {},
                     {12, 50, 14, 14, 50}};
  for (const SharedElement& shared : SharedElements(view, m)) {
    std::string standards;
    for (const auto& k : shared.standards) standards += (standards.empty() ? "" : "; ") + k;
    const ElementEntry& e = *shared.element;
    elements.rows.push_back(
        {e.number, e.title, e.kind, static_cast<double>(shared.requirements), standards});
  }
  return WriteXlsx({summary, matrix, elements},
                   {.title = "Traceability matrix " + s.key, .author = view.actor().name});
}

Catalog CatalogOf(const SnapshotView& view, const StandardEntry& s) {
  Catalog c{s.key, s.title, s.edition, s.publisher, {}};
  auto ids = view.data().requirements_of->find(s.id);
  if (ids == view.data().requirements_of->end()) return c;
  std::set<std::string> present;
  for (int64_t id : ids->second)
    if (const RequirementEntry* r = view.Requirement(id)) present.insert(r->ref);
  for (int64_t id : ids->second) {
    const RequirementEntry* r = view.Requirement(id);
    if (!r) continue;
    // A parent the reader may not see, or that is not in the catalog, is
    // left out rather than named.
    c.entries.push_back({r->ref, r->title, present.count(r->parent_ref) ? r->parent_ref : "",
                         r->kind, r->withdrawn});
  }
  return c;
}

Result<json> MappingCollection(const SnapshotView& view, const std::string& source_key,
                               const std::string& target_key, const std::string& last_modified) {
  TANDEM_RETURN_IF_ERROR(view.Require({"correspondence"}));
  TANDEM_ASSIGN_OR_RETURN(const StandardEntry* source, FindStandard(view, source_key));
  TANDEM_ASSIGN_OR_RETURN(const StandardEntry* target, FindStandard(view, target_key));
  const auto& data = view.data();
  std::vector<MappingEntry> maps;
  std::set<int64_t> seen;
  auto ids = data.requirements_of->find(source->id);
  if (ids != data.requirements_of->end())
    for (int64_t rid : ids->second) {
      if (!view.Requirement(rid)) continue;
      for (const CorrespondenceEntry* c : DirectCorrespondences(view, rid)) {
        const bool forward = c->source == rid;
        if ((forward ? c->target_standard : c->source_standard) != target->id) continue;
        if (!seen.insert(c->id).second) continue;
        // The source says nothing about it: a mapping must not either.
        if (c->relationship == "not-mapped") continue;
        const int64_t other = forward ? c->target : c->source;
        maps.push_back({data.requirements->at(rid).ref,
                        other ? data.requirements->at(other).ref : "",
                        forward ? c->relationship : InverseRelationship(c->relationship),
                        forward ? c->source_qualifier : c->target_qualifier,
                        forward ? c->target_qualifier : c->source_qualifier, c->origin, c->note,
                        c->authority});
      }
    }
  if (maps.empty())
    return MakeError(ErrorCode::kValidation,
                     "no correspondences between " + source->key + " and " + target->key);
  MappingProvenance provenance;
  provenance.title = "Correspondences " + source->key + " to " + target->key;
  provenance.description =
      "Exported by Tandem: published correspondences (e.g. ISO/IEC 27013:2015 Table A.1), "
      "correspondences compiled by the Tandem project (unverified) and users' own, as the "
      "origin and authority of each map say.";
  return ToOscalMappingCollection(CatalogOf(view, *source), CatalogOf(view, *target), maps,
                                  last_modified, provenance);
}

}  // namespace tandem::domains

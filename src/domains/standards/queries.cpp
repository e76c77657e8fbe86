#include "domains/standards/queries.h"

#include <algorithm>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_map>

#include "core/content.h"
#include "core/csv.h"
#include "core/json_text.h"
#include "domains/standards/derived.h"

namespace tandem::domains {

using nlohmann::json;

namespace {

json OrNull(const std::string& s) { return s.empty() ? json() : json(s); }

const std::string& KeyOf(const SnapshotView& view, int64_t standard) {
  return view.data().standards.at(standard).key;
}

// How strongly a relationship ties two requirements, for ranking suggestions.
int Strength(const std::string& relationship) {
  if (relationship == "equal") return 3;
  if (relationship == "subset" || relationship == "superset") return 2;
  return 1;
}

bool Serves(const ElementEntry& e, const std::string& management_system) {
  return (management_system == "isms" && e.for_isms) || (management_system == "sms" && e.for_sms) ||
         (management_system == "qms" && e.for_qms);
}

int Rank(const std::string& status) {
  if (status == "covered") return 2;
  if (status == "partial") return 1;
  return 0;
}

// Evidence statuses from worst to best (EvidenceTally).
int EvidenceRank(const char* status) {
  if (!status) return -1;
  const std::string_view s = status;
  return s == "current" ? 2 : s == "expired" ? 1 : 0;
}

}  // namespace

Result<const StandardEntry*> FindStandard(const SnapshotView& view, const std::string& key) {
  TANDEM_RETURN_IF_ERROR(view.Require({"standard", "requirement"}));
  const StandardEntry* s = view.StandardByKey(key);
  if (!s) return MakeError(ErrorCode::kNotFound, "no standard '" + key + "'");
  return s;
}

Result<json> ListStandards(const SnapshotView& view) {
  TANDEM_RETURN_IF_ERROR(view.Require({"standard", "requirement"}));
  json out = json::array();
  for (const auto& [key, id] : view.data().standard_by_key) {
    const StandardEntry* s = view.Standard(id);
    if (!s) continue;
    int count = 0;
    if (auto it = view.data().requirements_of->find(id); it != view.data().requirements_of->end())
      for (int64_t r : it->second) count += view.Requirement(r) != nullptr;
    out.push_back({{"id", s->key},
                   {"title", s->title},
                   {"edition", OrNull(s->edition)},
                   {"requirement_count", count},
                   {"provenance", OrNull(s->provenance)},
                   {"verification", OrNull(s->verification)},
                   {"verification_note", OrNull(s->verification_note)},
                   {"publisher", OrNull(s->publisher)},
                   {"management_system", s->management_system},
                   {"origin", s->origin},
                   {"record_id", s->id},
                   {"number", s->number}});
  }
  return out;
}

Result<json> ListRequirements(const SnapshotView& view, const std::string& key) {
  TANDEM_ASSIGN_OR_RETURN(const StandardEntry* s, FindStandard(view, key));
  json out = json::array();
  auto it = view.data().requirements_of->find(s->id);
  if (it == view.data().requirements_of->end()) return out;
  for (int64_t id : it->second) {
    const RequirementEntry* r = view.Requirement(id);
    if (!r) continue;
    out.push_back({{"ref", r->ref},
                   {"title", OrNull(r->title)},
                   {"parent", OrNull(r->parent_ref)},
                   {"kind", r->kind},
                   {"applicability", r->applicability},
                   {"withdrawn", r->withdrawn},
                   {"record_id", r->id},
                   {"number", r->number}});
  }
  return out;
}

Result<json> QueryCorrespondences(const SnapshotView& view, const CorrespondenceQuery& q) {
  TANDEM_RETURN_IF_ERROR(view.Require({"correspondence"}));
  TANDEM_ASSIGN_OR_RETURN(const StandardEntry* s, FindStandard(view, q.standard));
  const RequirementEntry* r = view.RequirementByRef(s->id, q.ref);
  if (!r) return MakeError(ErrorCode::kNotFound, "no requirement '" + q.ref + "' in " + s->key);
  const StandardEntry* target = nullptr;
  if (q.target) {
    TANDEM_ASSIGN_OR_RETURN(target, FindStandard(view, *q.target));
  }

  json out = json::array();
  for (const CorrespondenceEntry* c : DirectCorrespondences(view, r->id)) {
    const bool forward = c->source == r->id;
    const int64_t other_standard = forward ? c->target_standard : c->source_standard;
    if (target && other_standard != target->id) continue;
    const int64_t other = forward ? c->target : c->source;
    const std::string& own_q = forward ? c->source_qualifier : c->target_qualifier;
    const std::string& other_q = forward ? c->target_qualifier : c->source_qualifier;
    json item = {{"source", {{"standard", s->key}, {"ref", r->ref}, {"qualifier", OrNull(own_q)}}},
                 {"target",
                  {{"standard", KeyOf(view, other_standard)},
                   {"ref", other ? json(view.data().requirements->at(other).ref) : json()},
                   {"qualifier", OrNull(other_q)}}},
                 {"relationship", forward ? c->relationship : InverseRelationship(c->relationship)},
                 {"qualifier", OrNull(!other_q.empty() ? other_q : own_q)},
                 {"origin", OrNull(c->origin)},
                 {"authority", c->authority},
                 {"note", OrNull(c->note)},
                 {"derived", false},
                 {"path", json::array()},
                 {"correspondence", c->number}};
    if (c->authority == "user") {
      item["author"] = c->author;
      item["rationale"] = OrNull(c->rationale);
    }
    if (c->overrides) item["overrides"] = view.data().correspondences.at(c->overrides).number;
    out.push_back(std::move(item));
  }
  if (!q.derived) return out;
  for (const auto& d : Derive(view, r->id)) {
    const RequirementEntry& to = view.data().requirements->at(d.requirement);
    if (target && to.standard != target->id) continue;
    out.push_back(
        {{"source", {{"standard", s->key}, {"ref", r->ref}, {"qualifier", json()}}},
         {"target",
          {{"standard", KeyOf(view, to.standard)}, {"ref", to.ref}, {"qualifier", json()}}},
         {"relationship", d.relationship},
         {"qualifier", json()},
         {"origin", "derived"},
         {"authority", "derived"},
         {"derived", true},
         {"hops", d.hops},
         {"path", d.path}});
  }
  return out;
}

Result<Matrix> BuildMatrix(const SnapshotView& view, const std::string& key) {
  TANDEM_RETURN_IF_ERROR(view.Require({"element", "trace"}));
  TANDEM_ASSIGN_OR_RETURN(const StandardEntry* s, FindStandard(view, key));
  Matrix m{s};
  const auto& data = view.data();
  auto ids = data.requirements_of->find(s->id);
  if (ids == data.requirements_of->end()) return m;

  std::map<int64_t, size_t> row_of;
  for (int64_t id : ids->second) {
    const RequirementEntry* r = view.Requirement(id);
    if (!r) continue;
    if (r->withdrawn) {
      ++m.withdrawn;
      continue;
    }
    MatrixRow row{r};
    bool fully = false;
    const char* fully_evidence = nullptr;  // the best of the traces that cover it
    const char* any_evidence = nullptr;    // the best of them all
    if (auto t = data.traces_to.find(id); t != data.traces_to.end())
      for (int64_t trace_id : t->second) {
        const TraceEntry* trace = view.Trace(trace_id);
        if (!trace) continue;
        const ElementEntry& e = data.elements.at(trace->element);
        if (e.state == "retired") continue;
        const char* evidence = view.EvidenceOf(*trace);
        row.traces.push_back(trace);
        row.trace_evidence.push_back(evidence);
        const bool covers =
            trace->extent == "fully" && (e.state == "approved" || e.state == "operating");
        fully |= covers;
        if (covers && EvidenceRank(evidence) > EvidenceRank(fully_evidence))
          fully_evidence = evidence;
        if (EvidenceRank(evidence) > EvidenceRank(any_evidence)) any_evidence = evidence;
      }
    row.status = r->applicability == "not_applicable" ? "not_applicable"
                 : fully                              ? "covered"
                 : row.traces.empty()                 ? "gap"
                                                      : "partial";
    if (row.status == "covered") row.evidence = fully_evidence;
    if (row.status == "partial") row.evidence = any_evidence;
    row_of[id] = m.rows.size();
    m.rows.push_back(std::move(row));
  }
  // Deepest first, so that every part is settled before what holds it.
  auto depth = [&](const RequirementEntry* r) {
    int d = 0;
    for (int64_t p = r->parent; p && d < 64; p = data.requirements->at(p).parent) ++d;
    return d;
  };
  std::vector<std::pair<int, size_t>> order;
  for (size_t i = 0; i < m.rows.size(); ++i) order.push_back({-depth(m.rows[i].requirement), i});
  std::sort(order.begin(), order.end());
  for (const auto& [_, i] : order) {
    MatrixRow& row = m.rows[i];
    if (row.status == "not_applicable" || row.status == "covered") continue;
    auto kids = data.children_of->find(row.requirement->id);
    if (kids == data.children_of->end()) continue;
    int applicable = 0, covered = 0, some = 0;
    const char* worst = nullptr;  // of the parts' evidence
    for (int64_t kid : kids->second) {
      auto k = row_of.find(kid);
      if (k == row_of.end()) continue;
      const MatrixRow& part = m.rows[k->second];
      const std::string& st = part.status;
      if (st == "not_applicable") continue;
      ++applicable;
      covered += st == "covered";
      some += st != "gap";
      if (part.evidence && (!worst || EvidenceRank(part.evidence) < EvidenceRank(worst)))
        worst = part.evidence;
    }
    const std::string parts = applicable == 0         ? ""
                              : covered == applicable ? "covered"
                              : some > 0              ? "partial"
                                                      : "gap";
    if (Rank(parts) > Rank(row.status)) {
      row.status = parts;
      row.rolled_up = true;
      row.evidence = worst;
    }
  }
  for (const auto& row : m.rows) {
    m.covered += row.status == "covered";
    m.partial += row.status == "partial";
    m.gaps += row.status == "gap";
    m.not_applicable += row.status == "not_applicable";
    if (row.status == "covered") {
      m.evidence_current += EvidenceRank(row.evidence) == 2;
      m.evidence_missing += EvidenceRank(row.evidence) < 2;
    }
  }
  if (!view.CanReadEvidence()) m.evidence_current = m.evidence_missing = -1;
  return m;
}

namespace {

// The standards each element traces to (keys, sorted), for "shared": as the
// snapshot counted them when the reader sees everything, else only through
// the traces this reader may see, worked out once per element.
class ElementStandards {
 public:
  explicit ElementStandards(const SnapshotView& view) : view_(view), sees_all_(view.SeesAll()) {}

  const std::vector<std::string>& Of(int64_t element) {
    static const std::vector<std::string> kNone;
    const auto& data = view_.data();
    if (sees_all_) {
      auto it = data.standards_of_element.find(element);
      return it == data.standards_of_element.end() ? kNone : it->second;
    }
    auto [it, fresh] = own_.try_emplace(element);
    if (fresh) {
      std::set<std::string> keys;
      if (auto t = data.traces_of.find(element); t != data.traces_of.end())
        for (int64_t trace_id : t->second)
          if (const TraceEntry* trace = view_.Trace(trace_id))
            keys.insert(KeyOf(view_, trace->standard));
      it->second.assign(keys.begin(), keys.end());
    }
    return it->second;
  }

 private:
  const SnapshotView& view_;
  const bool sees_all_;
  std::unordered_map<int64_t, std::vector<std::string>> own_;  // node-based: references stay
};

struct Shared {
  const ElementEntry* element;
  int requirements;
  const std::vector<std::string>* standards;
};

// The matrix's elements that trace to more than one standard, by id.
std::vector<Shared> FindShared(const SnapshotView& view, const Matrix& m,
                               ElementStandards& standards) {
  std::vector<int64_t> ids;  // the element of every trace, then grouped by sorting
  for (const auto& row : m.rows)
    for (const TraceEntry* t : row.traces) ids.push_back(t->element);
  std::sort(ids.begin(), ids.end());
  std::vector<Shared> out;
  for (size_t i = 0, j = 0; i < ids.size(); i = j) {
    while (j < ids.size() && ids[j] == ids[i]) ++j;
    const auto& keys = standards.Of(ids[i]);
    if (keys.size() > 1)
      out.push_back({&view.data().elements.at(ids[i]), static_cast<int>(j - i), &keys});
  }
  return out;
}

}  // namespace

std::vector<SharedElement> SharedElements(const SnapshotView& view, const Matrix& m) {
  ElementStandards standards(view);
  std::vector<SharedElement> out;
  for (const Shared& s : FindShared(view, m, standards))
    out.push_back({s.element, s.requirements, *s.standards});
  return out;
}

namespace {

// Rows [first, last) of the matrix as JSON objects, comma-separated. Every
// object's keys in sorted order, as json::dump() writes them.
void AppendRows(std::string& out, const SnapshotView& view, const Matrix& m, size_t first,
                size_t last) {
  const auto& data = view.data();
  size_t traces = 0;
  for (size_t i = first; i < last; ++i) traces += m.rows[i].traces.size();
  // Roughly what the text takes, so that it is seldom copied while it grows.
  out.reserve(out.size() + 256 * (last - first) + 192 * traces);
  auto str = [&](std::string_view s) { AppendJsonString(out, s); };
  auto str_or_null = [&](std::string_view s) { AppendJsonStringOrNull(out, s); };
  auto num = [&](int64_t v) { AppendJsonInt(out, v); };
  for (size_t i = first; i < last; ++i) {
    const MatrixRow& row = m.rows[i];
    const RequirementEntry& r = *row.requirement;
    out += i > first ? ",{\"elements\":[" : "{\"elements\":[";
    for (size_t j = 0; j < row.traces.size(); ++j) {
      const TraceEntry& t = *row.traces[j];
      const ElementEntry& e = data.elements.at(t.element);
      // Which standards an element serves is said once, in shared_elements.
      out += j ? ",{\"evidence\":" : "{\"evidence\":";
      str_or_null(row.trace_evidence[j] ? row.trace_evidence[j] : "");
      out += ",\"extent\":";
      str(t.extent);
      out += ",\"id\":";
      num(e.id);
      if (!t.note.empty()) {
        out += ",\"note\":";
        str(t.note);
      }
      out += ",\"number\":";
      str(e.number);
      out += ",\"state\":";
      str(e.state);
      out += ",\"title\":";
      str(e.title);
      out += ",\"trace\":";
      str(t.number);
      out += '}';
    }
    out += "],\"evidence\":";
    str_or_null(row.evidence ? row.evidence : "");
    if (row.rolled_up) out += ",\"from_parts\":true";
    if (row.status == "not_applicable") {
      out += ",\"justification\":";
      str(r.justification);
    }
    out += ",\"kind\":";
    str(r.kind);
    out += ",\"parent\":";
    str_or_null(r.parent_ref);
    out += ",\"ref\":";
    str(r.ref);
    out += ",\"status\":";
    str(row.status);
    out += ",\"title\":";
    str_or_null(r.title);
    out += '}';
  }
}

// What follows the rows: `],"shared_elements":[...],"standard":{...},
// "summary":{...}}`, the same on every page.
std::string Tail(const SnapshotView& view, const Matrix& m) {
  ElementStandards standards(view);
  const std::vector<Shared> shared = FindShared(view, m, standards);
  std::string out;
  out.reserve(256 + 160 * shared.size());
  auto str = [&](std::string_view s) { AppendJsonString(out, s); };
  auto str_or_null = [&](std::string_view s) { AppendJsonStringOrNull(out, s); };
  auto num = [&](int64_t v) { AppendJsonInt(out, v); };
  out += "],\"shared_elements\":[";
  for (size_t i = 0; i < shared.size(); ++i) {
    const ElementEntry& e = *shared[i].element;
    out += i ? ",{\"id\":" : "{\"id\":";
    num(e.id);
    out += ",\"kind\":";
    str(e.kind);
    out += ",\"number\":";
    str(e.number);
    out += ",\"requirements\":";
    num(shared[i].requirements);
    out += ",\"standards\":[";
    const auto& keys = *shared[i].standards;
    for (size_t k = 0; k < keys.size(); ++k) {
      if (k) out += ',';
      str(keys[k]);
    }
    out += "],\"title\":";
    str(e.title);
    out += '}';
  }
  const StandardEntry& s = *m.standard;
  out += "],\"standard\":{\"edition\":";
  str_or_null(s.edition);
  out += ",\"id\":";
  str(s.key);
  out += ",\"title\":";
  str(s.title);
  out += ",\"verification\":";
  str_or_null(s.verification);
  out += "},\"summary\":{\"covered\":";
  num(m.covered);
  auto count_or_null = [&](int v) {
    if (v < 0)
      out += "null";
    else
      num(v);
  };
  out += ",\"evidence_current\":";
  count_or_null(m.evidence_current);
  out += ",\"evidence_missing\":";
  count_or_null(m.evidence_missing);
  out += ",\"gaps\":";
  num(m.gaps);
  out += ",\"not_applicable\":";
  num(m.not_applicable);
  out += ",\"partial\":";
  num(m.partial);
  out += ",\"requirements\":";
  num(static_cast<int64_t>(m.rows.size()));
  out += ",\"withdrawn\":";
  num(m.withdrawn);
  out += "}}";
  return out;
}

}  // namespace

std::string MatrixJson(const SnapshotView& view, const Matrix& m) {
  std::string out = "{\"rows\":[";
  AppendRows(out, view, m, 0, m.rows.size());
  return out + Tail(view, m);
}

struct MatrixPages {
  Matrix matrix;
  std::string tail;
  // Pages written out, by (after, limit): a few, most often the first.
  mutable std::mutex mu;
  mutable std::map<std::pair<size_t, size_t>, std::shared_ptr<const std::string>> written;
};

namespace {

// The matrix of `key` as the reader's audience sees it, with the JSON that
// follows its rows, from the snapshot's memo or worked out and kept there.
Result<std::shared_ptr<const MatrixPages>> Kept(const SnapshotView& view, const std::string& key) {
  // Readers of one audience see the same matrix; a few audiences are usual
  // (most readers are in no group), and the memo is bounded all the same.
  constexpr size_t kMaxMatrices = 64;
  const std::string memo_key = key + '\0' + view.Audience();
  auto& memo = view.data().memo;
  {
    std::lock_guard lock(memo.mu);
    if (auto it = memo.matrices.find(memo_key); it != memo.matrices.end()) return it->second;
  }
  TANDEM_ASSIGN_OR_RETURN(Matrix m, BuildMatrix(view, key));
  auto fresh = std::make_shared<MatrixPages>();
  fresh->tail = Tail(view, m);
  fresh->matrix = std::move(m);
  std::lock_guard lock(memo.mu);
  if (memo.matrices.size() < kMaxMatrices) memo.matrices.emplace(memo_key, fresh);
  return std::shared_ptr<const MatrixPages>(std::move(fresh));
}

}  // namespace

Result<std::shared_ptr<const Matrix>> KeptMatrix(const SnapshotView& view, const std::string& key) {
  TANDEM_ASSIGN_OR_RETURN(auto pages, Kept(view, key));
  return std::shared_ptr<const Matrix>(pages, &pages->matrix);
}

Result<std::shared_ptr<const std::string>> MatrixPage(const SnapshotView& view,
                                                      const std::string& key, size_t after,
                                                      size_t limit) {
  constexpr size_t kMaxWritten = 16;
  TANDEM_ASSIGN_OR_RETURN(auto pages, Kept(view, key));
  const size_t rows = pages->matrix.rows.size();
  if (after > rows)
    return MakeError(ErrorCode::kBadRequest, "the matrix has " + std::to_string(rows) + " rows",
                     {{"after", "is past the last row"}});
  {
    std::lock_guard lock(pages->mu);
    if (auto it = pages->written.find({after, limit}); it != pages->written.end())
      return it->second;
  }
  const size_t last = std::min(rows, after + limit);
  std::string out = "{\"next\":";
  if (last < rows)
    AppendJsonString(out, std::to_string(last));
  else
    out += "null";
  out += ",\"rows\":[";
  AppendRows(out, view, pages->matrix, after, last);
  auto body = std::make_shared<const std::string>(out + pages->tail);
  std::lock_guard lock(pages->mu);
  if (pages->written.size() < kMaxWritten) pages->written.emplace(std::pair(after, limit), body);
  return body;
}

namespace {

// Every term of the embedded terminology table, parsed once: forms ask for
// the terms of each of their fields on every render.
Result<json> ParseTerminology() {
  TANDEM_ASSIGN_OR_RETURN(auto rows, ParseCsv(content::Get("content/standards/terminology.csv")));
  json out = json::array();
  if (rows.empty()) return out;
  const auto& header = rows[0].fields;
  for (size_t i = 1; i < rows.size(); ++i) {
    json term;
    for (size_t c = 0; c < header.size() && c < rows[i].fields.size(); ++c)
      term[header[c]] = rows[i].fields[c];
    json fields = json::array();
    const std::string list = term.value("fields", "");
    for (size_t start = 0; start < list.size();) {
      size_t end = list.find(';', start);
      if (end == std::string::npos) end = list.size();
      if (end > start) fields.push_back(list.substr(start, end - start));
      start = end + 1;
    }
    term["fields"] = fields;
    term["in_27000"] = term.value("in_27000", "") == "yes";
    term["in_20000_1"] = term.value("in_20000_1", "") == "yes";
    out.push_back(std::move(term));
  }
  return out;
}

}  // namespace

Result<json> Terminology(const std::string& field) {
  static const Result<json> all = ParseTerminology();
  if (!all.ok() || field.empty()) return all;
  json out = json::array();
  for (const auto& term : *all) {
    const auto& fields = term["fields"];
    if (std::find(fields.begin(), fields.end(), field) != fields.end()) out.push_back(term);
  }
  return out;
}

Result<json> SuggestRequirements(const SnapshotView& view, int64_t element_id) {
  TANDEM_RETURN_IF_ERROR(view.Require({"element", "trace", "requirement", "correspondence"}));
  const ElementEntry* e = view.Element(element_id);
  if (!e) return MakeError(ErrorCode::kNotFound, "no element " + std::to_string(element_id));
  const auto& data = view.data();
  std::set<int64_t> traced;
  if (auto t = data.traces_of.find(element_id); t != data.traces_of.end())
    for (int64_t id : t->second)
      if (const TraceEntry* trace = view.Trace(id)) traced.insert(trace->requirement);

  struct Candidate {
    int64_t requirement, because;
    std::string relationship;
    bool derived;
    json via;
  };
  std::map<int64_t, Candidate> best;
  auto offer = [&](Candidate c) {
    if (traced.count(c.requirement)) return;
    auto [it, fresh] = best.try_emplace(c.requirement, c);
    if (fresh) return;
    const Candidate& have = it->second;
    if (std::pair(!c.derived, Strength(c.relationship)) >
        std::pair(!have.derived, Strength(have.relationship)))
      it->second = std::move(c);
  };
  for (int64_t from : traced) {
    const int64_t from_standard = data.requirements->at(from).standard;
    for (const CorrespondenceEntry* c : DirectCorrespondences(view, from)) {
      if (!c->target || c->relationship == "no-relationship") continue;
      const bool forward = c->source == from;
      const int64_t to = forward ? c->target : c->source;
      if (data.requirements->at(to).standard == from_standard) continue;
      offer({to, from, forward ? c->relationship : InverseRelationship(c->relationship), false,
             json{{"correspondence", c->number}, {"origin", c->origin}}});
    }
    // A chain ending in a "part of" step only adds the clause or objective
    // holding a requirement already suggested.
    for (auto& d : Derive(view, from))
      if (data.requirements->at(d.requirement).standard != from_standard &&
          d.path.back()["via"] != "part of")
        offer({d.requirement, from, d.relationship, true, d.path});
  }
  std::vector<const Candidate*> ranked;
  for (const auto& [_, c] : best) ranked.push_back(&c);
  std::sort(ranked.begin(), ranked.end(), [&](const Candidate* a, const Candidate* b) {
    auto key = [&](const Candidate* c) {
      const RequirementEntry& r = data.requirements->at(c->requirement);
      return std::tuple(c->derived, -Strength(c->relationship), KeyOf(view, r.standard),
                        r.sort_key);
    };
    return key(a) < key(b);
  });
  json out = json::array();
  for (const Candidate* c : ranked) {
    const RequirementEntry& r = data.requirements->at(c->requirement);
    out.push_back({{"requirement", DescribeRequirement(view, c->requirement)},
                   {"relationship", c->relationship},
                   {"derived", c->derived},
                   {"because", DescribeRequirement(view, c->because)},
                   {"via", c->via},
                   {"serves", Serves(*e, data.standards.at(r.standard).management_system)}});
  }
  return out;
}

}  // namespace tandem::domains

// The standards views: the standards with their coverage, the traceability
// matrix, readiness over the gap assessments, the Statement of Applicability
// (revisions, one statement, populating a draft, comparing two), the scopes'
// overlap and the glossary of ISO/IEC 27013 Annex B.
//
// Every figure comes from the same domain functions the JSON API answers
// with (standards_api.cpp, soa_api.cpp), called with the signed-in
// user's actor: permissions and need-to-know are applied there, never here.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>

#include "core/json_access.h"
#include "core/svg_chart.h"
#include "domains/domains.h"
#include "domains/scopes/scopes.h"
#include "domains/standards/assessments.h"
#include "domains/standards/queries.h"
#include "domains/standards/soa.h"
#include "domains/standards/standards_api.h"
#include "records/codec.h"
#include "web/extensions.h"
#include "web/fields.h"

namespace tandem::domains {

namespace {

using nlohmann::json;
using records::Action;
using namespace web;

// A standard's key in a path: encoded, but its ':' kept (a path may hold it).
std::string KeyPath(const std::string& key) {
  std::string out = PercentEncode(key);
  for (size_t at; (at = out.find("%3A")) != std::string::npos;) out.replace(at, 3, ":");
  return out;
}

std::string StandardHref(const std::string& key, const char* page) {
  return "/standards/" + KeyPath(key) + "/" + page;
}

std::string SystemLabel(const std::string& ms) {
  if (ms == "isms") return "Information security (ISMS)";
  if (ms == "sms") return "Service management (SMS)";
  if (ms == "qms") return "Quality (QMS)";
  return ms.empty() ? "" : Humanize(ms);
}

std::string StatusLabel(const std::string& status) {
  if (status == "gap") return "Gap";
  if (status == "not_applicable") return "Not applicable";
  return Humanize(status);
}

// "42%" of a fraction, or "—" when there is nothing to divide by.
std::string Percent(double part, double whole) {
  if (whole <= 0) return "—";
  return SvgNumber(100.0 * part / whole, 0) + "%";
}

std::string Num(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->dump() : "0";
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// A record's page from its type name and id ("" when the type is unknown).
std::string PathOf(const Page& p, const char* type, int64_t id) {
  const auto* t = p.engine.registry().Find(type);
  return t && id ? RecordPath(*t, id) : "";
}

int64_t IdOf(const json& j) {
  auto it = j.find("id");
  return it != j.end() && it->is_number_integer() ? it->get<int64_t>() : 0;
}

Data Figure(const std::string& label, const std::string& value) {
  return Obj({{"label", label}, {"value", value}});
}

// A <select>'s options, the one equal to `current` selected.
Data Options(const std::vector<std::pair<std::string, std::string>>& choices,
             const std::string& current) {
  Data out = Data::type::list;
  for (const auto& [v, l] : choices)
    out.push_back(Obj({{"value", v}, {"label", l}, {"selected", v == current}}));
  return out;
}

// --- the standards -------------------------------------------------------------

Status IndexPage(StandardsIndex& ix, Page& p) {
  auto view = ix.View(p.actor());
  if (!view.ok()) return view.error();
  auto standards = domains::ListStandards(*view);
  if (!standards.ok()) return standards.error();
  Data rows = Data::type::list;
  bool any_coverage = false;
  for (const auto& s : *standards) {
    const std::string key = Str(s, "id");
    Data row = Obj({{"key", key},
                    {"title", Str(s, "title")},
                    {"edition", Str(s, "edition")},
                    {"system", SystemLabel(Str(s, "management_system"))},
                    {"requirements", Num(s, "requirement_count")},
                    {"matrix_href", StandardHref(key, "matrix")},
                    {"readiness_href", StandardHref(key, "readiness")},
                    {"record_href", PathOf(p, "standard", s.value("record_id", int64_t{0}))}});
    // Coverage needs the elements and traces; without them the row says so.
    if (auto kept = domains::KeptMatrix(*view, key); kept.ok()) {
      const domains::Matrix* m = kept->get();
      any_coverage = true;
      const int applicable = static_cast<int>(m->rows.size()) - m->not_applicable;
      row.set("coverage", true);
      row.set("covered", std::to_string(m->covered));
      row.set("partial", std::to_string(m->partial));
      row.set("gaps", std::to_string(m->gaps));
      row.set("not_applicable", std::to_string(m->not_applicable));
      row.set("percent", Percent(m->covered, applicable));
    }
    rows.push_back(row);
  }
  return SendTemplate(p, 200, "Standards", "standards",
                      Obj({{"rows", rows},
                           {"empty", standards->empty()},
                           {"any_coverage", any_coverage},
                           {"can_soa", p.actor().Can("soa", Action::kRead)}}));
}

// --- the traceability matrix ----------------------------------------------------

constexpr const char* kStatuses[] = {"gap", "partial", "covered", "not_applicable"};

std::string EvidenceLabel(std::string_view evidence) {
  return evidence == "current"   ? "evidence current"
         : evidence == "expired" ? "evidence expired"
                                 : "evidence missing";
}
// Matching rows per page: every built-in catalog fits in one; a framework of
// 150,000 requirements is not one page of 150,000 table rows.
constexpr int kMatrixRows = 500;

Status MatrixPage(StandardsIndex& ix, Page& p, const std::string& key) {
  auto view = ix.View(p.actor());
  if (!view.ok()) return view.error();
  auto kept = domains::KeptMatrix(*view, key);
  if (!kept.ok()) return kept.error();
  const domains::Matrix* m = kept->get();
  const auto* element_type = p.engine.registry().Find("element");
  const auto* requirement_type = p.engine.registry().Find("requirement");

  std::string status = p.Param("status");
  if (std::find(std::begin(kStatuses), std::end(kStatuses), status) == std::end(kStatuses))
    status.clear();
  const std::string q = p.Param("q");
  const std::string needle = Lower(q);
  int from = 0;  // matching rows before this page
  if (const std::string f = p.Param("from"); !f.empty()) {
    auto [end, ec] = std::from_chars(f.data(), f.data() + f.size(), from);
    if (ec != std::errc() || end != f.data() + f.size() || from < 0) from = 0;
  }

  // Which standards each element traces to, for elements that serve several.
  std::map<int64_t, std::string> shared_with;
  Data shared = Data::type::list;
  for (const auto& s : domains::SharedElements(*view, *m)) {
    std::string others;
    for (const auto& k : s.standards)
      if (k != key) others += (others.empty() ? "" : ", ") + k;
    shared_with[s.element->id] = others;
    std::string standards;
    for (const auto& k : s.standards) standards += (standards.empty() ? "" : ", ") + k;
    shared.push_back(Obj({{"number", s.element->number},
                          {"title", s.element->title},
                          {"kind", Humanize(s.element->kind)},
                          {"href", RecordPath(*element_type, s.element->id)},
                          {"requirements", std::to_string(s.requirements)},
                          {"standards", standards}}));
  }

  Data rows = Data::type::list;
  int shown = 0;
  for (const auto& row : m->rows) {
    const auto& r = *row.requirement;
    if (!status.empty() && row.status != status) continue;
    if (!needle.empty() && Lower(r.ref + " " + r.title).find(needle) == std::string::npos) continue;
    if (shown++ < from || shown > from + kMatrixRows) continue;  // on another page
    Data elements = Data::type::list;
    for (size_t i = 0; i < row.traces.size(); ++i) {
      const auto* t = row.traces[i];
      const auto& e = view->data().elements.at(t->element);
      auto it = shared_with.find(e.id);
      const char* evidence = row.trace_evidence[i];
      elements.push_back(
          Obj({{"number", e.number},
               {"title", e.title},
               {"href", RecordPath(*element_type, e.id)},
               {"extent", t->extent},
               {"state", Humanize(e.state)},
               {"evidence", Text(evidence ? std::string("evidence ") + evidence : "")},
               {"note", Text(t->note)},
               {"also", Text(it != shared_with.end() ? it->second : "")}}));
    }
    rows.push_back(
        Obj({{"ref", r.ref},
             {"title", r.title},
             {"kind", Humanize(r.kind)},
             {"href", RecordPath(*requirement_type, r.id)},
             {"status", row.status},
             {"status_label", StatusLabel(row.status)},
             {"from_parts", row.rolled_up},
             {"evidence", Text(row.evidence ? EvidenceLabel(row.evidence) : "")},
             {"evidence_warn", row.evidence && std::string_view(row.evidence) != "current"},
             {"excluded", r.applicability == "not_applicable"},
             {"justification", Text(r.justification)},
             {"elements", elements},
             {"has_elements", !row.traces.empty()}}));
  }

  const int total = static_cast<int>(m->rows.size());
  const int applicable = total - m->not_applicable;
  DonutChart donut{.title = "Coverage of " + key,
                   .slices = {{"Covered", static_cast<double>(m->covered)},
                              {"Partial", static_cast<double>(m->partial)},
                              {"Gap", static_cast<double>(m->gaps)},
                              {"Not applicable", static_cast<double>(m->not_applicable)}},
                   .total_label = "requirements"};
  Data figures = Data::type::list;
  figures.push_back(Figure("Requirements", std::to_string(total)));
  figures.push_back(Figure("Covered", std::to_string(m->covered)));
  figures.push_back(Figure("Partial", std::to_string(m->partial)));
  figures.push_back(Figure("Gaps", std::to_string(m->gaps)));
  figures.push_back(Figure("Not applicable", std::to_string(m->not_applicable)));
  figures.push_back(Figure("Covered of applicable", Percent(m->covered, applicable)));
  if (m->withdrawn) figures.push_back(Figure("Withdrawn (left out)", std::to_string(m->withdrawn)));
  if (m->evidence_current >= 0) {
    figures.push_back(Figure("Covered, evidence current", std::to_string(m->evidence_current)));
    figures.push_back(
        Figure("Covered, evidence missing or expired", std::to_string(m->evidence_missing)));
  }

  // Links to the neighbouring pages keep the filter.
  auto page_href = [&](int first) {
    std::string href = StandardHref(key, "matrix") + "?from=" + std::to_string(first);
    if (!status.empty()) href += "&status=" + PercentEncode(status);
    if (!q.empty()) href += "&q=" + PercentEncode(q);
    return href;
  };
  const bool paged = shown > kMatrixRows || from > 0;
  std::vector<std::pair<std::string, std::string>> choices = {{"", "Any"}};
  for (const char* s : kStatuses) choices.push_back({s, StatusLabel(s)});
  const std::string api = "/api/v1/traceability?standard=" + PercentEncode(key);
  const auto& s = *m->standard;
  const std::string title = s.title.empty() ? s.key : s.title;
  return SendTemplate(
      p, 200, "Traceability: " + key, "standards_matrix",
      Obj({{"key", key},
           {"title", title},
           {"action", StandardHref(key, "matrix")},
           {"readiness_href", StandardHref(key, "readiness")},
           {"csv_href", api + "&format=csv"},
           {"xlsx_href", api + "&format=xlsx"},
           {"oscal_href", "/api/v1/standards/" + KeyPath(key) + "/oscal"},
           {"figures", figures},
           {"donut", DonutSvg(donut)},
           {"status_options", Options(choices, status)},
           {"q", q},
           {"filtered", !status.empty() || !q.empty()},
           {"shown", std::to_string(shown)},
           {"total", std::to_string(total)},
           {"paged", paged},
           {"first", std::to_string(std::min(from + 1, shown))},
           {"last", std::to_string(std::min(from + kMatrixRows, shown))},
           {"prev_href", from > 0 ? page_href(std::max(0, from - kMatrixRows)) : ""},
           {"next_href", from + kMatrixRows < shown ? page_href(from + kMatrixRows) : ""},
           {"rows", rows},
           {"empty", shown == 0},
           {"shared", shared},
           {"has_shared", shared_with.size() > 0}}));
}

// --- readiness ------------------------------------------------------------------

Status ReadinessPage(StandardsIndex& ix, Page& p, const std::string& key) {
  auto view = ix.View(p.actor());
  if (!view.ok()) return view.error();
  auto standard = domains::FindStandard(*view, key);
  if (!standard.ok()) return standard.error();
  auto readiness = domains::Readiness(p.engine, *view, key);
  if (!readiness.ok()) return readiness.error();
  auto svg = domains::ReadinessSvg(p.engine, *view, key);
  if (!svg.ok()) return svg.error();
  Data rows = Data::type::list;
  for (const auto& entry : *readiness) {
    const json& a = At(entry, "assessment");
    const json& n = At(entry, "counts");
    rows.push_back(Obj({{"number", Str(a, "number")},
                        {"href", PathOf(p, "assessment", IdOf(a))},
                        {"title", Str(a, "title")},
                        {"date", Str(a, "assessed_on")},
                        {"state", Humanize(Str(a, "state"))},
                        {"implemented", Num(n, "implemented")},
                        {"partial", Num(n, "partial")},
                        {"not_implemented", Num(n, "not_implemented")},
                        {"not_applicable", Num(n, "not_applicable")},
                        {"not_assessed", Num(n, "not_assessed")},
                        {"readiness", At(entry, "readiness").is_number()
                                          ? SvgNumber(At(entry, "readiness").get<double>(), 1) + "%"
                                          : "—"}}));
  }
  const auto& s = **standard;
  return SendTemplate(p, 200, "Readiness: " + key, "standards_readiness",
                      Obj({{"key", key},
                           {"title", s.title.empty() ? s.key : s.title},
                           {"matrix_href", StandardHref(key, "matrix")},
                           {"svg", *svg},
                           {"rows", rows},
                           {"empty", readiness->empty()},
                           {"can_create", p.actor().Can("assessment", Action::kCreate)}}));
}

// --- Statement of Applicability -------------------------------------------------

const model::RecordType& SoaType(const Page& p) { return *p.engine.registry().Find("soa"); }

// Every statement the user may read, newest first.
Result<std::vector<json>> AllSoas(Page& p) {
  auto all = domains::ListAll(p.engine, p.actor(), "soa", {{"sort", "-id"}});
  return all;
}

// "SOA-000002 · iso27001:2022 revision 2 (draft)" for the compare form.
std::vector<std::pair<std::string, std::string>> SoaChoices(const std::vector<json>& soas,
                                                            const domains::SnapshotView* view) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& s : soas) {
    std::string standard;
    if (view && At(s, "standard").is_number_integer())
      if (const auto* st = view->Standard(At(s, "standard").get<int64_t>()))
        standard = st->key + " ";
    out.push_back({Str(s, "number"), Str(s, "number") + " · " + standard + "revision " +
                                         Num(s, "revision") + " (" + Humanize(Str(s, "state")) +
                                         ")"});
  }
  return out;
}

// The compare form (GET /standards/soa/compare), rendered to insert in a page.
std::string CompareForm(const std::vector<std::pair<std::string, std::string>>& choices,
                        const std::string& from, const std::string& to) {
  std::vector<std::pair<std::string, std::string>> with_none = {{"", "—"}};
  with_none.insert(with_none.end(), choices.begin(), choices.end());
  return Render("standards_compare_form", Obj({{"from_options", Options(with_none, from)},
                                               {"to_options", Options(with_none, to)}}));
}

Status SoaListPage(StandardsIndex& ix, Page& p) {
  auto soas = AllSoas(p);
  if (!soas.ok()) return soas.error();
  auto view = ix.View(p.actor());
  const domains::SnapshotView* v = view.ok() ? &*view : nullptr;
  const auto& type = SoaType(p);
  const auto* standard_type = p.engine.registry().Find("standard");
  Data rows = Data::type::list;
  for (const auto& s : *soas) {
    const int64_t id = IdOf(s);
    std::string standard;
    if (At(s, "standard").is_number_integer()) {
      const int64_t sid = At(s, "standard").get<int64_t>();
      const auto* st = v ? v->Standard(sid) : nullptr;
      standard = st ? st->key : records::FormatNumber(*standard_type, sid);
    }
    rows.push_back(Obj({{"number", Str(s, "number")},
                        {"href", "/standards/soa/" + Str(s, "number")},
                        {"record_href", RecordPath(type, id)},
                        {"title", Str(s, "title")},
                        {"standard", standard},
                        {"revision", Num(s, "revision")},
                        {"state", Humanize(Str(s, "state"))},
                        {"approved", Str(s, "approved_by").empty()
                                         ? ""
                                         : Str(s, "approved_by") + ", " +
                                               DisplayText({.type = model::FieldType::kDateTime},
                                                           At(s, "approved_at"))}}));
  }
  Data d = Obj({{"rows", rows},
                {"empty", soas->empty()},
                {"can_create", p.actor().Can("soa", Action::kCreate)},
                {"compare_form", CompareForm(SoaChoices(*soas, v), "", "")},
                {"can_compare", soas->size() >= 2}});
  return SendTemplate(p, 200, "Statements of Applicability", "standards_soas", d);
}

std::string Joined(const json& list, const char* sep = ", ") {
  std::string out;
  if (!list.is_array()) return out;
  for (const auto& v : list)
    out += (out.empty() ? "" : sep) + (v.is_string() ? v.get<std::string>() : v.dump());
  return out;
}

std::string ReasonLabel(const std::string& r) {
  if (r == "risk_treatment") return "Risk treatment";
  if (r == "legal") return "Legal or regulatory";
  if (r == "contractual") return "Contractual";
  if (r == "business") return "Business need";
  return Humanize(r);
}

Status StatementPage(StandardsIndex& ix, Page& p, int64_t id, int status, const std::string& notice,
                     const std::string& error) {
  auto statement = domains::SoaStatement(p.engine, p.actor(), id);
  if (!statement.ok()) return statement.error();
  const json& st = *statement;
  const json& soa = At(st, "soa");
  const auto& type = SoaType(p);
  const std::string number = Str(soa, "number");
  const auto* entry_type = p.engine.registry().Find("soa_entry");
  const auto* element_type = p.engine.registry().Find("element");
  const auto* risk_type = p.engine.registry().Find("risk");

  Data rows = Data::type::list;
  for (const auto& r : At(st, "rows")) {
    const bool has_entry = At(r, "entry").is_number_integer();
    const std::string applicability = Str(r, "applicability");
    Data reasons = Data::type::list;
    for (const auto& reason : At(r, "reasons"))
      if (reason.is_string())
        reasons.push_back(Obj({{"label", ReasonLabel(reason.get<std::string>())}}));
    Data elements = Data::type::list;
    for (const auto& e : At(r, "elements"))
      elements.push_back(
          Obj({{"number", Str(e, "number")},
               {"title", Str(e, "title")},
               {"href", RecordPath(*element_type, IdOf(e))},
               {"extent", Str(e, "extent")},
               {"state", Humanize(Str(e, "state"))},
               {"evidence",
                Text(At(e, "evidence").is_string() ? EvidenceLabel(Str(e, "evidence")) : "")}}));
    Data risks = Data::type::list;
    for (const auto& k : At(r, "risks"))
      risks.push_back(Obj({{"number", Str(k, "number")},
                           {"title", Str(k, "title")},
                           {"href", RecordPath(*risk_type, IdOf(k))}}));
    rows.push_back(Obj(
        {{"ref", Str(r, "ref")},
         {"title", Str(r, "title")},
         {"entry_href",
          Text(has_entry ? RecordPath(*entry_type, At(r, "entry").get<int64_t>()) : "")},
         {"no_entry", !has_entry},
         {"applicable", applicability == "applicable"},
         {"excluded", applicability == "not_applicable"},
         {"reasons", reasons},
         {"justification", Text(Str(r, "justification"))},
         {"implementation", Humanize(Str(r, "implementation"))},
         {"implementation_key", Str(r, "implementation")},
         {"evidence", Text(At(r, "evidence").is_string() ? EvidenceLabel(Str(r, "evidence")) : "")},
         {"evidence_warn", At(r, "evidence").is_string() && Str(r, "evidence") != "current"},
         {"note", Text(Str(r, "note"))},
         {"elements", elements},
         {"risks", risks}}));
  }
  const json& sum = At(st, "summary");
  Data figures = Data::type::list;
  for (const auto& [k, label] : std::vector<std::pair<const char*, const char*>>{
           {"controls", "Controls"},
           {"applicable", "Applicable"},
           {"not_applicable", "Not applicable"},
           {"implemented", "Implemented"},
           {"partial", "Partial"},
           {"planned", "Planned"},
           {"not_implemented", "Not implemented"},
           {"undecided", "Undecided"},
           {"missing", "Without an entry"},
           {"evidence_current", "Implemented, evidence current"},
           {"evidence_missing", "Implemented, evidence missing or expired"}})
    if (At(sum, k).is_number()) figures.push_back(Figure(label, Num(sum, k)));
  auto count = [&](const char* k) {
    return sum.contains(k) && sum[k].is_number() ? sum[k].get<double>() : 0.0;
  };
  DonutChart donut{.title = "Implementation of the controls in " + number,
                   .slices = {{"Implemented", count("implemented")},
                              {"Partial", count("partial")},
                              {"Planned", count("planned")},
                              {"Not implemented", count("not_implemented")},
                              {"Not applicable", count("not_applicable")},
                              {"Undecided", count("undecided") + count("missing")}},
                   .total_label = "controls"};

  // The compare form: the other revisions of the same standard.
  std::vector<json> same;
  std::string previous;  // the newest older revision
  auto rec = p.engine.Get(p.actor(), type, id);
  auto all = AllSoas(p);
  if (rec.ok() && all.ok())
    for (auto& s : *all)
      if (s["standard"] == (*rec)["standard"]) same.push_back(std::move(s));
  for (const auto& s : same)
    if (IdOf(s) < id && previous.empty()) previous = Str(s, "number");
  auto view = ix.View(p.actor());
  const std::string api = "/api/v1/soas/" + number + "/statement?format=";
  const std::string state = Str(soa, "state");
  const std::string title = number + " " + Str(soa, "title");
  return SendTemplate(
      p, status, title, "standards_soa",
      Obj({{"number", number},
           {"title", Str(soa, "title")},
           {"standard", Str(soa, "standard")},
           {"matrix_href", StandardHref(Str(soa, "standard"), "matrix")},
           {"revision", Num(soa, "revision")},
           {"state", Humanize(state)},
           {"approved_by", Text(Str(soa, "approved_by"))},
           {"approved_at",
            DisplayText({.type = model::FieldType::kDateTime}, soa.value("approved_at", json()))},
           {"change_summary", Text(Str(soa, "change_summary"))},
           {"frozen", st.value("frozen", false)},
           {"record_href", RecordPath(type, id)},
           {"path", "/standards/soa/" + number},
           {"json_href", api + "json"},
           {"csv_href", api + "csv"},
           {"xlsx_href", api + "xlsx"},
           {"oscal_href", api + "oscal"},
           {"can_populate", state == "draft" && p.actor().Can("soa_entry", Action::kCreate)},
           {"notice", Text(notice)},
           {"error", Text(error)},
           {"figures", figures},
           {"donut", DonutSvg(donut)},
           {"rows", rows},
           {"empty", At(st, "rows").empty()},
           {"missing", Text(Joined(At(st, "missing")))},
           {"compare_form",
            CompareForm(SoaChoices(same, view.ok() ? &*view : nullptr), previous, number)},
           {"can_compare", same.size() >= 2}}));
}

Status PopulatePage(StandardsIndex& ix, Page& p, int64_t id) {
  auto out = domains::PopulateSoa(p.engine, p.actor(), id);
  if (!out.ok()) {
    if (out.error().code == ErrorCode::kNotFound || out.error().code == ErrorCode::kForbidden)
      return out.error();
    return StatementPage(ix, p, id, Describe(out.error().code).http_status, "", out.error().detail);
  }
  return Redirect(p, "/standards/soa/" + records::FormatNumber(SoaType(p), id) +
                         "?added=" + Num(*out, "created"));
}

// A compared field's value: choices (applicability, implementation) and
// reasons as labels, prose as written.
std::string ValueText(const std::string& field, const json& v) {
  if (v.is_null()) return "—";
  if (v.is_string())
    return field == "applicability" || field == "implementation" ? Humanize(v.get<std::string>())
                                                                 : v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "Yes" : "No";
  if (v.is_array()) {
    std::string out;
    for (const auto& x : v)
      out += (out.empty() ? "" : ", ") +
             (x.is_string() ? ReasonLabel(x.get<std::string>()) : x.dump());
    return out.empty() ? "—" : out;
  }
  return v.dump();
}

Status ComparePage(StandardsIndex& ix, Page& p) {
  const std::string from = p.Param("from"), to = p.Param("to");
  auto soas = AllSoas(p);
  if (!soas.ok()) return soas.error();
  auto view = ix.View(p.actor());
  Data d =
      Obj({{"compare_form", CompareForm(SoaChoices(*soas, view.ok() ? &*view : nullptr), from, to)},
           {"from", from},
           {"to", to}});
  int status = 200;
  std::string error;
  if (from.empty() || to.empty()) {
    if (!from.empty() || !to.empty()) {
      error = "Choose both revisions to compare.";
      status = 400;
    }
  } else {
    const int64_t a = records::ParseRecordId(SoaType(p), from);
    const int64_t b = records::ParseRecordId(SoaType(p), to);
    Result<json> out =
        a && b ? domains::CompareSoas(p.engine, p.actor(), a, b)
               : Result<json>(MakeError(ErrorCode::kNotFound, "No statement of applicability '" +
                                                                  (a ? to : from) + "'."));
    if (!out.ok()) {
      error = out.error().detail;
      for (const auto& f : out.error().fields) error += " " + f.message;
      status = Describe(out.error().code).http_status;
    } else {
      const json& c = *out;
      Data changes = Data::type::list;
      for (const auto& ch : At(c, "changes")) {
        Data details = Data::type::list;
        if (ch.contains("fields") && At(ch, "fields").is_object())
          for (const auto& [name, fv] : At(ch, "fields").items())
            details.push_back(
                Obj({{"text", Humanize(name) + ": " + ValueText(name, At(fv, "from")) + " → " +
                                  ValueText(name, At(fv, "to"))}}));
        for (const char* list : {"elements", "risks"}) {
          if (!ch.contains(list) || !ch[list].is_object()) continue;
          const std::string what = list == std::string("elements") ? "Element" : "Risk";
          for (const auto& x : ch[list].value("added", json::array()))
            details.push_back(Obj(
                {{"text", what + " added: " + (x.is_string() ? x.get<std::string>() : x.dump())}}));
          for (const auto& x : ch[list].value("removed", json::array()))
            details.push_back(
                Obj({{"text",
                      what + " removed: " + (x.is_string() ? x.get<std::string>() : x.dump())}}));
        }
        changes.push_back(Obj({{"ref", Str(ch, "ref")},
                               {"title", Str(ch, "title")},
                               {"change", Humanize(Str(ch, "change"))},
                               {"details", details}}));
      }
      const json& s = At(c, "summary");
      d.set("compared", true);
      d.set("from_title",
            Str(At(c, "from"), "number") + " revision " + Num(At(c, "from"), "revision"));
      d.set("to_title", Str(At(c, "to"), "number") + " revision " + Num(At(c, "to"), "revision"));
      d.set("from_href", "/standards/soa/" + Str(At(c, "from"), "number"));
      d.set("to_href", "/standards/soa/" + Str(At(c, "to"), "number"));
      d.set("figures",
            Data(DataList{Figure("Added", Num(s, "added")), Figure("Removed", Num(s, "removed")),
                          Figure("Changed", Num(s, "changed")),
                          Figure("Unchanged", Num(s, "unchanged"))}));
      d.set("changes", changes);
      d.set("no_changes", At(c, "changes").empty());
    }
  }
  d.set("error", Text(error));
  return SendTemplate(p, status, "Compare statements", "standards_soa_compare", d);
}

// --- scopes ---------------------------------------------------------------------

// The record type of a scope member's kind (as domains/scopes names them).
const char* MemberType(const std::string& kind) {
  return kind == "process" ? "element" : kind.c_str();
}

Status ScopesPage(Page& p) {
  auto out = domains::ScopeOverlap(p.engine, p.actor());
  if (!out.ok()) return out.error();
  const json& o = *out;
  Data scopes = Data::type::list;
  for (const char* ms : {"isms", "sms"}) {
    const json& s = At(At(o, "scopes"), ms);
    Data d = Obj({{"system", SystemLabel(ms)}, {"none", s.is_null()}});
    if (!s.is_null()) {
      d.set("number", Str(s, "number"));
      d.set("href", PathOf(p, "scope", IdOf(s)));
      d.set("title", Str(s, "title"));
      d.set("period", Str(s, "period"));
      d.set("state", Humanize(Str(s, "state")));
    }
    scopes.push_back(d);
  }
  auto members = [&](const json& list, const std::string& kind) {
    Data out = Data::type::list;
    for (const auto& m : list) {
      const std::string type = MemberType(kind);
      out.push_back(Obj({{"number", Str(m, "number")},
                         {"name", Str(m, "name")},
                         {"href", PathOf(p, type.c_str(), IdOf(m))}}));
    }
    return out;
  };
  Data kinds = Data::type::list;
  for (const auto& [kind, k] : At(o, "kinds").items())
    kinds.push_back(Obj({{"kind", Humanize(kind)},
                         {"in_both", members(At(k, "in_both"), kind)},
                         {"isms_only", members(At(k, "isms_only"), kind)},
                         {"sms_only", members(At(k, "sms_only"), kind)}}));
  Data warnings = Data::type::list;
  for (const auto& w : At(o, "warnings")) warnings.push_back(Obj({{"message", Str(w, "message")}}));
  return SendTemplate(p, 200, "Scopes overlap", "standards_scopes",
                      Obj({{"scopes", scopes},
                           {"kinds", kinds},
                           {"no_kinds", At(o, "kinds").empty()},
                           {"warnings", warnings},
                           {"has_warnings", !At(o, "warnings").empty()}}));
}

// --- glossary -------------------------------------------------------------------

// How the two vocabularies compare for one term.
std::string Comparison(const json& term) {
  const std::string m = Str(term, "meaning");
  if (m == "same") return "Same meaning in both";
  if (m == "similar") return "Similar meanings";
  if (m == "different") return "Different meanings";
  if (m == "one-only") {
    if (term.value("in_27000", false)) return "Defined in ISO/IEC 27000 only";
    if (term.value("in_20000_1", false)) return "Defined in ISO/IEC 20000-1 only";
    return "Defined in one standard only";
  }
  return Humanize(m);
}

Status GlossaryPage(Page& p) {
  const std::string field = p.Param("field");
  auto terms = domains::Terminology(field);
  if (!terms.ok()) return terms.error();
  const std::string q = p.Param("q");
  const std::string needle = Lower(q);
  std::string meaning = p.Param("meaning");
  Data rows = Data::type::list;
  int shown = 0;
  for (const auto& t : *terms) {
    if (!meaning.empty() && Str(t, "meaning") != meaning) continue;
    const std::string fields = Joined(At(t, "fields"));
    if (!needle.empty() &&
        Lower(Str(t, "term") + "\n" + Str(t, "note") + "\n" + fields).find(needle) ==
            std::string::npos)
      continue;
    ++shown;
    Data beside = Data::type::list;
    for (const auto& f : At(t, "fields"))
      if (f.is_string())
        beside.push_back(
            Obj({{"name", Humanize(f.get<std::string>())},
                 {"href", "/standards/glossary?field=" + PercentEncode(f.get<std::string>())}}));
    rows.push_back(Obj({{"term", Str(t, "term")},
                        {"in_27000", t.value("in_27000", false)},
                        {"in_20000_1", t.value("in_20000_1", false)},
                        {"meaning", Str(t, "meaning")},
                        {"comparison", Comparison(t)},
                        {"note", Str(t, "note")},
                        {"fields", beside}}));
  }
  return SendTemplate(p, 200, "Glossary", "standards_glossary",
                      Obj({{"q", q},
                           {"field", Text(field)},
                           {"field_label", Humanize(field)},
                           {"meaning_options", Options({{"", "Any"},
                                                        {"different", "Different meanings"},
                                                        {"similar", "Similar meanings"},
                                                        {"same", "Same meaning"},
                                                        {"one-only", "Defined in one only"}},
                                                       meaning)},
                           {"filtered", !q.empty() || !meaning.empty() || !field.empty()},
                           {"shown", std::to_string(shown)},
                           {"total", std::to_string(terms->size())},
                           {"rows", rows},
                           {"empty", shown == 0}}));
}

Status StandardsPages(StandardsIndex& ix, Page& p) {
  const auto& seg = p.seg;
  if (seg.size() == 1) return p.post() ? Status(NoPage(p)) : IndexPage(ix, p);
  const std::string& second = seg[1];
  if (second == "soa") {
    if (seg.size() == 2 && !p.post()) return SoaListPage(ix, p);
    if (seg.size() == 3 && seg[2] == "compare" && !p.post()) return ComparePage(ix, p);
    const int64_t id = seg.size() >= 3 ? records::ParseRecordId(SoaType(p), seg[2]) : 0;
    if (id == 0) return NoPage(p);
    if (seg.size() == 3 && !p.post()) {
      const std::string added = p.Param("added");
      return StatementPage(ix, p, id, 200,
                           added.empty()  ? ""
                           : added == "1" ? "1 entry added."
                                          : added + " entries added.",
                           "");
    }
    if (seg.size() == 4 && seg[3] == "populate" && p.post()) return PopulatePage(ix, p, id);
    return NoPage(p);
  }
  if (p.post()) return NoPage(p);
  if (seg.size() == 2 && second == "glossary") return GlossaryPage(p);
  if (seg.size() == 2 && second == "scopes") return ScopesPage(p);
  if (seg.size() == 2) return Redirect(p, StandardHref(second, "matrix"));
  if (seg.size() == 3 && seg[2] == "matrix") return MatrixPage(ix, p, second);
  if (seg.size() == 3 && seg[2] == "readiness") return ReadinessPage(ix, p, second);
  return NoPage(p);
}

}  // namespace

void AddStandardsPages(web::Extensions& web, StandardsIndex& index) {
  StandardsIndex* ix = &index;
  web.AddSection({.section = "standards",
                  .nav_label = "Standards",
                  .carries_forms = true,
                  .handler = [ix](web::Page& p) { return StandardsPages(*ix, p); }});
}

}  // namespace tandem::domains

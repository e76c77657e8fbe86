// The standards and traceability views (docs/api.md, "Standards and
// traceability"): routes whose shape the product promises, answered from the
// standards index rather than record by record.
#include <charconv>
#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "domains/integration/plan.h"
#include "domains/scopes/scopes.h"
#include "domains/standards/assessments.h"
#include "domains/standards/derived.h"
#include "domains/standards/exports.h"
#include "domains/standards/import.h"
#include "domains/standards/queries.h"
#include "http/call.h"
#include "records/codec.h"

namespace tandem::http {

using nlohmann::json;

namespace {

Result<domains::SnapshotView> View(domains::StandardsIndex& index, Call& call) {
  return index.View(call.actor());
}

// A query parameter that must be present and not blank, or a 400 naming it.
Result<std::string> RequiredParam(const httplib::Request& req, const char* name,
                                  const char* example) {
  std::string v = req.get_param_value(name);
  if (v.empty())
    return MakeError(ErrorCode::kBadRequest,
                     std::string("name the ") + name + ", e.g. " + name + "=" + example);
  return v;
}

Result<bool> BoolParam(const httplib::Request& req, const char* name) {
  if (!req.has_param(name)) return false;
  std::string v = req.get_param_value(name);
  if (v == "true") return true;
  if (v == "false") return false;
  return MakeError(ErrorCode::kBadRequest, std::string(name) + " must be true or false");
}

// An optional whole-number parameter from `lo` to `hi`; `fallback` when absent.
Result<size_t> CountParam(const httplib::Request& req, const char* name, size_t lo, size_t hi,
                          size_t fallback) {
  if (!req.has_param(name)) return fallback;
  const std::string v = req.get_param_value(name);
  size_t n = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || p != v.data() + v.size() || n < lo || n > hi)
    return MakeError(ErrorCode::kBadRequest, "the query is invalid",
                     {{name, "must be a whole number from " + std::to_string(lo) + " to " +
                                 std::to_string(hi)}});
  return n;
}

template <typename F>
void Answer(domains::StandardsIndex& index, Call& call, F&& f) {
  if (call.req.method != "GET") return call.MethodNotAllowed("GET");
  auto view = View(index, call);
  if (!view.ok()) return call.Fail(view.error());
  Result<json> out = f(*view);
  if (!out.ok()) return call.Fail(out.error());
  WriteJson(call.res, 200, *out);
}

std::string LastModified(domains::StandardsIndex& index) {
  return FormatTimestamp(index.engine().clock().Now());
}

// GET /traceability?standard=S[&format=json|csv|xlsx]; JSON in pages of
// `limit` rows (kMatrixPage unless asked) from `after`.
constexpr size_t kMatrixPage = 2000, kMaxMatrixPage = 5000;
void Traceability(domains::StandardsIndex& index, Call& call) {
  if (call.req.method != "GET") return call.MethodNotAllowed("GET");
  auto format_param = FormatParam(call.req, {"json", "csv", "xlsx"});
  if (!format_param.ok()) return call.Fail(format_param.error());
  const std::string& format = *format_param;
  auto view = View(index, call);
  if (!view.ok()) return call.Fail(view.error());
  auto standard = RequiredParam(call.req, "standard", "iso27001:2022");
  if (!standard.ok()) return call.Fail(standard.error());
  if (format == "json") {
    auto limit = CountParam(call.req, "limit", 1, kMaxMatrixPage, kMatrixPage);
    if (!limit.ok()) return call.Fail(limit.error());
    auto after = CountParam(call.req, "after", 0, SIZE_MAX, 0);
    if (!after.ok()) return call.Fail(after.error());
    auto body = domains::MatrixPage(*view, *standard, *after, *limit);
    if (!body.ok()) return call.Fail(body.error());
    call.res.status = 200;
    return call.res.set_content(**body, "application/json");
  }
  auto m = domains::BuildMatrix(*view, *standard);
  if (!m.ok()) return call.Fail(m.error());
  const std::string name = "traceability-" + *standard;
  if (format == "csv")
    return WriteFile(call, domains::MatrixCsv(*view, *m), "text/csv; charset=utf-8", name, "csv");
  auto xlsx = domains::MatrixXlsx(*view, *m);
  if (!xlsx.ok()) return call.Fail(xlsx.error());
  WriteFile(call, *xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name,
            "xlsx");
}

// GET /assessments/readiness?standard=S[&format=json|svg]: the figures, or
// them drawn as a line chart.
void ReadinessView(domains::StandardsIndex& index, Call& call) {
  if (call.req.method != "GET") return call.MethodNotAllowed("GET");
  auto format_param = FormatParam(call.req, {"json", "svg"});
  if (!format_param.ok()) return call.Fail(format_param.error());
  const std::string& format = *format_param;
  auto view = View(index, call);
  if (!view.ok()) return call.Fail(view.error());
  auto standard = RequiredParam(call.req, "standard", "iso27001:2022");
  if (!standard.ok()) return call.Fail(standard.error());
  if (format == "json") {
    auto out = domains::Readiness(index.engine(), *view, *standard);
    if (!out.ok()) return call.Fail(out.error());
    return WriteJson(call.res, 200, *out);
  }
  auto svg = domains::ReadinessSvg(index.engine(), *view, *standard);
  if (!svg.ok()) return call.Fail(svg.error());
  call.res.status = 200;
  call.res.set_content(*svg, "image/svg+xml");
}

// POST /standards/import: a CSV file (text/csv) or an OSCAL catalog
// (application/json) as the body; key, title, edition, publisher and
// management_system as query parameters.
void ImportFramework(domains::StandardsIndex& index, Call& call) {
  const auto& req = call.req;
  if (req.method != "POST") return call.MethodNotAllowed("POST");
  const std::string ct = req.get_header_value("Content-Type");
  domains::FrameworkOptions options;
  if (ct.starts_with("text/csv")) {
    options.format = domains::CatalogFormat::kCsv;
  } else if (ct.starts_with("application/json")) {
    options.format = domains::CatalogFormat::kOscal;
  } else {
    return call.Fail(ErrorCode::kUnsupportedMediaType,
                     "send a CSV file as text/csv or an OSCAL catalog as application/json");
  }
  options.key = req.get_param_value("key");
  options.title = req.get_param_value("title");
  options.edition = req.get_param_value("edition");
  options.publisher = req.get_param_value("publisher");
  if (req.has_param("management_system"))
    options.management_system = req.get_param_value("management_system");
  auto out = domains::ImportFramework(index.engine(), call.actor(), req.body, options);
  if (!out.ok()) return call.Fail(out.error());
  const std::string key = (*out)["standard"]["key"];
  call.res.set_header("Location", "/api/v1/standards/" + key);
  WriteJson(call.res, 201, *out);
}

}  // namespace

bool HandleStandardsViews(domains::StandardsIndex& index, Call& call,
                          std::vector<std::string>& seg) {
  const auto& req = call.req;
  if (seg[0] == "integration-plan" && seg.size() == 1) {
    if (req.method != "POST") {
      call.MethodNotAllowed("POST");
      return true;
    }
    auto body = ParseBody(req, false);
    if (!body.ok()) {
      call.Fail(body.error());
      return true;
    }
    auto scenario = StringField(*body, "scenario");
    if (!scenario.ok()) {
      call.Fail(scenario.error());
      return true;
    }
    auto out = domains::SeedIntegrationPlan(index.engine(), call.actor(), *scenario);
    if (!out.ok()) {
      call.Fail(out.error());
      return true;
    }
    WriteJson(call.res, 201, *out);
    return true;
  }
  if (seg[0] == "assessments" && seg.size() == 2 && seg[1] == "readiness") {
    ReadinessView(index, call);
    return true;
  }
  if (seg[0] == "scopes" && seg.size() == 2 && seg[1] == "overlap") {
    Answer(index, call,
           [&](const auto&) { return domains::ScopeOverlap(index.engine(), call.actor()); });
    return true;
  }
  if (seg[0] == "terminology" && seg.size() == 1) {
    Answer(index, call,
           [&](const auto&) { return domains::Terminology(req.get_param_value("field")); });
    return true;
  }
  if (seg[0] == "traceability" && seg.size() == 1) {
    Traceability(index, call);
    return true;
  }
  if (seg[0] == "standards") {
    if (seg.size() == 2 && seg[1] == "import") {
      ImportFramework(index, call);
      return true;
    }
    if (seg.size() == 1 && req.method == "GET") {
      Answer(index, call, [](const auto& view) { return domains::ListStandards(view); });
      return true;
    }
    if (seg.size() >= 2 &&
        records::ParseRecordId(*index.engine().registry().Find("standard"), seg[1]) == 0) {
      const std::string key = seg[1];
      if (seg.size() == 3 && seg[2] == "oscal") {
        Answer(index, call, [&](const auto& view) -> Result<json> {
          TANDEM_ASSIGN_OR_RETURN(const domains::StandardEntry* s,
                                  domains::FindStandard(view, key));
          return domains::ToOscalCatalog(domains::CatalogOf(view, *s), LastModified(index));
        });
        return true;
      }
      if (seg.size() == 3 && seg[2] == "requirements") {
        Answer(index, call, [&](const auto& view) { return domains::ListRequirements(view, key); });
        return true;
      }
      // Any other route on a standard may name it by its key: the generic
      // record routes take it from here.
      auto view = View(index, call);
      if (!view.ok()) {
        call.Fail(view.error());
        return true;
      }
      auto s = domains::FindStandard(*view, key);
      if (!s.ok()) {
        call.Fail(s.error());
        return true;
      }
      seg[1] = std::to_string((*s)->id);
    }
    return false;
  }
  if (seg[0] == "correspondences" && seg.size() == 2 && seg[1] == "oscal") {
    Answer(index, call, [&](const auto& view) -> Result<json> {
      TANDEM_ASSIGN_OR_RETURN(std::string source, RequiredParam(req, "source", "iso27001:2013"));
      TANDEM_ASSIGN_OR_RETURN(std::string target, RequiredParam(req, "target", "iso20000-1:2011"));
      return domains::MappingCollection(view, source, target, LastModified(index));
    });
    return true;
  }
  if (seg[0] == "correspondences" && seg.size() == 1 && req.method == "GET" &&
      req.has_param("standard")) {
    Answer(index, call, [&](const auto& view) -> Result<json> {
      domains::CorrespondenceQuery q;
      TANDEM_ASSIGN_OR_RETURN(q.standard, RequiredParam(req, "standard", "iso27001:2013"));
      TANDEM_ASSIGN_OR_RETURN(q.ref, RequiredParam(req, "ref", "A.12.3"));
      if (req.has_param("target")) {
        TANDEM_ASSIGN_OR_RETURN(q.target, RequiredParam(req, "target", "iso20000-1:2018"));
      }
      TANDEM_ASSIGN_OR_RETURN(q.derived, BoolParam(req, "derived"));
      return domains::QueryCorrespondences(view, q);
    });
    return true;
  }
  if (seg.size() == 3 && (seg[0] == "requirements" || seg[0] == "elements")) {
    const bool correspondences = seg[0] == "requirements" && seg[2] == "correspondences";
    const bool suggestions = seg[0] == "elements" && seg[2] == "suggestions";
    if (!correspondences && !suggestions) return false;
    const auto& type = *index.engine().registry().FindByCollection(seg[0]);
    const int64_t id = records::ParseRecordId(type, seg[1]);
    Answer(index, call, [&](const auto& view) -> Result<json> {
      if (id == 0) return MakeError(ErrorCode::kNotFound, "no " + type.name + " '" + seg[1] + "'");
      return correspondences ? domains::CorrespondencesOf(view, id)
                             : domains::SuggestRequirements(view, id);
    });
    return true;
  }
  return false;
}

}  // namespace tandem::http

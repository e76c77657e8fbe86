// The standards and traceability routes (docs/api.md, "Standards and
// traceability"): views whose shape the product promises, answered from the
// standards index rather than record by record. The records themselves
// (/standards, /requirements, /correspondences, /elements, /traces ...)
// keep the generic routes.
#include "domains/standards/standards_api.h"

#include "core/clock.h"
#include "domains/standards/assessments.h"
#include "domains/standards/derived.h"
#include "domains/standards/exports.h"
#include "domains/standards/import.h"
#include "domains/standards/queries.h"
#include "http/call.h"
#include "http/openapi.h"
#include "http/router.h"
#include "records/codec.h"

namespace tandem::domains {

using http::Call;
using nlohmann::json;
using namespace http::oas;

namespace {

const char* const kTag = "Standards and traceability";

// The largest catalog file an import takes.
constexpr size_t kMaxCatalogBytes = 16 << 20;

// Answers with f(view)'s JSON: the view of the snapshot the caller may see.
template <typename F>
Status Answer(StandardsIndex& index, Call& call, F&& f) {
  TANDEM_ASSIGN_OR_RETURN(auto view, index.View(call.actor()));
  TANDEM_ASSIGN_OR_RETURN(json out, f(view));
  return http::Reply(call, 200, out);
}

std::string LastModified(StandardsIndex& index) {
  return FormatTimestamp(index.engine().clock().Now());
}

// GET /traceability?standard=S[&format=json|csv|xlsx]; JSON in pages of
// `limit` rows (kMatrixPage unless asked) from `after`.
constexpr size_t kMatrixPage = 2000, kMaxMatrixPage = 5000;
Status Traceability(StandardsIndex& index, Call& call) {
  TANDEM_ASSIGN_OR_RETURN(std::string format, http::FormatParam(call.req, {"json", "csv", "xlsx"}));
  TANDEM_ASSIGN_OR_RETURN(auto view, index.View(call.actor()));
  TANDEM_ASSIGN_OR_RETURN(std::string standard,
                          http::RequiredParam(call, "standard", "iso27001:2022"));
  if (format == "json") {
    TANDEM_ASSIGN_OR_RETURN(size_t limit,
                            http::CountParam(call, "limit", 1, kMaxMatrixPage, kMatrixPage));
    TANDEM_ASSIGN_OR_RETURN(size_t after, http::CountParam(call, "after", 0, SIZE_MAX, 0));
    TANDEM_ASSIGN_OR_RETURN(auto body, MatrixPage(view, standard, after, limit));
    call.res.status = 200;
    call.res.set_content(*body, "application/json");
    return Status::Ok();
  }
  TANDEM_ASSIGN_OR_RETURN(auto m, BuildMatrix(view, standard));
  const std::string name = "traceability-" + standard;
  if (format == "csv")
    return http::ReplyFile(call, MatrixCsv(view, m), "text/csv; charset=utf-8", name, "csv");
  TANDEM_ASSIGN_OR_RETURN(std::string xlsx, MatrixXlsx(view, m));
  return http::ReplyFile(call, xlsx, http::kXlsxType, name, "xlsx");
}

// GET /assessments/readiness?standard=S[&format=json|svg]: the figures, or
// them drawn as a line chart.
Status ReadinessView(StandardsIndex& index, Call& call) {
  TANDEM_ASSIGN_OR_RETURN(std::string format, http::FormatParam(call.req, {"json", "svg"}));
  TANDEM_ASSIGN_OR_RETURN(auto view, index.View(call.actor()));
  TANDEM_ASSIGN_OR_RETURN(std::string standard,
                          http::RequiredParam(call, "standard", "iso27001:2022"));
  if (format == "json") {
    TANDEM_ASSIGN_OR_RETURN(json out, Readiness(index.engine(), view, standard));
    return http::Reply(call, 200, out);
  }
  TANDEM_ASSIGN_OR_RETURN(std::string svg, ReadinessSvg(index.engine(), view, standard));
  call.res.status = 200;
  call.res.set_content(svg, "image/svg+xml");
  return Status::Ok();
}

// POST /standards/import: a CSV file (text/csv) or an OSCAL catalog
// (application/json) as the body; key, title, edition, publisher and
// management_system as query parameters.
Status Import(StandardsIndex& index, Call& call) {
  const std::string ct = call.req.get_header_value("Content-Type");
  FrameworkOptions options;
  if (ct.starts_with("text/csv")) {
    options.format = CatalogFormat::kCsv;
  } else if (ct.starts_with("application/json")) {
    options.format = CatalogFormat::kOscal;
  } else {
    return MakeError(ErrorCode::kUnsupportedMediaType,
                     "send a CSV file as text/csv or an OSCAL catalog as application/json");
  }
  options.key = call.query("key");
  options.title = call.query("title");
  options.edition = call.query("edition");
  options.publisher = call.query("publisher");
  if (call.req.has_param("management_system"))
    options.management_system = call.query("management_system");
  TANDEM_ASSIGN_OR_RETURN(json out,
                          ImportFramework(index.engine(), call.actor(), call.req.body, options));
  const std::string key = out["standard"]["key"];
  call.res.set_header("Location", "/api/v1/standards/" + key);
  return http::Reply(call, 201, out);
}

// GET /correspondences/lookup?standard=S&ref=R[&target=T][&derived=true]
Status Lookup(StandardsIndex& index, Call& call) {
  return Answer(index, call, [&](const auto& view) -> Result<json> {
    CorrespondenceQuery q;
    TANDEM_ASSIGN_OR_RETURN(q.standard, http::RequiredParam(call, "standard", "iso27001:2013"));
    TANDEM_ASSIGN_OR_RETURN(q.ref, http::RequiredParam(call, "ref", "A.12.3"));
    if (call.req.has_param("target")) {
      TANDEM_ASSIGN_OR_RETURN(q.target, http::RequiredParam(call, "target", "iso20000-1:2018"));
    }
    TANDEM_ASSIGN_OR_RETURN(q.derived, http::BoolParam(call, "derived"));
    return QueryCorrespondences(view, q);
  });
}

// The record of `type_name` route parameter 0 names, by id or number.
Result<int64_t> IdParam(StandardsIndex& index, const Call& call, const char* type_name) {
  const auto& type = *index.engine().registry().Find(type_name);
  const int64_t id = records::ParseRecordId(type, call.param(0));
  if (id == 0)
    return MakeError(ErrorCode::kNotFound, "no " + type.name + " '" + call.param(0) + "'");
  return id;
}

}  // namespace

void AddStandardsRoutes(http::Router& router, StandardsIndex& index) {
  StandardsIndex* ix = &index;
  const json side = Output(
      {{"standard", String()}, {"ref", Nullable(String())}, {"qualifier", Nullable(String())}});
  const json standard_key = PathParam("key", String(), "The standard's key, e.g. iso27001:2022");

  json catalogs =
      Op("list_catalogs", "Every standard with its requirement count", kTag, json::object());
  catalogs["responses"]["200"] =
      Response("Standards by key", ArrayOf(Output({{"id", String()},
                                                   {"title", String()},
                                                   {"edition", Nullable(String())},
                                                   {"requirement_count", {{"type", "integer"}}},
                                                   {"provenance", Nullable(String())},
                                                   {"verification", Nullable(String())},
                                                   {"verification_note", Nullable(String())},
                                                   {"publisher", Nullable(String())},
                                                   {"management_system", String()},
                                                   {"origin", String()},
                                                   {"record_id", Int64()},
                                                   {"number", String()}})));
  router.Add({"GET", "/catalogs",
              [ix](Call& c) {
                return Answer(*ix, c, [](const auto& view) { return ListStandards(view); });
              },
              catalogs});

  json reqs = Op("list_requirements_of_standard", "A standard's requirements in document order",
                 kTag, Errors({404}));
  reqs["parameters"] = {standard_key};
  reqs["responses"]["200"] =
      Response("Requirements", ArrayOf(Output({{"ref", String()},
                                               {"title", Nullable(String())},
                                               {"parent", Nullable(String())},
                                               {"kind", String()},
                                               {"applicability", String()},
                                               {"withdrawn", Boolean()},
                                               {"record_id", Int64()},
                                               {"number", String()}})));
  router.Add({"GET", "/standards/{key}/requirements",
              [ix](Call& c) {
                return Answer(*ix, c,
                              [&](const auto& view) { return ListRequirements(view, c.param(0)); });
              },
              reqs});

  json catalog =
      Op("export_oscal_catalog", "A standard as an OSCAL 1.2.1 catalog", kTag, Errors({404}));
  catalog["parameters"] = {standard_key};
  catalog["responses"]["200"] = Response("{\"catalog\": ...}", {{"type", "object"}});
  router.Add({"GET", "/standards/{key}/oscal",
              [ix](Call& c) {
                return Answer(*ix, c, [&](const auto& view) -> Result<json> {
                  TANDEM_ASSIGN_OR_RETURN(const StandardEntry* s, FindStandard(view, c.param(0)));
                  return ToOscalCatalog(CatalogOf(view, *s), LastModified(*ix));
                });
              },
              catalog});

  json import = Op("import_framework", "Import a custom framework from CSV or an OSCAL catalog",
                   kTag, Errors({400, 409, 413, 415, 422}));
  import["description"] =
      "The body is a CSV file (text/csv: ref, title[, parent, kind]) or an OSCAL catalog "
      "(application/json), at most 16 MiB. All or nothing: every bad row is named by its line "
      "or JSON location.";
  import["parameters"] = {QueryParam("key", String(), false, "Required for CSV, e.g. acme:2026"),
                          QueryParam("title", String(), false, "Required for CSV"),
                          QueryParam("edition", String(), false, "Edition or version"),
                          QueryParam("publisher", String(), false, "Publisher"),
                          QueryParam("management_system",
                                     {{"type", "string"},
                                      { "enum",
                                        { "isms",
                                          "sms",
                                          "qms",
                                          "other" } }},
                                     false, "Default other")};
  import["requestBody"] = {{"required", true},
                           { "content",
                             { {"text/csv",
                                {
                                  { "schema",
                                    String() }
                                }},
                               { "application/json",
                                 {
                                   { "schema",
                                     {
                                       { "type",
                                         "object" }
                                     } }
                                 } } } }};
  import["responses"]["201"] = Response("The standard and how many requirements were created",
                                        Output({{"standard", Ref("standard")},
                                                {"requirements",
                                                 {
                                                   { "type",
                                                     "integer" }
                                                 }},
                                                { "withdrawn",
                                                  {
                                                    { "type",
                                                      "integer" }
                                                  } }}));
  router.Add({.method = "POST",
              .path = "/standards/import",
              .handler = [ix](Call& c) { return Import(*ix, c); },
              .operation = import,
              .max_body = kMaxCatalogBytes});

  json lookup = Op("lookup_correspondences", "The correspondences of one requirement", kTag,
                   Errors({400, 404}));
  lookup["description"] =
      "The requirement named by its standard and ref, seen from its side; with derived=true "
      "also the chains computed on demand (weakest link, full path).";
  lookup["parameters"] = {
      QueryParam("standard", String(), true, "The requirement's standard, e.g. iso27001:2013"),
      QueryParam("ref", String(), true, "As printed, e.g. A.12.3"),
      QueryParam("target", String(), false, "Only correspondences into this standard"),
      QueryParam("derived", Boolean(), false, "Add derived correspondences")};
  lookup["responses"]["200"] = Response(
      "Its correspondences",
      ArrayOf(Output({{"source", side},
                      {"target", side},
                      {"relationship", String()},
                      {"qualifier", Nullable(String())},
                      {"origin", Nullable(String())},
                      {"authority", String()},
                      {"note", Nullable(String())},
                      {"derived", Boolean()},
                      {"hops", {{"type", "integer"}}},
                      {"path", ArrayOf({{"type", "object"}})},
                      {"correspondence", String()},
                      {"author", String()},
                      {"rationale", Nullable(String())},
                      {"overrides", String()}},
                     {"note", "hops", "correspondence", "author", "rationale", "overrides"})));
  router.Add({"GET", "/correspondences/lookup", [ix](Call& c) { return Lookup(*ix, c); }, lookup});

  json mapping = Op("export_oscal_mapping",
                    "Correspondences between two standards as an OSCAL 1.2.1 mapping collection",
                    kTag, Errors({400, 404, 422}));
  mapping["parameters"] = {QueryParam("source", String(), true, "e.g. iso27001:2013"),
                           QueryParam("target", String(), true, "e.g. iso20000-1:2011")};
  mapping["responses"]["200"] = Response("{\"mapping-collection\": ...}", {{"type", "object"}});
  router.Add({"GET", "/correspondences/oscal",
              [ix](Call& c) {
                return Answer(*ix, c, [&](const auto& view) -> Result<json> {
                  TANDEM_ASSIGN_OR_RETURN(std::string source,
                                          http::RequiredParam(c, "source", "iso27001:2013"));
                  TANDEM_ASSIGN_OR_RETURN(std::string target,
                                          http::RequiredParam(c, "target", "iso20000-1:2011"));
                  return MappingCollection(view, source, target, LastModified(*ix));
                });
              },
              mapping});

  json of = Op("correspondences_of_requirement",
               "Direct and derived correspondences of a requirement", kTag, Errors({404}));
  of["description"] =
      "Derived ones are computed on demand by chaining correspondences (at most 4, one "
      "standard visited once, and one step from an item or control to the clause or objective "
      "holding it); the relationship is the weakest link and the path is the provenance. "
      "They are never stored.";
  of["parameters"] = {RecordIdParam()};
  of["responses"]["200"] =
      Response("The requirement, its correspondences and the derived ones",
               Output({{"requirement", {{"type", "object"}}},
                       {"direct", ArrayOf({{"type", "object"}})},
                       {"derived", ArrayOf(Output({{"requirement", {{"type", "object"}}},
                                                   {"relationship", String()},
                                                   {"hops", {{"type", "integer"}}},
                                                   {"path", ArrayOf({{"type", "object"}})}}))}}));
  router.Add({"GET", "/requirements/{id}/correspondences",
              [ix](Call& c) -> Status {
                TANDEM_ASSIGN_OR_RETURN(int64_t id, IdParam(*ix, c, "requirement"));
                return Answer(*ix, c,
                              [&](const auto& view) { return CorrespondencesOf(view, id); });
              },
              of});

  json suggest =
      Op("suggest_requirements", "Requirements an element could also satisfy", kTag, Errors({404}));
  suggest["parameters"] = {RecordIdParam()};
  suggest["responses"]["200"] =
      Response("Strongest first", ArrayOf(Output({{"requirement", {{"type", "object"}}},
                                                  {"relationship", String()},
                                                  {"derived", Boolean()},
                                                  {"because", {{"type", "object"}}},
                                                  {"via", json::object()},
                                                  {"serves", Boolean()}})));
  router.Add({"GET", "/elements/{id}/suggestions",
              [ix](Call& c) -> Status {
                TANDEM_ASSIGN_OR_RETURN(int64_t id, IdParam(*ix, c, "element"));
                return Answer(*ix, c,
                              [&](const auto& view) { return SuggestRequirements(view, id); });
              },
              suggest});

  json matrix = Op("traceability_matrix", "The traceability matrix of one standard", kTag,
                   Errors({400, 404}));
  matrix["parameters"] = {
      QueryParam("standard", String(), true, "e.g. iso27001:2022"),
      QueryParam("format", {{"type", "string"}, {"enum", {"json", "csv", "xlsx"}}}, false,
                 "json (default), or a CSV or XLSX download"),
      QueryParam("limit", {{"type", "integer"}, {"minimum", 1}, {"maximum", 5000}}, false,
                 "JSON rows per page (default 2000)"),
      QueryParam("after", {{"type", "string"}}, false,
                 "the next page: the `next` of the previous one")};
  const json summary = Output({{"requirements", {{"type", "integer"}}},
                               {"covered", {{"type", "integer"}}},
                               {"partial", {{"type", "integer"}}},
                               {"gaps", {{"type", "integer"}}},
                               {"not_applicable", {{"type", "integer"}}},
                               {"withdrawn", {{"type", "integer"}}},
                               {"evidence_current", Nullable({{"type", "integer"}})},
                               {"evidence_missing", Nullable({{"type", "integer"}})}});
  const json evidence = {{"type", {"string", "null"}},
                         {"enum", {"current", "expired", "missing", nullptr}}};
  json row_element = Output({{"id", Int64()},
                             {"number", String()},
                             {"title", String()},
                             {"state", String()},
                             {"extent", String()},
                             {"trace", String()},
                             {"note", String()},
                             {"evidence", evidence}},
                            {"note"});
  row_element["description"] =
      "evidence: what the evidence for this claim says today (null: evidence not readable)";
  const json row = Output(
      {{"ref", String()},
       {"title", Nullable(String())},
       {"kind", String()},
       {"parent", Nullable(String())},
       {"status", {{"type", "string"}, {"enum", {"covered", "partial", "gap", "not_applicable"}}}},
       {"from_parts", Boolean()},
       {"justification", String()},
       {"evidence", evidence},
       {"elements", ArrayOf(row_element)}},
      {"from_parts", "justification"});
  matrix["responses"]["200"] =
      Response("Every requirement with its elements and status",
               Output({{"standard", {{"type", "object"}}},
                       {"summary", summary},
                       {"rows", ArrayOf(row)},
                       {"next", Nullable(String())},
                       {"shared_elements", ArrayOf({{"type", "object"}})}}));
  matrix["responses"]["200"]["content"]["text/csv"] = {{"schema", String()}};
  AddFileContent(matrix["responses"]["200"], http::kXlsxType);
  router.Add({"GET", "/traceability", [ix](Call& c) { return Traceability(*ix, c); }, matrix});

  json terms = Op("terminology", "ISO/IEC 27013 Annex B: terms of 27000 and 20000-1 compared", kTag,
                  json::object());
  terms["parameters"] = {
      QueryParam("field", String(), false, "Only terms to show beside this field or type")};
  terms["responses"]["200"] = Response(
      "Terms", ArrayOf(Output(
                   {{"term", String()},
                    {"in_27000", Boolean()},
                    {"in_20000_1", Boolean()},
                    {"meaning",
                     {{"type", "string"}, {"enum", {"same", "similar", "different", "one-only"}}}},
                    {"note", String()},
                    {"fields", ArrayOf(String())}})));
  router.Add({"GET", "/terminology",
              [](Call& c) -> Status {
                TANDEM_ASSIGN_OR_RETURN(json out, Terminology(c.query("field")));
                return http::Reply(c, 200, out);
              },
              terms});

  json readiness = Op("readiness", "Readiness for a standard over time, from gap assessments", kTag,
                      Errors({400, 404}));
  readiness["parameters"] = {
      QueryParam("standard", String(), true, "e.g. iso27001:2022"),
      QueryParam("format", {{"type", "string"}, {"enum", {"json", "svg"}}}, false,
                 "json (default), or svg: a line chart of readiness (0-100%) by assessment date")};
  readiness["responses"]["200"] = Response("One entry per assessment, oldest first",
                                           ArrayOf(Output({{"assessment", {{"type", "object"}}},
                                                           {"requirements", {{"type", "integer"}}},
                                                           {"counts", {{"type", "object"}}},
                                                           {"readiness", {{"type", "number"}}}})));
  readiness["responses"]["200"]["content"]["image/svg+xml"] = {{"schema", String()}};
  router.Add({"GET", "/assessments/readiness", [ix](Call& c) { return ReadinessView(*ix, c); },
              readiness});
}

}  // namespace tandem::domains

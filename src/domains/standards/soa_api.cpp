// The Statement of Applicability views (docs/api.md, "Statement of
// Applicability"): a version's statement and its exports, filling a draft with
// an entry per control, and comparing two versions. The records themselves
// (/soas, /soa-entries) are the generic routes.
#include "core/clock.h"
#include "domains/standards/oscal_ssp.h"
#include "domains/standards/soa.h"
#include "domains/standards/standards_api.h"
#include "http/call.h"
#include "http/openapi.h"
#include "http/router.h"
#include "records/codec.h"

namespace tandem::domains {

using http::Call;
using nlohmann::json;
using namespace http::oas;

namespace {

const char* const kTag = "Statement of Applicability";

// A statement named by id or number ("12" or "SOA-000012"), or a 404.
Result<int64_t> SoaId(records::Engine& engine, const std::string& text, const char* what) {
  const int64_t id = records::ParseRecordId(*engine.registry().Find("soa"), text);
  if (id == 0)
    return MakeError(ErrorCode::kNotFound,
                     std::string(what) + ": no statement of applicability '" + text + "'");
  return id;
}

// GET /soas/{id}/statement[?format=json|csv|xlsx|oscal]. OSCAL is plain
// JSON, like the catalog export (GET /standards/{key}/oscal).
Status Statement(records::Engine& engine, Call& call, int64_t id) {
  TANDEM_ASSIGN_OR_RETURN(std::string format,
                          http::FormatParam(call.req, {"json", "csv", "xlsx", "oscal"}));
  TANDEM_ASSIGN_OR_RETURN(json statement, SoaStatement(engine, call.actor(), id));
  if (format == "json") return http::Reply(call, 200, statement);
  if (format == "oscal") {
    TANDEM_ASSIGN_OR_RETURN(json ssp, ToOscalSsp(statement, FormatTimestamp(engine.clock().Now())));
    return http::Reply(call, 200, ssp);
  }
  const json& soa = statement["soa"];
  const std::string name = "soa-" + soa["standard"].get<std::string>() + "-rev" +
                           std::to_string(soa["revision"].get<int64_t>());
  if (format == "csv")
    return http::ReplyFile(call, SoaCsv(statement), "text/csv; charset=utf-8", name, "csv");
  TANDEM_ASSIGN_OR_RETURN(std::string xlsx, SoaXlsx(statement, call.actor().name));
  return http::ReplyFile(call, xlsx, http::kXlsxType, name, "xlsx");
}

// GET /soas/compare?from=SOA-1&to=SOA-2
Status Compare(records::Engine& engine, Call& call) {
  if (!call.req.has_param("from") || !call.req.has_param("to"))
    return MakeError(ErrorCode::kBadRequest, "name the versions to compare: from=SOA-1&to=SOA-2");
  TANDEM_ASSIGN_OR_RETURN(int64_t from, SoaId(engine, call.query("from"), "from"));
  TANDEM_ASSIGN_OR_RETURN(int64_t to, SoaId(engine, call.query("to"), "to"));
  TANDEM_ASSIGN_OR_RETURN(json out, CompareSoas(engine, call.actor(), from, to));
  return http::Reply(call, 200, out);
}

}  // namespace

void AddSoaRoutes(http::Router& router, records::Engine& engine) {
  records::Engine* e = &engine;
  const json items = ArrayOf(Output({{"id", Int64()},
                                     {"number", String()},
                                     {"title", Nullable(String())},
                                     {"state", Nullable(String())}}));
  // What the evidence of an implementing element says (frozen with the
  // statement at approval; absent from statements frozen before evidence was
  // recorded), and the best of a row's elements'.
  const json evidence = {{"type", {"string", "null"}},
                         {"enum", {"current", "expired", "missing", nullptr}}};
  const json row = Output({{"ref", String()},
                           {"title", Nullable(String())},
                           {"requirement", Int64()},
                           {"entry", Nullable(Int64())},
                           {"applicability", Nullable(String())},
                           {"reasons", ArrayOf(String())},
                           {"justification", Nullable(String())},
                           {"implementation", Nullable(String())},
                           {"note", Nullable(String())},
                           {"requirement_applicability", String()},
                           {"elements", ArrayOf(Output({{"id", Int64()},
                                                        {"number", String()},
                                                        {"title", Nullable(String())},
                                                        {"state", Nullable(String())},
                                                        {"kind", String()},
                                                        {"extent", String()},
                                                        {"evidence", evidence}},
                                                       {"kind", "extent", "evidence"}))},
                           {"evidence", evidence},
                           {"risks", items}});
  json counts = json::object();
  for (const char* k :
       {"controls", "applicable", "not_applicable", "implemented", "partial", "planned",
        "not_implemented", "undecided", "missing", "evidence_current", "evidence_missing"})
    counts[k] = {{"type", "integer"}};
  json statement = Op("soa_statement", "A statement of applicability, control by control", kTag,
                      Errors({400, 404, 422}));
  statement["description"] =
      "A draft's statement is worked out from the live records (entries, the elements traced to "
      "each control, the risks the control or its elements mitigate); an approved one is the "
      "statement frozen at approval. Only what the caller may see is included. format=oscal "
      "gives it as an OSCAL 1.2.1 system security plan: one implemented requirement per control "
      "with an entry (422 when there is none to show).";
  statement["parameters"] = {
      QueryParam("format", {{"type", "string"}, {"enum", {"json", "csv", "xlsx", "oscal"}}}, false,
                 "json (default), a CSV or XLSX download, or oscal (an OSCAL system security "
                 "plan, JSON)")};
  const json ssp = {{"type", "object"},
                    {"required", json::array({"system-security-plan"})},
                    {"properties", {{"system-security-plan", {{"type", "object"}}}}}};
  statement["responses"]["200"] =
      Response("The statement; with format=oscal, {\"system-security-plan\": ...}",
               {{"oneOf",
                 {Output({{"soa", {{"type", "object"}}},
                          {"frozen", Boolean()},
                          {"summary", Output(counts)},
                          {"rows", ArrayOf(row)},
                          {"missing", ArrayOf(String())}}),
                  ssp}}});
  statement["responses"]["200"]["content"]["text/csv"] = {{"schema", String()}};
  AddFileContent(statement["responses"]["200"], http::kXlsxType);
  statement["parameters"].push_back(RecordIdParam());
  router.Add({"GET", "/soas/{id}/statement",
              [e](Call& c) -> Status {
                TANDEM_ASSIGN_OR_RETURN(int64_t id, SoaId(*e, c.param(0), "soa"));
                return Statement(*e, c, id);
              },
              statement});

  json populate = Op("soa_populate", "Add an entry for every control a draft lacks", kTag,
                     Errors({403, 404, 409}));
  populate["description"] =
      "Entries are copied from the latest approved revision, or prefilled from the "
      "requirement's applicability, the traces and risk links; implementation comes from the "
      "latest completed gap assessment when there is one. All or nothing.";
  populate["responses"]["200"] =
      Response("What was added", Output({{"created", {{"type", "integer"}}},
                                         {"copied_from", Nullable(String())},
                                         {"assessment", Nullable(String())}}));
  populate["parameters"] = {RecordIdParam()};
  router.Add({"POST", "/soas/{id}/populate",
              [e](Call& c) -> Status {
                TANDEM_ASSIGN_OR_RETURN(int64_t id, SoaId(*e, c.param(0), "soa"));
                TANDEM_ASSIGN_OR_RETURN(json out, PopulateSoa(*e, c.actor(), id));
                return http::Reply(c, 200, out);
              },
              populate});

  json compare = Op("soa_compare", "What changed between two statements of one standard", kTag,
                    Errors({400, 404, 422}));
  compare["parameters"] = {QueryParam("from", String(), true, "id or number, e.g. SOA-000001"),
                           QueryParam("to", String(), true, "id or number, e.g. SOA-000002")};
  compare["responses"]["200"] =
      Response("Changes control by control",
               Output({{"from", {{"type", "object"}}},
                       {"to", {{"type", "object"}}},
                       {"summary", Output({{"added", {{"type", "integer"}}},
                                           {"removed", {{"type", "integer"}}},
                                           {"changed", {{"type", "integer"}}},
                                           {"unchanged", {{"type", "integer"}}}})},
                       {"changes", ArrayOf({{"type", "object"}})}}));
  router.Add({"GET", "/soas/compare", [e](Call& c) { return Compare(*e, c); }, compare});
}

}  // namespace tandem::domains

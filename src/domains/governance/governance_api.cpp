// The governance module's routes beyond the generic records: audit
// checklists and reports, the management review pack, a measure's chart, a
// person's competence, team capacity and document acknowledgements.
#include "domains/governance/governance_api.h"

#include "core/json_access.h"
#include "domains/governance/governance.h"
#include "http/call.h"
#include "http/openapi.h"
#include "http/router.h"
#include "records/codec.h"

namespace tandem::domains {

using http::Call;
using nlohmann::json;
using namespace http::oas;

namespace {

const char* const kTag = "Governance";

// The record of `type_name` that route parameter 0 names, by id or number.
Result<int64_t> IdOf(records::Engine& engine, const Call& call, const char* type_name) {
  const auto& type = *engine.registry().Find(type_name);
  const int64_t id = records::ParseRecordId(type, call.param(0));
  if (id == 0) return MakeError(ErrorCode::kNotFound, "no " + type.name + " '" + call.param(0) + "'");
  return id;
}

// A GET route on one record answering JSON.
void AddView(http::Router& router, records::Engine& engine, const char* type_name,
             const std::string& path, json op,
             std::function<Result<json>(records::Engine&, const records::Actor&, int64_t)> f) {
  records::Engine* e = &engine;
  op["parameters"].push_back(RecordIdParam());
  router.Add({"GET", path,
              [e, type_name, f](Call& c) -> Status {
                TANDEM_ASSIGN_OR_RETURN(int64_t id, IdOf(*e, c, type_name));
                TANDEM_ASSIGN_OR_RETURN(json out, f(*e, c.actor(), id));
                return http::Reply(c, 200, out);
              },
              std::move(op)});
}

}  // namespace

void AddGovernanceRoutes(http::Router& router, records::Engine& engine) {
  records::Engine* e = &engine;

  json checklist = Op("generate_audit_checklist",
                      "Add a checklist item for each requirement in the audit's scope", kTag,
                      Errors({404, 409, 422}));
  checklist["description"] =
      "The requirements of the audit's standards (and clauses, when given) that have no item "
      "yet, each with the elements that claim to satisfy it and their evidence as they are "
      "now. All or nothing; running it again adds only what is missing.";
  checklist["parameters"] = {RecordIdParam()};
  checklist["responses"]["200"] =
      Response("How many items were added and how many there are",
               Output({{"created", Int64()}, {"items", Int64()}}));
  router.Add({"POST", "/audits/{id}/checklist",
              [e](Call& c) -> Status {
                TANDEM_ASSIGN_OR_RETURN(int64_t id, IdOf(*e, c, "audit"));
                TANDEM_ASSIGN_OR_RETURN(json out, GenerateChecklist(*e, c.actor(), id));
                return http::Reply(c, 200, out);
              },
              checklist});

  json report = Op("audit_report", "The audit report", kTag, Errors({400, 404}));
  report["parameters"] = {RecordIdParam(), http::ReportFormatParam()};
  report["responses"]["200"] = http::ReportResponse("Scope, checklist results, findings, conclusion");
  router.Add({"GET", "/audits/{id}/report",
              [e](Call& c) -> Status {
                TANDEM_ASSIGN_OR_RETURN(int64_t id, IdOf(*e, c, "audit"));
                TANDEM_ASSIGN_OR_RETURN(Report r, AuditReport(*e, c.actor(), id));
                return http::ReplyReport(
                    c, r, "audit-" + records::FormatNumber(*e->registry().Find("audit"), id));
              },
              report});

  json pack = Op("management_review_pack", "The input pack of a management review", kTag,
                 Errors({400, 404}));
  pack["description"] =
      "Compiled from the live records of the review's period (restricted records left out), "
      "or, once the review is closed, the pack as it was frozen then. Inputs without data are "
      "listed under missing.";
  pack["parameters"] = {RecordIdParam(), http::ReportFormatParam()};
  pack["responses"]["200"] = http::ReportResponse("The pack (json: its sections and figures)");
  pack["responses"]["200"]["content"]["application/json"]["schema"] =
      Output({{"review", {{"type", "object"}}},
              {"compiled_at", String()},
              {"frozen_at", Nullable(String())},
              {"sections", ArrayOf({{"type", "object"}})},
              {"missing", ArrayOf(Output({{"input", String()}, {"why", String()}}))}});
  router.Add({"GET", "/management-reviews/{id}/pack",
              [e](Call& c) -> Status {
                TANDEM_ASSIGN_OR_RETURN(int64_t id, IdOf(*e, c, "management_review"));
                TANDEM_ASSIGN_OR_RETURN(std::string format,
                                        http::FormatParam(c.req, {"json", "html", "pdf"}));
                TANDEM_ASSIGN_OR_RETURN(json p, ReviewPack(*e, c.actor(), id));
                if (format == "json") return http::Reply(c, 200, p);
                return http::ReplyReport(
                    c, ReviewPackReport(p),
                    "review-" + records::FormatNumber(*e->registry().Find("management_review"), id));
              },
              pack});

  json chart = Op("measure_chart", "A measure's values against its target, as a line chart", kTag,
                  Errors({404}));
  chart["parameters"] = {RecordIdParam()};
  chart["responses"]["200"] = {{"description", "SVG"},
                               {"content", {{"image/svg+xml", {{"schema", String()}}}}}};
  router.Add({"GET", "/measures/{id}/chart",
              [e](Call& c) -> Status {
                TANDEM_ASSIGN_OR_RETURN(int64_t id, IdOf(*e, c, "measure"));
                TANDEM_ASSIGN_OR_RETURN(std::string svg, MeasureChart(*e, c.actor(), id));
                c.res.status = 200;
                c.res.set_content(svg, "image/svg+xml");
                return Status::Ok();
              },
              chart});

  const json held = Output({{"competence", {{"type", "object"}}},
                            {"status", {{"type", "string"},
                                        {"enum", {"valid", "expiring", "expired", "missing"}}}},
                            {"record", Nullable(String())},
                            {"expires_on", Nullable(String())}});
  json competence = Op("person_competence", "What a person's role requires and how they hold it",
                       kTag, Errors({404}));
  competence["responses"]["200"] =
      Response("Each required competence; gaps counts the missing and expired ones",
               Output({{"person", {{"type", "object"}}},
                       {"role", Nullable(Int64())},
                       {"competences", ArrayOf(held)},
                       {"gaps", Int64()}}));
  AddView(router, engine, "person", "/people/{id}/competence", competence, CompetenceOf);

  json acks = Op("document_acknowledgements",
                 "Who read and understood a document's version in force, and who has not yet",
                 kTag, Errors({404}));
  acks["responses"]["200"] = Response(
      "Readers of the version in force, and the active people (of its distribution team) who "
      "have not acknowledged it",
      Output({{"document", String()},
              {"requires_acknowledgement", Boolean()},
              {"version", Nullable(String())},
              {"acknowledged", ArrayOf(Output({{"reader", String()}, {"at", String()}}))},
              {"outstanding", ArrayOf(Output(
                                  {{"person", String()}, {"name", String()}, {"username", String()}}))}}));
  AddView(router, engine, "document", "/documents/{id}/acknowledgements", acks, Acknowledgements);

  json capacity = Op("team_capacity", "Human capacity per team (ISO/IEC 27013 6.3.4)", kTag,
                     json::object());
  capacity["responses"]["200"] = Response(
      "Active people, full-time equivalents and competence gaps of each team",
      Output({{"teams", ArrayOf(Output({{"team", String()},
                                        {"org_unit", Nullable(String())},
                                        {"people", Int64()},
                                        {"fte", {{"type", "number"}}},
                                        {"gaps", Int64()}}))}}));
  router.Add({"GET", "/capacity/teams",
              [e](Call& c) -> Status {
                TANDEM_ASSIGN_OR_RETURN(json out, TeamCapacity(*e, c.actor()));
                return http::Reply(c, 200, out);
              },
              capacity});
}

}  // namespace tandem::domains

// The Statement of Applicability views (docs/api.md, "Statement of
// Applicability"): a version's statement and its exports, filling a draft with
// an entry per control, and comparing two versions. The records themselves
// (/soas, /soa-entries) are the generic routes.
#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "domains/standards/oscal_ssp.h"
#include "domains/standards/soa.h"
#include "http/call.h"
#include "records/codec.h"

namespace tandem::http {

using nlohmann::json;

namespace {

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
void Statement(records::Engine& engine, Call& call, int64_t id) {
  auto format_param = FormatParam(call.req, {"json", "csv", "xlsx", "oscal"});
  if (!format_param.ok()) return call.Fail(format_param.error());
  const std::string& format = *format_param;
  auto statement = domains::SoaStatement(engine, call.actor(), id);
  if (!statement.ok()) return call.Fail(statement.error());
  if (format == "json") return WriteJson(call.res, 200, *statement);
  if (format == "oscal") {
    auto ssp = domains::ToOscalSsp(*statement, FormatTimestamp(engine.clock().Now()));
    if (!ssp.ok()) return call.Fail(ssp.error());
    return WriteJson(call.res, 200, *ssp);
  }
  const json& soa = (*statement)["soa"];
  const std::string name = "soa-" + soa["standard"].get<std::string>() + "-rev" +
                           std::to_string(soa["revision"].get<int64_t>());
  if (format == "csv")
    return WriteFile(call, domains::SoaCsv(*statement), "text/csv; charset=utf-8", name, "csv");
  auto xlsx = domains::SoaXlsx(*statement, call.actor().name);
  if (!xlsx.ok()) return call.Fail(xlsx.error());
  WriteFile(call, *xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name,
            "xlsx");
}

}  // namespace

bool HandleSoaViews(records::Engine& engine, Call& call, const std::vector<std::string>& seg) {
  if (seg[0] != "soas" || seg.size() < 2) return false;
  const auto& req = call.req;
  if (seg.size() == 2 && seg[1] == "compare") {
    if (req.method != "GET") {
      call.MethodNotAllowed("GET");
      return true;
    }
    if (!req.has_param("from") || !req.has_param("to")) {
      call.Fail(ErrorCode::kBadRequest, "name the versions to compare: from=SOA-1&to=SOA-2");
      return true;
    }
    auto from = SoaId(engine, req.get_param_value("from"), "from");
    auto to = SoaId(engine, req.get_param_value("to"), "to");
    if (!from.ok() || !to.ok()) {
      call.Fail(from.ok() ? to.error() : from.error());
      return true;
    }
    auto out = domains::CompareSoas(engine, call.actor(), *from, *to);
    if (!out.ok()) {
      call.Fail(out.error());
      return true;
    }
    WriteJson(call.res, 200, *out);
    return true;
  }
  if (seg.size() != 3 || (seg[2] != "statement" && seg[2] != "populate")) return false;
  auto id = SoaId(engine, seg[1], "soa");
  if (!id.ok()) {
    call.Fail(id.error());
    return true;
  }
  if (seg[2] == "statement") {
    if (req.method != "GET") call.MethodNotAllowed("GET");
    else Statement(engine, call, *id);
    return true;
  }
  if (req.method != "POST") {
    call.MethodNotAllowed("POST");
    return true;
  }
  auto out = domains::PopulateSoa(engine, call.actor(), *id);
  if (!out.ok()) {
    call.Fail(out.error());
    return true;
  }
  WriteJson(call.res, 200, *out);
  return true;
}

}  // namespace tandem::http

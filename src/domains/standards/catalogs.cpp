#include "domains/standards/catalogs.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "core/content.h"
#include "core/csv.h"
#include "domains/domains.h"

namespace tandem::domains {

using nlohmann::json;

namespace {

constexpr char kDir[] = "content/standards/catalogs/";

// The catalog files' kind column -> the requirement's kind.
std::string Kind(const std::string& kind) {
  if (kind == "annex-domain") return "domain";
  if (kind == "annex-objective") return "objective";
  if (kind == "annex-theme") return "theme";
  return kind;
}

// A catalog CSV row (ref, title, parent, kind[, confidence | title_status])
// as a requirement body.
Result<json> RequirementBody(const std::vector<std::string>& header, const CsvRow& row,
                             int64_t standard_id, const std::string& file) {
  std::map<std::string, std::string> f;
  for (size_t i = 0; i < header.size() && i < row.fields.size(); ++i) f[header[i]] = row.fields[i];
  if (f["ref"].empty() || f["kind"].empty())
    return MakeError(ErrorCode::kInternal,
                     file + " line " + std::to_string(row.line) + ": ref and kind are required");
  // Numbered paragraphs without a title in the standard: the catalog's words
  // describe them but are not a title, so none is shown.
  const bool untitled = f["title_status"] == "untitled-paragraph";
  return json{{"standard", standard_id},
              {"ref", f["ref"]},
              {"title", untitled || f["title"].empty() ? json() : json(f["title"])},
              {"parent_ref", f["parent"].empty() ? json() : json(f["parent"])},
              {"kind", Kind(f["kind"])},
              {"title_confirmed", f["confidence"] != "medium"},
              {"builtin", true}};
}

// catalogs.json spells "partly-verified"; the field's value is "partly_verified".
std::string Verification(std::string status) {
  std::replace(status.begin(), status.end(), '-', '_');
  return status;
}

// The id of the standard with `key`, creating it from `spec` when missing.
Result<int64_t> EnsureStandard(records::Engine& engine, const records::Actor& system,
                               const json& spec) {
  const auto& type = *engine.registry().Find("standard");
  TANDEM_ASSIGN_OR_RETURN(auto query,
                          engine.ParseList(type, {{"filter[key]", spec["id"].get<std::string>()}}));
  TANDEM_ASSIGN_OR_RETURN(auto found, engine.List(system, type, query));
  const std::string edition = std::to_string(spec["year"].get<int>());
  if (!found.items.empty()) {
    const json& have = found.items[0];
    // Databases created before standards had an edition get it now.
    if (!have["edition"].is_string())
      TANDEM_RETURN_IF_ERROR(
          engine.Update(system, type, have["id"], have["version"], {{"edition", edition}})
              .status());
    return have["id"].get<int64_t>();
  }
  json body = {{"key", spec["id"]},
               {"title", spec["title"]},
               {"edition", edition},
               {"publisher", spec["publisher"]},
               {"management_system", spec["management_system"]},
               {"origin", "builtin"},
               {"provenance", spec["provenance"]},
               {"verification", Verification(spec["verification"])},
               {"verification_note", spec["verification_note"]}};
  TANDEM_ASSIGN_OR_RETURN(json created, engine.Create(system, type, body));
  return created["id"].get<int64_t>();
}

Status LoadCatalog(records::Engine& engine, const records::Actor& system, const json& spec) {
  const std::string file = kDir + spec["file"].get<std::string>();
  TANDEM_ASSIGN_OR_RETURN(std::vector<CsvRow> rows, ParseCsv(content::Get(file)));
  if (rows.empty()) return MakeError(ErrorCode::kInternal, file + " is empty");
  TANDEM_ASSIGN_OR_RETURN(int64_t standard_id, EnsureStandard(engine, system, spec));
  TANDEM_ASSIGN_OR_RETURN(auto have,
                          ListAll(engine, system, "requirement",
                                  {{"filter[standard]", std::to_string(standard_id)}}, true));
  std::set<std::string> existing;
  for (const auto& r : have) existing.insert(r["ref"].get<std::string>());
  std::vector<json> missing;
  for (size_t i = 1; i < rows.size(); ++i) {
    TANDEM_ASSIGN_OR_RETURN(json body, RequirementBody(rows[0].fields, rows[i], standard_id, file));
    if (!existing.count(body["ref"].get<std::string>())) missing.push_back(std::move(body));
  }
  if (missing.empty()) return Status::Ok();
  return engine.CreateBatch(system, *engine.registry().Find("requirement"), missing).status();
}

}  // namespace

Status LoadBuiltinCatalogs(records::Engine& engine) {
  const auto system = records::SystemActor("catalogs");
  const json specs = json::parse(content::Get(std::string(kDir) + "catalogs.json"));
  auto load_all = [&]() -> Status {
    for (const auto& spec : specs)
      if (spec["kind"] == "catalog") TANDEM_RETURN_IF_ERROR(LoadCatalog(engine, system, spec));
    return LoadBuiltinCorrespondences(engine);
  };
  Status s = load_all();
  // Another app server starting on the same database created the same
  // content first (a unique key refused ours): what is left is to be done.
  if (!s.ok() && s.error().code == ErrorCode::kConflict) s = load_all();
  return s;
}

}  // namespace tandem::domains

#include "domains/standards/assessments.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "domains/domains.h"
#include "domains/standards/queries.h"

namespace tandem::domains {

using nlohmann::json;

Result<json> Readiness(records::Engine& engine, const SnapshotView& view,
                       const std::string& standard_key) {
  TANDEM_RETURN_IF_ERROR(view.Require({"assessment", "assessment_result"}));
  TANDEM_ASSIGN_OR_RETURN(const StandardEntry* standard, FindStandard(view, standard_key));
  int requirements = 0;
  if (auto ids = view.data().requirements_of->find(standard->id);
      ids != view.data().requirements_of->end())
    for (int64_t id : ids->second)
      if (const RequirementEntry* r = view.Requirement(id); r && !r->withdrawn) ++requirements;
  TANDEM_ASSIGN_OR_RETURN(
      auto assessments,
      ListAll(engine, view.actor(), "assessment",
              {{"filter[standard]", std::to_string(standard->id)}, {"sort", "assessed_on"}}));
  json out = json::array();
  for (const auto& a : assessments) {
    TANDEM_ASSIGN_OR_RETURN(
        auto results, ListAll(engine, view.actor(), "assessment_result",
                              {{"filter[assessment]", std::to_string(a["id"].get<int64_t>())}}));
    std::map<std::string, int> n = {{"implemented", 0},
                                    {"partial", 0},
                                    {"not_implemented", 0},
                                    {"not_applicable", 0},
                                    {"not_assessed", 0}};
    int judged = 0;
    for (const auto& r : results) {
      const RequirementEntry* req = view.Requirement(r["requirement"].get<int64_t>());
      if (!req || req->withdrawn) continue;
      ++n[r["status"].get<std::string>()];
      ++judged;
    }
    n["not_assessed"] += std::max(0, requirements - judged);
    const int applicable = requirements - n["not_applicable"];
    const double readiness =
        applicable > 0 ? (n["implemented"] + n["partial"] / 2.0) * 100.0 / applicable : 0.0;
    out.push_back({{"assessment",
                    {{"id", a["id"]},
                     {"number", a["number"]},
                     {"title", a["title"]},
                     {"assessed_on", a["assessed_on"]},
                     {"state", a["state"]}}},
                   {"requirements", requirements},
                   {"counts", n},
                   {"readiness", std::round(readiness * 10) / 10}});
  }
  return out;
}

LineChart ReadinessChart(const json& readiness, const std::string& standard_title) {
  LineChart chart{.title = "Readiness for " + standard_title,
                  .series = {{.name = "Readiness"}},
                  .y_label = "%",
                  .y_min = 0,
                  .y_max = 100};
  std::string points;
  for (const auto& entry : readiness) {
    // Read defensively: a malformed entry is a missing point, never an exception.
    const json* a =
        entry.is_object() && entry.contains("assessment") ? &entry["assessment"] : nullptr;
    const auto text = [&](const char* key) {
      return a && a->is_object() && a->contains(key) && (*a)[key].is_string()
                 ? (*a)[key].get<std::string>()
                 : std::string();
    };
    const bool known =
        entry.is_object() && entry.contains("readiness") && entry["readiness"].is_number();
    const double value = known ? entry["readiness"].get<double>() : std::nan("");
    chart.x_labels.push_back(text("assessed_on"));
    chart.series[0].y.push_back(value);
    points += (points.empty() ? "" : "; ") + text("assessed_on") + " (" + text("title") + ") " +
              (known ? SvgNumber(value, 1) + "%" : "unknown");
  }
  chart.description =
      readiness.empty()
          ? "No assessments of " + standard_title + " yet."
          : "Readiness of " + standard_title +
                " in percent (implemented plus half of partial, over applicable requirements) at "
                "each of " +
                std::to_string(readiness.size()) + " assessments, oldest first: " + points + ".";
  return chart;
}

Result<std::string> ReadinessSvg(records::Engine& engine, const SnapshotView& view,
                                 const std::string& standard_key) {
  TANDEM_ASSIGN_OR_RETURN(json readiness, Readiness(engine, view, standard_key));
  TANDEM_ASSIGN_OR_RETURN(const StandardEntry* standard, FindStandard(view, standard_key));
  return LineChartSvg(
      ReadinessChart(readiness, standard->title.empty() ? standard->key : standard->title));
}

}  // namespace tandem::domains

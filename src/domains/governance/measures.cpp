// Measures (clause 9.1): the status a value gives, and a measure's chart.
#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "core/json_access.h"
#include "core/svg_chart.h"
#include "domains/domains.h"
#include "domains/governance/governance.h"

namespace tandem::domains {

using nlohmann::json;

std::string MeasurementStatus(const json& m, double value) {
  const bool higher = Str(m, "direction") != "lower";
  const double target = At(m, "target").is_number() ? At(m, "target").get<double>() : 0;
  const json& warning = At(m, "warning");
  auto reaches = [&](double threshold) { return higher ? value >= threshold : value <= threshold; };
  if (reaches(target)) return "on_target";
  if (warning.is_number() && reaches(warning.get<double>())) return "warning";
  return "off_target";
}

void ComputeMeasureStatus(json& m) {
  const json& latest = At(m, "latest_value");
  if (!latest.is_number() || !At(m, "latest_on").is_string()) {
    m["status"] = "no_data";
    m["next_due"] = nullptr;
    return;
  }
  m["status"] = MeasurementStatus(m, latest.get<double>());
  const std::string f = Str(m, "frequency"), on = Str(m, "latest_on");
  m["next_due"] = f == "weekly"      ? AddDays(on, 7)
                  : f == "quarterly" ? AddMonths(on, 3)
                  : f == "yearly"    ? AddMonths(on, 12)
                                     : AddMonths(on, 1);
}

Result<std::string> MeasureChart(records::Engine& engine, const records::Actor& actor,
                                 int64_t measure_id) {
  const auto& type = *engine.registry().Find("measure");
  TANDEM_ASSIGN_OR_RETURN(json m, engine.Get(actor, type, measure_id));
  TANDEM_ASSIGN_OR_RETURN(auto values,
                          ListAll(engine, actor, "measurement",
                                  {{"filter[measure]", std::to_string(measure_id)},
                                   {"sort", "taken_on"}}));
  LineChart chart{.title = Str(m, "title"), .y_label = Str(m, "unit")};
  LineSeries measured{.name = "Measured"}, target{.name = "Target"};
  for (const auto& v : values) {
    chart.x_labels.push_back(Str(v, "taken_on"));
    measured.y.push_back(v["value"].get<double>());
    target.y.push_back(m["target"].get<double>());
  }
  chart.series = {measured, target};
  if (Str(m, "unit") == "%") {
    chart.y_min = 0;
    chart.y_max = 100;
  }
  chart.description = values.empty() ? "No measurements yet."
                                      : std::to_string(values.size()) +
                                            " measurements against the target of " +
                                            m["target"].dump() + " " + Str(m, "unit") + ".";
  return LineChartSvg(chart);
}

}  // namespace tandem::domains

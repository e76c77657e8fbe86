// The risk module: scoring and acceptance hooks, and the risk figures of the
// ISMS and SMS panels, each measured against that management system's own
// risk acceptance criterion (ISO/IEC 27013 6.2.3: the criteria may differ).
#include "domains/module.h"

#include <array>
#include <nlohmann/json.hpp>

#include "core/svg_chart.h"
#include "domains/domains.h"
#include "domains/scopes/scopes.h"
#include "web/extensions.h"
#include "web/panel.h"

namespace tandem::domains {

namespace {

using Params = web::Panel::Params;

const char* kOpenRisk = "identified,assessed,in_treatment";

// Open risks of `domains` scored above the risk acceptance criterion of
// management system `ms` (ISO/IEC 27001 6.1.2 a), set on its scope in force;
// where none is set, a prompt to set it. Accepting a risk is its owner's
// decision that it may stay above (ISO/IEC 27001 6.1.3 f), so accepted risks
// are not counted. The panel's note says which criterion applies.
void RisksAboveCriterion(web::Panel& panel, const std::string& label, const char* domains,
                         const std::string& ms) {
  if (!panel.actor().Can("risk", records::Action::kRead)) return;
  auto scopes = ScopesInForce(panel.engine(), panel.actor());
  if (!scopes.ok()) return;
  const auto it = scopes->find(ms);
  const nlohmann::json* scope = it == scopes->end() ? nullptr : &it->second;
  const std::string system = ms == "isms" ? "ISMS" : "SMS";
  if (!scope || !(*scope)["risk_acceptance_score"].is_number_integer()) {
    const std::string number = scope ? (*scope)["number"].get<std::string>() : "";
    panel.Add({.label = system + " risk acceptance criterion",
               .value = "not set",
               .detail = scope
                             ? "Set the risk acceptance threshold on " + number + "."
                             : "Record the " + system + " scope and its risk acceptance threshold.",
               .href = scope ? "/r/scopes/" + number
                             : panel.ListHref("scope", {{"filter[management_system]", ms}}),
               .warn = true});
    return;
  }
  const std::string threshold = std::to_string((*scope)["risk_acceptance_score"].get<int64_t>());
  panel.CountFigure(label, "risk",
                    {{"filter[domain][in]", domains},
                     {"filter[state][in]", kOpenRisk},
                     {"filter[inherent_score][gt]", threshold}});
  panel.SetNote("Risk acceptance: a score above " + threshold + " of 25, set on " +
                (*scope)["number"].get<std::string>() + " (" +
                (*scope)["period"].get<std::string>() + "); accepted risks are not counted.");
}

// Open risks of `domains` on a likelihood x impact heat map.
void RiskHeatMap(web::Panel& panel, const std::string& title, const char* domains) {
  std::array<std::array<double, 5>, 5> cells{};
  auto add = [&](const nlohmann::json& risk) {
    const auto& l = risk["likelihood"];
    const auto& i = risk["impact"];
    if (l.is_number_integer() && i.is_number_integer() && l >= 1 && l <= 5 && i >= 1 && i <= 5)
      cells[5 - l.get<int>()][i.get<int>() - 1] += 1;
  };
  if (!panel.ForEach("risk", {{"filter[domain][in]", domains}, {"filter[state][in]", kOpenRisk}},
                     add))
    return;
  HeatMap h{.title = title,
            .row_labels = {"5", "4", "3", "2", "1"},
            .column_labels = {"1", "2", "3", "4", "5"},
            .row_title = "Likelihood",
            .column_title = "Impact"};
  for (const auto& row : cells) h.values.emplace_back(row.begin(), row.end());
  panel.AddChart(HeatMapSvg(h));
}

class Risk : public Module {
 public:
  std::string_view name() const override { return "risk"; }

  void AddHooks(records::HookRegistry& hooks) const override { RegisterRiskHooks(hooks); }

  void DeclareNames(NameCheck& names) const override {
    names
        .Fields("risk", {"likelihood", "impact", "residual_likelihood", "residual_impact",
                         "inherent_score", "residual_score", "treatment", "treatment_plan",
                         "accepted_by", "accepted_on", "domain", "review_date"})
        .Values("risk", "domain", {"security", "service", "both"})
        .States("risk", {"identified", "assessed", "in_treatment", "closed"})
        .Transitions("risk", {"accept", "treat"})
        .Fields("scope", {"risk_acceptance_score", "period", "management_system"})
        .Values("scope", "management_system", {"isms", "sms"});
  }

  void Serve(ServeContext& ctx) override {
    ctx.web.AddPanelPart({"isms", 10, [](web::Panel& p) {
                            RisksAboveCriterion(
                                p, "Open security risks above the acceptance criterion",
                                "security,both", "isms");
                          }});
    ctx.web.AddPanelPart({"isms", 20, [](web::Panel& p) {
                            p.CountFigure("Security risk reviews overdue", "risk",
                                          {{"filter[domain][in]", "security,both"},
                                           {"filter[state][ne]", "closed"},
                                           {"filter[review_date][lt]", p.today()}});
                          }});
    ctx.web.AddPanelPart({"isms", 80, [](web::Panel& p) {
                            RiskHeatMap(p, "Open security risks (inherent)", "security,both");
                          }});
    ctx.web.AddPanelPart({"sms", 40, [](web::Panel& p) {
                            RisksAboveCriterion(p,
                                                "Open service risks above the acceptance criterion",
                                                "service,both", "sms");
                          }});
  }
};

}  // namespace

std::unique_ptr<Module> RiskModule() { return std::make_unique<Risk>(); }

}  // namespace tandem::domains

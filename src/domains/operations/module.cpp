// The operations module: incident, problem and change hooks, and the
// operational figures of the ISMS and SMS panels.
#include "domains/module.h"

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "core/svg_chart.h"
#include "domains/domains.h"
#include "web/extensions.h"
#include "web/panel.h"

namespace tandem::domains {

namespace {

const char* kOpenIncident = "new,in_progress,on_hold";

// Open incidents by priority: one figure per priority and a donut.
void IncidentsByPriority(web::Panel& panel, const std::string& title, const char* classes) {
  std::vector<Slice> slices;
  for (const char* prio : {"p1", "p2", "p3", "p4"}) {
    const web::Panel::Params params = {{"filter[classification][in]", classes},
                                       {"filter[state][in]", kOpenIncident},
                                       {"filter[priority]", prio}};
    auto n = panel.Count("incident", params);
    if (!n) return;
    const std::string label = std::string("P") + (prio + 1);
    panel.Add({.label = "Open incidents, " + label,
               .value = std::to_string(*n),
               .href = panel.ListHref("incident", params),
               .warn = *n > 0 && (prio[1] == '1' || prio[1] == '2')});
    slices.push_back({label, static_cast<double>(*n)});
  }
  panel.AddChart(DonutSvg(DonutChart{.title = title, .slices = slices, .total_label = "open"}));
}

// P1 incidents of the last `days` days that took, or have already taken,
// longer than the P1 resolution target of an agreed SLA for their service.
// The clock runs from when the incident occurred (when it was recorded if
// that is unknown) to when it was resolved, or to now while it is open;
// time on hold counts, as customers experience it. Where several agreed
// SLAs cover a service, the strictest target applies.
void SlaBreaches(web::Panel& panel, int days) {
  if (!panel.actor().Can("incident", records::Action::kRead)) return;
  std::map<int64_t, int64_t> target_minutes;  // service id -> P1 target
  auto add_target = [&](const nlohmann::json& a) {
    const auto& service = a["service"];
    const auto& minutes = a["p1_resolution_minutes"];
    if (!service.is_number_integer() || !minutes.is_number_integer() || minutes <= 0) return;
    auto [it, inserted] = target_minutes.emplace(service.get<int64_t>(), minutes.get<int64_t>());
    if (!inserted) it->second = std::min(it->second, minutes.get<int64_t>());
  };
  if (!panel.ForEach("agreement", {{"filter[kind]", "sla"}, {"filter[state]", "agreed"}},
                     add_target))
    return;

  const TimePoint now = panel.engine().clock().Now();
  const std::string since = FormatTimestamp(now - std::chrono::days(days));
  std::vector<std::string> breached;
  for (const auto& [service, minutes] : target_minutes) {
    auto check = [&](const nlohmann::json& inc) {
      auto text = [&](const char* k) {
        return inc[k].is_string() ? inc[k].get<std::string>() : std::string();
      };
      auto start = ParseTimestamp(text("occurred_at"));
      if (!start) start = ParseTimestamp(text("created_at"));
      const auto end = ParseTimestamp(text("resolved_at")).value_or(now);
      if (start && end - *start > std::chrono::minutes(minutes)) breached.push_back(text("number"));
    };
    panel.ForEach("incident",
                  {{"filter[service]", std::to_string(service)},
                   {"filter[priority]", "p1"},
                   {"filter[state][ne]", "cancelled"},
                   {"filter[created_at][ge]", since}},
                  check);
  }
  // The link lists exactly the breaching incidents (up to the 100 numbers a
  // filter takes); the figure itself counts them all.
  std::string numbers;
  for (size_t i = 0; i < breached.size() && i < 100; ++i) numbers += (i ? "," : "") + breached[i];
  panel.Add({.label = "P1 incidents over the SLA resolution target, last " + std::to_string(days) +
                      " days",
             .value = std::to_string(breached.size()),
             .detail = target_minutes.empty() ? "No agreed SLA sets a P1 resolution target."
                                              : "Against the P1 targets of agreed SLAs.",
             .href = breached.empty()
                         ? panel.ListHref("agreement",
                                          {{"filter[kind]", "sla"}, {"filter[state]", "agreed"}})
                         : panel.ListHref("incident", {{"filter[number][in]", numbers}}),
             .warn = !breached.empty()});
}

class Operations : public Module {
 public:
  std::string_view name() const override { return "operations"; }

  void AddHooks(records::HookRegistry& hooks) const override { RegisterOperationsHooks(hooks); }

  void DeclareNames(NameCheck& names) const override {
    names
        .Fields("incident", {"impact", "urgency", "priority", "kind", "classification",
                             "resolution", "resolved_at", "occurred_at", "service", "major"})
        .Values("incident", "impact", {"high", "medium", "low"})
        .Values("incident", "urgency", {"high", "medium", "low"})
        .Values("incident", "priority", {"p1", "p2", "p3", "p4"})
        .Values("incident", "kind", {"security_event", "security_incident"})
        .Values("incident", "classification", {"isms", "sms", "both"})
        .States("incident", {"new", "in_progress", "on_hold", "cancelled"})
        .Transitions("incident", {"resolve", "reopen"})
        .Fields("problem", {"root_cause", "workaround"})
        .States("problem", {"new", "investigating", "known_error"})
        .Transitions("problem", {"record_known_error"})
        .Fields("change", {"security_impact", "security_impact_assessed", "backout_plan", "kind",
                           "review_notes", "successful", "planned_start", "planned_end"})
        .Values("change", "kind", {"standard"})
        .States("change", {"submitted"})
        .Transitions("change", {"approve", "review"})
        .Fields("agreement", {"kind", "service", "p1_resolution_minutes"})
        .Values("agreement", "kind", {"sla"})
        .States("agreement", {"agreed"});
  }

  void Serve(ServeContext& ctx) override {
    auto& web = ctx.web;
    web.AddPanelPart({"isms", 30, [](web::Panel& p) {
                        p.CountFigure("Open security incidents", "incident",
                                      {{"filter[classification][in]", "isms,both"},
                                       {"filter[state][in]", kOpenIncident}});
                      }});
    web.AddPanelPart({"sms", 10, [](web::Panel& p) {
                        IncidentsByPriority(p, "Open service incidents by priority", "sms,both");
                      }});
    web.AddPanelPart({"sms", 20, [](web::Panel& p) { SlaBreaches(p, 30); }});
    web.AddPanelPart(
        {"sms", 30, [](web::Panel& p) {
           p.CountFigure("Open major incidents", "incident",
                         {{"filter[major]", "true"}, {"filter[state][in]", kOpenIncident}});
           p.CountFigure("Open problems", "problem",
                         {{"filter[state][in]", "new,investigating,known_error"}}, false);
           p.CountFigure("Changes awaiting approval", "change", {{"filter[state]", "submitted"}});
         }});
  }
};

}  // namespace

std::unique_ptr<Module> OperationsModule() { return std::make_unique<Operations>(); }

}  // namespace tandem::domains

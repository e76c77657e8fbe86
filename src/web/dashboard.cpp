// The dashboard: one panel per management system (ISMS, SMS, QMS) with the
// figures its records support, each a link to the filtered list behind it.
//
// Every figure is a count through the engine's list query, so it is what the
// reader could see by following the link: need-to-know and permissions apply
// to the figures exactly as to the lists. A figure whose record type the
// reader may not read is left out rather than shown as zero.
#include <array>
#include <map>

#include "core/clock.h"
#include "core/svg_chart.h"
#include "domains/scopes/scopes.h"
#include "domains/standards/queries.h"
#include "web/fields.h"

namespace tandem::web {

namespace {

using Params = std::multimap<std::string, std::string>;
using Scopes = Result<std::map<std::string, nlohmann::json>>;

const char* kOpenIncident = "new,in_progress,on_hold";
const char* kOpenRisk = "identified,assessed,in_treatment";

std::string Query(const Params& params) {
  std::string out;
  for (const auto& [k, v] : params)
    out += (out.empty() ? "?" : "&") + PercentEncode(k) + "=" + PercentEncode(v);
  return out;
}

struct Panel {
  Page& p;
  Data figures = Data::type::list;
  Data charts = Data::type::list;

  // Counts `type` records matching `params`; nullopt when the reader may not
  // read the type.
  std::optional<int64_t> Count(const char* type_name, const Params& params) {
    const auto* type = p.engine.registry().Find(type_name);
    if (!type || !p.actor().Can(type->name, records::Action::kRead)) return std::nullopt;
    auto q = p.engine.ParseList(*type, params);
    if (!q.ok()) return std::nullopt;
    q->count_only = true;
    auto r = p.engine.List(p.actor(), *type, *q);
    if (!r.ok()) return std::nullopt;
    return r->total;
  }

  void Figure(const std::string& label, const char* type_name, const Params& params,
              bool warn_when_nonzero = true) {
    auto n = Count(type_name, params);
    if (!n) return;
    const auto* type = p.engine.registry().Find(type_name);
    figures.push_back(Obj({{"label", label},
                           {"value", std::to_string(*n)},
                           {"href", "/r/" + type->collection + Query(params)},
                           {"warn", warn_when_nonzero && *n > 0}}));
  }

  // Open incidents by priority: one figure per priority and a donut.
  void IncidentsByPriority(const std::string& title, const char* classes) {
    std::vector<Slice> slices;
    for (const char* prio : {"p1", "p2", "p3", "p4"}) {
      Params params = {{"filter[classification][in]", classes},
                       {"filter[state][in]", kOpenIncident},
                       {"filter[priority]", prio}};
      auto n = Count("incident", params);
      if (!n) return;
      std::string label = std::string("Open incidents, ") + prio;
      label[label.size() - 2] = 'P';
      figures.push_back(Obj({{"label", label},
                             {"value", std::to_string(*n)},
                             {"href", "/r/incidents" + Query(params)},
                             {"warn", *n > 0 && (prio[1] == '1' || prio[1] == '2')}}));
      slices.push_back({std::string(1, 'P') + (prio + 1), static_cast<double>(*n)});
    }
    charts.push_back(Obj(
        {{"svg", DonutSvg(DonutChart{.title = title, .slices = slices, .total_label = "open"})}}));
  }

  // Requirement coverage of a standard from the traceability matrix.
  void Coverage(const std::string& key) {
    auto view = p.index.View(p.actor());
    if (!view.ok()) return;
    auto m = domains::BuildMatrix(*view, key);
    if (!m.ok()) return;
    const int applicable = m->covered + m->partial + m->gaps;
    const int pct = applicable == 0 ? 0 : (m->covered * 100 + applicable / 2) / applicable;
    // "ISO/IEC 27001:2022 Information security ..." -> "ISO/IEC 27001:2022"
    const std::string& t = m->standard->title;
    const size_t colon = t.find(':');
    const std::string name =
        t.substr(0, colon == std::string::npos ? t.size() : t.find(' ', colon));
    figures.push_back(
        Obj({{"label", name + " requirements covered"},
             {"value", std::to_string(pct) + "%"},
             {"detail", std::to_string(m->covered) + " covered, " + std::to_string(m->partial) +
                            " partly, " + std::to_string(m->gaps) + " gaps"},
             {"href", "/standards/" + PercentEncode(key) + "/matrix"},
             {"warn", m->gaps > 0}}));
  }

  // Calls `fn` on every `type_name` record matching `params` the reader can
  // see, a page at a time, up to 10,000 records (a dashboard figure, not a
  // report); false when the reader may not read the type or the query fails.
  template <typename Fn>
  bool ForEach(const char* type_name, Params params, Fn fn) {
    const auto* type = p.engine.registry().Find(type_name);
    if (!type || !p.actor().Can(type->name, records::Action::kRead)) return false;
    params.emplace("limit", "500");
    for (int seen = 0; seen < 10000;) {
      auto q = p.engine.ParseList(*type, params);
      if (!q.ok()) return false;
      auto r = p.engine.List(p.actor(), *type, *q);
      if (!r.ok()) return false;
      for (const auto& record : r->items) fn(record);
      seen += static_cast<int>(r->items.size());
      if (r->next_cursor.empty()) break;
      params.erase("after");
      params.emplace("after", r->next_cursor);
    }
    return true;
  }

  // The nonconformities and documents of management system `ms` ("isms",
  // "sms" or "qms"), those of the whole IMS included.
  void Governance(const std::string& ms, const std::string& today) {
    const Params nc = {{"filter[management_system][in]", ms + ",ims"},
                       {"filter[state][ne]", "closed"}};
    Figure("Open nonconformities", "nonconformity", nc, false);
    Params overdue = nc;
    overdue.emplace("filter[due_date][lt]", today);
    Figure("Corrective actions overdue", "nonconformity", overdue);
    Figure("Documents overdue for review", "document",
           {{"filter[for_" + ms + "]", "true"},
            {"filter[state][ne]", "retired"},
            {"filter[review_date][lt]", today}});
  }

  // Open risks of `domains` on a likelihood x impact heat map.
  void RiskHeatMap(const std::string& title, const char* domains) {
    std::array<std::array<double, 5>, 5> cells{};
    auto add = [&](const nlohmann::json& risk) {
      const auto& l = risk["likelihood"];
      const auto& i = risk["impact"];
      if (l.is_number_integer() && i.is_number_integer() && l >= 1 && l <= 5 && i >= 1 && i <= 5)
        cells[5 - l.get<int>()][i.get<int>() - 1] += 1;
    };
    if (!ForEach("risk", {{"filter[domain][in]", domains}, {"filter[state][in]", kOpenRisk}}, add))
      return;
    HeatMap h{.title = title,
              .row_labels = {"5", "4", "3", "2", "1"},
              .column_labels = {"1", "2", "3", "4", "5"},
              .row_title = "Likelihood",
              .column_title = "Impact"};
    for (const auto& row : cells) h.values.emplace_back(row.begin(), row.end());
    charts.push_back(Obj({{"svg", HeatMapSvg(h)}}));
  }

  // P1 incidents of the last `days` days that took, or have already taken,
  // longer than the P1 resolution target of an agreed SLA for their service.
  // The clock runs from when the incident occurred (when it was recorded if
  // that is unknown) to when it was resolved, or to now while it is open;
  // time on hold counts, as customers experience it. Where several agreed
  // SLAs cover a service, the strictest target applies.
  void SlaBreaches(int days) {
    if (!p.actor().Can("incident", records::Action::kRead)) return;
    std::map<int64_t, int64_t> target_minutes;  // service id -> P1 target
    auto add_target = [&](const nlohmann::json& a) {
      const auto& service = a["service"];
      const auto& minutes = a["p1_resolution_minutes"];
      if (!service.is_number_integer() || !minutes.is_number_integer() || minutes <= 0) return;
      auto [it, inserted] = target_minutes.emplace(service.get<int64_t>(), minutes.get<int64_t>());
      if (!inserted) it->second = std::min(it->second, minutes.get<int64_t>());
    };
    if (!ForEach("agreement", {{"filter[kind]", "sla"}, {"filter[state]", "agreed"}}, add_target))
      return;

    const TimePoint now = p.engine.clock().Now();
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
        if (start && end - *start > std::chrono::minutes(minutes))
          breached.push_back(text("number"));
      };
      ForEach("incident",
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
    const std::string href =
        breached.empty()
            ? "/r/agreements" + Query({{"filter[kind]", "sla"}, {"filter[state]", "agreed"}})
            : "/r/incidents" + Query({{"filter[number][in]", numbers}});
    figures.push_back(
        Obj({{"label", "P1 incidents over the SLA resolution target, last " + std::to_string(days) +
                           " days"},
             {"value", std::to_string(breached.size())},
             {"detail", target_minutes.empty() ? "No agreed SLA sets a P1 resolution target."
                                               : "Against the P1 targets of agreed SLAs."},
             {"href", href},
             {"warn", !breached.empty()}}));
  }

  // Open risks of `domains` scored above the risk acceptance criterion of
  // management system `ms` (ISO/IEC 27001 6.1.2 a), set on its scope in force;
  // where none is set, a prompt to set it. Accepting a risk is its owner's
  // decision that it may stay above (ISO/IEC 27001 6.1.3 f), so accepted
  // risks are not counted. Returns the note the panel shows.
  std::string RisksAboveCriterion(const std::string& label, const char* domains,
                                  const Scopes& scopes, const char* ms) {
    if (!scopes.ok() || !p.actor().Can("risk", records::Action::kRead)) return "";
    const auto it = scopes->find(ms);
    const nlohmann::json* scope = it == scopes->end() ? nullptr : &it->second;
    const std::string system = ms == std::string("isms") ? "ISMS" : "SMS";
    if (!scope || !(*scope)["risk_acceptance_score"].is_number_integer()) {
      const std::string number = scope ? (*scope)["number"].get<std::string>() : "";
      figures.push_back(Obj(
          {{"label", system + " risk acceptance criterion"},
           {"value", "not set"},
           {"detail", scope ? "Set the risk acceptance threshold on " + number + "."
                            : "Record the " + system + " scope and its risk acceptance threshold."},
           {"href", scope ? "/r/scopes/" + number
                          : "/r/scopes" + Query({{"filter[management_system]", ms}})},
           {"warn", true}}));
      return "";
    }
    const std::string threshold = std::to_string((*scope)["risk_acceptance_score"].get<int64_t>());
    Figure(label, "risk",
           {{"filter[domain][in]", domains},
            {"filter[state][in]", kOpenRisk},
            {"filter[inherent_score][gt]", threshold}});
    return "Risk acceptance: a score above " + threshold + " of 25, set on " +
           (*scope)["number"].get<std::string>() + " (" + (*scope)["period"].get<std::string>() +
           "); accepted risks are not counted.";
  }

  Data Done(const std::string& title, const std::string& id, const std::string& note) {
    return Obj({{"title", title},
                {"id", id},
                {"note", note},
                {"figures", figures},
                {"charts", charts},
                {"empty", figures.is_list() && figures.list_value().empty()}});
  }
};

}  // namespace

void Dashboard(Page& p) {
  const std::string today = FormatTimestamp(p.engine.clock().Now()).substr(0, 10);
  Data panels = Data::type::list;

  const Scopes scopes = domains::ScopesInForce(p.engine, p.actor());

  Panel isms{p};
  const std::string isms_note = isms.RisksAboveCriterion(
      "Open security risks above the acceptance criterion", "security,both", scopes, "isms");
  isms.Figure("Security risk reviews overdue", "risk",
              {{"filter[domain][in]", "security,both"},
               {"filter[state][ne]", "closed"},
               {"filter[review_date][lt]", today}});
  isms.Figure("Open security incidents", "incident",
              {{"filter[classification][in]", "isms,both"}, {"filter[state][in]", kOpenIncident}});
  isms.Governance("isms", today);
  isms.Coverage("iso27001:2022");
  isms.RiskHeatMap("Open security risks (inherent)", "security,both");
  panels.push_back(isms.Done("Information security (ISMS)", "isms", isms_note));

  Panel sms{p};
  sms.IncidentsByPriority("Open service incidents by priority", "sms,both");
  sms.SlaBreaches(30);
  sms.Figure("Open major incidents", "incident",
             {{"filter[major]", "true"}, {"filter[state][in]", kOpenIncident}});
  sms.Figure("Open problems", "problem", {{"filter[state][in]", "new,investigating,known_error"}},
             false);
  sms.Figure("Changes awaiting approval", "change", {{"filter[state]", "submitted"}});
  const std::string sms_note = sms.RisksAboveCriterion(
      "Open service risks above the acceptance criterion", "service,both", scopes, "sms");
  sms.Figure("Supplier reviews overdue", "supplier",
             {{"filter[state][ne]", "terminated"}, {"filter[next_review][lt]", today}});
  sms.Figure("Agreements past their end date, not renewed or expired", "agreement",
             {{"filter[state]", "agreed"}, {"filter[ends_on][lt]", today}});
  sms.Governance("sms", today);
  sms.Coverage("iso20000-1:2018");
  panels.push_back(sms.Done("Service management (SMS)", "sms", sms_note));

  Panel qms{p};
  qms.Governance("qms", today);
  qms.Coverage("iso9001:2015");
  panels.push_back(qms.Done("Quality (QMS)", "qms", ""));

  SendTemplate(p, 200, "Dashboard", "dashboard", Obj({{"panels", panels}, {"today", today}}));
}

}  // namespace tandem::web

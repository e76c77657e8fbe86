// The management review's input pack (ISO/IEC 27001:2022 9.3.2, ISO/IEC
// 20000-1:2018 9.3, ISO 9001:2015 9.3.2; ISO/IEC 27013 6.3.1): every input the
// standards ask for, compiled from the live records of the review's period,
// frozen when the review is closed. An input with no records behind it yet is
// named as missing with the reason, never left out.
#include <map>
#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "core/json_access.h"
#include "core/parallel.h"
#include "domains/domains.h"
#include "domains/governance/governance.h"
#include "records/codec.h"

namespace tandem::domains {

using nlohmann::json;
using Params = std::multimap<std::string, std::string>;

namespace {

// How many rows a section lists; its figures count them all.
constexpr int kRows = 25;

// How many of the pack's reads run at once: each holds a reader connection
// while it reads.
constexpr unsigned kReadThreads = 4;

// What the pack is compiled as: the reader, without need-to-know groups, so
// that no restricted record reaches a pack (they are reviewed within their
// group). The system (the demo loader, imports) reads as a reader of every
// type.
records::Actor PackReader(const records::Actor& actor, const model::Registry& registry) {
  records::Actor reader = actor;
  reader.groups.clear();
  if (reader.system) {
    reader.system = false;
    auto grants = std::make_shared<records::Grants>();
    for (const auto& t : registry.types())
      (*grants)[t.name].actions = records::Bit(records::Action::kRead);
    reader.grants = std::move(grants);
  }
  return reader;
}

class Compiler {
 public:
  Compiler(records::Engine& engine, const records::Actor& reader, const json& review)
      : e_(engine), a_(reader), review_(review) {
    from_ = Str(review, "period_start");
    to_ = Str(review, "period_end");
    for (const char* ms : {"isms", "sms", "qms"})
      if (Flag(review, (std::string("for_") + ms).c_str())) systems_.insert(ms);
    if (systems_.empty()) systems_ = {"isms", "sms", "qms"};
  }

  // Two passes over the sections. The first only notes the lists and counts
  // each asks for; they are then read, the counts of each type in one pass
  // over its rows (Engine::CountEach: 19 passes for 50 figures), and these
  // independent reads run side by side on the database's reader
  // connections. The second pass builds the pack from the answers; what it
  // asks for that the first could not foresee (the people of each team
  // listed) it reads then.
  json Compile() {
    planning_ = true;
    Sections();
    std::vector<std::function<void()>> reads;
    for (auto& [type, wanted] : planned_)
      reads.push_back([this, &type, &wanted] {
        std::vector<records::ListQuery> queries;
        for (const auto& [key, q] : wanted) queries.push_back(q);
        auto n = e_.CountEach(a_, *e_.registry().Find(type), std::move(queries));
        for (size_t i = 0; i < wanted.size(); ++i)
          counts_.at(wanted[i].first) = n.ok() ? std::optional<int64_t>((*n)[i]) : std::nullopt;
      });
    for (auto& list : lists_)
      reads.push_back([this, &list] {
        auto r = e_.List(a_, *list.type, list.query);
        if (r.ok()) rows_.at(list.key) = std::move(r->items);
      });
    RunAll(reads, kReadThreads);
    planning_ = false;
    sections_ = json::array();
    missing_ = json::array();
    Sections();
    return {{"review",
             {{"number", Str(review_, "number")},
              {"title", Str(review_, "title")},
              {"period_start", from_},
              {"period_end", to_},
              {"chair", Str(review_, "chair")},
              {"systems", systems_}}},
            {"compiled_at", FormatTimestamp(e_.clock().Now())},
            {"sections", sections_},
            {"missing", missing_}};
  }

 private:
  void Sections() {
    PreviousActions();
    Context();
    Nonconformities();
    Objectives();
    Measures();
    Audits();
    Feedback();
    Risks();
    Improvements();
    if (Serves("isms")) SecurityPerformance();
    if (Serves("sms")) ServicePerformance();
    if (Serves("sms")) Suppliers();
    Resources();
  }

  bool Serves(const char* ms) const { return systems_.count(ms) != 0; }

  // The period as created_at bounds.
  Params InPeriod(const char* field = "created_at") const {
    const bool datetime = std::string(field).ends_with("_at");
    return {{std::string("filter[") + field + "][ge]", datetime ? from_ + "T00:00:00.000Z" : from_},
            {std::string("filter[") + field + "][lt]",
             datetime ? AddDays(to_, 1) + "T00:00:00.000Z" : AddDays(to_, 1)}};
  }

  static std::string Key(const char* type, const Params& params) {
    std::string key = type;
    for (const auto& [k, v] : params) key += "\n" + k + "=" + v;
    return key;
  }

  // How many records of `type` match; nullopt where the reader may not read
  // the type. While planning: nullopt, the count noted for the type's pass.
  std::optional<int64_t> Count(const char* type, const Params& params) {
    const std::string key = Key(type, params);
    if (auto it = counts_.find(key); it != counts_.end()) return it->second;
    if (planning_) {
      const auto* t = e_.registry().Find(type);
      if (t && a_.Can(t->name, records::Action::kRead))
        if (auto q = e_.ParseList(*t, params); q.ok()) {
          planned_[type].emplace_back(key, std::move(*q));
          counts_[key] = std::nullopt;  // answered after the pass
          return std::nullopt;
        }
    }
    return counts_[key] = CountAlone(type, params);
  }

  // A count on its own, for a filter an index answers (the people of one
  // team): quicker than one more condition in the type's pass.
  std::optional<int64_t> CountAlone(const char* type, const Params& params) {
    const auto* t = e_.registry().Find(type);
    if (!t || !a_.Can(t->name, records::Action::kRead)) return std::nullopt;
    auto q = e_.ParseList(*t, params);
    if (!q.ok()) return std::nullopt;
    q->count_only = true;
    auto r = e_.List(a_, *t, *q);
    if (!r.ok()) return std::nullopt;
    return r->total;
  }

  // The first rows of a list; none where the reader may not read the type.
  // While planning: none, the list noted for reading.
  const std::vector<json>& Rows(const char* type, Params params) {
    params.emplace("limit", std::to_string(kRows));
    const std::string key = Key(type, params);
    auto [it, fresh] = rows_.try_emplace(key);
    if (!fresh) return it->second;
    const auto* t = e_.registry().Find(type);
    if (!t || !a_.Can(t->name, records::Action::kRead)) return it->second;
    auto q = e_.ParseList(*t, params);
    if (!q.ok()) return it->second;
    if (planning_) {
      lists_.push_back({key, t, std::move(*q)});
    } else if (auto r = e_.List(a_, *t, *q); r.ok()) {
      it->second = std::move(r->items);
    }
    return it->second;
  }

  struct Section {
    json s;
    explicit Section(const std::string& key, const std::string& title,
                     std::vector<std::string> systems) {
      s = {{"key", key},      {"title", title},    {"systems", systems}, {"figures", json::array()},
           {"rows", nullptr}, {"missing", nullptr}};
    }
    void Figure(const std::string& label, std::optional<int64_t> n) {
      s["figures"].push_back({{"label", label}, {"value", n ? json(*n) : json("not readable")}});
    }
    void Figure(const std::string& label, const std::string& value) {
      s["figures"].push_back({{"label", label}, {"value", value}});
    }
    void Rows(std::vector<std::string> columns, std::vector<std::vector<std::string>> items) {
      s["rows"] = {{"columns", columns}, {"items", items}};
    }
  };

  void Add(Section section) { sections_.push_back(std::move(section.s)); }
  void Missing(Section& section, const std::string& input, const std::string& why) {
    section.s["missing"] = why;
    missing_.push_back({{"input", input}, {"why", why}});
  }

  void PreviousActions() {
    Section s("previous_actions", "Status of actions from previous management reviews",
              {"isms", "sms", "qms"});
    const std::string self = std::to_string(Int(review_, "id"));
    s.Figure("Open",
             Count("review_action", {{"filter[state]", "open"}, {"filter[review][ne]", self}}));
    s.Figure("Open and past their due date",
             Count("review_action", {{"filter[state]", "open"},
                                     {"filter[review][ne]", self},
                                     {"filter[due_date][lt]", to_}}));
    s.Figure("Completed in the period",
             Count("review_action", {{"filter[state]", "done"},
                                     {"filter[review][ne]", self},
                                     {"filter[updated_at][ge]", from_ + "T00:00:00.000Z"}}));
    std::vector<std::vector<std::string>> items;
    for (const auto& r :
         Rows("review_action",
              {{"filter[state]", "open"}, {"filter[review][ne]", self}, {"sort", "due_date"}}))
      items.push_back({Str(r, "number"), Str(r, "kind"), Str(r, "description"), Str(r, "owner"),
                       Str(r, "due_date")});
    s.Rows({"Output", "Kind", "Description", "Owner", "Due"}, items);
    Add(std::move(s));
  }

  void Context() {
    Section s("context",
              "Changes in external and internal issues, and in interested parties' "
              "needs and expectations",
              {"isms", "sms", "qms"});
    auto changed = InPeriod("updated_at");
    s.Figure("Context issues changed in the period", Count("context_issue", changed));
    s.Figure(
        "Context issues due for review",
        Count("context_issue", {{"filter[state]", "current"}, {"filter[review_date][le]", to_}}));
    s.Figure("Obligations changed in the period", Count("obligation", changed));
    s.Figure("Obligations not or partly complied with",
             Count("obligation", {{"filter[state]", "in_force"},
                                  {"filter[compliance][in]", "not_compliant,partly_compliant"}}));
    std::vector<std::vector<std::string>> items;
    auto issues = changed;
    issues.emplace("sort", "-updated_at");
    for (const auto& r : Rows("context_issue", issues))
      items.push_back({Str(r, "number"), Str(r, "title"), Str(r, "kind"), Str(r, "direction"),
                       Str(r, "state")});
    s.Rows({"Issue", "Title", "Kind", "Risk or opportunity", "State"}, items);
    Add(std::move(s));
  }

  void Nonconformities() {
    Section s("nonconformities", "Nonconformities and corrective actions", {"isms", "sms", "qms"});
    std::string systems = "ims";
    for (const auto& ms : systems_) systems += "," + ms;
    auto raised = InPeriod();
    raised.emplace("filter[management_system][in]", systems);
    s.Figure("Raised in the period", Count("nonconformity", raised));
    auto closed = InPeriod("updated_at");
    closed.emplace("filter[management_system][in]", systems);
    closed.emplace("filter[state]", "closed");
    s.Figure("Closed in the period", Count("nonconformity", closed));
    s.Figure("Open", Count("nonconformity", {{"filter[management_system][in]", systems},
                                             {"filter[state][ne]", "closed"}}));
    s.Figure(
        "Corrective actions past their due date",
        Count("corrective_action", {{"filter[state]", "open"}, {"filter[due_date][lt]", to_}}));
    std::vector<std::vector<std::string>> items;
    for (const auto& r : Rows("nonconformity", {{"filter[management_system][in]", systems},
                                                {"filter[state][ne]", "closed"},
                                                {"sort", "due_date"}}))
      items.push_back({Str(r, "number"), Str(r, "title"), Str(r, "severity"), Str(r, "source"),
                       Str(r, "state"), Str(r, "due_date")});
    s.Rows({"Nonconformity", "Title", "Severity", "Source", "State", "Due"}, items);
    Add(std::move(s));
  }

  void Objectives() {
    Section s("objectives", "Fulfilment of objectives", {"isms", "sms", "qms"});
    for (const char* state : {"approved", "achieved", "not_achieved"})
      s.Figure(std::string("Objectives ") + (std::string(state) == "approved"   ? "in progress"
                                             : std::string(state) == "achieved" ? "achieved"
                                                                                : "not achieved"),
               Count("objective", {{"filter[state]", state}}));
    s.Figure("In progress and past their due date",
             Count("objective", {{"filter[state]", "approved"}, {"filter[due_date][lt]", to_}}));
    std::vector<std::vector<std::string>> items;
    for (const auto& r : Rows("objective", {{"filter[state][in]", "approved,achieved,not_achieved"},
                                            {"sort", "due_date"}}))
      items.push_back({Str(r, "number"), Str(r, "title"), Str(r, "target"), Str(r, "owner"),
                       Str(r, "due_date"), Str(r, "state")});
    s.Rows({"Objective", "Title", "Target", "Owner", "Due", "State"}, items);
    if (!Count("objective", {}).value_or(0))
      Missing(s, "Objectives", "no objectives are recorded (ISO/IEC 27001 6.2, 20000-1 6.2)");
    Add(std::move(s));
  }

  void Measures() {
    Section s("measures", "Monitoring and measurement results", {"isms", "sms", "qms"});
    int64_t active = 0;  // every active measure has one of the four statuses
    for (const char* status : {"on_target", "warning", "off_target", "no_data"}) {
      const auto n = Count("measure", {{"filter[state]", "active"}, {"filter[status]", status}});
      active += n.value_or(0);
      s.Figure(std::string("Measures ") + (std::string(status) == "on_target"    ? "on target"
                                           : std::string(status) == "warning"    ? "at warning"
                                           : std::string(status) == "off_target" ? "off target"
                                                                                 : "without data"),
               n);
    }
    s.Figure("Measurements taken in the period", Count("measurement", InPeriod("taken_on")));
    std::vector<std::vector<std::string>> items;
    for (const auto& r : Rows("measure", {{"filter[state]", "active"}, {"sort", "status"}}))
      items.push_back({Str(r, "number"), Str(r, "title"), Str(r, "kind"),
                       At(r, "latest_value").is_number() ? r["latest_value"].dump() : "",
                       r["target"].dump(), Str(r, "unit"), Str(r, "status")});
    s.Rows({"Measure", "Title", "Kind", "Latest", "Target", "Unit", "Status"}, items);
    if (active == 0)
      Missing(s, "Monitoring and measurement results", "no measures are defined (clause 9.1)");
    Add(std::move(s));
  }

  void Audits() {
    Section s("audits", "Audit results", {"isms", "sms", "qms"});
    auto held = InPeriod("held_on");
    const auto audits_held = Count("audit", held);
    s.Figure("Audits held in the period", audits_held);
    for (const char* kind : {"major_nc", "minor_nc", "observation", "opportunity"}) {
      auto f = InPeriod();
      f.emplace("filter[kind]", kind);
      s.Figure(
          std::string("Findings: ") + (std::string(kind) == "major_nc"   ? "major nonconformities"
                                       : std::string(kind) == "minor_nc" ? "minor nonconformities"
                                       : std::string(kind) == "observation" ? "observations"
                                                                            : "opportunities"),
          Count("audit_finding", f));
    }
    std::vector<std::vector<std::string>> items;
    held.emplace("sort", "held_on");
    for (const auto& r : Rows("audit", held))
      items.push_back({Str(r, "number"), Str(r, "title"), Str(r, "standards"),
                       Str(r, "lead_auditor"), Str(r, "held_on"), Str(r, "state")});
    s.Rows({"Audit", "Title", "Standards", "Lead auditor", "Held on", "State"}, items);
    if (!audits_held.value_or(0)) Missing(s, "Audit results", "no audit was held in the period");
    Add(std::move(s));
  }

  void Feedback() {
    Section s("feedback", "Feedback from interested parties and complaints",
              {"isms", "sms", "qms"});
    auto complaints = InPeriod();
    complaints.emplace("filter[source]", "complaint");
    s.Figure("Nonconformities raised from complaints", Count("nonconformity", complaints));
    s.Figure("Improvements proposed from complaints", Count("improvement", complaints));
    s.Figure("Interested parties due for review",
             Count("interested_party", {{"filter[review_date][le]", to_}}));
    Missing(s, "Customer satisfaction and complaints",
            "no customer feedback is recorded yet: surveys and complaints come with the customer "
            "records of service delivery");
    Add(std::move(s));
  }

  void Risks() {
    Section s("risks", "Results of risk assessment and status of risk treatment", {"isms", "sms"});
    for (const char* domain : {"security", "service", "both"}) {
      s.Figure(std::string("Open ") + domain + " risks",
               Count("risk", {{"filter[domain]", domain},
                              {"filter[state][in]", "identified,assessed,in_treatment"}}));
    }
    s.Figure("In treatment", Count("risk", {{"filter[state]", "in_treatment"}}));
    auto accepted = InPeriod("updated_at");
    accepted.emplace("filter[state]", "accepted");
    s.Figure("Accepted (changed in the period)", Count("risk", accepted));
    s.Figure("Overdue for review",
             Count("risk", {{"filter[state][ne]", "closed"}, {"filter[review_date][lt]", to_}}));
    std::vector<std::vector<std::string>> items;
    for (const auto& r : Rows(
             "risk", {{"filter[state][in]", "assessed,in_treatment"}, {"sort", "-inherent_score"}}))
      items.push_back({Str(r, "number"), Str(r, "title"), Str(r, "domain"),
                       At(r, "inherent_score").dump(), At(r, "residual_score").dump(),
                       Str(r, "treatment"), Str(r, "state")});
    s.Rows({"Risk", "Title", "Domain", "Inherent", "Residual", "Treatment", "State"}, items);
    Add(std::move(s));
  }

  void Improvements() {
    Section s("improvements", "Opportunities for continual improvement", {"isms", "sms", "qms"});
    s.Figure("Proposed in the period", Count("improvement", InPeriod()));
    for (const char* state : {"proposed", "approved", "implementing", "implemented"})
      s.Figure(std::string("Improvements ") + state,
               Count("improvement", {{"filter[state]", state}}));
    std::vector<std::vector<std::string>> items;
    for (const auto& r :
         Rows("improvement",
              {{"filter[state][in]", "proposed,approved,implementing"}, {"sort", "target_date"}}))
      items.push_back(
          {Str(r, "number"), Str(r, "title"), Str(r, "source"), Str(r, "owner"), Str(r, "state")});
    s.Rows({"Improvement", "Title", "Source", "Owner", "State"}, items);
    Add(std::move(s));
  }

  void SecurityPerformance() {
    Section s("security_performance", "Information security performance", {"isms"});
    auto incidents = InPeriod();
    incidents.emplace("filter[classification][in]", "isms,both");
    s.Figure("Security incidents and events recorded in the period", Count("incident", incidents));
    s.Figure("Control effectiveness measures off target",
             Count("measure",
                   {{"filter[kind]", "control_effectiveness"}, {"filter[status]", "off_target"}}));
    s.Figure("Evidence past its validity",
             Count("evidence", {{"filter[state]", "current"}, {"filter[valid_until][lt]", to_}}));
    s.Figure("Evidence requested and not provided",
             Count("evidence", {{"filter[state]", "requested"}}));
    Add(std::move(s));
  }

  void ServicePerformance() {
    Section s("service_performance", "Service performance", {"sms"});
    for (const char* p : {"p1", "p2", "p3", "p4"}) {
      auto f = InPeriod();
      f.emplace("filter[priority]", p);
      f.emplace("filter[classification][in]", "sms,both");
      s.Figure(
          std::string("Incidents recorded, ") + static_cast<char>(std::toupper(p[0])) + (p + 1),
          Count("incident", f));
    }
    auto major = InPeriod();
    major.emplace("filter[major]", "true");
    s.Figure("Major incidents", Count("incident", major));
    auto changes = InPeriod("updated_at");
    changes.emplace("filter[state][in]", "implemented,reviewed,closed");
    s.Figure("Changes implemented or closed", Count("change", changes));
    Missing(s, "SLA compliance per target",
            "service level figures come from the SLA clock ledger, which is not recorded yet");
    Add(std::move(s));
  }

  void Suppliers() {
    Section s("suppliers", "Performance of external suppliers and other parties", {"sms"});
    s.Figure("Supplier reviews overdue", Count("supplier", {{"filter[state][ne]", "terminated"},
                                                            {"filter[next_review][lt]", to_}}));
    Missing(s, "Supplier performance against contract targets",
            "no supplier performance reviews are recorded yet");
    Add(std::move(s));
  }

  void Resources() {
    Section s("resources", "Adequacy of resources and capacity", {"isms", "sms", "qms"});
    // Counts per team; full-time equivalents and competence gaps are the
    // capacity view's (GET /capacity/teams), which reads every person.
    s.Figure("Active people", Count("person", {{"filter[active]", "true"}}));
    std::vector<std::vector<std::string>> items;
    for (const auto& u : Rows("org_unit", {{"sort", "name"}})) {
      auto n = CountAlone("person", {{"filter[active]", "true"},
                                     {"filter[org_unit]", std::to_string(Int(u, "id"))}});
      if (n && *n > 0) items.push_back({Str(u, "name"), std::to_string(*n)});
    }
    s.Rows({"Team", "Active people"}, items);
    s.Figure("Training expiring or expired by the end of the period",
             Count("training_record", {{"filter[expires_on][le]", to_}}));
    if (Serves("sms"))
      Missing(s, "Technical capacity", "no capacity plans or utilisation figures are recorded yet");
    Add(std::move(s));
  }

  records::Engine& e_;
  const records::Actor& a_;
  const json& review_;
  std::string from_, to_;
  std::set<std::string> systems_;
  json sections_ = json::array();
  json missing_ = json::array();
  bool planning_ = false;
  std::map<std::string, std::vector<std::pair<std::string, records::ListQuery>>> planned_;
  std::map<std::string, std::optional<int64_t>> counts_;  // by Key
  std::map<std::string, std::vector<json>> rows_;         // by Key
  struct List {
    std::string key;
    const model::RecordType* type;
    records::ListQuery query;
  };
  std::vector<List> lists_;  // the lists to read
};

}  // namespace

Result<json> CompileReviewPack(records::Engine& engine, const records::Actor& actor,
                               int64_t review_id) {
  TANDEM_ASSIGN_OR_RETURN(
      json review, engine.Get(actor, *engine.registry().Find("management_review"), review_id));
  const records::Actor reader = PackReader(actor, engine.registry());
  return Compiler(engine, reader, review).Compile();
}

Result<json> ReviewPack(records::Engine& engine, const records::Actor& actor, int64_t review_id) {
  const auto& type = *engine.registry().Find("management_review");
  TANDEM_ASSIGN_OR_RETURN(json review, engine.Get(actor, type, review_id));
  if (Str(review, "state") == "closed") {
    // The frozen pack is an internal field: read as the system, the reader's
    // access having been checked by the Get above.
    TANDEM_ASSIGN_OR_RETURN(json stored,
                            engine.Get(records::SystemActor("review-pack"), type, review_id));
    if (stored["pack"].is_object()) {
      json pack = stored["pack"];
      pack["frozen_at"] = stored["pack_frozen_at"];
      return pack;
    }
  }
  TANDEM_ASSIGN_OR_RETURN(json pack, CompileReviewPack(engine, actor, review_id));
  pack["frozen_at"] = nullptr;
  return pack;
}

Report ReviewPackReport(const json& pack) {
  const json& r = pack["review"];
  std::string systems;
  for (const auto& ms : r["systems"]) {
    const std::string s = ms.get<std::string>();
    systems += (systems.empty() ? "" : ", ") + (s == "isms"  ? std::string("ISMS")
                                                : s == "sms" ? std::string("SMS")
                                                             : std::string("QMS"));
  }
  Report report{
      .title = "Management review: " + Str(r, "title"),
      .subtitle = Str(r, "number") + ", input pack for " + systems,
      .facts = {{"Period", Str(r, "period_start") + " to " + Str(r, "period_end")},
                {"Chair", Str(r, "chair")},
                {"Compiled at", Str(pack, "compiled_at")},
                {"Frozen", At(pack, "frozen_at").is_string() ? Str(pack, "frozen_at")
                                                             : "no: live figures of the records"}},
      .footer = Str(r, "number") + " management review input pack"};
  if (!pack["missing"].empty()) {
    ReportSection missing{.heading = "Inputs without data"};
    ReportTable t{.columns = {"Input", "Why it is missing"}, .widths = {1, 2}};
    for (const auto& m : pack["missing"]) t.rows.push_back({Str(m, "input"), Str(m, "why")});
    missing.blocks.push_back(Table(t));
    report.sections.push_back(missing);
  }
  for (const auto& s : pack["sections"]) {
    ReportSection section{.heading = Str(s, "title")};
    std::vector<std::pair<std::string, std::string>> facts;
    for (const auto& f : s["figures"])
      facts.push_back({Str(f, "label"),
                       f["value"].is_string() ? f["value"].get<std::string>() : f["value"].dump()});
    if (!facts.empty()) section.blocks.push_back(Facts(facts));
    if (s["missing"].is_string()) section.blocks.push_back(Note("Missing: " + Str(s, "missing")));
    if (s["rows"].is_object()) {
      ReportTable t{.columns = s["rows"]["columns"].get<std::vector<std::string>>()};
      for (const auto& row : s["rows"]["items"])
        t.rows.push_back(row.get<std::vector<std::string>>());
      section.blocks.push_back(Table(t));
    }
    report.sections.push_back(section);
  }
  return report;
}

void RegisterReviewHooks(records::HookRegistry& hooks, records::Engine* const* engine) {
  hooks.OnTransition("management_review", "hold", [](records::HookContext& ctx) -> Status {
    if (!IsSet(ctx.after, "held_on")) ctx.after["held_on"] = DateOf(ctx.clock.Now());
    return Status::Ok();
  });
  // Closing freezes the pack as it stands: what the review saw is what an
  // auditor reads later, whatever the records become.
  hooks.OnTransition("management_review", "close", [engine](records::HookContext& ctx) -> Status {
    if (!IsSet(ctx.after, "minutes"))
      return MissingFields("closing a management review",
                           {{"minutes", "record the conclusions and decisions"}});
    TANDEM_ASSIGN_OR_RETURN(json pack,
                            CompileReviewPack(**engine, ctx.actor, Int(ctx.after, "id")));
    ctx.after["pack"] = std::move(pack);
    ctx.after["pack_frozen_at"] = FormatTimestamp(ctx.clock.Now());
    return Status::Ok();
  });
}

}  // namespace tandem::domains

// tandem-bench-review: building a management review's input pack at the
// product's target scale (docs/performance.md, "Management review pack").
//
// Creates N records (default 100,000) of every kind the pack reads (people
// and teams, interested parties, obligations, context issues, objectives,
// measures and measurements, risks, incidents, changes, suppliers, evidence,
// nonconformities and corrective actions, audits and findings, improvements,
// reviews and their outputs, training records) through the record engine,
// all dated within the review's period so that every figure counts them,
// then asks for the pack of a review of all three systems as top management
// would: GET /api/v1/management-reviews/1/pack handled in process (session
// check, every count and list of the pack, JSON), and the web page of the
// pack (the same plus the report's HTML).
#include <httplib.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <functional>
#include <iostream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "app/app.h"
#include "http/api.h"
#include "in_process.h"
#include "requests.h"
#include "web/web.h"

namespace tandem::bench {
namespace {

using nlohmann::json;

constexpr size_t kBatch = 1000;       // records per CreateBatch (one transaction)
constexpr int kStartedAudits = 1000;  // findings are recorded in audits under way
constexpr const char* kPassword = "bench-password-not-secret-1";

// A date in 2026, spread over the year.
std::string DateIn2026(std::mt19937_64& rng) {
  char out[11];
  std::snprintf(out, sizeof out, "2026-%02d-%02d", static_cast<int>(1 + rng() % 12),
                static_cast<int>(1 + rng() % 28));
  return out;
}

template <size_t N>
const char* Pick(std::mt19937_64& rng, const char* const (&values)[N]) {
  return values[rng() % N];
}

// Creates `n` records of `type`, body i from `make(i)` (i from 0).
void Create(records::Engine& engine, const char* type_name, int n,
            const std::function<json(int)>& make) {
  const auto& type = *engine.registry().Find(type_name);
  const records::Actor system = records::SystemActor("bench");
  const auto start = Clock::now();
  std::vector<json> batch;
  for (int i = 0; i < n; ++i) {
    batch.push_back(make(i));
    if (batch.size() == kBatch || i + 1 == n) {
      Check(engine.CreateBatch(system, type, batch), std::string("creating ") + type_name);
      batch.clear();
    }
  }
  std::printf("  %-18s %8d in %6.1f s\n", type_name, n, Ms(Clock::now() - start) / 1000);
  std::fflush(stdout);
}

void Seed(records::Engine& engine, int n) {
  std::mt19937_64 rng(1);
  auto date = [&] { return DateIn2026(rng); };
  auto id = [&](int i) { return 1 + i % n; };  // the i-th record of another kind
  const char* const systems[] = {"isms", "sms", "qms", "ims"};
  const char* const levels[] = {"high", "medium", "low"};
  Create(engine, "org_unit", n, [&](int i) { return json{{"name", "Team " + std::to_string(i)}}; });
  Create(engine, "person", n, [&](int i) {
    return json{{"name", "Person " + std::to_string(i)}, {"org_unit", id(i * 7)}};
  });
  Create(engine, "interested_party", n, [&](int i) {
    return json{{"name", "Party " + std::to_string(i)},
                {"kind", Pick(rng, {"customer", "regulator", "supplier", "staff"})},
                {"review_date", date()}};
  });
  Create(engine, "obligation", n, [&](int i) {
    return json{{"title", "Obligation " + std::to_string(i)},
                {"kind", Pick(rng, {"legal", "regulatory", "contractual", "customer"})},
                {"compliance",
                 Pick(rng, {"not_assessed", "compliant", "partly_compliant", "not_compliant"})}};
  });
  Create(engine, "context_issue", n, [&](int i) {
    return json{{"title", "Issue " + std::to_string(i)},
                {"kind", Pick(rng, {"internal", "external"})},
                {"direction", Pick(rng, {"risk", "opportunity", "both"})},
                {"review_date", date()}};
  });
  Create(engine, "objective", n, [&](int i) {
    return json{{"title", "Objective " + std::to_string(i)},
                {"owner", "boss"},
                {"target", "95% by the end of the year"},
                {"due_date", date()}};
  });
  Create(engine, "measure", n, [&](int i) {
    return json{{"title", "Measure " + std::to_string(i)},
                {"definition", "Share of the month's cases on time"},
                {"kind", Pick(rng, {"control_effectiveness", "process_performance",
                                    "service_performance"})},
                {"frequency", "monthly"},
                {"direction", "higher"},
                {"target", 95},
                {"warning", 90}};
  });
  Create(engine, "measurement", n, [&](int i) {
    return json{
        {"measure", id(i)}, {"taken_on", date()}, {"value", 80 + static_cast<int>(rng() % 20)}};
  });
  Create(engine, "risk", n, [&](int i) {
    return json{{"title", "Risk " + std::to_string(i)},
                {"domain", Pick(rng, {"security", "service", "both"})},
                {"likelihood", 1 + static_cast<int>(rng() % 5)},
                {"impact", 1 + static_cast<int>(rng() % 5)}};
  });
  Create(engine, "incident", n, [&](int i) {
    return json{{"title", "Mail degraded for site " + std::to_string(i % 40)},
                {"kind", "incident"},
                {"classification", Pick(rng, {"sms", "isms", "both"})},
                {"impact", Pick(rng, levels)},
                {"urgency", Pick(rng, levels)}};
  });
  Create(engine, "change", n, [&](int i) {
    return json{
        {"title", "Change " + std::to_string(i)}, {"kind", "normal"}, {"risk_level", "low"}};
  });
  Create(engine, "supplier", n, [&](int i) {
    return json{{"name", "Supplier " + std::to_string(i)},
                {"kind", "external_supplier"},
                {"criticality", Pick(rng, {"low", "medium", "high", "critical"})},
                {"next_review", date()}};
  });
  Create(engine, "element", n, [&](int i) {
    return json{{"title", "Procedure " + std::to_string(i)},
                {"kind", "procedure"},
                {"integration", "separate"},
                {"integration_rationale", "One system only"},
                {"for_isms", true}};
  });
  Create(engine, "evidence", n, [&](int i) {
    return json{{"title", "Evidence " + std::to_string(i)},
                {"shows", "The procedure ran"},
                {"element", id(i)},
                {"link", "IMS share"},
                {"valid_until", date()}};
  });
  Create(engine, "nonconformity", n, [&](int i) {
    return json{{"title", "Nonconformity " + std::to_string(i)},
                {"source", Pick(rng, {"internal_audit", "incident", "complaint", "measurement"})},
                {"management_system", Pick(rng, systems)},
                {"severity", Pick(rng, {"major", "minor"})},
                {"due_date", date()}};
  });
  Create(engine, "corrective_action", n, [&](int i) {
    return json{{"nonconformity", id(i)},
                {"kind", "corrective_action"},
                {"action", "Fix the cause"},
                {"owner", "boss"},
                {"due_date", date()}};
  });
  Create(engine, "audit", n, [&](int i) {
    const std::string on = date();
    return json{{"title", "Audit " + std::to_string(i)},
                {"standards", "iso27001:2022"},
                {"lead_auditor", "rita"},
                {"planned_on", on},
                {"held_on", on}};
  });
  {
    const auto& audit = *engine.registry().Find("audit");
    const records::Actor system = records::SystemActor("bench");
    for (int i = 1; i <= std::min(n, kStartedAudits); ++i)
      Check(engine.Transition(system, audit, i, "start", std::nullopt), "starting an audit");
  }
  Create(engine, "audit_finding", n, [&](int i) {
    return json{{"audit", 1 + i % std::min(n, kStartedAudits)},
                {"kind", Pick(rng, {"major_nc", "minor_nc", "observation", "opportunity"})},
                {"title", "Finding " + std::to_string(i)},
                {"description", "What the auditor saw"}};
  });
  Create(engine, "improvement", n, [&](int i) {
    return json{{"title", "Improvement " + std::to_string(i)},
                {"source", Pick(rng, {"audit", "complaint", "suggestion", "measurement"})},
                {"description", "A better way"},
                {"for_isms", true}};
  });
  Create(engine, "management_review", n, [&](int i) {
    return json{{"title", "Review " + std::to_string(i)},
                {"period_start", "2026-01-01"},
                {"period_end", "2026-12-31"},
                {"chair", "boss"},
                {"for_isms", true},
                {"for_sms", true},
                {"for_qms", true}};
  });
  Create(engine, "review_action", n, [&](int i) {
    return json{{"review", id(i)},
                {"kind", Pick(rng, {"decision", "action", "resource_need"})},
                {"description", "Do what was decided"},
                {"owner", "boss"},
                {"due_date", date()}};
  });
  Create(engine, "competence", n, [&](int i) {
    return json{
        {"title", "Competence " + std::to_string(i)}, {"kind", "skill"}, {"validity_months", 12}};
  });
  Create(engine, "training_record", n, [&](int i) {
    return json{{"person", id(i)},
                {"competence", id(i)},
                {"kind", "training"},
                {"completed_on", "2025-" + DateIn2026(rng).substr(5)}};
  });
}

}  // namespace
}  // namespace tandem::bench

int main(int argc, char** argv) {
  using namespace tandem;
  using namespace tandem::bench;
  CLI::App cli{"Building a management review's input pack over N records of each kind"};
  std::string db;
  int records = 100000, iterations = 50;
  cli.add_option("--db", db,
                 "database URL (default: a fresh SQLite file in a temporary directory); one "
                 "this benchmark seeded before is reused as it is");
  cli.add_option("--records", records, "records of each kind")->check(CLI::Range(10, 10000000));
  cli.add_option("--iterations", iterations, "requests per case")->check(CLI::Range(5, 100000));
  CLI11_PARSE(cli, argc, argv);

  const ScratchDatabase scratch(db, "review.db");
  db = scratch.url();
  std::printf(
      "Tandem management review pack benchmark: %d records of each kind, %d requests "
      "per case\n",
      records, iterations);
  std::printf("machine: %ld CPUs, %s; %s build\n", sysconf(_SC_NPROCESSORS_ONLN),
              CpuModel().c_str(), TANDEM_BUILD_TYPE);
  std::fflush(stdout);

  auto app = Check(app::OpenApp(db), "opening the database");
  Check(app::LoadBuiltinContent(*app), "loading the catalogs");  // audits name a standard
  const records::Actor system = records::SystemActor("bench");
  // A database this benchmark seeded before is used as it is (--db names it).
  const auto& reviews = *app->engine->registry().Find("management_review");
  auto seeded = Check(app->engine->ParseList(reviews, {{"limit", "1"}}), "query");
  if (Check(app->engine->List(system, reviews, seeded), "list").items.empty()) {
    for (const char* user : {"boss", "rita"})
      Check(app->auth->CreateUser(
                system, {{"username", user},
                         {"password", kPassword},
                         {"roles", {user == std::string("boss") ? "top_management" : "auditor"}}}),
            "creating the users");
    const auto seeding = bench::Clock::now();
    Seed(*app->engine, records);
    std::printf("created %d records of each kind in %.1f s\n", records,
                Ms(bench::Clock::now() - seeding) / 1000);
  } else {
    std::printf("reusing the records of %s\n", db.c_str());
  }
  if (app->db->dialect() == store::Dialect::kPostgres)
    Check(app->db->Write([](store::Connection& c) { return c.ExecScript("ANALYZE"); }),
          "analyzing the tables");
  auto session = Check(app->auth->Login("boss", kPassword, "127.0.0.1"), "signing in");

  auto service = Check(app::Serve(*app, {}), "serving");
  const Handler api = [&](const auto& req, auto& res) { service->api->Handle(req, res); };
  const Handler pages = [&](const auto& req, auto& res) { service->web->Handle(req, res); };
  std::printf("\n%-40s %9s %9s %9s %9s %9s\n", "the pack of MR-000001", "p50 ms", "p95 ms",
              "max ms", "cpu ms", "KiB");
  if (!TimeGets(api,
                {"GET /api/v1/management-reviews/1/pack",
                 "/api/v1/management-reviews/1/pack",
                 {},
                 "\"sections\""},
                session.session_id, iterations, 3, 40) ||
      !TimeGets(pages,
                {"GET /governance/reviews/MR-000001/pack",
                 "/governance/reviews/MR-000001/pack",
                 {},
                 "Inputs without data"},
                session.session_id, iterations, 3, 40))
    return 1;
  service.reset();
  app.reset();
  return 0;
}

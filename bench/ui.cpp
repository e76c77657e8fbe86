// tandem-bench-ui: server-side render time of the web UI's list page at the
// product's target scale (docs/performance.md, "Web UI").
//
// Creates N incidents (default 100,000) through the record engine, signs a
// user in, then calls the web UI's request handler in process, as the HTTP
// server does: session check, list query, view model, template rendering
// and the page layout, i.e. everything but the socket. Each case but the
// last is a 50-row page of /r/incidents: the first page, a later page (keyset
// cursor), a filtered, a sorted and a searched one. The last is the dashboard,
// whose figures count over the same 100,000 incidents.
#include <httplib.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "app/app.h"
#include "in_process.h"
#include "requests.h"
#include "web/web.h"

namespace tandem::bench {
namespace {

using nlohmann::json;
using SteadyClock = std::chrono::steady_clock;

constexpr size_t kBatch = 1000;  // incidents per CreateBatch (one transaction)
constexpr const char* kPassword = "bench-password-not-secret-1";

void Seed(records::Engine& engine, int n) {
  const auto& type = *engine.registry().Find("incident");
  const records::Actor system = records::SystemActor("bench");
  std::mt19937_64 rng(1);
  const char* levels[] = {"high", "medium", "low"};
  const char* classes[] = {"sms", "isms", "both"};
  const char* words[] = {"mail", "VPN", "payroll", "backup", "login", "storage", "DNS", "printer"};
  std::vector<json> batch;
  for (int i = 0; i < n; ++i) {
    batch.push_back({{"title", std::string(words[rng() % 8]) + " " + words[rng() % 8] +
                                   " degraded for site " + std::to_string(rng() % 40)},
                     {"description", "Users report slow responses; see the monitoring graphs."},
                     {"kind", "incident"},
                     {"classification", classes[rng() % 3]},
                     {"impact", levels[rng() % 3]},
                     {"urgency", levels[rng() % 3]},
                     {"assignee", "t.walsh"}});
    if (batch.size() == kBatch || i + 1 == n) {
      Check(engine.CreateBatch(system, type, batch), "creating incidents");
      batch.clear();
    }
  }
}

}  // namespace
}  // namespace tandem::bench

int main(int argc, char** argv) {
  using namespace tandem;
  using namespace tandem::bench;
  CLI::App cli{"Server-side render time of the web UI's 50-row list page"};
  std::string db;
  int records = 100000, iterations = 500;
  cli.add_option("--db", db,
                 "database URL (default: a fresh SQLite file in a temporary directory)");
  cli.add_option("--records", records, "incidents to create")->check(CLI::Range(1, 10000000));
  cli.add_option("--iterations", iterations, "requests per case")->check(CLI::Range(10, 100000));
  CLI11_PARSE(cli, argc, argv);

  const ScratchDatabase scratch(db, "ui.db");
  db = scratch.url();
  std::printf("Tandem web UI benchmark: %d incidents, %d requests per case\n", records, iterations);
  std::printf("machine: %ld CPUs, %s; %s build\n", sysconf(_SC_NPROCESSORS_ONLN),
              CpuModel().c_str(), TANDEM_BUILD_TYPE);
  std::fflush(stdout);

  auto app = Check(app::OpenApp(db), "opening the database");
  auto t0 = SteadyClock::now();
  Seed(*app->engine, records);
  std::printf("created %d incidents in %.1f s\n", records,
              std::chrono::duration<double>(SteadyClock::now() - t0).count());
  // PostgreSQL plans from table statistics, which autovacuum gathers within
  // a minute or so of a bulk load (and `tandem import` at once). Without them
  // it scans the whole table for a first page, which no running server sees.
  if (app->db->dialect() == store::Dialect::kPostgres) {
    Check(app->db->Write([](store::Connection& c) { return c.ExecScript("ANALYZE rec_incident"); }),
          "analyzing the table");
  }
  const records::Actor system = records::SystemActor("bench");
  Check(app->auth->CreateUser(
            system,
            {{"username", "reader"}, {"password", kPassword}, {"roles", {"service_manager"}}}),
        "creating the user");
  auto session = Check(app->auth->Login("reader", kPassword, "127.0.0.1"), "signing in");

  // A cursor into the middle of the list, as a "Next page" link carries.
  const auto& type = *app->engine->registry().Find("incident");
  std::string middle;
  for (int seen = 0; seen < records / 2; seen += 500) {
    std::multimap<std::string, std::string> params = {{"limit", "500"}};
    if (!middle.empty()) params.emplace("after", middle);
    auto q = Check(app->engine->ParseList(type, params), "query");
    middle = Check(app->engine->List(system, type, q), "list").next_cursor;
  }

  auto service = Check(app::Serve(*app, {}), "serving");
  const Handler pages = [&](const auto& req, auto& res) { service->web->Handle(req, res); };
  const char* const list = "<table class=\"list\">";  // the page rendered, not an error
  const std::vector<GetCase> cases = {
      {"first page", "/r/incidents", {}, list},
      {"a middle page (keyset cursor)", "/r/incidents", {{"after", middle}}, list},
      {"filtered: open P1, SMS or both",
       "/r/incidents",
       {{"filter[priority]", "p1"},
        {"filter[state][in]", "new,in_progress"},
        {"filter[classification][in]", "sms,both"}},
       list},
      {"sorted by priority, descending", "/r/incidents", {{"sort", "-priority"}}, list},
      {"search: two words", "/r/incidents", {{"q", "mail degraded"}}, list},
      {"GET / (the dashboard)", "/", {}, "<h1>Dashboard</h1>"},
  };
  std::printf("\n%-34s %9s %9s %9s %9s %9s\n", "GET /r/incidents (50 rows)", "p50 ms", "p95 ms",
              "max ms", "cpu ms", "KiB");
  for (const auto& c : cases)
    if (!TimeGets(pages, c, session.session_id, iterations, 20, 34)) return 1;
  service.reset();
  app.reset();
  return 0;
}

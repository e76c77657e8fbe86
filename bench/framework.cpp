// tandem-bench-framework: large custom frameworks (docs/performance.md,
// "Large frameworks").
//
// (1) Another user's writes while a framework is imported: a CSV catalog of
//     --import-entries entries is imported as an ordinary user, as
//     POST /standards/import does, while a second thread creates incidents
//     one after another; their latencies say how long the import kept the
//     single writer from everyone else.
// (2) The traceability matrix of a --large-entries framework: the standards
//     index's refresh after it was loaded, then matrix requests as a reader
//     who sees everything (served from the memo after the first) and as one
//     who does not (a restricted element exists), which is worked out per
//     request.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "app/app.h"
#include "domains/domains.h"
#include "domains/standards/import.h"
#include "domains/standards/index.h"
#include "domains/standards/queries.h"
#include "in_process.h"

namespace tandem::bench {
namespace {

using nlohmann::json;

struct Options {
  std::string db;  // empty: a fresh SQLite database in a temporary directory
  int import_entries = 15000;
  int large_entries = 150000;
  int iterations = 10;
};

// A user holding every action on every type, as an administrator's token
// would, but not the system: hooks and checks run as for a request.
records::Actor User(const model::Registry& registry, std::string name) {
  auto grants = std::make_shared<records::Grants>();
  for (const auto& t : registry.types()) (*grants)[t.name].actions = ~records::ActionMask{0};
  records::Actor a;
  a.name = std::move(name);
  a.grants = std::move(grants);
  return a;
}

// A catalog of `n` entries: groups of ten controls, each group under one of
// a hundred domains, so the matrix rolls parts up into what holds them.
std::string CsvCatalog(int n) {
  std::string csv = "ref,title,parent\n";
  for (int i = 0; i < n; ++i) {
    const int group = (i - 100) / 11, domain = group % 100;
    if (i < 100) {
      csv += "D" + std::to_string(i) + ",Domain " + std::to_string(i) + ",\n";
    } else if ((i - 100) % 11 == 0) {
      csv += "G" + std::to_string(group) + ",Control group " + std::to_string(group) + ",D" +
             std::to_string(domain) + "\n";
    } else {
      csv += "C" + std::to_string(i) + ",Control " + std::to_string(i) + " of group " +
             std::to_string(group) + ",G" + std::to_string(group) + "\n";
    }
  }
  return csv;
}

void PrintLatencies(const char* what, std::vector<double> ms) {
  if (ms.empty()) {
    std::printf("  %-44s none completed\n", what);
    return;
  }
  std::sort(ms.begin(), ms.end());
  std::printf("  %-44s n=%zu p50 %.2f ms, p99 %.2f ms, max %.2f ms\n", what, ms.size(),
              Percentile(ms, 0.5), Percentile(ms, 0.99), ms.back());
}

void ImportWhileWriting(app::App& app, const Options& o) {
  records::Engine& engine = *app.engine;
  const records::Actor importer = User(engine.registry(), "importer");
  const records::Actor writer = User(engine.registry(), "writer");
  const auto& incident = *engine.registry().Find("incident");
  const std::string csv = CsvCatalog(o.import_entries);

  // One incident, as another user reports it; how long it took.
  auto report = [&](const std::string& title) {
    auto t0 = Clock::now();
    Check(engine
              .Create(writer, incident,
                      {{"title", title},
                       {"kind", "incident"},
                       {"classification", "sms"},
                       {"impact", "low"},
                       {"urgency", "low"}})
              .status(),
          "creating an incident");
    return Ms(Clock::now() - t0);
  };
  // Creates alone first, for comparison.
  std::vector<double> alone;
  for (int i = 0; i < 200; ++i) alone.push_back(report("Baseline " + std::to_string(i)));

  std::atomic<bool> done = false;
  std::vector<double> during;
  std::thread probe([&] {
    for (int i = 0; !done; ++i) during.push_back(report("During the import " + std::to_string(i)));
  });
  domains::FrameworkOptions fo;
  fo.key = "bench:import";
  fo.title = "Imported benchmark framework";
  auto t0 = Clock::now();
  auto result = domains::ImportFramework(engine, importer, csv, fo);
  const double import_ms = Ms(Clock::now() - t0);
  done = true;
  probe.join();
  Check(result.status(), "import");
  std::printf("(1) import of %d entries (%.1f KiB of CSV): %.0f ms\n", o.import_entries,
              static_cast<double>(csv.size()) / 1024.0, import_ms);
  PrintLatencies("another user's creates, alone:", alone);
  PrintLatencies("another user's creates, during the import:", during);
}

void LargeMatrix(app::App& app, const Options& o) {
  records::Engine& engine = *app.engine;
  const records::Actor system = records::SystemActor("bench");
  const auto& registry = engine.registry();
  auto t0 = Clock::now();
  json standard = Check(engine.Create(system, *registry.Find("standard"),
                                      {{"key", "bench:large"},
                                       {"title", "Large benchmark framework"},
                                       {"management_system", "other"},
                                       {"origin", "imported"},
                                       {"verification", "unverified"}}),
                        "standard");
  // Loaded as an import would, in batches (the import refuses a file this
  // size in one go).
  const auto catalog = Check(domains::ParseCsvCatalog(CsvCatalog(o.large_entries)), "catalog");
  std::vector<json> bodies;
  std::vector<int64_t> ids;
  for (size_t i = 0; i < catalog.entries.size(); ++i) {
    const auto& e = catalog.entries[i];
    bodies.push_back({{"standard", standard["id"]},
                      {"position", i},
                      {"ref", e.ref},
                      {"title", e.title},
                      {"parent_ref", e.parent_ref.empty() ? json() : json(e.parent_ref)},
                      {"kind", e.kind}});
    if (bodies.size() == 5000 || i + 1 == catalog.entries.size()) {
      for (const auto& r :
           Check(engine.CreateBatch(system, *registry.Find("requirement"), bodies), "requirements"))
        ids.push_back(r["id"].get<int64_t>());
      bodies.clear();
    }
  }
  // Elements approved and tracing every 20th requirement.
  std::vector<json> elements;
  for (int i = 0; i < 200; ++i)
    elements.push_back({{"title", "Element " + std::to_string(i)},
                        {"kind", "control"},
                        {"for_isms", true},
                        {"integration", "separate"},
                        {"integration_rationale", "Benchmark data."}});
  auto made = Check(engine.CreateBatch(system, *registry.Find("element"), elements), "elements");
  std::vector<json> traces;
  for (size_t i = 0; i < ids.size(); i += 20)
    traces.push_back({{"element", made[(i / 20) % made.size()]["id"]},
                      {"requirement", ids[i]},
                      {"extent", "fully"}});
  Check(engine.CreateBatch(system, *registry.Find("trace"), traces).status(), "traces");
  std::printf("(2) framework of %zu requirements, %zu traces loaded in %.1f s\n", ids.size(),
              traces.size(), Ms(Clock::now() - t0) / 1000.0);

  domains::StandardsIndex index(engine);
  const records::Actor reader = User(registry, "reader");
  t0 = Clock::now();
  Check(index.View(reader).status(), "first view");
  std::printf("  index: first load %.0f ms\n", Ms(Clock::now() - t0));

  // As GET /traceability answers: pages of 2,000 rows. The first request
  // works the matrix out (and refreshes the index after a write); then every
  // page of the framework, in turn.
  auto requests = [&](const char* what) {
    std::vector<double> ms;
    size_t bytes = 0, pages = 0;
    for (int i = 0; i < o.iterations; ++i) {
      for (size_t after = 0;; after += 2000) {
        auto t = Clock::now();
        auto view = Check(index.View(reader), "view");
        const auto body = Check(domains::MatrixPage(view, "bench:large", after, 2000), "page");
        ms.push_back(Ms(Clock::now() - t));
        if (i == 0) bytes += body->size(), ++pages;
        if (body->starts_with("{\"next\":null")) break;
      }
    }
    std::printf("  %s: first page %.0f ms; %zu pages, %.1f MiB in all\n", what, ms.front(), pages,
                static_cast<double>(bytes) / (1024.0 * 1024.0));
    PrintLatencies("    every page request:", ms);
  };
  requests("matrix, reader who sees everything");
  // One write anywhere in the five types: the next request refreshes the
  // index (applying that change) before anything else.
  std::vector<double> refresh;
  for (int i = 0; i < o.iterations; ++i) {
    Check(engine
              .Update(system, *registry.Find("element"), made[1]["id"].get<int64_t>(), i + 1,
                      {{"description", "Revised " + std::to_string(i)}})
              .status(),
          "updating an element");
    auto t = Clock::now();
    Check(index.View(reader).status(), "view after a write");
    refresh.push_back(Ms(Clock::now() - t));
  }
  PrintLatencies("index refresh after one write:", refresh);
  // One restricted element anywhere: readers outside its group see a matrix
  // of their own.
  Check(app.auth->CreateGroup(system, {{"name", "bench-group"}}).status(), "group");
  Check(engine
            .Restrict(system, *registry.Find("element"), made[0]["id"].get<int64_t>(),
                      std::string("bench-group"), std::nullopt)
            .status(),
        "restricting an element");
  requests("matrix, reader outside a need-to-know group");
}

}  // namespace
}  // namespace tandem::bench

int main(int argc, char** argv) {
  using namespace tandem;
  bench::Options o;
  CLI::App cli{"Large custom frameworks: import beside other writers, and the matrix"};
  cli.add_option("--db", o.db, "an empty database (default: a new SQLite file)");
  cli.add_option("--import-entries", o.import_entries, "entries of the imported CSV catalog");
  cli.add_option("--large-entries", o.large_entries, "requirements of the large framework");
  cli.add_option("--iterations", o.iterations, "matrix requests per reader");
  CLI11_PARSE(cli, argc, argv);

  std::string dir;
  if (o.db.empty()) {
    dir = std::filesystem::temp_directory_path() / "tandem-bench-framework-XXXXXX";
    if (!mkdtemp(dir.data())) return 1;
    o.db = "sqlite:" + dir + "/framework.db";
  }
  std::printf("Tandem large-framework benchmark on %s; %ld CPUs, %s; %s build\n",
              o.db.starts_with("sqlite:") ? "sqlite" : "postgresql", sysconf(_SC_NPROCESSORS_ONLN),
              bench::CpuModel().c_str(), TANDEM_BUILD_TYPE);
  {
    auto app = bench::Check(app::OpenApp(o.db), "opening");
    bench::Check(app::LoadBuiltinContent(*app), "built-in content");
    bench::ImportWhileWriting(*app, o);
    bench::LargeMatrix(*app, o);
  }
  if (!dir.empty()) std::filesystem::remove_all(dir);
  return 0;
}

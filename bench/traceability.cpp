// tandem-bench-traceability: server time of the standards views at the
// product's target scale (docs/performance.md, "Traceability").
//
// Loads the five built-in standards into a fresh database, creates 5,000 IMS
// elements and 20,000 element-requirement traces through the record engine
// (with their audit events, as the API would), then times in process what a
// request to the traceability matrix or to the derived correspondences costs
// the server apart from HTTP: the standards index's refresh check, the query,
// writing the JSON text and freeing both. The reader is an ordinary actor
// with read grants, so the per-reader filtering is measured too.
#include <sys/resource.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "app/app.h"
#include "domains/domains.h"
#include "domains/standards/derived.h"
#include "domains/standards/index.h"
#include "domains/standards/queries.h"
#include "in_process.h"

namespace tandem::bench {
namespace {

using nlohmann::json;

// The five built-in standards, in the order the table lists them.
constexpr const char* kStandards[] = {"iso27001:2022", "iso27001:2013", "iso20000-1:2018",
                                      "iso20000-1:2011", "iso9001:2015"};
constexpr const char* kDerivedStandard = "iso27001:2022";
constexpr const char* kDerivedRef = "A.8.13";
constexpr const char* kRefreshStandard = "iso27001:2022";
constexpr size_t kBatch = 500;  // records per CreateBatch (one transaction each)

struct Options {
  std::string db;  // empty: a fresh SQLite database in a temporary directory
  int elements = 5000;
  int traces = 20000;
  int iterations = 50;
  int cold = 5;
  uint64_t seed = 1;
  bool keep = false;
};

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

// --- seeding -----------------------------------------------------------------

constexpr const char* kKinds[] = {"policy",  "process",     "procedure", "plan",
                                  "control", "record_type", "role",      "other"};
constexpr const char* kSubjects[] = {"Access control",           "Backup",
                                     "Capacity management",      "Change management",
                                     "Supplier management",      "Incident handling",
                                     "Asset inventory",          "Risk assessment",
                                     "Internal audit",           "Management review",
                                     "Service continuity",       "Configuration management",
                                     "Release and deployment",   "Document control",
                                     "Competence and awareness", "Monitoring"};

// How traces fall on a standard's requirements. Real IMSs are uneven: a
// few requirements (policy, risk assessment, access control) are satisfied
// by many elements, most by a handful, some by none yet. So a tenth of the
// requirements (chosen at random) get no trace, and the others are drawn
// with Zipf weights (1/rank) over a random order.
struct Spread {
  std::vector<int64_t> requirements;  // in the random order, traced ones first
  std::discrete_distribution<size_t> pick;
};

struct Seeded {
  std::vector<int64_t> elements;
  std::set<std::pair<int64_t, int64_t>> traced;  // (element, requirement)
  std::map<std::string, Spread> spread;          // by standard key
  int transitions = 0, not_applicable = 0;
};

std::vector<json> ElementBodies(int n, std::mt19937_64& rng) {
  std::vector<json> out;
  for (int i = 0; i < n; ++i) {
    const char* kind = kKinds[rng() % std::size(kKinds)];
    const char* subject = kSubjects[rng() % std::size(kSubjects)];
    // Merged elements serve two or three management systems (ISO/IEC 27013 5.1).
    bool isms = true, sms = true, qms = true;
    switch (rng() % 4) {
      case 0:
        qms = false;
        break;
      case 1:
        sms = false;
        break;
      case 2:
        isms = false;
        break;
      default:
        break;
    }
    out.push_back({{"title", std::string(subject) + " " + kind + " " + std::to_string(i + 1)},
                   {"kind", kind},
                   {"description", "Seeded by the traceability benchmark."},
                   {"for_isms", isms},
                   {"for_sms", sms},
                   {"for_qms", qms},
                   {"integration", "merged"}});
  }
  return out;
}

// The transitions that take a new (draft) element to its target state:
// 10% stay draft, 30% approved, 55% operating, 5% retired after operating.
std::vector<const char*> Lifecycle(std::mt19937_64& rng) {
  const auto p = rng() % 100;
  if (p < 10) return {};
  if (p < 40) return {"approve"};
  if (p < 95) return {"approve", "put_into_operation"};
  return {"approve", "put_into_operation", "retire"};
}

json TraceBody(int64_t element, int64_t requirement, std::mt19937_64& rng) {
  json body = {{"element", element},
               {"requirement", requirement},
               {"extent", rng() % 10 < 7 ? "fully" : "partly"}};
  if (rng() % 3 == 0) body["note"] = "Evidence kept in the element's records.";
  return body;
}

// One new (element, requirement) pair: a standard chosen uniformly, so each
// gets about a fifth of the traces, then one of its requirements as Spread
// says.
std::pair<int64_t, int64_t> NewPair(Seeded& s, int64_t element, std::mt19937_64& rng) {
  for (;;) {
    auto& spread = s.spread.at(kStandards[rng() % std::size(kStandards)]);
    const int64_t r = spread.requirements[spread.pick(rng)];
    if (s.traced.insert({element, r}).second) return {element, r};
  }
}

Seeded Seed(records::Engine& engine, const Options& o) {
  const records::Actor system = records::SystemActor("bench");
  const auto& element_type = *engine.registry().Find("element");
  const auto& trace_type = *engine.registry().Find("trace");
  std::mt19937_64 rng(o.seed);
  Seeded s;

  std::map<int64_t, std::string> key_of;
  for (const auto& st : Check(domains::ListAll(engine, system, "standard"), "listing standards"))
    key_of[st["id"].get<int64_t>()] = st["key"].get<std::string>();
  std::map<std::string, std::vector<json>> requirements;  // not withdrawn, in id order
  for (auto& r : Check(domains::ListAll(engine, system, "requirement"), "listing requirements"))
    if (!r.value("withdrawn", false))
      requirements[key_of.at(r["standard"].get<int64_t>())].push_back(std::move(r));
  for (const char* key : kStandards) {
    auto& reqs = requirements[key];
    if (reqs.size() < 10) {
      std::cerr << "tandem-bench-traceability: the built-in standard " << key
                << " has too few requirements\n";
      std::exit(1);
    }
    std::shuffle(reqs.begin(), reqs.end(), rng);
    Spread& spread = s.spread[key];
    std::vector<double> weights;
    for (size_t i = 0; i < reqs.size() - reqs.size() / 10; ++i) {
      spread.requirements.push_back(reqs[i]["id"].get<int64_t>());
      weights.push_back(1.0 / static_cast<double>(i + 1));
    }
    spread.pick = std::discrete_distribution<size_t>(weights.begin(), weights.end());
  }

  // Three Annex A controls of each edition of ISO/IEC 27001 excluded, with a
  // justification, as a statement of applicability would.
  const auto& requirement_type = *engine.registry().Find("requirement");
  for (const char* key : {"iso27001:2022", "iso27001:2013"}) {
    int excluded = 0;
    for (const auto& r : requirements[key]) {
      if (excluded == 3) break;
      if (r.value("kind", "") != "control" || !r.value("ref", "").starts_with("A.")) continue;
      Check(
          engine
              .Update(system, requirement_type, r["id"].get<int64_t>(), r["version"].get<int64_t>(),
                      {{"applicability", "not_applicable"},
                       {"justification", "Not used by the organization (benchmark data)."}})
              .status(),
          "excluding " + std::string(key) + " " + r.value("ref", ""));
      ++excluded;
      ++s.not_applicable;
    }
  }

  auto t = Clock::now();
  const auto bodies = ElementBodies(o.elements, rng);
  for (size_t i = 0; i < bodies.size(); i += kBatch) {
    std::vector<json> batch(bodies.begin() + i,
                            bodies.begin() + std::min(bodies.size(), i + kBatch));
    for (const auto& rec : Check(engine.CreateBatch(system, element_type, batch), "elements"))
      s.elements.push_back(rec["id"].get<int64_t>());
  }
  const double elements_s = Seconds(t);

  // Transitions one by one, as the API takes them, but kBatch elements to a
  // transaction: engine writes inside a write callback join its transaction.
  t = Clock::now();
  for (size_t i = 0; i < s.elements.size(); i += kBatch) {
    std::vector<std::pair<int64_t, std::vector<const char*>>> steps;
    for (size_t j = i; j < std::min(s.elements.size(), i + kBatch); ++j)
      steps.push_back({s.elements[j], Lifecycle(rng)});
    Check(engine.db().Write([&](store::Connection&) -> Status {
      for (const auto& [id, path] : steps)
        for (const char* step : path)
          TANDEM_RETURN_IF_ERROR(
              engine.Transition(system, element_type, id, step, std::nullopt).status());
      return Status::Ok();
    }),
          "element transitions");
    for (const auto& [_, path] : steps) s.transitions += static_cast<int>(path.size());
  }
  const double transitions_s = Seconds(t);

  // Traces spread evenly over the elements (4 each at the default sizes).
  t = Clock::now();
  std::vector<json> traces;
  for (int i = 0; i < o.traces; ++i) {
    const int64_t element = s.elements[static_cast<size_t>(i) % s.elements.size()];
    auto [e, r] = NewPair(s, element, rng);
    traces.push_back(TraceBody(e, r, rng));
    if (traces.size() == kBatch || i + 1 == o.traces) {
      Check(engine.CreateBatch(system, trace_type, traces).status(), "traces");
      traces.clear();
    }
  }
  const double traces_s = Seconds(t);
  std::printf(
      "seeded %d elements in %.2f s, %d transitions in %.2f s, %d traces in %.2f s "
      "(%.2f s in all); %d controls marked not applicable\n",
      o.elements, elements_s, s.transitions, transitions_s, o.traces, traces_s,
      elements_s + transitions_s + traces_s, s.not_applicable);
  std::fflush(stdout);
  return s;
}

// --- measuring ---------------------------------------------------------------

// An ordinary signed-in reader: read on every record type, no need-to-know
// groups, not the system, so every visibility check runs.
records::Actor Reader(const model::Registry& registry) {
  auto grants = std::make_shared<records::Grants>();
  for (const auto& t : registry.types())
    (*grants)[t.name].actions = records::Bit(records::Action::kRead);
  records::Actor a;
  a.name = "bench-reader";
  a.grants = std::move(grants);
  return a;
}

struct Series {
  std::string name;
  std::vector<double> ms;
};

class Table {
 public:
  std::vector<double>& operator[](const std::string& name) {
    for (auto& s : series_)
      if (s.name == name) return s.ms;
    series_.push_back({name, {}});
    return series_.back().ms;
  }
  const std::vector<Series>& series() const { return series_; }

 private:
  std::vector<Series> series_;
};

// CPU seconds so far: the whole machine's busy time (user, nice, system,
// irq, softirq, steal) and this process's. On a shared machine, what other
// processes took during the timed runs explains slow figures.
struct CpuTimes {
  double machine = 0, self = 0;
  Clock::time_point at = Clock::now();
};

CpuTimes ReadCpuTimes() {
  CpuTimes t;
  const double tick = static_cast<double>(sysconf(_SC_CLK_TCK));
  std::ifstream in("/proc/stat");
  std::string label;
  double v[8] = {};  // user nice system idle iowait irq softirq steal
  if (in >> label)
    for (double& x : v) in >> x;
  t.machine = (v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) / tick;
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto secs = [](const timeval& x) {
    return static_cast<double>(x.tv_sec) + static_cast<double>(x.tv_usec) / 1e6;
  };
  t.self = secs(u.ru_utime) + secs(u.ru_stime);
  return t;
}

// One traceability request's server work apart from HTTP: the index's
// refresh check, the matrix, its JSON text (the response body), and freeing
// them (which a server does too, after sending). `parts` adds up each step.
enum Part { kView, kBuild, kJson, kFree, kParts };
constexpr const char* kPartNames[kParts] = {"View()", "BuildMatrix", "MatrixJson (the body)",
                                            "freeing the matrix and the body"};

size_t MatrixRequest(domains::StandardsIndex& index, const records::Actor& reader,
                     const std::string& key, double parts[kParts]) {
  auto t0 = Clock::now();
  auto view = std::make_unique<domains::SnapshotView>(Check(index.View(reader), "view"));
  auto t1 = Clock::now();
  auto matrix =
      std::make_unique<domains::Matrix>(Check(domains::BuildMatrix(*view, key), "matrix " + key));
  auto t2 = Clock::now();
  auto body = std::make_unique<std::string>(domains::MatrixJson(*view, *matrix));
  auto t3 = Clock::now();
  const size_t bytes = body->size();
  body.reset();
  matrix.reset();
  view.reset();
  auto t4 = Clock::now();
  parts[kView] += Ms(t1 - t0);
  parts[kBuild] += Ms(t2 - t1);
  parts[kJson] += Ms(t3 - t2);
  parts[kFree] += Ms(t4 - t3);
  return bytes;
}

size_t DerivedRequest(domains::StandardsIndex& index, const records::Actor& reader) {
  auto view = Check(index.View(reader), "view");
  domains::CorrespondenceQuery q{kDerivedStandard, kDerivedRef, std::nullopt, true};
  return Check(domains::QueryCorrespondences(view, q), "correspondences").dump().size();
}

int Run(const Options& o) {
  std::filesystem::path tmp;
  std::string url = o.db;
  if (url.empty()) {
    std::string templ =
        (std::filesystem::temp_directory_path() / "tandem-bench-traceability-XXXXXX").string();
    if (!mkdtemp(templ.data())) {
      std::perror("tandem-bench-traceability: mkdtemp");
      return 1;
    }
    tmp = templ;
    url = "sqlite:" + (tmp / "traceability.db").string();
  }
  // Also on the error paths, which end in std::exit.
  static std::filesystem::path temp_dir;
  static bool keep = false;
  temp_dir = tmp;
  keep = o.keep;
  std::atexit([] {
    if (temp_dir.empty()) return;
    if (keep) {
      std::printf("database kept in %s\n", temp_dir.c_str());
      return;
    }
    std::error_code ec;
    std::filesystem::remove_all(temp_dir, ec);
  });

  const auto backend = url.rfind("sqlite:", 0) == 0 ? "sqlite" : "postgresql";
  std::printf("Tandem traceability benchmark on %s: %d elements, %d traces, %d iterations\n",
              backend, o.elements, o.traces, o.iterations);
  std::printf("machine: %ld CPUs, %s; %s build\n", sysconf(_SC_NPROCESSORS_ONLN),
              CpuModel().c_str(), TANDEM_BUILD_TYPE);
  std::fflush(stdout);

  auto app = Check(app::OpenApp(url), "opening " + std::string(backend) + " database");
  records::Engine& engine = *app->engine;
  {
    records::ListQuery q;
    q.limit = 1;
    const records::Actor system = records::SystemActor("bench");
    if (!Check(engine.List(system, *engine.registry().Find("element"), q), "elements")
             .items.empty()) {
      std::cerr << "tandem-bench-traceability: the database already holds IMS elements; "
                   "give it an empty one\n";
      return 1;
    }
  }
  auto t = Clock::now();
  Check(app::LoadBuiltinContent(*app), "loading the built-in catalogs");
  std::printf("built-in catalogs and correspondences loaded in %.2f s\n", Seconds(t));
  Seeded seeded = Seed(engine, o);

  const records::Actor reader = Reader(engine.registry());
  Table table;
  const CpuTimes cpu_before = ReadCpuTimes();

  // Cold: a new index reads every standard, requirement, correspondence,
  // element and trace through the engine (a server's first request).
  for (int i = 0; i < o.cold; ++i) {
    domains::StandardsIndex fresh(engine);
    auto t0 = Clock::now();
    Check(fresh.View(reader).status(), "cold view");
    table["index: first load (cold)"].push_back(Ms(Clock::now() - t0));
  }

  domains::StandardsIndex index(engine);
  Check(index.View(reader).status(), "view");
  {
    auto view = Check(index.View(reader), "view");
    std::printf(
        "index: %zu standards, %zu requirements, %zu correspondences, %zu elements, "
        "%zu traces\n",
        view.data().standards.size(), view.data().requirements->size(),
        view.data().correspondences.size(), view.data().elements.size(), view.data().traces.size());
  }
  const int64_t derived_start = [&] {
    auto view = Check(index.View(reader), "view");
    const auto* s = view.StandardByKey(kDerivedStandard);
    const auto* r = s ? view.RequirementByRef(s->id, kDerivedRef) : nullptr;
    if (!r) {
      std::cerr << "tandem-bench-traceability: no " << kDerivedStandard << " " << kDerivedRef
                << "\n";
      std::exit(1);
    }
    return r->id;
  }();

  // One untimed pass of everything, then the timed iterations.
  size_t bytes_all = 0, bytes_derived = 0;
  size_t derived_count = 0;
  for (int i = -1; i < o.iterations; ++i) {
    const bool timed = i >= 0;
    {
      auto t0 = Clock::now();
      Check(index.View(reader).status(), "view");
      if (timed) table["index: refresh check, no change"].push_back(Ms(Clock::now() - t0));
    }
    double parts[kParts] = {};
    size_t bytes = 0;
    const auto all0 = Clock::now();
    for (const char* key : kStandards) {
      auto t0 = Clock::now();
      bytes += MatrixRequest(index, reader, key, parts);
      if (timed) table[std::string("matrix ") + key].push_back(Ms(Clock::now() - t0));
    }
    const double all_ms = Ms(Clock::now() - all0);
    // As the server answers GET /traceability: the matrix is kept with
    // the snapshot, so only the first request after a write works it out.
    {
      auto t0 = Clock::now();
      for (const char* key : kStandards) {
        auto view = Check(index.View(reader), "view");
        Check(domains::MatrixPage(view, key, 0, 2000).status(), "matrix body");
      }
      if (timed)
        table["served (MatrixPage, first 2,000 rows), all five standards"].push_back(
            Ms(Clock::now() - t0));
    }
    if (timed) {
      table["matrix, all five standards"].push_back(all_ms);
      for (int p = 0; p < kParts; ++p)
        table[std::string("  of which ") + kPartNames[p]].push_back(parts[p]);
    }
    bytes_all = bytes;
    if (i == -1) {
      // What the matrices say, so a reader can tell the data is as intended.
      auto view = Check(index.View(reader), "view");
      for (const char* key : kStandards) {
        auto m = Check(domains::BuildMatrix(view, key), "matrix");
        size_t traces = 0;
        for (const auto& row : m.rows) traces += row.traces.size();
        std::printf(
            "  %-16s %3zu rows: %3d covered, %3d partial, %3d gaps, %d not applicable; "
            "%zu traces to live elements\n",
            key, m.rows.size(), m.covered, m.partial, m.gaps, m.not_applicable, traces);
      }
    }
    {
      auto view = Check(index.View(reader), "view");
      auto t0 = Clock::now();
      derived_count = domains::Derive(view, derived_start).size();
      if (timed) table[std::string("Derive ") + kDerivedRef].push_back(Ms(Clock::now() - t0));
    }
    {
      auto t0 = Clock::now();
      bytes_derived = DerivedRequest(index, reader);
      if (timed)
        table[std::string("correspondences ") + kDerivedRef + " derived=true"].push_back(
            Ms(Clock::now() - t0));
    }
  }

  // After one write: a new trace (untimed), then the next request's refresh
  // of the index and its matrix. Last, so the figures above see exactly the
  // seeded traces.
  {
    const records::Actor system = records::SystemActor("bench");
    const auto& trace_type = *engine.registry().Find("trace");
    std::mt19937_64 rng(o.seed + 1);
    for (int i = -1; i < o.iterations; ++i) {
      const int64_t element = seeded.elements[rng() % seeded.elements.size()];
      auto [e, r] = NewPair(seeded, element, rng);
      Check(engine.Create(system, trace_type, TraceBody(e, r, rng)).status(), "trace");
      auto t0 = Clock::now();
      auto view = Check(index.View(reader), "view");
      auto t1 = Clock::now();
      Check(domains::BuildMatrix(view, kRefreshStandard).status(), "matrix");
      auto t2 = Clock::now();
      for (const char* key : kStandards)
        Check(domains::MatrixPage(view, key, 0, 2000).status(), "body");
      auto t3 = Clock::now();
      if (i < 0) continue;
      table["after one write: View() (refresh)"].push_back(Ms(t1 - t0));
      table[std::string("after one write: View() + BuildMatrix ") + kRefreshStandard].push_back(
          Ms(t2 - t0));
      table["after one write: MatrixPage, all five standards (worked out again)"].push_back(
          Ms(t3 - t2));
    }
  }

  const CpuTimes cpu_after = ReadCpuTimes();
  const double wall = std::chrono::duration<double>(cpu_after.at - cpu_before.at).count();
  const double self = (cpu_after.self - cpu_before.self) / wall;
  const double other = std::max(0.0, (cpu_after.machine - cpu_before.machine) / wall - self);
  std::printf(
      "measuring took %.1f s; cpu cores used meanwhile: this benchmark %.2f, other "
      "processes %.2f\n",
      wall, self, other);
  std::printf(
      "matrix bodies: %.1f MB for the five standards; derived query: %zu chains, "
      "%zu bytes\n\n",
      static_cast<double>(bytes_all) / 1e6, derived_count, bytes_derived);
  std::printf("%-52s %5s %9s %9s %9s %9s\n", "measurement (ms)", "n", "min", "median", "p95",
              "max");
  for (const auto& s : table.series()) {
    auto v = s.ms;
    std::sort(v.begin(), v.end());
    std::printf("%-52s %5zu %9.3f %9.3f %9.3f %9.3f\n", s.name.c_str(), v.size(), v.front(),
                Percentile(v, 0.5), Percentile(v, 0.95), v.back());
  }
  std::fflush(stdout);
  return 0;
}

}  // namespace
}  // namespace tandem::bench

int main(int argc, char** argv) {
  tandem::bench::Options o;
  CLI::App app{
      "tandem-bench-traceability: time the traceability matrix and derived correspondences "
      "at 5,000 IMS elements and 20,000 traces"};
  app.add_option("--db", o.db,
                 "Database to use, e.g. postgresql://... (default: a fresh SQLite database in a "
                 "temporary directory); it must hold no IMS elements");
  app.add_option("--elements", o.elements, "IMS elements to create")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--traces", o.traces, "Element-requirement traces to create")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--iterations", o.iterations, "Timed runs of each measurement")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--cold", o.cold, "Timed first loads of a new index")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--seed", o.seed, "Random seed for the elements and traces")
      ->capture_default_str();
  app.add_flag("--keep", o.keep, "Keep the temporary SQLite database");
  CLI11_PARSE(app, argc, argv);
  // Traces are unique per element and requirement; keep well below the pairs
  // that exist so that drawing new ones ends.
  if (o.traces > o.elements * 20) {
    std::cerr << "tandem-bench-traceability: at most 20 traces per element\n";
    return 2;
  }
  return tandem::bench::Run(o);
}

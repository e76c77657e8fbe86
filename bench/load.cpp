// tandem-load: a closed-loop HTTP load generator for a running Tandem server.
//
// Each client is one thread with one keep-alive connection that sends its
// next request as soon as the previous answer arrives, so the throughput at N
// clients is what the server sustains with N requests in flight. Bodies and
// paths are prepared before the clock starts: the generator usually shares the
// machine with the server, and every cycle it spends is one the server lacks.
#include <httplib.h>
#include <sys/resource.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <latch>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "incidents.h"

namespace tandem::bench {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr const char* kCollection = "/api/v1/incidents";
// Requests prepared per client: enough variety to defeat caching, few enough
// that preparing them for 64 clients takes no noticeable time.
constexpr size_t kPreparedTotal = 65536;
constexpr size_t kPreparedMinPerClient = 256;
constexpr int kErrorsShown = 5;
constexpr int kConnectAttempts = 10;

enum class Mode { kCreate, kGet, kList };

struct Options {
  std::string host = "127.0.0.1";
  int port = 8080;
  int clients = 8;
  double duration_s = 10;
  int64_t requests = 0;  // when > 0, replaces the duration
  std::string mode = "get";
  int64_t max_id = 0;  // 0: ask the server for its highest id
  uint64_t seed = 1;
  std::string accept_encoding;  // none: the server sends uncompressed JSON
  int cpu_pid = 0;              // the server's pid, to report its CPU use
  // An API token from the environment (TANDEM_TOKEN), not the command line,
  // where any local user could read it in the process list.
  std::string token;
};

// The headers every request sends: the token, and Accept-Encoding if asked.
httplib::Headers BaseHeaders(const Options& o) {
  httplib::Headers headers;
  if (!o.token.empty()) headers.emplace("Authorization", "Bearer " + o.token);
  if (!o.accept_encoding.empty()) headers.emplace("Accept-Encoding", o.accept_encoding);
  return headers;
}

// The kinds of list query, reported separately: a rare combination of two
// filters costs orders of magnitude more than a common one.
constexpr std::array<const char*, 5> kListShapes = {"state+priority", "priority", "kind",
                                                    "classification", "kind+classification"};

struct Request {
  std::string path;
  std::string body;  // empty for GET
  int shape = 0;     // index into kListShapes in list mode
};

std::string CreateBody(std::mt19937_64& rng) {
  const Incident i = RandomIncident(rng);
  return json{{"title", i.title},   {"kind", i.kind},       {"classification", i.classification},
              {"impact", i.impact}, {"urgency", i.urgency}, {"description", i.description}}
      .dump();
}

// A filtered first page over the indexed fields: the composite (state,
// priority) index, each single-column index, and two indexed fields at once
// where the planner has to pick one index and filter on the other.
Request ListRequest(std::mt19937_64& rng) {
  auto pick = [&](const auto& items) {
    return std::string(items[std::uniform_int_distribution<size_t>(0, items.size() - 1)(rng)]);
  };
  std::string q;
  const int shape = std::uniform_int_distribution<int>(0, kListShapes.size() - 1)(rng);
  switch (shape) {
    case 0:
      q = "filter[state]=new&filter[priority]=" + pick(kPriorities);
      break;
    case 1:
      q = "filter[priority]=" + pick(kPriorities);
      break;
    case 2:
      q = "filter[kind]=" + pick(kKinds);
      break;
    case 3:
      q = "filter[classification]=" + pick(kClassifications);
      break;
    default: {
      std::string kind = pick(kKinds), classification = pick(kClassifications);
      while (!ValidCombination(kind, classification)) classification = pick(kClassifications);
      q = "filter[kind]=" + kind + "&filter[classification]=" + classification;
    }
  }
  // Newest first is what a UI shows; oldest first is how an export pages.
  if (std::bernoulli_distribution(0.5)(rng)) q += "&sort=-id";
  return {std::string(kCollection) + "?" + q + "&limit=50", "", shape};
}

std::vector<Request> Prepare(Mode mode, int64_t max_id, uint64_t seed, size_t n) {
  std::mt19937_64 rng(seed);
  std::vector<Request> out(n);
  for (auto& r : out) {
    switch (mode) {
      case Mode::kCreate:
        r = {kCollection, CreateBody(rng)};
        break;
      case Mode::kGet:
        r.path = std::string(kCollection) + "/" +
                 std::to_string(std::uniform_int_distribution<int64_t>(1, max_id)(rng));
        break;
      case Mode::kList:
        r = ListRequest(rng);
        break;
    }
  }
  return out;
}

// Prints the first few failures so a broken run explains itself; counts all.
class ErrorLog {
 public:
  void Report(const Request& req, const httplib::Result& res) {
    std::lock_guard lk(mu_);
    if (++shown_ > kErrorsShown) return;
    std::string what = res ? std::to_string(res->status) + " " + res->body.substr(0, 300)
                           : "transport error: " + httplib::to_string(res.error());
    std::cerr << "tandem-load: error: " << (req.body.empty() ? "GET " : "POST ") << req.path
              << " -> " << what << "\n";
  }

 private:
  std::mutex mu_;
  int shown_ = 0;
};

struct Shared {
  explicit Shared(int clients) : connected(clients) {}
  std::latch connected;  // every client holds an open connection
  std::latch start{1};
  Clock::time_point begin;
  Clock::time_point deadline;
  std::atomic<int64_t> claimed{0};  // requests handed out, with --requests
  ErrorLog errors;
};

struct Sample {
  int64_t ns;
  int shape;
};

struct ClientResult {
  std::vector<Sample> samples;
  int64_t ok = 0;
  int64_t errors = 0;
  int connect_retries = 0;
  Clock::time_point end;
};

bool Succeeded(Mode mode, const httplib::Result& res) {
  if (!res) return false;
  return mode == Mode::kCreate ? res->status == 201 : res->status / 100 == 2;
}

// Opens the keep-alive connection with one health check before the clock
// starts, so the timed window measures requests, not handshakes. Returns the
// failed attempts: a connection storm the server cannot absorb is a finding.
int Connect(httplib::Client& cli, const httplib::Headers& headers) {
  int failed = 0;
  while (!Succeeded(Mode::kGet, cli.Get("/api/v1/health", headers)) && failed < kConnectAttempts)
    ++failed;
  return failed;
}

void RunClient(const Options& o, Mode mode, const std::vector<Request>& prepared, Shared& shared,
               ClientResult& out) {
  httplib::Client cli(o.host, o.port);
  cli.set_keep_alive(true);
  cli.set_tcp_nodelay(true);
  cli.set_connection_timeout(5);
  cli.set_read_timeout(60);
  cli.set_write_timeout(60);
  // Without Accept-Encoding (httplib's default, like curl's) the server does
  // not compress; browsers ask for br/gzip, which costs the server CPU.
  const httplib::Headers headers = BaseHeaders(o);
  out.samples.reserve(1 << 16);

  out.connect_retries = Connect(cli, headers);
  shared.connected.count_down();
  shared.start.wait();
  for (size_t i = 0;; ++i) {
    if (o.requests > 0 ? shared.claimed.fetch_add(1) >= o.requests
                       : Clock::now() >= shared.deadline)
      break;
    const Request& req = prepared[i % prepared.size()];
    const auto t0 = Clock::now();
    httplib::Result res = req.body.empty()
                              ? cli.Get(req.path, headers)
                              : cli.Post(req.path, headers, req.body, "application/json");
    out.samples.push_back(
        {std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - t0).count(),
         req.shape});
    if (Succeeded(mode, res)) {
      ++out.ok;
    } else {
      ++out.errors;
      shared.errors.Report(req, res);
    }
  }
  out.end = Clock::now();
}

// CPU seconds used so far (Linux): on a machine the generator shares with
// the server, who had the cores explains the figures.
struct CpuTimes {
  double machine = 0;  // all cores: user, nice, system, irq, softirq, steal
  double server = 0;   // the --cpu-pid process
  double self = 0;     // this generator, all threads
};

double ServerCpuSeconds(int pid, double tick) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(in, line);
  // The command name is parenthesised and may hold spaces; fields count on
  // from after it: state is field 3, utime 14, stime 15.
  const size_t paren = line.rfind(')');
  if (paren == std::string::npos) return 0;
  std::istringstream fields(line.substr(paren + 1));
  std::string f;
  double total = 0;
  for (int i = 3; i <= 15 && fields >> f; ++i)
    if (i >= 14) total += std::stod(f);
  return total / tick;
}

CpuTimes ReadCpuTimes(int server_pid) {
  const double tick = static_cast<double>(sysconf(_SC_CLK_TCK));
  CpuTimes t;
  std::ifstream in("/proc/stat");
  std::string label;
  double v[8] = {};  // user nice system idle iowait irq softirq steal
  if (in >> label)
    for (double& x : v) in >> x;
  t.machine = (v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) / tick;
  if (server_pid > 0) t.server = ServerCpuSeconds(server_pid, tick);
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto secs = [](const timeval& x) {
    return static_cast<double>(x.tv_sec) + static_cast<double>(x.tv_usec) / 1e6;
  };
  t.self = secs(u.ru_utime) + secs(u.ru_stime);
  return t;
}

struct Latency {
  int64_t count = 0;
  double p50 = 0, p90 = 0, p99 = 0, max = 0;  // milliseconds
};

// Nearest-rank percentile of sorted nanosecond samples, in milliseconds.
double Percentile(const std::vector<int64_t>& sorted, double p) {
  size_t rank = static_cast<size_t>(std::ceil(p * static_cast<double>(sorted.size())));
  return static_cast<double>(sorted[std::clamp<size_t>(rank, 1, sorted.size()) - 1]) / 1e6;
}

Latency Measure(std::vector<int64_t> ns) {
  Latency l;
  l.count = static_cast<int64_t>(ns.size());
  if (ns.empty()) return l;
  std::sort(ns.begin(), ns.end());
  l.p50 = Percentile(ns, 0.50);
  l.p90 = Percentile(ns, 0.90);
  l.p99 = Percentile(ns, 0.99);
  l.max = static_cast<double>(ns.back()) / 1e6;
  return l;
}

struct Summary {
  double elapsed_s = 0;
  double connect_s = 0;  // opening every client's connection, before the clock
  int64_t ok = 0, errors = 0;
  int connect_retries = 0;
  double machine_cores = 0, server_cores = 0, generator_cores = 0;
  Latency all;
  std::vector<Latency> by_shape;  // list mode only
};

Summary Summarize(Mode mode, const Shared& shared, const std::vector<ClientResult>& results,
                  const CpuTimes& cpu) {
  Summary s;
  std::vector<int64_t> all;
  std::vector<std::vector<int64_t>> by_shape(mode == Mode::kList ? kListShapes.size() : 0);
  Clock::time_point end = shared.begin;
  for (const auto& r : results) {
    for (const Sample& x : r.samples) {
      all.push_back(x.ns);
      if (!by_shape.empty()) by_shape[x.shape].push_back(x.ns);
    }
    s.ok += r.ok;
    s.errors += r.errors;
    s.connect_retries += r.connect_retries;
    end = std::max(end, r.end);
  }
  s.elapsed_s = std::chrono::duration<double>(end - shared.begin).count();
  if (s.elapsed_s > 0) {
    s.machine_cores = cpu.machine / s.elapsed_s;
    s.server_cores = cpu.server / s.elapsed_s;
    s.generator_cores = cpu.self / s.elapsed_s;
  }
  s.all = Measure(std::move(all));
  for (auto& ns : by_shape) s.by_shape.push_back(Measure(std::move(ns)));
  return s;
}

double Round(double v, int digits) {
  const double f = std::pow(10.0, digits);
  return std::round(v * f) / f;
}

void Print(const Options& o, const Summary& s) {
  const double rps = s.elapsed_s > 0 ? static_cast<double>(s.ok) / s.elapsed_s : 0;
  if (s.connect_retries > 0)
    std::cerr << "tandem-load: " << s.connect_retries
              << " failed attempt(s) to open the clients' connections before the timed run\n";
  const Latency& l = s.all;
  std::printf(
      "tandem-load mode=%s clients=%d elapsed=%.2fs requests=%lld ok=%lld errors=%lld "
      "throughput=%.1f req/s latency_ms p50=%.3f p90=%.3f p99=%.3f max=%.3f\n",
      o.mode.c_str(), o.clients, s.elapsed_s, static_cast<long long>(l.count),
      static_cast<long long>(s.ok), static_cast<long long>(s.errors), rps, l.p50, l.p90, l.p99,
      l.max);
  for (size_t i = 0; i < s.by_shape.size(); ++i) {
    const Latency& b = s.by_shape[i];
    std::printf("  list %-19s requests=%lld latency_ms p50=%.3f p90=%.3f p99=%.3f max=%.3f\n",
                kListShapes[i], static_cast<long long>(b.count), b.p50, b.p90, b.p99, b.max);
  }
  const double other = std::max(0.0, s.machine_cores - s.server_cores - s.generator_cores);
  std::printf("  cpu cores: machine=%.2f generator=%.2f", s.machine_cores, s.generator_cores);
  if (o.cpu_pid > 0) std::printf(" server=%.2f other=%.2f", s.server_cores, other);
  std::printf("; connections opened in %.2f s\n", s.connect_s);
  // Flat, so that a shell script can pick fields without a JSON parser.
  json j = {{"tool", "tandem-load"},
            {"mode", o.mode},
            {"clients", o.clients},
            {"elapsed_s", Round(s.elapsed_s, 3)},
            {"requests", l.count},
            {"ok", s.ok},
            {"errors", s.errors},
            {"throughput_rps", Round(rps, 1)},
            {"p50_ms", Round(l.p50, 3)},
            {"p90_ms", Round(l.p90, 3)},
            {"p99_ms", Round(l.p99, 3)},
            {"max_ms", Round(l.max, 3)},
            {"connect_s", Round(s.connect_s, 3)},
            {"connect_retries", s.connect_retries},
            {"machine_cores", Round(s.machine_cores, 2)},
            {"generator_cores", Round(s.generator_cores, 2)}};
  if (o.cpu_pid > 0) {
    j["server_cores"] = Round(s.server_cores, 2);
    j["other_cores"] = Round(other, 2);
  }
  std::printf("%s\n", j.dump().c_str());
  std::fflush(stdout);
}

// The highest incident id, so get mode only asks for records that exist.
int64_t DiscoverMaxId(const Options& o) {
  httplib::Client cli(o.host, o.port);
  cli.set_connection_timeout(5);
  auto res = cli.Get(std::string(kCollection) + "?sort=-id&limit=1", BaseHeaders(o));
  if (!res || res->status != 200) return 0;
  json page = json::parse(res->body, nullptr, false);
  if (!page.is_object() || !page.contains("items") || page["items"].empty()) return 0;
  return page["items"][0].value("id", int64_t{0});
}

int Run(Options o) {
  const Mode mode = o.mode == "create" ? Mode::kCreate : o.mode == "get" ? Mode::kGet : Mode::kList;
  if (mode == Mode::kGet && o.max_id == 0 && (o.max_id = DiscoverMaxId(o)) == 0) {
    std::cerr << "tandem-load: get mode needs records; none found at " << o.host << ":" << o.port
              << " (is the server running and seeded? or pass --max-id)\n";
    return 1;
  }
  const size_t per_client = std::max(kPreparedMinPerClient, kPreparedTotal / o.clients);
  std::vector<std::vector<Request>> prepared;
  for (int c = 0; c < o.clients; ++c)
    prepared.push_back(Prepare(mode, o.max_id, o.seed * 1000003 + c, per_client));

  Shared shared(o.clients);
  std::vector<ClientResult> results(o.clients);
  std::vector<std::thread> threads;
  const auto launch = Clock::now();
  for (int c = 0; c < o.clients; ++c)
    threads.emplace_back(RunClient, std::cref(o), mode, std::cref(prepared[c]), std::ref(shared),
                         std::ref(results[c]));
  shared.connected.wait();
  const CpuTimes cpu_before = ReadCpuTimes(o.cpu_pid);
  shared.begin = Clock::now();
  shared.deadline = shared.begin + std::chrono::duration_cast<Clock::duration>(
                                       std::chrono::duration<double>(o.duration_s));
  shared.start.count_down();
  for (auto& t : threads) t.join();
  const CpuTimes cpu_after = ReadCpuTimes(o.cpu_pid);

  Summary s = Summarize(mode, shared, results,
                        {cpu_after.machine - cpu_before.machine,
                         cpu_after.server - cpu_before.server, cpu_after.self - cpu_before.self});
  s.connect_s = std::chrono::duration<double>(shared.begin - launch).count();
  Print(o, s);
  return s.errors == 0 && s.ok > 0 ? 0 : 1;
}

}  // namespace
}  // namespace tandem::bench

int main(int argc, char** argv) {
  tandem::bench::Options o;
  CLI::App app{"tandem-load: HTTP load generator for a running Tandem server"};
  app.add_option("--host", o.host, "Server address")->capture_default_str();
  app.add_option("--port", o.port, "Server port")
      ->capture_default_str()
      ->check(CLI::Range(1, 65535));
  app.add_option("--clients", o.clients,
                 "Concurrent clients (threads, one keep-alive connection each)")
      ->capture_default_str()
      ->check(CLI::Range(1, 4096));
  auto* duration = app.add_option("--duration", o.duration_s, "Seconds to run")
                       ->capture_default_str()
                       ->check(CLI::PositiveNumber);
  app.add_option("--requests", o.requests,
                 "Send exactly this many requests instead of running for --duration")
      ->check(CLI::PositiveNumber)
      ->excludes(duration);
  app.add_option("--mode", o.mode,
                 "create: POST incidents; get: GET random ids; list: filtered 50-row pages")
      ->capture_default_str()
      ->check(CLI::IsMember({"create", "get", "list"}));
  app.add_option("--max-id", o.max_id, "get mode: highest id to ask for (default: ask the server)")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--seed", o.seed, "Random seed for bodies, ids and filters")
      ->capture_default_str();
  app.add_option(
      "--accept-encoding", o.accept_encoding,
      "Accept-Encoding to send, e.g. 'gzip, deflate, br' as browsers do (default: none)");
  app.add_option("--cpu-pid", o.cpu_pid,
                 "The server's process id: also report the CPU it used (Linux)")
      ->check(CLI::PositiveNumber);
  CLI11_PARSE(app, argc, argv);
  if (const char* token = std::getenv("TANDEM_TOKEN")) o.token = token;
  return tandem::bench::Run(o);
}

#include "http/metrics.h"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <limits>
#include <mutex>
#include <unordered_map>

namespace tandem::http {

namespace {

// From a fast list page (about 2 ms) to a review pack or a big export.
const prometheus::Histogram::BucketBoundaries kLatencyBounds = {
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

prometheus::MetricFamily Family(const char* name, const char* help, prometheus::MetricType type) {
  prometheus::MetricFamily f;
  f.name = name;
  f.help = help;
  f.type = type;
  return f;
}

// A family of one unlabelled gauge or counter.
prometheus::MetricFamily Single(const char* name, const char* help, prometheus::MetricType type,
                                double value) {
  auto f = Family(name, help, type);
  prometheus::ClientMetric m;
  (type == prometheus::MetricType::Counter ? m.counter.value : m.gauge.value) = value;
  f.metric.push_back(m);
  return f;
}

prometheus::MetricFamily Gauge(const char* name, const char* help, double value) {
  return Single(name, help, prometheus::MetricType::Gauge, value);
}

// The store's families, read from its counters at scrape time.
std::vector<prometheus::MetricFamily> StoreFamilies(const store::StoreStats& s) {
  std::vector<prometheus::MetricFamily> out;
  auto groups = Family("tandem_store_write_group_size", "Write transactions per group commit",
                       prometheus::MetricType::Histogram);
  prometheus::ClientMetric h;
  h.histogram.sample_count = s.write_groups;
  h.histogram.sample_sum = static_cast<double>(s.write_transactions);
  for (size_t i = 0; i < std::size(store::StoreStats::kGroupSizeBounds); ++i)
    h.histogram.bucket.push_back(
        {s.group_size_buckets[i], static_cast<double>(store::StoreStats::kGroupSizeBounds[i])});
  h.histogram.bucket.push_back({s.write_groups, std::numeric_limits<double>::infinity()});
  groups.metric.push_back(h);
  out.push_back(std::move(groups));
  out.push_back(Single("tandem_store_write_transactions_total",
                       "Write transactions committed or refused", prometheus::MetricType::Counter,
                       static_cast<double>(s.write_transactions)));
  out.push_back(Gauge("tandem_store_writes_waiting", "Write transactions queued for a group",
                      static_cast<double>(s.writes_waiting)));
  out.push_back(
      Gauge("tandem_store_readers_limit", "Reader connections the pool may open", s.readers_limit));
  out.push_back(Gauge("tandem_store_readers_open", "Reader connections open", s.readers_open));
  out.push_back(Gauge("tandem_store_readers_in_use", "Reader connections serving a request",
                      s.readers_open - s.readers_idle));
  return out;
}

std::vector<prometheus::MetricFamily> ConnectionFamilies(const ConnectionStats& s) {
  std::vector<prometheus::MetricFamily> out;
  out.push_back(Gauge("tandem_http_connections_open", "Client connections open",
                      static_cast<double>(s.open)));
  out.push_back(Gauge("tandem_http_connections_waiting",
                      "Open connections waiting for a request header (idle or slow)",
                      static_cast<double>(s.waiting)));
  auto refused = Family("tandem_http_connections_refused_total",
                        "Connections refused at accept, by the limit reached",
                        prometheus::MetricType::Counter);
  for (auto [limit, value] :
       {std::pair{"per_client", s.refused_client}, std::pair{"server", s.refused_server}}) {
    prometheus::ClientMetric m;
    m.label.push_back({"limit", limit});
    m.counter.value = static_cast<double>(value);
    refused.metric.push_back(m);
  }
  out.push_back(std::move(refused));
  out.push_back(Single("tandem_http_header_timeouts_total",
                       "Connections closed because a started request did not arrive in time",
                       prometheus::MetricType::Counter, static_cast<double>(s.header_timeouts)));
  return out;
}

}  // namespace

struct Metrics::Impl {
  Impl(std::function<store::StoreStats()> stats, std::function<ConnectionStats()> connections)
      : store_stats(std::move(stats)),
        connection_stats(std::move(connections)),
        requests(prometheus::BuildCounter()
                     .Name("tandem_http_requests_total")
                     .Help("Requests answered, by route, method and status")
                     .Register(registry)),
        latency(prometheus::BuildHistogram()
                    .Name("tandem_http_request_duration_seconds")
                    .Help("Time from the request read to the response written, by route and method")
                    .Register(registry)),
        in_flight(prometheus::BuildGauge()
                      .Name("tandem_http_requests_in_flight")
                      .Help("Requests being handled now")
                      .Register(registry)
                      .Add({})) {}

  // One request's series, found again by the route's address, its method
  // and status (bounded: routes x methods x statuses).
  struct SeriesKey {
    const char* path;
    std::string method;
    int status;
    bool operator==(const SeriesKey&) const = default;
  };
  struct SeriesHash {
    size_t operator()(const SeriesKey& k) const {
      return std::hash<const void*>()(k.path) ^ (std::hash<std::string>()(k.method) << 1) ^
             (static_cast<size_t>(k.status) << 7);
    }
  };
  struct Series {
    prometheus::Counter* requests;
    prometheus::Histogram* latency;
  };

  Series Find(Route route, const std::string& method, int status) {
    SeriesKey key{route.path.empty() ? "" : route.path.data(), method, status};
    std::lock_guard lk(mu);
    auto it = series.find(key);
    if (it != series.end()) return it->second;
    const std::string label =
        route.path.empty() ? "unmatched" : std::string(route.prefix) + std::string(route.path);
    Series s{
        &requests.Add({{"route", label}, {"method", method}, {"status", std::to_string(status)}}),
        &latency.Add({{"route", label}, {"method", method}}, kLatencyBounds)};
    series.emplace(std::move(key), s);
    return s;
  }

  std::function<store::StoreStats()> store_stats;
  std::function<ConnectionStats()> connection_stats;
  std::mutex mu;
  std::unordered_map<SeriesKey, Series, SeriesHash> series;
  prometheus::Registry registry;
  prometheus::Family<prometheus::Counter>& requests;
  prometheus::Family<prometheus::Histogram>& latency;
  prometheus::Gauge& in_flight;
};

Metrics::Metrics(std::function<store::StoreStats()> store_stats,
                 std::function<ConnectionStats()> connection_stats)
    : impl_(std::make_unique<Impl>(std::move(store_stats), std::move(connection_stats))) {}

Metrics::~Metrics() = default;

void Metrics::RequestStarted() { impl_->in_flight.Increment(); }

void Metrics::RequestFinished(Route route, const std::string& method, int status, double seconds) {
  impl_->in_flight.Decrement();
  const Impl::Series s = impl_->Find(route, method, status);
  s.requests->Increment();
  s.latency->Observe(seconds);
}

std::string Metrics::Scrape() const {
  auto families = impl_->registry.Collect();
  for (auto& f : StoreFamilies(impl_->store_stats())) families.push_back(std::move(f));
  for (auto& f : ConnectionFamilies(impl_->connection_stats())) families.push_back(std::move(f));
  return prometheus::TextSerializer().Serialize(families);
}

}  // namespace tandem::http

// Prometheus metrics of one server: requests by route, method and status,
// their latency, requests in flight, and the store's group commits and reader
// pool, and the open connections, in the text exposition format (GET /metrics).
//
// Routes are labelled by their declared pattern ("/api/v1/incidents/{id}"),
// never by the path asked for, so that no request can add a label value.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "http/connections.h"
#include "store/database.h"

namespace tandem::http {

class Metrics {
 public:
  // Both are asked at every scrape.
  Metrics(std::function<store::StoreStats()> store_stats,
          std::function<ConnectionStats()> connection_stats);
  ~Metrics();

  // What a request is counted under: prefix + path, e.g. "/api/v1" +
  // "/incidents/{id}", "" + "web"; an empty path counts as "unmatched". The
  // path must outlive the Metrics (a route's pattern or a literal): series
  // are found by its address, so that counting a request allocates nothing
  // once its series exists.
  struct Route {
    const char* prefix;
    std::string_view path;
  };

  void RequestStarted();
  void RequestFinished(Route route, const std::string& method, int status, double seconds);

  // Everything, in the Prometheus text format.
  std::string Scrape() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tandem::http

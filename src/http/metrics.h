// Prometheus metrics of one server: requests by route, method and status,
// their latency, requests in flight, and the store's group commits and reader
// pool, in the text exposition format (GET /metrics).
//
// Routes are labelled by their declared pattern ("/api/v1/incidents/{id}"),
// never by the path asked for, so that no request can add a label value.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "store/database.h"

namespace tandem::http {

class Metrics {
 public:
  // `store_stats` is asked at every scrape.
  explicit Metrics(std::function<store::StoreStats()> store_stats);
  ~Metrics();

  void RequestStarted();
  // `route`: the route's pattern, "web" for pages, "" for no route.
  void RequestFinished(std::string_view route, const std::string& method, int status,
                       double seconds);

  // Everything, in the Prometheus text format.
  std::string Scrape() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tandem::http

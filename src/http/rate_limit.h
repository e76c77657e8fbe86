// Request rate limits of one server: a token bucket per key (a client
// address, an API token, a signed-in user). Each key may send `rate` requests
// per second on average and bursts of up to `burst`. The buckets live in this
// server's memory: behind a load balancer each server applies the limit to
// what it receives (docs/operations.md).
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

namespace tandem::http {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  // rate <= 0: no limit.
  RateLimiter(double rate, double burst);

  bool enabled() const { return rate_ > 0; }
  double rate() const { return rate_; }
  // Takes one request for `key`: 0 when it may go on, else the whole seconds
  // until one may (for Retry-After).
  int Take(const std::string& key, Clock::time_point now = Clock::now());

 private:
  struct Bucket {
    double tokens;
    Clock::time_point at;
  };
  // Drops buckets that have filled up again (they equal a new one).
  void Prune(Clock::time_point now);

  const double rate_, burst_;
  std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace tandem::http

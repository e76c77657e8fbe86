#include "http/rate_limit.h"

#include <algorithm>
#include <cmath>

namespace tandem::http {

namespace {
constexpr size_t kPruneAbove = 10000;  // buckets kept before full ones are dropped
}

RateLimiter::RateLimiter(double rate, double burst) : rate_(rate), burst_(std::max(burst, 1.0)) {}

int RateLimiter::Take(const std::string& key, Clock::time_point now) {
  if (rate_ <= 0) return 0;
  std::lock_guard lk(mu_);
  if (buckets_.size() > kPruneAbove) Prune(now);
  auto [it, fresh] = buckets_.try_emplace(key, Bucket{burst_, now});
  Bucket& b = it->second;
  if (!fresh) {
    const double elapsed = std::chrono::duration<double>(now - b.at).count();
    b.tokens = std::min(burst_, b.tokens + elapsed * rate_);
    b.at = now;
  }
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return 0;
  }
  return static_cast<int>(std::ceil((1 - b.tokens) / rate_));
}

void RateLimiter::Prune(Clock::time_point now) {
  std::erase_if(buckets_, [&](const auto& entry) {
    const double elapsed = std::chrono::duration<double>(now - entry.second.at).count();
    return entry.second.tokens + elapsed * rate_ >= burst_;
  });
}

}  // namespace tandem::http

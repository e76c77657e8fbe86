// Token buckets: a burst, then one request per 1/rate seconds; the wait a
// refusal names is the time until the next request may go.
#include "http/rate_limit.h"

#include <gtest/gtest.h>

namespace tandem::http {
namespace {

using std::chrono::milliseconds;

TEST(RateLimiter, BurstThenSteadyRate) {
  RateLimiter limiter(/*rate=*/2, /*burst=*/3);  // two a second, three at once
  const auto t0 = RateLimiter::Clock::time_point{};
  struct Case {
    int at_ms;
    int wait;  // what Take answers
  } cases[] = {
      {0, 0},     {0, 0},     {0, 0},  // the burst
      {0, 1},                          // empty: half a second to the next, rounded up
      {400, 1},                        // 0.8 of a request accrued
      {500, 0},                        // 0.8 + 0.2 more: a whole one
      {500, 1},   {1000, 0},  {1000, 1},  {10000, 0},
      {10000, 0}, {10000, 0}, {10000, 1},  // refilled to the burst, not beyond
  };
  for (const auto& c : cases)
    EXPECT_EQ(limiter.Take("k", t0 + milliseconds(c.at_ms)), c.wait) << "at " << c.at_ms << " ms";
}

TEST(RateLimiter, KeysHaveTheirOwnBuckets) {
  RateLimiter limiter(1, 1);
  const auto t0 = RateLimiter::Clock::time_point{};
  EXPECT_EQ(limiter.Take("a", t0), 0);
  EXPECT_EQ(limiter.Take("a", t0), 1);
  EXPECT_EQ(limiter.Take("b", t0), 0);
}

TEST(RateLimiter, ZeroRateIsNoLimit) {
  RateLimiter limiter(0, 10);
  EXPECT_FALSE(limiter.enabled());
  for (int i = 0; i < 100; ++i) EXPECT_EQ(limiter.Take("k"), 0);
}

TEST(RateLimiter, SlowRatesWaitWholeSeconds) {
  RateLimiter limiter(0.1, 1);
  const auto t0 = RateLimiter::Clock::time_point{};
  EXPECT_EQ(limiter.Take("k", t0), 0);
  EXPECT_EQ(limiter.Take("k", t0 + milliseconds(100)), 10);
  EXPECT_EQ(limiter.Take("k", t0 + milliseconds(5000)), 5);
  EXPECT_EQ(limiter.Take("k", t0 + milliseconds(10000)), 0);
}

}  // namespace
}  // namespace tandem::http

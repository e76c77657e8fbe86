// A bounded pool of reader connections, shared by both backends: idle
// connections are reused, new ones are opened up to the limit, and callers
// beyond it wait for a release.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "core/result.h"
#include "store/database.h"

namespace tandem::store {

template <typename Conn>
class ConnectionPool {
 public:
  using Opener = std::function<Result<std::unique_ptr<Conn>>()>;

  ConnectionPool(int limit, Opener open) : limit_(limit), open_(std::move(open)) {}

  Result<std::unique_ptr<Conn>> Acquire() {
    {
      std::unique_lock lk(mu_);
      cv_.wait(lk, [&] { return !idle_.empty() || open_count_ < limit_; });
      if (!idle_.empty()) {
        auto c = std::move(idle_.back());
        idle_.pop_back();
        return c;
      }
      ++open_count_;
    }
    auto c = open_();
    if (!c.ok()) Discard();
    return c;
  }

  void Release(std::unique_ptr<Conn> c) {
    {
      std::lock_guard lk(mu_);
      idle_.push_back(std::move(c));
    }
    cv_.notify_one();
  }

  // Fills the pool's part of `stats`.
  void AddStats(StoreStats& stats) const {
    std::lock_guard lk(mu_);
    stats.readers_limit = limit_;
    stats.readers_open = open_count_;
    stats.readers_idle = static_cast<int>(idle_.size());
  }

  // Gives back the place of an acquired connection that was thrown away.
  void Discard() {
    {
      std::lock_guard lk(mu_);
      --open_count_;
    }
    cv_.notify_one();
  }

 private:
  const int limit_;
  Opener open_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Conn>> idle_;
  int open_count_ = 0;
};

}  // namespace tandem::store

// Group commit: one thread runs every write transaction of this process on one
// connection. Callers queue a transaction function and wait; the thread takes
// every queued function (up to max_group), runs each inside its own SAVEPOINT
// within one transaction, and wakes the callers after that single commit. A
// failing function rolls back to its savepoint only. Durability then costs one
// flush per group instead of one per request.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "store/database.h"

namespace tandem::store {

class GroupCommitter {
 public:
  struct Options {
    int max_group = 512;
    // Starts a group's transaction (e.g. "BEGIN IMMEDIATE").
    std::string begin_sql = "BEGIN";
    // Called before each group; may reconnect. A failure fails the group.
    std::function<Status(Connection&)> ensure_ready;
  };

  GroupCommitter(Connection& conn, Options options);
  ~GroupCommitter();  // finishes queued work, then stops

  // Runs `fn` in a write transaction; returns once it is committed (or failed).
  // Called from inside a running write function, joins that transaction.
  Status Write(const TxFunction& fn);

  // Fills the writer's part of `stats`.
  void AddStats(StoreStats& stats) const;

 private:
  struct Job {
    const TxFunction* fn;
    std::promise<Status> promise;
  };

  void Loop();
  void RunGroup(const std::vector<Job*>& group);

  Connection& conn_;
  Options options_;
  mutable std::mutex mu_;
  uint64_t groups_ = 0, transactions_ = 0;  // guarded by mu_, like the buckets
  uint64_t size_buckets_[std::size(StoreStats::kGroupSizeBounds)] = {};
  std::condition_variable cv_;
  std::deque<Job*> queue_;
  bool stop_ = false;
  std::thread thread_;
};

// Runs fn, turning an escaping exception into an internal error (logged).
Status CallGuarded(const TxFunction& fn, Connection& conn);

}  // namespace tandem::store

#include "store/group_commit.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace tandem::store {

Status CallGuarded(const TxFunction& fn, Connection& conn) {
  try {
    return fn(conn);
  } catch (const std::exception& e) {
    spdlog::error("transaction threw: {}", e.what());
    return MakeError(ErrorCode::kInternal, "transaction failed");
  }
}

GroupCommitter::GroupCommitter(Connection& conn, Options options)
    : conn_(conn), options_(std::move(options)) {
  thread_ = std::thread([this] { Loop(); });
}

GroupCommitter::~GroupCommitter() {
  {
    std::lock_guard lk(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

Status GroupCommitter::Write(const TxFunction& fn) {
  if (std::this_thread::get_id() == thread_.get_id()) {
    // A write function writing again joins its transaction.
    TANDEM_RETURN_IF_ERROR(conn_.ExecScript("SAVEPOINT nested"));
    Status st = CallGuarded(fn, conn_);
    (void)conn_.ExecScript(st.ok() ? "RELEASE SAVEPOINT nested"
                                   : "ROLLBACK TO SAVEPOINT nested; RELEASE SAVEPOINT nested");
    return st;
  }
  Job job{&fn, {}};
  auto done = job.promise.get_future();
  {
    std::lock_guard lk(mu_);
    if (stop_) return MakeError(ErrorCode::kUnavailable, "database is closing");
    queue_.push_back(&job);
  }
  cv_.notify_one();
  return done.get();
}

void GroupCommitter::AddStats(StoreStats& stats) const {
  std::lock_guard lk(mu_);
  stats.write_groups = groups_;
  stats.write_transactions = transactions_;
  std::copy(std::begin(size_buckets_), std::end(size_buckets_), stats.group_size_buckets);
  stats.writes_waiting = static_cast<int64_t>(queue_.size());
}

void GroupCommitter::Loop() {
  std::vector<Job*> group;
  for (;;) {
    {
      std::unique_lock lk(mu_);
      cv_.wait(lk, [&] { return stop_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping with nothing left to do
      while (!queue_.empty() && group.size() < static_cast<size_t>(options_.max_group)) {
        group.push_back(queue_.front());
        queue_.pop_front();
      }
      ++groups_;
      transactions_ += group.size();
      for (size_t i = 0; i < std::size(StoreStats::kGroupSizeBounds); ++i)
        if (group.size() <= static_cast<size_t>(StoreStats::kGroupSizeBounds[i]))
          ++size_buckets_[i];
    }
    RunGroup(group);
    group.clear();
  }
}

void GroupCommitter::RunGroup(const std::vector<Job*>& group) {
  Status begin = options_.ensure_ready ? options_.ensure_ready(conn_) : Status::Ok();
  if (begin.ok()) begin = conn_.Execute(options_.begin_sql).status();
  if (!begin.ok()) {
    if (begin.error().code != ErrorCode::kUnavailable)
      spdlog::error("cannot begin a write group: {}", begin.error().detail);
    for (Job* j : group) j->promise.set_value(begin);
    return;
  }
  std::vector<Status> results(group.size());
  // Over a network every statement costs a round trip, so the release of one
  // job's savepoint travels with the next job's; SQLite runs them as prepared
  // statements. COMMIT releases the last one.
  const bool network = conn_.dialect() == Dialect::kPostgres;
  bool release_pending = false;
  for (size_t i = 0; i < group.size(); ++i) {
    Status sp;
    if (release_pending && network) {
      sp = conn_.ExecScript("RELEASE SAVEPOINT job; SAVEPOINT job");
    } else {
      if (release_pending) sp = conn_.Execute("RELEASE SAVEPOINT job").status();
      if (sp.ok()) sp = conn_.Execute("SAVEPOINT job").status();
    }
    release_pending = false;
    results[i] = sp.ok() ? CallGuarded(*group[i]->fn, conn_) : sp;
    if (results[i].ok()) {
      release_pending = true;
    } else if (sp.ok()) {
      (void)conn_.ExecScript("ROLLBACK TO SAVEPOINT job; RELEASE SAVEPOINT job");
    }
  }
  Status commit = conn_.Execute("COMMIT").status();
  if (!commit.ok()) {
    spdlog::error("group commit failed: {}", commit.error().detail);
    (void)conn_.ExecScript("ROLLBACK");
    for (auto& r : results)
      if (r.ok())
        r = MakeError(ErrorCode::kUnavailable,
                      "the database did not commit; nothing was saved, retry");
  }
  for (size_t i = 0; i < group.size(); ++i) group[i]->promise.set_value(results[i]);
}

}  // namespace tandem::store

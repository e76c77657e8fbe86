#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "core/hash.h"
#include "store/sqlite/sqlite_database.h"

namespace tandem::store {
namespace {

TEST(Sqlite, RewritePlaceholdersTable) {
  const std::pair<const char*, const char*> cases[] = {
      {"SELECT $1", "SELECT ?1"},
      {"WHERE a = $2 AND b = $1 OR c = $2", "WHERE a = ?2 AND b = ?1 OR c = ?2"},
      {"SELECT '$1', \"$2\" FROM t WHERE x = $10", "SELECT '$1', \"$2\" FROM t WHERE x = ?10"},
      {"SELECT 'it''s $1' || $1", "SELECT 'it''s $1' || ?1"},
      {"SELECT $ FROM t", "SELECT $ FROM t"},
      {"SELECT $0", "SELECT $0"},
  };
  for (const auto& [in, out] : cases) EXPECT_EQ(RewritePlaceholders(in), out) << in;
}

class SqliteDb : public ::testing::Test {
 protected:
  void SetUp() override {
    InitCrypto();
    dir_ = std::filesystem::temp_directory_path() / ("tandem-sqlite-" + RandomHex(6));
    std::filesystem::create_directories(dir_);
    auto db = OpenDatabase("sqlite:" + (dir_ / "t.db").string());
    ASSERT_TRUE(db.ok()) << db.error().detail;
    db_ = std::move(db).value();
    ASSERT_TRUE(db_->Write([](Connection& c) {
                     return c.ExecScript(
                         "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE) STRICT");
                   })
                    .ok());
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }
  int64_t Count() {
    int64_t n = -1;
    EXPECT_TRUE(db_->Read([&](Connection& c) -> Status {
                     auto r = c.Query("SELECT count(*) FROM t");
                     if (!r.ok()) return r.error();
                     n = std::get<int64_t>(r->rows[0][0]);
                     return Status::Ok();
                   })
                    .ok());
    return n;
  }

  std::filesystem::path dir_;
  std::unique_ptr<Database> db_;
};

TEST_F(SqliteDb, ParametersBindByNumberNotByOrder) {
  Result<Rows> r = MakeError(ErrorCode::kInternal, "unset");
  ASSERT_TRUE(db_->Read([&](Connection& c) -> Status {
                   Value p[] = {int64_t{1}, std::string("two")};
                   r = c.Query("SELECT $2, $1, $2", p);
                   return r.status();
                 })
                  .ok());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(std::get<std::string>(r->rows[0][0]), "two");
  EXPECT_EQ(std::get<int64_t>(r->rows[0][1]), 1);
  EXPECT_EQ(std::get<std::string>(r->rows[0][2]), "two");
}

// Concurrent writers share commits, and every acknowledged write is there.
TEST_F(SqliteDb, GroupCommitKeepsEveryAcknowledgedWrite) {
  constexpr int kThreads = 16, kPerThread = 50;
  std::atomic<int> acked{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        Value v = "t" + std::to_string(t) + "-" + std::to_string(i);
        Status st = db_->Write([&](Connection& c) {
          return c.Execute("INSERT INTO t (v) VALUES ($1)", {&v, 1}).status();
        });
        if (st.ok()) ++acked;
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(acked.load(), kThreads * kPerThread);
  EXPECT_EQ(Count(), kThreads * kPerThread);
}

// One failing transaction in a group rolls back alone.
TEST_F(SqliteDb, FailingWriterDoesNotTakeOthersDown) {
  Value dup = std::string("same");
  ASSERT_TRUE(db_->Write([&](Connection& c) {
                   return c.Execute("INSERT INTO t (v) VALUES ($1)", {&dup, 1}).status();
                 })
                  .ok());
  std::vector<std::thread> threads;
  std::atomic<int> ok{0}, failed{0};
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      Status st = db_->Write([&](Connection& c) -> Status {
        Value mine = "row" + std::to_string(t);
        TANDEM_RETURN_IF_ERROR(c.Execute("INSERT INTO t (v) VALUES ($1)", {&mine, 1}).status());
        if (t % 2)
          return c.Execute("INSERT INTO t (v) VALUES ($1)", {&dup, 1}).status();  // violates UNIQUE
        return Status::Ok();
      });
      (st.ok() ? ok : failed)++;
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 4);
  EXPECT_EQ(failed.load(), 4);
  EXPECT_EQ(Count(), 1 + 4);  // the failing ones left no partial row behind
}

TEST_F(SqliteDb, ExceptionInWriterBecomesInternalError) {
  Status st = db_->Write([](Connection&) -> Status { throw std::runtime_error("boom"); });
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::kInternal);
  EXPECT_TRUE(
      db_->Write([](Connection& c) { return c.ExecScript("INSERT INTO t (v) VALUES ('after')"); })
          .ok());
}

TEST_F(SqliteDb, BackupIsAConsistentCopy) {
  ASSERT_TRUE(db_->Write([](Connection& c) {
                   return c.ExecScript("INSERT INTO t (v) VALUES ('a'), ('b')");
                 })
                  .ok());
  auto dest = (dir_ / "copy.db").string();
  ASSERT_TRUE(db_->Backup(dest).ok());
  auto copy = OpenDatabase("sqlite:" + dest);
  ASSERT_TRUE(copy.ok());
  int64_t n = 0;
  ASSERT_TRUE((*copy)
                  ->Read([&](Connection& c) -> Status {
                    auto r = c.Query("SELECT count(*) FROM t");
                    n = std::get<int64_t>(r->rows[0][0]);
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(n, 2);
}

TEST(SqliteOpen, NotADatabaseIsAClearError) {
  auto path = std::filesystem::temp_directory_path() / ("tandem-garbage-" + RandomHex(4));
  FILE* f = fopen(path.c_str(), "w");
  fputs("this is not a database, just text that is long enough to look like a header....", f);
  fclose(f);
  auto db = OpenDatabase("sqlite:" + path.string());
  EXPECT_FALSE(db.ok());
  std::filesystem::remove(path);
}

// The planner statistics of index `index` ("" when none were gathered).
std::string StatOf(Database& db, const std::string& index) {
  std::string stat;
  EXPECT_TRUE(db.Read([&](Connection& c) -> Status {
                  auto has =
                      c.Query("SELECT count(*) FROM sqlite_schema WHERE name = 'sqlite_stat1'");
                  if (!has.ok()) return has.error();
                  if (std::get<int64_t>(has->rows[0][0]) == 0) return Status::Ok();
                  const std::vector<Value> params = {index};
                  auto r = c.Query("SELECT stat FROM sqlite_stat1 WHERE idx = $1", params);
                  if (!r.ok()) return r.error();
                  if (!r->empty()) stat = std::get<std::string>(r->rows[0][0]);
                  return Status::Ok();
                }).ok());
  return stat;
}

TEST(SqliteStatistics, GatheredEveryNWritesAndOnOpen) {
  InitCrypto();
  const auto dir = std::filesystem::temp_directory_path() / ("tandem-stat-" + RandomHex(6));
  std::filesystem::create_directories(dir);
  const std::string url = "sqlite:" + (dir / "s.db").string();
  {
    auto db = OpenDatabase(url, {.analyze_every_writes = 3});
    ASSERT_TRUE(db.ok()) << db.error().detail;
    auto write = [&](const std::string& sql) {
      ASSERT_TRUE((*db)->Write([&](Connection& c) { return c.ExecScript(sql); }).ok()) << sql;
    };
    write("CREATE TABLE u (id INTEGER PRIMARY KEY, s TEXT); CREATE INDEX u_s ON u (s)");
    std::string rows = "INSERT INTO u (s) VALUES ('open')";
    for (int i = 0; i < 99; ++i) rows += i < 9 ? ", ('open')" : ", ('closed')";
    write(rows);
    EXPECT_EQ(StatOf(**db, "u_s"), "") << "two writes: not yet";
    write("UPDATE u SET s = 'open' WHERE id = 1");
    EXPECT_EQ(StatOf(**db, "u_s"), "100 50") << "the third write gathers them";
    write("INSERT INTO u (s) SELECT 'closed' FROM u");
  }
  // Opening gathers them again: 200 rows now.
  auto db = OpenDatabase(url);
  ASSERT_TRUE(db.ok());
  EXPECT_EQ(StatOf(**db, "u_s"), "200 100");
  db->reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace tandem::store

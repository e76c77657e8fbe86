// The database a test runs against: a new SQLite file, or a new database in
// the test PostgreSQL cluster, chosen by the environment so that ONE suite
// runs against both backends:
//   TANDEM_TEST_PG_STATE=<dir written by tests/pg/cluster.sh start> selects
//   PostgreSQL; TANDEM_TEST_BACKEND=sqlite|postgres overrides the choice.
#pragma once

#include <filesystem>
#include <string>

namespace tandem::testing {

class TestDatabase {
 public:
  // `dir` holds the SQLite file; it must exist.
  explicit TestDatabase(const std::filesystem::path& dir);
  ~TestDatabase();  // drops the PostgreSQL database
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  const std::string& url() const { return url_; }
  bool postgres() const { return !pg_name_.empty(); }

 private:
  std::string url_;
  std::string pg_name_;
  std::string pg_admin_url_;
};

bool TestingPostgres();

}  // namespace tandem::testing

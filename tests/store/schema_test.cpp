// Both dialects end with the same tables and columns.
#include "records/schema.h"

#include <gtest/gtest.h>

#include "store/migrations.h"
#include "test_app.h"

namespace tandem {
namespace {

using Schema = std::map<std::string, std::vector<std::string>>;

Schema Describe(testing::TestApp& app) {
  Schema out;
  Status st = app.engine().db().Read([&](store::Connection& c) -> Status {
    TANDEM_ASSIGN_OR_RETURN(out, records::DescribeSchema(c));
    return Status::Ok();
  });
  EXPECT_TRUE(st.ok());
  return out;
}

TEST(Schema, BothDialectsHaveTheSameTablesAndColumns) {
  if (!testing::TestingPostgres())
    GTEST_SKIP() << "compares with PostgreSQL; runs in the postgres suite";
  testing::TestApp pg;
  setenv("TANDEM_TEST_BACKEND", "sqlite", 1);
  testing::TestApp lite;
  setenv("TANDEM_TEST_BACKEND", "postgres", 1);
  Schema a = Describe(pg), b = Describe(lite);
  EXPECT_FALSE(a.empty());
  EXPECT_EQ(a, b);
}

TEST(Schema, EveryDeclaredFieldHasAColumn) {
  testing::TestApp app;
  Schema s = Describe(app);
  for (const auto& t : app.engine().registry().types()) {
    ASSERT_TRUE(s.count(t.table())) << t.table();
    const auto& cols = s[t.table()];
    for (const auto& f : t.fields)
      EXPECT_NE(std::find(cols.begin(), cols.end(), f.name), cols.end())
          << t.table() << "." << f.name;
  }
}

// Version 5 moved the sign-in failure counts and locks out of the users
// table and freed the names of revoked tokens: an upgrade keeps every lock
// and every token.
TEST(Schema, UpgradeToVersion5KeepsLocksAndTokens) {
  InitCrypto();
  const auto dir = std::filesystem::temp_directory_path() / ("tandem-test-" + RandomHex(6));
  std::filesystem::create_directories(dir);
  {
    testing::TestDatabase test_db(dir);
    {
      auto db = store::OpenDatabase(test_db.url());
      ASSERT_TRUE(db.ok()) << db.error().detail;
      auto v = store::MigrateTo(**db, 4);
      ASSERT_TRUE(v.ok()) << v.error().detail;
      ASSERT_EQ(*v, 4);
      Status st = (*db)->Write([](store::Connection& c) {
        return c.ExecScript(
            "INSERT INTO users (username, password_hash, roles, created_at, updated_at, "
            "failed_logins, locked_until) VALUES "
            "('carol', 'x', '[\"viewer\"]', '2026-11-23T08:00:00.000Z', "
            "'2026-11-23T08:00:00.000Z', 0, '2026-11-23T09:10:00.000Z'), "
            "('dave', 'x', '[\"viewer\"]', '2026-11-23T08:00:00.000Z', "
            "'2026-11-23T08:00:00.000Z', 3, NULL);"
            "INSERT INTO api_tokens (user_id, name, token_hash, scope, created_at, revoked_at) "
            "VALUES (1, 'ci', 'h1', 'read', '2026-11-23T08:00:00.000Z', "
            "'2026-11-23T08:30:00.000Z'), (1, 'report', 'h2', 'read', "
            "'2026-11-23T08:00:00.000Z', NULL);");
      });
      ASSERT_TRUE(st.ok()) << st.error().detail;
    }
    ManualClock clock(*ParseTimestamp("2026-11-23T09:00:00Z"));
    auto app = app::OpenApp(test_db.url(), &clock);
    ASSERT_TRUE(app.ok()) << app.error().detail;
    const records::Actor system = records::SystemActor("local");
    auto carol = (*app)->auth->User(system, "carol");
    ASSERT_TRUE(carol.ok()) << carol.error().detail;
    EXPECT_EQ((*carol)["locked_until"], "2026-11-23T09:10:00.000Z");
    EXPECT_EQ((*carol)["username"], "carol");
    auto tokens = (*app)->auth->UserTokens(system, "carol");
    ASSERT_TRUE(tokens.ok()) << tokens.error().detail;
    ASSERT_EQ(tokens->size(), 2u);
    EXPECT_EQ((*tokens)[0]["name"], "ci");
    EXPECT_EQ((*tokens)[0]["revoked_at"], "2026-11-23T08:30:00.000Z");
    EXPECT_TRUE((*tokens)[1]["revoked_at"].is_null());
    // The revoked token's name is free; the active one's is not.
    EXPECT_TRUE((*app)->auth->IssueToken(system, "carol", {{"name", "ci"}}).ok());
    auto taken = (*app)->auth->IssueToken(system, "carol", {{"name", "report"}});
    ASSERT_FALSE(taken.ok());
    EXPECT_EQ(taken.error().code, ErrorCode::kConflict);
    // The lock holds: carol is refused at sign-in until it ends.
    auto login = (*app)->auth->Login("carol", "anything", "192.0.2.1");
    ASSERT_FALSE(login.ok());
    EXPECT_EQ(login.error().code, ErrorCode::kTooManyRequests);
    EXPECT_EQ(login.error().retry_after_seconds, 601);
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace tandem

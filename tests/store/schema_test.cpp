// Both dialects end with the same tables and columns.
#include "records/schema.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace tandem

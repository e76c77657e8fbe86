// Custom frameworks imported into the database: the real-world OSCAL catalog
// (NIST SP 800-53 rev 5.0.1) through the engine, and the all-or-nothing rule.
#include "domains/standards/import.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "domains/standards/index.h"
#include "domains/standards/queries.h"
#include "test_app.h"

namespace tandem {
namespace {

using nlohmann::json;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

int64_t CountRecords(testing::TestApp& t, const char* type) {
  auto q = *t.engine().ParseList(t.type(type), {{"limit", "1"}});
  int64_t n = 0;
  std::string after;
  do {
    auto params = std::multimap<std::string, std::string>{{"limit", "500"}};
    if (!after.empty()) params.emplace("after", after);
    q = *t.engine().ParseList(t.type(type), params);
    auto page = *t.engine().List(records::SystemActor(), t.type(type), q);
    n += page.items.size();
    after = page.next_cursor;
  } while (!after.empty());
  return n;
}

TEST(ImportTest, NistSp80053Rev5) {
  testing::TestApp t;
  const std::string text =
      ReadFile(std::string(TANDEM_TESTS_DIR) + "/data/nist-sp800-53-rev5.0.1-catalog-min.json");
  ASSERT_FALSE(text.empty());
  domains::FrameworkOptions options{.format = domains::CatalogFormat::kOscal,
                                    .source = "nist-sp800-53-rev5.0.1-catalog-min.json"};
  auto out = domains::ImportFramework(t.engine(), records::SystemActor("importer"), text, options);
  ASSERT_TRUE(out.ok()) << out.error().detail;
  // 20 families, 322 controls, 867 enhancements; 182 of them withdrawn
  // (counts from the file, see tests/unit/catalog_io_test.cpp).
  EXPECT_EQ((*out)["requirements"], 1209);
  EXPECT_EQ((*out)["withdrawn"], 182);
  EXPECT_EQ((*out)["standard"]["key"], "nist-special-publication-800-53-revision-5:5.0.1");
  EXPECT_EQ((*out)["standard"]["edition"], "5.0.1");

  domains::StandardsIndex index(t.engine());
  auto view = index.View(records::SystemActor());
  ASSERT_TRUE(view.ok());
  const std::string key = (*out)["standard"]["key"];
  auto reqs = domains::ListRequirements(*view, key);
  ASSERT_TRUE(reqs.ok());
  ASSERT_EQ(reqs->size(), 1209u);
  // Document order: a family, then its controls, each followed by its
  // enhancements (AC-2 before AC-2(1) before AC-3; AC-9 before AC-10).
  std::vector<std::string> refs;
  for (const auto& r : *reqs) refs.push_back(r["ref"]);
  auto at = [&](const std::string& ref) {
    return std::find(refs.begin(), refs.end(), ref) - refs.begin();
  };
  EXPECT_EQ(refs[0], "ac");
  EXPECT_LT(at("AC-2"), at("AC-2(1)"));
  EXPECT_LT(at("AC-2(1)"), at("AC-3"));
  EXPECT_LT(at("AC-9"), at("AC-10"));
  auto matrix = domains::BuildMatrix(*view, key);
  ASSERT_TRUE(matrix.ok());
  EXPECT_EQ(matrix->rows.size(), 1209u - 182u);
  EXPECT_EQ(matrix->withdrawn, 182);
  EXPECT_EQ(matrix->gaps, 1209 - 182);
}

TEST(ImportTest, NothingIsCreatedWhenTheKeyIsTaken) {
  testing::TestApp t;
  const auto system = records::SystemActor("importer");
  domains::FrameworkOptions options{.key = "acme:1", .title = "Acme"};
  ASSERT_TRUE(domains::ImportFramework(t.engine(), system, "ref,title\nA-1,One\n", options).ok());
  auto again =
      domains::ImportFramework(t.engine(), system, "ref,title\nB-1,One\nB-2,Two\n", options);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  EXPECT_EQ(CountRecords(t, "standard"), 1);
  EXPECT_EQ(CountRecords(t, "requirement"), 1);
}

// A row the parser accepts but the engine refuses (the hooks' rules) rolls
// back the standard created before it.
TEST(ImportTest, AnEngineRefusalRollsBackTheStandard) {
  testing::TestApp t;
  domains::FrameworkOptions options{.key = "Not A Key!", .title = "Bad key"};
  auto out = domains::ImportFramework(t.engine(), records::SystemActor("importer"),
                                      "ref,title\nA-1,One\n", options);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(CountRecords(t, "standard"), 0);
  EXPECT_EQ(CountRecords(t, "requirement"), 0);
}

// An import is one write transaction that every other writer waits for, so
// its size has a bound: one entry more is refused before anything is written.
TEST(ImportTest, ACatalogOverTheLimitIsRefusedWhole) {
  testing::TestApp t;
  const auto system = records::SystemActor("importer");
  auto csv = [](size_t n) {
    std::string text = "ref,title\n";
    for (size_t i = 0; i < n; ++i) text += "R-" + std::to_string(i) + ",Entry\n";
    return text;
  };
  domains::FrameworkOptions options{.key = "big:1", .title = "Too big"};
  auto out =
      domains::ImportFramework(t.engine(), system, csv(domains::kMaxFrameworkEntries + 1), options);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code, ErrorCode::kValidation);
  EXPECT_NE(out.error().detail.find("at most 20000 entries"), std::string::npos)
      << out.error().detail;
  EXPECT_EQ(CountRecords(t, "standard"), 0);
  EXPECT_EQ(CountRecords(t, "requirement"), 0);
}

}  // namespace
}  // namespace tandem

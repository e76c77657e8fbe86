// export -> import -> export reproduces every byte: records of several types,
// archived records, custom fields, links and the audit chain.
#include "records/transfer.h"

#include <gtest/gtest.h>

#include <sstream>

#include "test_app.h"

namespace tandem {
namespace {

using nlohmann::json;

void Populate(testing::TestApp& app) {
  auto& e = app.engine();
  const records::Actor actor = records::SystemActor("local");
  ASSERT_TRUE(
      e.DefineCustomField(actor, app.type("asset"), {{"name", "rack"}, {"type", "text"}}).ok());
  json svc = app.Create(
      "service", {{"name", "Hosting"}, {"criticality", "high"}, {"availability_target", 99.95}});
  json asset = app.Create("asset", {{"name", "Hypervisor 1"},
                                    {"asset_type", "hardware"},
                                    {"configuration_item", true},
                                    {"monetary_value", 12500.5},
                                    {"custom", {{"rack", "B-12"}}}});
  json inc = app.Create("incident", {{"title", "Host down \"quoted\" \u00e9"},
                                     {"kind", "incident"},
                                     {"classification", "both"},
                                     {"impact", "high"},
                                     {"urgency", "medium"},
                                     {"service", svc["id"]},
                                     {"occurred_at", "2026-11-20T10:00:00Z"},
                                     {"description", "line1\nline2"}});
  ASSERT_TRUE(e.AddLink(actor, app.type("incident"), inc["id"],
                        {{"relation", "affects"}, {"target", "AST-000001"}})
                  .ok());
  ASSERT_TRUE(e.Transition(actor, app.type("incident"), inc["id"], "start", std::nullopt).ok());
  json doc = app.Create("document", {{"title", "Old procedure"}, {"doc_type", "procedure"}});
  ASSERT_TRUE(e.SetArchived(actor, app.type("document"), doc["id"], true, std::nullopt).ok());
  app.Create(
      "risk",
      {{"title", "Loss of hypervisor"}, {"domain", "both"}, {"likelihood", 2}, {"impact", 4}});
}

TEST(Transfer, ExportImportRoundTripsExactly) {
  testing::TestApp source;
  Populate(source);
  std::stringstream first;
  auto n = records::Export(source.engine(), first);
  ASSERT_TRUE(n.ok()) << n.error().detail;
  EXPECT_GT(*n, 10);

  testing::TestApp target;
  std::stringstream in(first.str());
  auto imported = records::Import(target.engine(), in);
  ASSERT_TRUE(imported.ok()) << imported.error().detail;

  std::stringstream second;
  ASSERT_TRUE(records::Export(target.engine(), second).ok());
  EXPECT_EQ(first.str(), second.str());

  auto rep = records::VerifyAudit(target.engine().db());
  ASSERT_TRUE(rep.ok());
  EXPECT_TRUE(rep->ok);
  // Custom field definitions came across and are in force.
  ASSERT_EQ(target.engine().CustomFields(target.type("asset")).size(), 1u);
  auto asset = target.engine().Get(records::SystemActor("local"), target.type("asset"), 1);
  ASSERT_TRUE(asset.ok());
  EXPECT_EQ((*asset)["custom"]["rack"], "B-12");
  // New records continue numbering after the imported ones.
  json next = target.Create("asset", {{"name", "Hypervisor 2"}, {"asset_type", "hardware"}});
  EXPECT_EQ(next["number"], "AST-000002");
}

TEST(Transfer, ImportRefusesANonEmptyDatabase) {
  testing::TestApp source;
  Populate(source);
  std::stringstream out;
  ASSERT_TRUE(records::Export(source.engine(), out).ok());
  std::stringstream in(out.str());
  auto r = records::Import(source.engine(), in);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kConflict);
}

// A bad line anywhere means nothing at all is imported, and the error names it.
TEST(Transfer, BadLineImportsNothing) {
  testing::TestApp source;
  Populate(source);
  std::stringstream out;
  ASSERT_TRUE(records::Export(source.engine(), out).ok());
  const std::vector<std::pair<std::string, std::string>> corruptions = {
      {"\"criticality\":\"high\"", "\"criticality\":\"extreme\""},  // invalid enum
      {"\"kind\":\"audit\",\"prev_hash\"",
       "\"kind\":\"audit\",\"prev_hash\":\"0\",\"x\""},  // broken chain
      {"\"kind\":\"link\"", "\"kind\":\"lnk\""},
  };
  for (const auto& [from, to] : corruptions) {
    std::string text = out.str();
    auto pos = text.find(from);
    ASSERT_NE(pos, std::string::npos) << from;
    text.replace(pos, from.size(), to);
    testing::TestApp target;
    std::stringstream in(text);
    auto r = records::Import(target.engine(), in);
    ASSERT_FALSE(r.ok()) << to;
    EXPECT_NE(r.error().detail.find("line "), std::string::npos) << r.error().detail;
    auto list = target.engine().List(records::SystemActor("local"), target.type("service"),
                                     records::ListQuery{});
    ASSERT_TRUE(list.ok());
    EXPECT_TRUE(list->items.empty()) << "partial import after: " << to;
  }
  testing::TestApp target;
  std::stringstream garbage("{\"format\":\"something-else\"}\n");
  EXPECT_FALSE(records::Import(target.engine(), garbage).ok());
}

}  // namespace
}  // namespace tandem

// The built-in catalog and correspondence loader, and the all-or-nothing
// batch create under it.
#include "domains/standards/catalogs.h"

#include <gtest/gtest.h>

#include "app/app.h"
#include "test_app.h"

namespace tandem {
namespace {

using nlohmann::json;

int64_t Count(testing::TestApp& t, const std::string& sql) {
  int64_t n = -1;
  EXPECT_TRUE(t.engine()
                  .db()
                  .Read([&](store::Connection& c) -> Status {
                    TANDEM_ASSIGN_OR_RETURN(store::Rows r, c.Query(sql));
                    n = std::get<int64_t>(r.rows[0][0]);
                    return Status::Ok();
                  })
                  .ok());
  return n;
}

// Rows in each catalog file, less the header, and the lettered items that
// correspondences cite ("5.1 c)").
constexpr int64_t kRequirements = 198 + 138 + 58 + 77 + 91 + 32;
// Table A.1 less 3 lines naming references the catalogs lack, the Annex A
// map, 6 pairs per full HLS row (and fewer where a standard lacks the
// clause), 3 per 20000-1:2018 clause without an HLS counterpart (to each other
// HLS standard), the 20000-1 editions.
constexpr int64_t kCorrespondences = 208 + 126 + 180 + 43 * 3 + 80;

TEST(CatalogsTest, LoadsOnceAndWritesNothingWhenComplete) {
  testing::TestApp t;
  ASSERT_TRUE(app::LoadBuiltinContent(t.app()).ok());
  EXPECT_EQ(Count(t, "SELECT count(*) FROM rec_standard"), 5);
  EXPECT_EQ(Count(t, "SELECT count(*) FROM rec_requirement"), kRequirements);
  const int64_t events = Count(t, "SELECT count(*) FROM audit_events");
  EXPECT_EQ(Count(t, "SELECT count(*) FROM rec_correspondence"), kCorrespondences);
  EXPECT_EQ(events, 5 + kRequirements + kCorrespondences);

  ASSERT_TRUE(app::LoadBuiltinContent(t.app()).ok());
  EXPECT_EQ(Count(t, "SELECT count(*) FROM rec_requirement"), kRequirements);
  EXPECT_EQ(Count(t, "SELECT count(*) FROM audit_events"), events) << "a complete load writes";
}

// A load cut short (here: rows missing as if the process died between the
// standard and its requirements) is completed at the next start, and what
// users added to the built-in content is kept.
TEST(CatalogsTest, CompletesAnInterruptedLoad) {
  testing::TestApp t;
  ASSERT_TRUE(app::LoadBuiltinContent(t.app()).ok());
  const auto& requirement = t.type("requirement");
  auto q = *t.engine().ParseList(
      requirement,
      {{"filter[ref]", "A.12.3"}, {"filter[builtin]", "true"}, {"filter[parent_ref]", "A.12"}});
  auto found = *t.engine().List(records::SystemActor(), requirement, q);
  ASSERT_EQ(found.items.size(), 1u);
  json backup = found.items[0];
  ASSERT_TRUE(t.engine()
                  .Update(records::SystemActor("user"), requirement, backup["id"], 1,
                          {{"note", "our backup regime"}})
                  .ok());
  ASSERT_TRUE(
      t.engine()
          .db()
          .Write([&](store::Connection& c) {
            return c.Execute("DELETE FROM rec_requirement WHERE ref LIKE 'A.12.3.%'").status();
          })
          .ok());
  ASSERT_EQ(Count(t, "SELECT count(*) FROM rec_requirement"), kRequirements - 1);

  ASSERT_TRUE(app::LoadBuiltinContent(t.app()).ok());
  EXPECT_EQ(Count(t, "SELECT count(*) FROM rec_requirement"), kRequirements);
  auto kept = *t.engine().Get(records::SystemActor(), requirement, backup["id"]);
  EXPECT_EQ(kept["note"], "our backup regime");
}

// A database loaded before a correction of the content (Table A.1's heading
// rows were once published no-relationship) is corrected at the next start.
TEST(CatalogsTest, CorrectsTheRelationshipOfALoadedLine) {
  testing::TestApp t;
  ASSERT_TRUE(app::LoadBuiltinContent(t.app()).ok());
  const auto& correspondence = t.type("correspondence");
  auto q = *t.engine().ParseList(correspondence, {{"filter[content_key]", "27013-a1:8"}});
  auto found = *t.engine().List(records::SystemActor(), correspondence, q);
  ASSERT_EQ(found.items.size(), 1u);
  json heading = found.items[0];
  EXPECT_EQ(heading["relationship"], "not-mapped");
  ASSERT_TRUE(t.engine()
                  .Update(records::SystemActor("catalogs"), correspondence, heading["id"],
                          heading["version"], {{"relationship", "no-relationship"}})
                  .ok());

  ASSERT_TRUE(app::LoadBuiltinContent(t.app()).ok());
  auto fixed = *t.engine().Get(records::SystemActor(), correspondence, heading["id"]);
  EXPECT_EQ(fixed["relationship"], "not-mapped");
  EXPECT_EQ(fixed["note"], heading["note"]) << "the table's remark stays";
  EXPECT_EQ(Count(t, "SELECT count(*) FROM rec_correspondence"), kCorrespondences);
}

TEST(CreateBatchTest, AllOrNothing) {
  testing::TestApp t;
  const auto& asset = t.type("asset");
  const records::Actor actor = records::SystemActor("batch");
  std::vector<json> bodies = {{{"name", "Server 1"}, {"asset_type", "hardware"}},
                              {{"name", "Server 2"}, {"asset_type", "hardware"}},
                              {{"name", "Server 3"}, {"asset_type", "spaceship"}}};
  auto bad = t.engine().CreateBatch(actor, asset, bodies);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kValidation);
  ASSERT_EQ(bad.error().fields.size(), 1u);
  EXPECT_EQ(bad.error().fields[0].field, "items[2].asset_type");
  EXPECT_EQ(Count(t, "SELECT count(*) FROM rec_asset"), 0);

  // An error found inside the transaction (a unique key, here between two
  // items of the batch) also leaves nothing behind.
  const auto& standard = t.type("standard");
  std::vector<json> twice = {{{"key", "dup:1"}, {"title", "A"}, {"management_system", "other"}},
                             {{"key", "dup:1"}, {"title", "B"}, {"management_system", "other"}}};
  auto conflict = t.engine().CreateBatch(actor, standard, twice);
  ASSERT_FALSE(conflict.ok());
  EXPECT_EQ(conflict.error().code, ErrorCode::kConflict);
  EXPECT_EQ(conflict.error().fields[0].field, "items[1].key");
  EXPECT_EQ(Count(t, "SELECT count(*) FROM rec_standard"), 0);
  EXPECT_EQ(Count(t, "SELECT count(*) FROM audit_events"), 0);

  bodies[2]["asset_type"] = "software";
  auto good = t.engine().CreateBatch(actor, asset, bodies);
  ASSERT_TRUE(good.ok()) << good.error().detail;
  ASSERT_EQ(good->size(), 3u);
  EXPECT_EQ((*good)[2]["number"], "AST-000003");
  EXPECT_EQ(Count(t, "SELECT count(*) FROM rec_asset"), 3);
}

}  // namespace
}  // namespace tandem

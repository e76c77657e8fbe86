// The audit chain detects a stored event that was altered, deleted or
// reordered, by tampering with the stored rows directly (raw SQL, bypassing
// the engine), on either backend.
#include "records/audit.h"

#include <gtest/gtest.h>

#include "test_app.h"

namespace tandem {
namespace {

using nlohmann::json;

class AuditChain : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int i = 0; i < 3; ++i)
      app_.Create("service", {{"name", "Service " + std::to_string(i)}, {"criticality", "low"}});
    auto rec = app_.engine().Update(records::SystemActor("local"), app_.type("service"), 2, 1,
                                    {{"criticality", "high"}});
    ASSERT_TRUE(rec.ok());
  }

  // Runs SQL straight against the tables, as someone with database access would.
  void Tamper(const std::string& sql) {
    Status st = app_.engine().db().Write([&](store::Connection& c) { return c.ExecScript(sql); });
    ASSERT_TRUE(st.ok()) << st.error().detail;
  }

  records::AuditVerifyReport Verify() {
    auto rep = records::VerifyAudit(app_.engine().db());
    EXPECT_TRUE(rep.ok());
    return rep.ok() ? *rep : records::AuditVerifyReport{};
  }

  testing::TestApp app_;
};

TEST_F(AuditChain, IntactChainVerifies) {
  auto rep = Verify();
  EXPECT_TRUE(rep.ok) << rep.problem;
  EXPECT_EQ(rep.events, 4);
  EXPECT_EQ(rep.head_seq, 4);
  EXPECT_EQ(rep.head_hash.size(), 64u);
}

TEST_F(AuditChain, AlteredChangesAreDetected) {
  Tamper(
      "UPDATE audit_events SET changes = replace(changes, 'Service 1', 'Service X') WHERE seq = 2");
  auto rep = Verify();
  EXPECT_FALSE(rep.ok);
  EXPECT_EQ(rep.first_bad_seq, 2);
  EXPECT_NE(rep.problem.find("altered"), std::string::npos);
}

TEST_F(AuditChain, AlteredActorOrTimeIsDetected) {
  Tamper("UPDATE audit_events SET actor = 'someone-else' WHERE seq = 3");
  EXPECT_EQ(Verify().first_bad_seq, 3);
}

TEST_F(AuditChain, RehashedEventBreaksTheNextLink) {
  // An attacker who recomputes the altered event's own hash still breaks the
  // following event's previous-hash.
  Tamper("UPDATE audit_events SET actor = 'x', hash = 'ffff' WHERE seq = 2");
  auto rep = Verify();
  EXPECT_FALSE(rep.ok);
  EXPECT_EQ(rep.first_bad_seq, 2);
}

TEST_F(AuditChain, DeletedEventIsDetected) {
  Tamper("DELETE FROM audit_events WHERE seq = 2");
  auto rep = Verify();
  EXPECT_FALSE(rep.ok);
  EXPECT_EQ(rep.first_bad_seq, 2);
  EXPECT_NE(rep.problem.find("missing"), std::string::npos);
}

TEST_F(AuditChain, ReorderedEventsAreDetected) {
  Tamper(
      "UPDATE audit_events SET seq = 100 WHERE seq = 2;"
      "UPDATE audit_events SET seq = 2 WHERE seq = 3;"
      "UPDATE audit_events SET seq = 3 WHERE seq = 100;");
  auto rep = Verify();
  EXPECT_FALSE(rep.ok);
  EXPECT_EQ(rep.first_bad_seq, 2);
}

TEST_F(AuditChain, WritesAfterReopenContinueTheChain) {
  app_.Close();
  app_.Open();
  app_.Create("service", {{"name", "After reopen"}, {"criticality", "low"}});
  auto rep = records::VerifyAudit(app_.engine().db());
  ASSERT_TRUE(rep.ok());
  EXPECT_TRUE(rep->ok);
  EXPECT_EQ(rep->events, 5);
}

}  // namespace
}  // namespace tandem

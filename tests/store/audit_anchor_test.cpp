// Signed anchors catch what the hash chain alone cannot: someone with write
// access to the database who rewrites the chain and recomputes every hash, or
// cuts events off its end. Tampering is done with raw SQL, on either backend.
#include "records/audit_anchor.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "records/audit.h"
#include "test_app.h"

namespace tandem {
namespace {

class AuditAnchors : public ::testing::Test {
 protected:
  void SetUp() override {
    auto key = records::CreateAnchorKey(app_.path("audit.key"));
    ASSERT_TRUE(key.ok()) << key.error().detail;
    key_ = *key;
    trusted_ = {key_.public_key};
    for (int i = 0; i < 6; ++i) Change(i);
  }

  void Change(int i) {
    app_.Create("service", {{"name", "Service " + std::to_string(i)}, {"criticality", "low"}});
  }

  // Signs the head now into the test's anchor log.
  records::Anchor AnchorNow() {
    app_.clock().Advance(std::chrono::seconds(1));
    auto a = records::AnchorHead(app_.engine().db(), key_, app_.clock(), log_path());
    EXPECT_TRUE(a.ok()) << a.error().detail;
    return a.ok() ? *a : records::Anchor{};
  }

  std::string log_path() { return app_.path("anchors.jsonl"); }

  records::AnchorReport Check() {
    std::ifstream log(log_path());
    auto rep = records::CheckAnchors(app_.engine().db(), log, trusted_);
    EXPECT_TRUE(rep.ok()) << rep.error().detail;
    return rep.ok() ? *rep : records::AnchorReport{};
  }

  // Rewrites event `seq` and recomputes its hash and every later one, as an
  // attacker with database access would: the chain itself then verifies.
  void RewriteAndRehash(int64_t seq) {
    Status st = app_.engine().db().Write([&](store::Connection& c) -> Status {
      TANDEM_RETURN_IF_ERROR(c.ExecScript("UPDATE audit_events SET actor = 'mallory' WHERE seq = " +
                                          std::to_string(seq)));
      TANDEM_ASSIGN_OR_RETURN(auto events, records::ReadAuditEvents(c, seq - 1, 1000));
      std::string prev;
      {
        store::Value p = seq - 1;
        TANDEM_ASSIGN_OR_RETURN(store::Rows r,
                                c.Query("SELECT hash FROM audit_events WHERE seq = $1", {&p, 1}));
        prev = std::get<std::string>(r.rows[0][0]);
      }
      for (auto& e : events) {
        e.prev_hash = prev;
        e.hash = records::ComputeAuditHash(e);
        prev = e.hash;
        store::Value p[] = {e.prev_hash, e.hash, e.seq};
        TANDEM_RETURN_IF_ERROR(
            c.Execute("UPDATE audit_events SET prev_hash = $1, hash = $2 WHERE seq = $3", p)
                .status());
      }
      return Status::Ok();
    });
    ASSERT_TRUE(st.ok()) << st.error().detail;
  }

  testing::TestApp app_;
  records::AnchorKey key_;
  std::set<std::string> trusted_;
};

TEST_F(AuditAnchors, AnIntactChainMatchesItsAnchors) {
  EXPECT_EQ(AnchorNow().seq, 6);
  Change(6);
  Change(7);
  EXPECT_EQ(AnchorNow().seq, 8);
  Change(8);
  auto rep = Check();
  EXPECT_TRUE(rep.ok);
  EXPECT_TRUE(rep.problems.empty());
  EXPECT_EQ(rep.anchors, 2);
  EXPECT_EQ(rep.last_anchored, 8);
  EXPECT_EQ(rep.head_seq, 9);
}

TEST_F(AuditAnchors, RewriteAndRehashIsDetected) {
  AnchorNow();  // event 6
  Change(6);
  Change(7);
  AnchorNow();  // event 8
  RewriteAndRehash(7);
  auto chain = records::VerifyAudit(app_.engine().db());
  ASSERT_TRUE(chain.ok());
  EXPECT_TRUE(chain->ok) << "the rehashed chain is consistent in itself";
  auto rep = Check();
  EXPECT_FALSE(rep.ok);
  ASSERT_EQ(rep.problems.size(), 1u);
  EXPECT_NE(rep.problems[0].find("anchor line 2: event 8 differs"), std::string::npos)
      << rep.problems[0];
  EXPECT_NE(rep.problems[0].find("rewritten at or before it, after event 6"), std::string::npos)
      << rep.problems[0];
}

TEST_F(AuditAnchors, TruncationIsDetected) {
  Change(6);
  AnchorNow();  // event 7
  Status st = app_.engine().db().Write(
      [](store::Connection& c) { return c.ExecScript("DELETE FROM audit_events WHERE seq > 4"); });
  ASSERT_TRUE(st.ok());
  auto chain = records::VerifyAudit(app_.engine().db());
  ASSERT_TRUE(chain.ok());
  EXPECT_TRUE(chain->ok) << "a cut chain is consistent in itself";
  auto rep = Check();
  EXPECT_FALSE(rep.ok);
  ASSERT_EQ(rep.problems.size(), 1u);
  EXPECT_NE(rep.problems[0].find("the chain now ends at event 4: events 5 to 7 were removed"),
            std::string::npos)
      << rep.problems[0];
}

TEST_F(AuditAnchors, AlteredOrForeignAnchorsAreNotBelieved) {
  AnchorNow();
  // An anchor edited to match a rewritten chain fails its signature ...
  std::string line;
  {
    std::ifstream in(log_path());
    std::getline(in, line);
  }
  auto j = nlohmann::json::parse(line);
  j["hash"] = std::string(64, 'a');
  // ... and one signed with another key is not trusted.
  auto other = records::CreateAnchorKey(app_.path("other.key"));
  ASSERT_TRUE(other.ok());
  const auto forged = records::SignAnchor(*other, 6, std::string(64, 'b'), "2026-11-23T10:00:00Z");
  {
    std::ofstream out(log_path(), std::ios::app);
    out << j.dump() << "\n"
        << records::AnchorLine(forged) << "\n"
        << "not json\n";
  }
  auto rep = Check();
  EXPECT_FALSE(rep.ok);
  ASSERT_EQ(rep.problems.size(), 3u);
  EXPECT_EQ(rep.problems[0],
            "anchor line 2: its signature does not match its content (the anchor log was "
            "altered)");
  EXPECT_EQ(rep.problems[1], "anchor line 3: is signed by a key that is not trusted");
  EXPECT_EQ(rep.problems[2], "anchor line 4: is not an anchor");
  EXPECT_EQ(rep.last_anchored, 6);
}

TEST_F(AuditAnchors, TheKeyFileRoundTripsAndIsPrivate) {
  auto loaded = records::LoadAnchorKey(app_.path("audit.key"));
  ASSERT_TRUE(loaded.ok()) << loaded.error().detail;
  EXPECT_EQ(loaded->public_key, key_.public_key);
  EXPECT_EQ(
      std::filesystem::status(app_.path("audit.key")).permissions() & std::filesystem::perms::all,
      std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  // An existing key file is never overwritten.
  auto again = records::CreateAnchorKey(app_.path("audit.key"));
  EXPECT_FALSE(again.ok());
  std::ofstream(app_.path("junk.key")) << "not a key\n";
  EXPECT_FALSE(records::LoadAnchorKey(app_.path("junk.key")).ok());
}

TEST_F(AuditAnchors, AnHttpEndpointReceivesEachAnchor) {
  httplib::Server receiver;
  std::vector<std::string> received;
  std::mutex mu;
  receiver.Post("/anchors", [&](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lk(mu);
    received.push_back(req.body);
    res.status = 204;
  });
  receiver.Post("/refuse",
                [](const httplib::Request&, httplib::Response& res) { res.status = 503; });
  const int port = receiver.bind_to_any_port("127.0.0.1");
  std::thread serving([&] { receiver.listen_after_bind(); });
  while (!receiver.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  const std::string base = "http://127.0.0.1:" + std::to_string(port);
  auto a = records::AnchorHead(app_.engine().db(), key_, app_.clock(), base + "/anchors");
  ASSERT_TRUE(a.ok()) << a.error().detail;
  auto refused = records::AnchorHead(app_.engine().db(), key_, app_.clock(), base + "/refuse");
  EXPECT_FALSE(refused.ok());
  receiver.stop();
  serving.join();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0], records::AnchorLine(*a));
  std::istringstream log(received[0] + "\n");
  auto rep = records::CheckAnchors(app_.engine().db(), log, trusted_);
  ASSERT_TRUE(rep.ok());
  EXPECT_TRUE(rep->ok);
  EXPECT_EQ(rep->last_anchored, 6);
}

// The server's writer anchors while the head moves, not while it stands
// still, and once more when it stops.
TEST_F(AuditAnchors, TheWriterAnchorsTheHeadAsItMoves) {
  {
    records::AuditAnchorer writer(app_.engine().db(), key_, app_.clock(), log_path(),
                                  std::chrono::seconds(3600));
    // Not TestApp::Create: the clock must not move under the writer's thread.
    ASSERT_TRUE(app_.engine()
                    .Create(records::SystemActor("local"), app_.type("service"),
                            {{"name", "Service 6"}, {"criticality", "low"}})
                    .ok());
  }  // stopped: the first pass anchored event 6 or 7, the last one event 7
  std::ifstream in(log_path());
  std::vector<nlohmann::json> lines;
  for (std::string l; std::getline(in, l);) lines.push_back(nlohmann::json::parse(l));
  ASSERT_FALSE(lines.empty());
  ASSERT_LE(lines.size(), 2u);
  EXPECT_EQ(lines.back()["seq"], 7);
  EXPECT_TRUE(Check().ok);
}

}  // namespace
}  // namespace tandem

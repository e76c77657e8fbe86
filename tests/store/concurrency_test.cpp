// Two app servers (two engines, each with its own connections) on one
// database: no acknowledged write is lost, no update is lost, the audit chain
// stays valid, and custom fields defined on one are accepted by the other.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "records/audit.h"
#include "test_app.h"

namespace tandem {
namespace {

using nlohmann::json;

TEST(TwoServers, NoLostUpdatesAndAValidChain) {
  testing::TestApp a;
  auto b = app::OpenApp(a.url(), &a.clock());
  ASSERT_TRUE(b.ok()) << b.error().detail;
  records::Engine* engines[] = {&a.engine(), (*b)->engine.get()};
  const auto& type = a.type("agreement");
  json rec =
      a.Create("agreement", {{"title", "Counter"}, {"kind", "sla"}, {"p1_resolution_minutes", 1}});
  const int64_t id = rec["id"].get<int64_t>();

  constexpr int kIncrementsPerThread = 25, kCreatesPerThread = 25;
  std::atomic<int> increments{0}, conflicts{0}, creates{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      records::Engine& e = *engines[t % 2];
      for (int i = 0; i < kCreatesPerThread; ++i) {
        auto r = e.Create(
            records::SystemActor("local"), type,
            {{"title", "T" + std::to_string(t) + "-" + std::to_string(i)}, {"kind", "ola"}});
        if (r.ok()) ++creates;
      }
      for (int done = 0; done < kIncrementsPerThread;) {
        auto cur = e.Get(records::SystemActor("local"), type, id);
        ASSERT_TRUE(cur.ok());
        const int64_t value = (*cur)["p1_resolution_minutes"].get<int64_t>();
        auto upd =
            e.Update(records::SystemActor("local"), type, id, (*cur)["version"].get<int64_t>(),
                     {{"p1_resolution_minutes", value + 1}});
        if (upd.ok()) {
          ++done;
          ++increments;
        } else {
          ASSERT_EQ(upd.error().code, ErrorCode::kPreconditionFailed) << upd.error().detail;
          ++conflicts;
        }
      }
    });
  for (auto& th : threads) th.join();

  auto final = a.engine().Get(records::SystemActor("local"), type, id);
  ASSERT_TRUE(final.ok());
  EXPECT_EQ(increments.load(), 4 * kIncrementsPerThread);
  EXPECT_EQ((*final)["p1_resolution_minutes"], 1 + increments.load())
      << conflicts.load() << " conflicts";
  EXPECT_EQ((*final)["version"], 1 + increments.load());
  EXPECT_EQ(creates.load(), 4 * kCreatesPerThread);
  auto all = a.engine().ParseList(type, {{"limit", "500"}});
  ASSERT_TRUE(all.ok());
  auto list = a.engine().List(records::SystemActor("local"), type, *all);
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->items.size(), 1u + creates.load());
  auto rep = records::VerifyAudit(a.engine().db());
  ASSERT_TRUE(rep.ok());
  EXPECT_TRUE(rep->ok) << rep->problem;
  EXPECT_EQ(rep->events, 1 + creates.load() + increments.load());
}

TEST(TwoServers, CustomFieldDefinedOnOneIsUsableOnTheOther) {
  testing::TestApp a;
  auto b = app::OpenApp(a.url(), &a.clock());
  ASSERT_TRUE(b.ok());
  ASSERT_TRUE(a.engine()
                  .DefineCustomField(records::SystemActor("local"), a.type("asset"),
                                     {{"name", "rack"}, {"type", "text"}})
                  .ok());
  auto r = (*b)->engine->Create(
      records::SystemActor("local"), a.type("asset"),
      {{"name", "Switch"}, {"asset_type", "network"}, {"custom", {{"rack", "A1"}}}});
  ASSERT_TRUE(r.ok()) << r.error().detail;
  auto q = (*b)->engine->ParseList(a.type("asset"), {{"filter[custom.rack]", "A1"}});
  EXPECT_TRUE(q.ok());
}

// The sign-in limits are kept in the database: an attacker who spreads
// attempts over several app servers meets the same client throttle and the
// same name locks on each.
TEST(TwoServers, SignInLimitsHoldOnEveryServer) {
  testing::TestApp a;
  auto b = app::OpenApp(a.url(), &a.clock());
  ASSERT_TRUE(b.ok()) << b.error().detail;
  auth::AuthService* servers[] = {&a.auth(), (*b)->auth.get()};
  const auth::AuthOptions limits;
  const std::string client = "198.51.100.7";

  // Failures alternate between the servers, each for a different unknown
  // name (so no name lock gets in the way).
  for (int i = 0; i < limits.max_client_failures; ++i) {
    a.clock().Advance(std::chrono::seconds(1));
    auto r = servers[i % 2]->Login("guess" + std::to_string(i), "not the password", client);
    ASSERT_FALSE(r.ok());
    ASSERT_EQ(r.error().code, ErrorCode::kUnauthorized) << i << ": " << r.error().detail;
  }
  for (auth::AuthService* server : servers) {
    auto r = server->Login("anyone", "anything", client);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kTooManyRequests) << r.error().detail;
    // The oldest failure is 29 s old: it has left the window one second
    // after it is 15 minutes old.
    EXPECT_EQ(r.error().retry_after_seconds,
              std::chrono::seconds(limits.client_window).count() - 29 + 1);
  }
  // Another address is not throttled.
  auto other = servers[1]->Login("guess0", "not the password", "203.0.113.9");
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().code, ErrorCode::kUnauthorized);

  // A name locked through one server is locked on the other, in the same
  // words as an account's lock.
  for (int i = 0; i < limits.max_failed_logins; ++i) {
    a.clock().Advance(std::chrono::seconds(1));
    auto r = servers[i % 2]->Login("nobody-here", "guess", "192.0.2." + std::to_string(i));
    ASSERT_EQ(r.error().code, ErrorCode::kUnauthorized) << i << ": " << r.error().detail;
  }
  for (auth::AuthService* server : servers) {
    auto r = server->Login("nobody-here", "guess", "192.0.2.200");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kTooManyRequests);
    EXPECT_TRUE(r.error().detail.starts_with(
        "this account is locked after repeated failed sign-ins until "))
        << r.error().detail;
    EXPECT_EQ(r.error().retry_after_seconds, std::chrono::seconds(limits.lockout).count() + 1);
  }
}

}  // namespace
}  // namespace tandem

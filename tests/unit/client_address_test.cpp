// The client address sign-in throttling and lockout key on.
#include "core/client_address.h"

#include <gtest/gtest.h>

namespace tandem {
namespace {

TEST(ClientAddress, OnlyTheLastHopOfATrustedProxyCounts) {
  struct Case {
    const char* forwarded_for;
    bool trust_proxy;
    const char* want;
  } cases[] = {
      {"", false, "10.0.0.9"},
      {"203.0.113.7", false, "10.0.0.9"},  // no proxy: the header is the client's word
      {"203.0.113.7", true, "203.0.113.7"},
      {"198.51.100.1, 203.0.113.7", true, "203.0.113.7"},  // the client chose the first
      {"198.51.100.1,203.0.113.7 ", true, "203.0.113.7"},
      {"198.51.100.1, ", true, "10.0.0.9"},  // a blank last hop: the peer
      {"", true, "10.0.0.9"},
      {"2001:db8::1", true, "2001:db8::1"},
  };
  for (const auto& c : cases)
    EXPECT_EQ(ClientAddress("10.0.0.9", c.forwarded_for, c.trust_proxy), c.want)
        << "X-Forwarded-For: '" << c.forwarded_for << "' trusted: " << c.trust_proxy;
}

}  // namespace
}  // namespace tandem

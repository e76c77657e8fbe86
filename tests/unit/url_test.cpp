// Percent-encoding and path segments, used by the API, the web UI, TOTP
// provisioning URIs and OSCAL links.
#include "core/url.h"

#include <gtest/gtest.h>

namespace tandem {
namespace {

TEST(Url, PercentEncode) {
  struct Case {
    const char* in;
    const char* keep;
    const char* want;
  } cases[] = {
      {"", "", ""},
      {"A-z_0.9~", "", "A-z_0.9~"},
      {"iso27001:2022", "", "iso27001%3A2022"},
      {"iso27001:2022", ":@", "iso27001:2022"},
      {"a b/c?d=e&f", "", "a%20b%2Fc%3Fd%3De%26f"},
      {"\xC3\xA9", "", "%C3%A9"},  // é, byte by byte
      {"100%", "", "100%25"},
  };
  for (const auto& c : cases) EXPECT_EQ(PercentEncode(c.in, c.keep), c.want) << c.in;
}

TEST(Url, PathSegments) {
  EXPECT_EQ(PathSegments(""), std::vector<std::string>{});
  EXPECT_EQ(PathSegments("/"), std::vector<std::string>{});
  EXPECT_EQ(PathSegments("/r/incidents/INC-000001"),
            (std::vector<std::string>{"r", "incidents", "INC-000001"}));
  EXPECT_EQ(PathSegments("//a///b/"), (std::vector<std::string>{"a", "b"}));
}

}  // namespace
}  // namespace tandem

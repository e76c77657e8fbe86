#include "auth/session_cookie.h"

#include <gtest/gtest.h>

namespace tandem::auth {
namespace {

struct CookieCase {
  const char* header;
  const char* value;  // of tandem_session
};

TEST(SessionCookie, CookieValueTable) {
  const CookieCase cases[] = {
      {"tandem_session=abc", "abc"},
      {"theme=dark; tandem_session=abc; lang=en", "abc"},
      {"theme=dark;tandem_session=abc", "abc"},
      {"tandem_session_old=x; tandem_session=abc", "abc"},  // a longer name is another cookie
      {"xtandem_session=abc", ""},
      {"tandem_session=", ""},
      {"tandem_session", ""},
      {"theme=dark", ""},
      {"", ""},
      {"tandem_session=a=b", "a=b"},  // everything after the first '='
  };
  for (const auto& c : cases) EXPECT_EQ(CookieValue(c.header, kSessionCookie), c.value) << c.header;
}

TEST(SessionCookie, SetCookieHeader) {
  EXPECT_EQ(SessionCookie("abc", false, false),
            "tandem_session=abc; Path=/; HttpOnly; SameSite=Lax");
  EXPECT_EQ(SessionCookie("abc", true, false),
            "tandem_session=abc; Path=/; HttpOnly; SameSite=Lax; Secure");
  // Clearing never repeats the id it removes.
  EXPECT_EQ(SessionCookie("abc", true, true),
            "tandem_session=; Path=/; HttpOnly; SameSite=Lax; Secure; Max-Age=0");
}

TEST(SessionCookie, SameSecret) {
  EXPECT_TRUE(SameSecret("token-1", "token-1"));
  EXPECT_FALSE(SameSecret("token-1", "token-2"));
  EXPECT_FALSE(SameSecret("token-1", "token-10"));
  EXPECT_FALSE(SameSecret("", ""));  // no token is never a match
}

}  // namespace
}  // namespace tandem::auth

// The browser side of a session, shared by the REST API and the web UI: the
// cookie that carries the session id and the comparison of the CSRF token a
// request sends back.
#pragma once

#include <string>
#include <string_view>

namespace tandem::auth {

inline constexpr const char* kSessionCookie = "tandem_session";

// The value of cookie `name` in a Cookie request header; "" when absent.
std::string CookieValue(std::string_view cookie_header, std::string_view name);

// The Set-Cookie header value that gives the browser `session_id` (HttpOnly,
// SameSite=Lax, Secure when `secure`), or with `clear`, removes the cookie.
std::string SessionCookie(const std::string& session_id, bool secure, bool clear);

// Whether two secrets are equal, in time independent of where they differ.
// An empty secret never matches.
bool SameSecret(const std::string& a, const std::string& b);

}  // namespace tandem::auth

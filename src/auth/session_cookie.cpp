#include "auth/session_cookie.h"

#include <sodium.h>

namespace tandem::auth {

std::string CookieValue(std::string_view header, std::string_view name) {
  for (size_t pos = 0; pos < header.size();) {
    size_t end = header.find(';', pos);
    if (end == std::string_view::npos) end = header.size();
    std::string_view item = header.substr(pos, end - pos);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    if (item.size() > name.size() && item.starts_with(name) && item[name.size()] == '=')
      return std::string(item.substr(name.size() + 1));
    pos = end + 1;
  }
  return "";
}

std::string SessionCookie(const std::string& session_id, bool secure, bool clear) {
  return std::string(kSessionCookie) + "=" + (clear ? "" : session_id) +
         "; Path=/; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : "") +
         (clear ? "; Max-Age=0" : "");
}

bool SameSecret(const std::string& a, const std::string& b) {
  return a.size() == b.size() && !a.empty() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace tandem::auth

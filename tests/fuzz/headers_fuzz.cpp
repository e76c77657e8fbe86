// Header values a client controls: the Cookie header (the session cookie),
// X-Forwarded-For behind a trusted proxy, and a file name that becomes a
// Content-Disposition header. Input: three values separated by newlines.
// Properties: nothing crashes; a header built from input never carries a
// line break; a client address is never empty.
#include "auth/session_cookie.h"
#include "core/client_address.h"
#include "core/media_type.h"
#include "fuzz_input.h"

using namespace tandem;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto [cookie, rest] = fuzz::FirstLine(fuzz::AsText(data, size));
  auto [forwarded, file_name] = fuzz::FirstLine(rest);
  (void)auth::CookieValue(cookie, auth::kSessionCookie);
  for (bool trust : {false, true})
    if (ClientAddress("192.0.2.1", forwarded, trust).empty()) fuzz::Fail("empty client address");
  const std::string disposition = AttachmentDisposition(std::string(file_name));
  if (disposition.find_first_of("\r\n") != std::string::npos)
    fuzz::Fail("a line break in Content-Disposition");
  return 0;
}

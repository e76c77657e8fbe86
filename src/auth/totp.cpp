#include "auth/totp.h"

#include <liboath/oath.h>
#include <sodium.h>

#include <cstdlib>
#include <memory>

#include "core/url.h"

namespace tandem::auth {

namespace {

constexpr unsigned kStep = 30;
constexpr unsigned kDigits = 6;
constexpr size_t kWindow = 1;

struct OathInit {
  OathInit() { oath_init(); }
};

void EnsureInit() { static OathInit once; }

std::optional<std::string> Decode(const std::string& secret) {
  EnsureInit();
  char* out = nullptr;
  size_t len = 0;
  if (oath_base32_decode(secret.data(), secret.size(), &out, &len) != OATH_OK) return std::nullopt;
  std::unique_ptr<char, decltype(&free)> holder(out, &free);
  return std::string(out, len);
}

time_t Seconds(TimePoint t) {
  return static_cast<time_t>(
      std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count());
}

}  // namespace

std::string NewTotpSecret() {
  EnsureInit();
  unsigned char raw[20];
  randombytes_buf(raw, sizeof raw);
  char* out = nullptr;
  size_t len = 0;
  oath_base32_encode(reinterpret_cast<const char*>(raw), sizeof raw, &out, &len);
  std::unique_ptr<char, decltype(&free)> holder(out, &free);
  sodium_memzero(raw, sizeof raw);
  return std::string(out, len);
}

std::string TotpUri(std::string_view issuer, std::string_view account, std::string_view secret) {
  return "otpauth://totp/" + PercentEncode(issuer) + ":" + PercentEncode(account) +
         "?secret=" + std::string(secret) + "&issuer=" + PercentEncode(issuer) +
         "&algorithm=SHA1&digits=6&period=30";
}

std::string TotpCode(const std::string& secret, TimePoint now) {
  auto key = Decode(secret);
  if (!key) return "";
  char code[kDigits + 1] = {};
  if (oath_totp_generate(key->data(), key->size(), Seconds(now), kStep, 0, kDigits, code) !=
      OATH_OK)
    return "";
  return code;
}

std::optional<int64_t> VerifyTotp(const std::string& secret, std::string_view code, TimePoint now) {
  if (code.size() != kDigits || code.find_first_not_of("0123456789") != std::string_view::npos)
    return std::nullopt;
  auto key = Decode(secret);
  if (!key) return std::nullopt;
  int pos = 0;
  const std::string otp(code);
  if (oath_totp_validate2(key->data(), key->size(), Seconds(now), kStep, 0, kWindow, &pos,
                          otp.c_str()) < 0)
    return std::nullopt;
  return Seconds(now) / kStep + pos;
}

}  // namespace tandem::auth

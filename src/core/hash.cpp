#include "core/hash.h"

#include <sodium.h>

#include <cstring>
#include <stdexcept>
#include <vector>

namespace tandem {

void InitCrypto() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
}

namespace {
std::string ToHex(const unsigned char* bytes, size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes, n);
  out.pop_back();
  return out;
}
}  // namespace

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  return ToHex(digest, sizeof digest);
}

std::string RandomHex(size_t n) {
  std::vector<unsigned char> buf(n);
  randombytes_buf(buf.data(), n);
  return ToHex(buf.data(), n);
}

}  // namespace tandem

namespace tandem {

std::string Base64UrlEncode(std::string_view data) {
  const int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_encoded_len(data.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(data.data()),
                    data.size(), variant);
  out.resize(std::strlen(out.c_str()));
  return out;
}

std::optional<std::string> Base64UrlDecode(std::string_view text) {
  std::string out(text.size(), '\0');
  size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &len, nullptr,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
    return std::nullopt;
  out.resize(len);
  return out;
}

}  // namespace tandem

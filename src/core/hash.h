// Hashing and random bytes, backed by libsodium.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tandem {

// Lower-case hex SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);

// `n` random bytes from the OS CSPRNG, hex encoded (2n characters).
std::string RandomHex(size_t n);

// Must run once before any other function here; safe to call repeatedly.
void InitCrypto();

}  // namespace tandem

namespace tandem {
// URL-safe base64 without padding, and its inverse (nullopt on bad input).
std::string Base64UrlEncode(std::string_view data);
std::optional<std::string> Base64UrlDecode(std::string_view text);
}  // namespace tandem

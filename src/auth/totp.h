// Time-based one-time passwords (RFC 6238: HMAC-SHA1, 30-second steps, six
// digits), the kind every authenticator app understands. liboath does the
// arithmetic.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"

namespace tandem::auth {

// A new random secret (160 bits), base32 encoded as authenticator apps expect.
std::string NewTotpSecret();

// The otpauth:// URI an authenticator app scans or imports.
std::string TotpUri(std::string_view issuer, std::string_view account, std::string_view secret);

// The code for `secret` at `now` (tests and tools).
std::string TotpCode(const std::string& secret, TimePoint now);

// The time step `code` belongs to, accepting one step either side of `now`
// for clock drift; nullopt when it matches none. Callers refuse a step at or
// before the last one used, so a code works once.
std::optional<int64_t> VerifyTotp(const std::string& secret, std::string_view code, TimePoint now);

}  // namespace tandem::auth

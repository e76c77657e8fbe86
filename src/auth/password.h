// Passwords: the policy new passwords must meet, and Argon2id hashing.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace tandem::auth {

inline constexpr size_t kMinPasswordLength = 12;  // characters, not bytes
inline constexpr size_t kMaxPasswordBytes = 1024;

// Why `password` may not be used by `username`, or "" when it may: too short,
// too long, one repeated character, containing the user name, or on the list
// of common passwords shipped as content (content/auth/common-passwords.txt).
std::string PasswordPolicyProblem(std::string_view password, std::string_view username);

// An Argon2id hash in libsodium's encoded form (algorithm, parameters and salt
// included), at libsodium's interactive cost (64 MiB, 2 passes). At most a
// few hashes run at once so that a burst of sign-ins cannot exhaust memory.
Result<std::string> HashPassword(std::string_view password);

// Whether `password` matches `encoded`. Takes as long for a wrong password as
// for a right one; VerifyPassword("", password) still does the work, so an
// unknown user name answers as slowly as a known one.
bool VerifyPassword(const std::string& encoded, std::string_view password);

// For test programs only: hash new passwords (and the dummy hash) at
// libsodium's minimum Argon2id cost, so tests that are not about hashing do
// not spend minutes on it. Hashes made so still verify anywhere (the cost is
// in the encoded form). The server and the command line never call it.
void UseMinimumPasswordCostForTests();

}  // namespace tandem::auth

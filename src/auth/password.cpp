#include "auth/password.h"

#include <sodium.h>

#include <algorithm>
#include <atomic>
#include <semaphore>
#include <unordered_set>

#include "core/content.h"

namespace tandem::auth {

namespace {

// Each hash takes 64 MiB for about a tenth of a second.
std::counting_semaphore<4> hash_slots(4);

struct Slot {
  Slot() { hash_slots.acquire(); }
  ~Slot() { hash_slots.release(); }
};

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

const std::unordered_set<std::string>& CommonPasswords() {
  static const auto* set = [] {
    auto* s = new std::unordered_set<std::string>;
    std::string_view text = content::Get("content/auth/common-passwords.txt");
    for (size_t pos = 0; pos < text.size();) {
      size_t end = text.find('\n', pos);
      if (end == std::string_view::npos) end = text.size();
      std::string_view line = text.substr(pos, end - pos);
      if (!line.empty() && line[0] != '#') s->insert(Lower(line));
      pos = end + 1;
    }
    return s;
  }();
  return *set;
}

size_t CodePoints(std::string_view s) {
  return std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; });
}

std::atomic<bool> minimum_cost{false};

// Argon2id's cost: libsodium's interactive one, or its minimum in tests.
int Hash(char (&out)[crypto_pwhash_STRBYTES], std::string_view password) {
  const bool min = minimum_cost.load(std::memory_order_relaxed);
  return crypto_pwhash_str(out, password.data(), password.size(),
                           min ? crypto_pwhash_OPSLIMIT_MIN : crypto_pwhash_OPSLIMIT_INTERACTIVE,
                           min ? crypto_pwhash_MEMLIMIT_MIN : crypto_pwhash_MEMLIMIT_INTERACTIVE);
}

// A valid hash of a random password: what unknown users are checked against.
const std::string& DummyHash() {
  static const std::string hash = [] {
    char out[crypto_pwhash_STRBYTES];
    // Only out of memory fails; unknown users are then refused a little faster.
    return Hash(out, "no user has this password") == 0 ? std::string(out) : std::string();
  }();
  return hash;
}

}  // namespace

std::string PasswordPolicyProblem(std::string_view password, std::string_view username) {
  if (password.size() > kMaxPasswordBytes)
    return "must be at most " + std::to_string(kMaxPasswordBytes) + " bytes";
  if (CodePoints(password) < kMinPasswordLength)
    return "must be at least " + std::to_string(kMinPasswordLength) + " characters";
  // The first character may take several bytes (UTF-8): compare whole characters.
  size_t width = 1;
  while (width < password.size() && (password[width] & 0xC0) == 0x80) ++width;
  bool repeated = password.size() % width == 0;
  for (size_t i = width; repeated && i < password.size(); i += width)
    repeated = password.compare(i, width, password.substr(0, width)) == 0;
  if (repeated) return "must not be one character repeated";
  const std::string lower = Lower(password);
  if (username.size() >= 3 && lower.find(Lower(username)) != std::string::npos)
    return "must not contain the user name";
  if (CommonPasswords().count(lower)) return "is too common; choose another";
  return "";
}

Result<std::string> HashPassword(std::string_view password) {
  char out[crypto_pwhash_STRBYTES];
  Slot slot;
  if (Hash(out, password) != 0)
    return MakeError(ErrorCode::kUnavailable, "not enough memory to hash the password");
  return std::string(out);
}

bool VerifyPassword(const std::string& encoded, std::string_view password) {
  const std::string& hash = encoded.empty() ? DummyHash() : encoded;
  Slot slot;
  const bool ok = crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
  return ok && !encoded.empty();
}

void UseMinimumPasswordCostForTests() { minimum_cost = true; }

}  // namespace tandem::auth

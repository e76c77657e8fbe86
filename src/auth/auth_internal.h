// Shared by the auth layer's source files only.
#pragma once

#include <map>
#include <mutex>
#include <nlohmann/json.hpp>

#include "auth/auth.h"

namespace tandem::auth {

struct AuthService::UserRow {
  int64_t id = 0;
  std::string username, display_name;
  std::string password_hash;  // "" when the account has no password
  std::vector<std::string> roles, groups;
  bool disabled = false;
  bool must_change_password = false;
  std::string totp_secret;   // base32; "" when MFA is off
  std::string totp_pending;  // enrolment begun, not yet confirmed
  int64_t totp_last_step = 0;
  std::string created_at, updated_at;
};

// The failed sign-ins of one user name (sign_in_locks), as of now.
struct AuthService::NameLock {
  int64_t failures = 0;      // since the last success, within the failure window
  std::string locked_until;  // "" unless locked now
};

// The role permissions as loaded at one policy version.
struct AuthService::Policy {
  int64_t version = 0;
  std::map<std::string, records::Grants> roles;
  std::map<std::string, std::string> titles;
  std::map<std::string, bool> require_mfa;
  // Delegations not revoked, not yet ended, whose delegator is enabled, by
  // delegate (looked up on every request).
  struct DelegationRow {
    int64_t id = 0;
    std::string delegator, starts_at, ends_at;
    std::vector<std::string> delegator_roles;
  };
  std::multimap<std::string, DelegationRow> delegations;

  // The union of `role_names`' grants, shared between actors with the same roles.
  std::shared_ptr<const records::Grants> GrantsFor(
      const std::vector<std::string>& role_names) const;

 private:
  mutable std::mutex mu;
  mutable std::map<std::string, std::shared_ptr<const records::Grants>> combined;
};

inline constexpr const char* kUserColumns =
    "id, username, display_name, password_hash, roles, access_groups, disabled, "
    "must_change_password, totp_secret, totp_pending, totp_last_step, created_at, updated_at";

AuthService::UserRow ReadUserRow(const std::vector<store::Value>& row);
// `locked_until`: the end of the lock on the user's name, "" when none holds.
nlohmann::json UserJson(const AuthService::UserRow& u, const std::string& locked_until);
std::string Text(const store::Value& v);
// A grant as permission names: "read", ..., "transition", or one name per
// transition granted singly ("transition:approve").
std::vector<std::string> PermissionNames(const records::TypeGrant& g);
int64_t Int(const store::Value& v);
store::Value OptionalText(const std::string& s);
std::vector<std::string> StringList(const std::string& json_text);

}  // namespace tandem::auth

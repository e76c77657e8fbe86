// Delegation of transition rights for absence cover (ISO/IEC 27001:2022
// A.5.3: duties stay separated while someone is away).
//
// A delegation lends the delegator's transition rights, and for role rules
// their roles, to one other user for a bounded period. Nothing else is lent:
// the delegate reads and edits with their own rights and sees only what their
// own groups allow. Delegations start and end by themselves (the policy cache
// keeps them, the actor builder compares with the clock); revoking one ends it
// at once. Every creation and revocation is a security event.
#include <nlohmann/json.hpp>

#include "auth/auth.h"
#include "auth/auth_internal.h"
#include "records/audit.h"
#include "records/codec.h"

namespace tandem::auth {

using nlohmann::json;
using records::Actor;
using store::Connection;
using store::Value;

namespace {

constexpr auto kLongest = std::chrono::days(366);
constexpr size_t kMaxReason = 500;

constexpr const char* kColumns =
    "id, delegator, delegate, starts_at, ends_at, reason, created_by, created_at, revoked_at, "
    "revoked_by";

json DelegationJson(const std::vector<Value>& r, const std::string& now) {
  const std::string starts = Text(r[3]), ends = Text(r[4]);
  const bool revoked = !store::IsNull(r[8]);
  const char* status = revoked        ? "revoked"
                       : ends <= now  ? "ended"
                       : now < starts ? "scheduled"
                                      : "active";
  return {{"id", Int(r[0])},
          {"delegator", Text(r[1])},
          {"delegate", Text(r[2])},
          {"starts_at", starts},
          {"ends_at", ends},
          {"reason", Text(r[5])},
          {"created_by", Text(r[6])},
          {"created_at", Text(r[7])},
          {"revoked_at", revoked ? json(Text(r[8])) : json()},
          {"revoked_by", revoked ? json(Text(r[9])) : json()},
          {"status", status}};
}

bool HoldsTransitions(const records::Grants& g) {
  for (const auto& [type, grant] : g)
    if ((grant.actions & records::Bit(records::Action::kTransition)) || !grant.transitions.empty())
      return true;
  return false;
}

}  // namespace

Status AuthService::LoadDelegations(Connection& c, Policy& policy) const {
  Value now[] = {FormatTimestamp(clock_.Now())};
  TANDEM_ASSIGN_OR_RETURN(
      store::Rows r,
      c.Query("SELECT d.id, d.delegator, d.delegate, d.starts_at, d.ends_at, u.roles "
              "FROM delegations d JOIN users u ON u.username = d.delegator "
              "WHERE d.revoked_at IS NULL AND d.ends_at > $1 AND u.disabled = 0 ORDER BY d.id",
              now));
  for (const auto& row : r.rows)
    policy.delegations.emplace(Text(row[2]),
                               Policy::DelegationRow{.id = Int(row[0]),
                                                     .delegator = Text(row[1]),
                                                     .starts_at = Text(row[3]),
                                                     .ends_at = Text(row[4]),
                                                     .delegator_roles = StringList(Text(row[5]))});
  return Status::Ok();
}

Result<json> AuthService::CreateDelegation(const Actor& by, const json& body) {
  if (by.read_only) return MakeError(ErrorCode::kForbidden, "this API token is read-only");
  if (!body.is_object())
    return MakeError(ErrorCode::kBadRequest, "the request body must be a JSON object");
  std::vector<FieldError> errors;
  for (const auto& [k, v] : body.items())
    if (k != "delegate" && k != "delegator" && k != "starts_at" && k != "ends_at" && k != "reason")
      errors.push_back({k, "is not a delegation field"});
  auto text = [&](const char* key) {
    return body.contains(key) && body[key].is_string() ? body[key].get<std::string>() : "";
  };
  const std::string delegator = body.contains("delegator") ? text("delegator") : by.name;
  if (delegator != by.name && !by.administrator && !by.system)
    errors.push_back({"delegator", "only administrators can delegate someone else's rights"});
  const std::string delegate = text("delegate");
  if (delegate.empty()) errors.push_back({"delegate", "name the user who stands in"});
  if (!delegate.empty() && delegate == delegator)
    errors.push_back({"delegate", "cannot be the delegator"});
  const TimePoint now = clock_.Now();
  std::optional<TimePoint> starts = now, ends;
  if (body.contains("starts_at") && !body["starts_at"].is_null()) {
    starts = ParseTimestamp(text("starts_at"));
    if (!starts) errors.push_back({"starts_at", "must be a date-time, e.g. 2026-12-07T08:00:00Z"});
  }
  ends = ParseTimestamp(text("ends_at"));
  if (!ends)
    errors.push_back({"ends_at",
                      "must be a date-time, e.g. 2026-12-18T18:00:00Z; a delegation "
                      "always ends"});
  if (starts && ends) {
    if (*ends <= now)
      errors.push_back({"ends_at", "must be in the future"});
    else if (*ends <= *starts)
      errors.push_back({"ends_at", "must be after starts_at"});
    else if (*ends - *starts > kLongest)
      errors.push_back({"ends_at", "at most a year after starts_at"});
  }
  const std::string reason = text("reason");
  if (reason.empty())
    errors.push_back({"reason", "say why, e.g. annual leave 7-18 December"});
  else if (std::string why = records::CheckFreeText(body["reason"], kMaxReason, false);
           !why.empty())
    errors.push_back({"reason", why});
  if (!errors.empty())
    return MakeError(ErrorCode::kValidation, "the delegation is invalid", errors);

  json out;
  TANDEM_RETURN_IF_ERROR(db_.Write([&](Connection& c) -> Status {
    TANDEM_ASSIGN_OR_RETURN(auto from, FindUser(c, delegator));
    if (!from || from->disabled)
      return MakeError(ErrorCode::kValidation, "the delegation is invalid",
                       {{"delegator", "no enabled user named '" + delegator + "'"}});
    if (!HoldsTransitions(*CurrentPolicy()->GrantsFor(from->roles)))
      return MakeError(ErrorCode::kValidation, "the delegation is invalid",
                       {{"delegator", delegator + "'s roles grant no transition to delegate"}});
    TANDEM_ASSIGN_OR_RETURN(auto to, FindUser(c, delegate));
    if (!to || to->disabled)
      return MakeError(ErrorCode::kValidation, "the delegation is invalid",
                       {{"delegate", "no enabled user named '" + delegate + "'"}});
    const std::string created_at = FormatTimestamp(now);
    Value p[] = {delegator, delegate,  FormatTimestamp(*starts), FormatTimestamp(*ends), reason,
                 by.name,   created_at};
    TANDEM_ASSIGN_OR_RETURN(
        store::Rows r,
        c.Query(std::string("INSERT INTO delegations (delegator, delegate, starts_at, ends_at, "
                            "reason, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) "
                            "RETURNING ") +
                    kColumns,
                p));
    out = DelegationJson(r.rows[0], created_at);
    TANDEM_RETURN_IF_ERROR(Audit(c, by.name, "delegation.create", "delegation", out["id"],
                                 {{"delegator", delegator},
                                  {"delegate", delegate},
                                  {"starts_at", out["starts_at"]},
                                  {"ends_at", out["ends_at"]},
                                  {"reason", reason}}));
    return BumpPolicy(c);
  }));
  TANDEM_RETURN_IF_ERROR(RefreshPolicy(-1));
  return out;
}

Result<json> AuthService::Delegations(const Actor& by) {
  json out = json::array();
  const std::string now = FormatTimestamp(clock_.Now());
  TANDEM_RETURN_IF_ERROR(db_.Read([&](Connection& c) -> Status {
    std::vector<Value> p;
    std::string sql = std::string("SELECT ") + kColumns + " FROM delegations";
    if (!by.administrator && !by.system) {
      p.emplace_back(by.name);
      sql += " WHERE delegator = $1 OR delegate = $1";
    }
    TANDEM_ASSIGN_OR_RETURN(store::Rows r, c.Query(sql + " ORDER BY id DESC", p));
    for (const auto& row : r.rows) out.push_back(DelegationJson(row, now));
    return Status::Ok();
  }));
  return out;
}

Result<json> AuthService::RevokeDelegation(const Actor& by, int64_t id) {
  if (by.read_only) return MakeError(ErrorCode::kForbidden, "this API token is read-only");
  json out;
  const std::string now = FormatTimestamp(clock_.Now());
  TANDEM_RETURN_IF_ERROR(db_.Write([&](Connection& c) -> Status {
    Value key[] = {id};
    TANDEM_ASSIGN_OR_RETURN(
        store::Rows r,
        c.Query(std::string("SELECT ") + kColumns + " FROM delegations WHERE id = $1", key));
    // Someone else's delegation does not exist for a non-administrator.
    const bool party =
        !r.empty() && (Text(r.rows[0][1]) == by.name || Text(r.rows[0][2]) == by.name);
    if (r.empty() || (!party && !by.administrator && !by.system))
      return MakeError(ErrorCode::kNotFound, "no delegation " + std::to_string(id));
    out = DelegationJson(r.rows[0], now);
    if (out["status"] == "revoked" || out["status"] == "ended")
      return MakeError(ErrorCode::kConflict,
                       "delegation " + std::to_string(id) + " has already " +
                           (out["status"] == "ended" ? "ended" : "been revoked"));
    Value p[] = {now, by.name, id};
    TANDEM_RETURN_IF_ERROR(
        c.Execute("UPDATE delegations SET revoked_at = $1, revoked_by = $2 WHERE id = $3", p)
            .status());
    out["revoked_at"] = now;
    out["revoked_by"] = by.name;
    out["status"] = "revoked";
    TANDEM_RETURN_IF_ERROR(Audit(c, by.name, "delegation.revoke", "delegation", id,
                                 {{"delegator", out["delegator"]}, {"delegate", out["delegate"]}}));
    return BumpPolicy(c);
  }));
  TANDEM_RETURN_IF_ERROR(RefreshPolicy(-1));
  return out;
}

}  // namespace tandem::auth

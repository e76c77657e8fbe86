// Signing in and out, and one's own account: password, two-factor sign-in,
// API tokens.
#include <charconv>

#include "web/pages.h"

namespace tandem::web {

using nlohmann::json;

namespace {

constexpr const char* kSessionCookie = "tandem_session";

void SetSessionCookie(Page& p, const std::string& value, bool clear) {
  p.res.set_header("Set-Cookie", std::string(kSessionCookie) + "=" + value +
                                     "; Path=/; HttpOnly; SameSite=Lax" +
                                     (p.secure_cookies ? "; Secure" : "") +
                                     (clear ? "; Max-Age=0" : ""));
}

// Where a new sign-in goes next.
std::string NextStep(auth::Pending pending) {
  switch (pending) {
    case auth::Pending::kMfaCode:
      return "/login/mfa";
    case auth::Pending::kPasswordChange:
    case auth::Pending::kMfaEnrollment:
      return "/account";
    case auth::Pending::kNone:
      break;
  }
  return "/";
}

}  // namespace

void LoginPage(Page& p) {
  if (!p.post()) {
    if (!p.who.actor.name.empty()) return Redirect(p, NextStep(p.who.pending));
    return SendTemplate(p, 200, "Sign in", "login", Obj({}));
  }
  const std::string username = p.Param("username");
  auto s = p.auth.Login(username, p.Param("password"), p.client);
  if (!s.ok()) {
    const int status = Describe(s.error().code).http_status;
    return SendTemplate(p, status, "Sign in", "login",
                        Obj({{"error", s.error().detail}, {"username", username}}));
  }
  if (!p.session_id.empty()) (void)p.auth.Logout(p.session_id);  // never reuse an id
  SetSessionCookie(p, s->session_id, false);
  Redirect(p, NextStep(s->pending));
}

void MfaPage(Page& p) {
  if (p.seg.size() != 2 || p.seg[1] != "mfa")
    return SendError(p, MakeError(ErrorCode::kNotFound, "There is no page at " + p.req.path + "."));
  if (p.who.actor.name.empty() || p.who.pending != auth::Pending::kMfaCode)
    return Redirect(p, p.who.actor.name.empty() ? "/login" : "/");
  if (!p.post()) return SendTemplate(p, 200, "Two-factor sign-in", "mfa", Obj({}));
  auto s = p.auth.CompleteMfa(p.who, p.session_id, p.Param("code"), p.client);
  if (!s.ok()) {
    std::string message = s.error().detail;
    for (const auto& f : s.error().fields)
      if (f.field == "code") message = "The code " + f.message + ".";
    return SendTemplate(p, Describe(s.error().code).http_status, "Two-factor sign-in", "mfa",
                        Obj({{"error", message}}));
  }
  SetSessionCookie(p, s->session_id, false);
  Redirect(p, NextStep(s->pending));
}

void Logout(Page& p) {
  if (!p.post()) return Redirect(p, "/");
  if (!p.session_id.empty()) (void)p.auth.Logout(p.session_id);
  SetSessionCookie(p, "", true);
  Redirect(p, "/login");
}

namespace {

// The account page, with what a form just did (`extra`) and its errors.
void ShowAccount(Page& p, int status, Data extra) {
  auto me = p.auth.Me(p.who);
  if (!me.ok()) return SendError(p, me.error());
  auto tokens = p.who.pending == auth::Pending::kNone ? p.auth.Tokens(p.who) : json::array();
  if (!tokens.ok()) return SendError(p, tokens.error());
  json active = json::array();
  for (const auto& t : *tokens)
    if (t["revoked_at"].is_null()) active.push_back(t);
  Data d = FromJson(*me);
  d.set("tokens", FromJson(active));
  d.set("must_change_password", p.who.pending == auth::Pending::kPasswordChange);
  d.set("must_enrol", p.who.pending == auth::Pending::kMfaEnrollment);
  d.set("full", p.who.pending == auth::Pending::kNone);
  // `extra` overrides: messages, the secret being set up, a new token.
  if (extra.is_object())
    for (const char* k : {"password_error", "password_done", "mfa_secret", "mfa_uri", "mfa_error",
                          "recovery_codes", "mfa_off", "mfa_disable_error", "new_token",
                          "token_error", "token_name"})
      if (const Data* v = extra.get(k)) d.set(k, *v);
  SendTemplate(p, status, "Account", "account", d);
}

// The message for `field` in `e`, or its detail.
std::string MessageFor(const Error& e, const char* field) {
  for (const auto& f : e.fields)
    if (f.field == field) return f.message;
  return e.detail;
}

}  // namespace

void AccountPage(Page& p) {
  const auto& seg = p.seg;
  if (seg.size() == 1) {
    if (p.post()) return SendError(p, MakeError(ErrorCode::kMethodNotAllowed, "use GET"));
    return ShowAccount(p, 200, Obj({}));
  }
  if (!p.post()) return Redirect(p, "/account");
  const std::string what = seg[1] + (seg.size() > 2 ? "/" + seg[2] : "");
  if (what == "password") {
    Status st = p.auth.ChangePassword(p.who, p.Param("current_password"), p.Param("new_password"));
    if (!st.ok()) {
      std::string m = MessageFor(st.error(), "new_password");
      if (m == st.error().detail) m = MessageFor(st.error(), "current_password");
      return ShowAccount(p, Describe(st.error().code).http_status,
                         Obj({{"password_error", m}}));
    }
    // A pending password change is done: the next step may be MFA enrolment.
    auto who = p.auth.AuthenticateSession(p.session_id);
    if (who.ok()) p.who = std::move(*who);
    if (p.who.pending == auth::Pending::kNone && !p.htmx()) return Redirect(p, "/");
    return ShowAccount(p, 200, Obj({{"password_done", true}}));
  }
  if (what == "mfa/setup") {
    auto r = p.auth.BeginMfa(p.who);
    if (!r.ok()) return ShowAccount(p, Describe(r.error().code).http_status,
                                    Obj({{"mfa_error", r.error().detail}}));
    return ShowAccount(p, 200, Obj({{"mfa_secret", (*r)["secret"].get<std::string>()},
                                    {"mfa_uri", (*r)["otpauth_uri"].get<std::string>()}}));
  }
  if (what == "mfa/enable") {
    auto r = p.auth.EnableMfa(p.who, p.Param("code"));
    if (!r.ok())
      return ShowAccount(p, Describe(r.error().code).http_status,
                         Obj({{"mfa_error", "The code " + MessageFor(r.error(), "code") + "."},
                              {"mfa_secret", p.Param("secret")}}));
    auto who = p.auth.AuthenticateSession(p.session_id);
    if (who.ok()) p.who = std::move(*who);
    return ShowAccount(p, 200, Obj({{"recovery_codes", FromJson((*r)["recovery_codes"])}}));
  }
  if (what == "mfa/disable") {
    Status st = p.auth.DisableMfa(p.who, p.Param("password"));
    if (!st.ok()) return ShowAccount(p, Describe(st.error().code).http_status,
                                     Obj({{"mfa_disable_error", MessageFor(st.error(), "password")}}));
    return ShowAccount(p, 200, Obj({{"mfa_off", true}}));
  }
  if (what == "tokens") {
    json body = {{"name", p.Param("name")}, {"scope", p.Param("scope")}};
    if (!p.Param("expires_at").empty()) body["expires_at"] = p.Param("expires_at");
    auto r = p.auth.CreateToken(p.who, body);
    if (!r.ok()) {
      std::string m = r.error().detail;
      for (const auto& f : r.error().fields) m = f.field + " " + f.message;
      return ShowAccount(p, Describe(r.error().code).http_status,
                         Obj({{"token_error", m}, {"token_name", p.Param("name")}}));
    }
    return ShowAccount(p, 201, Obj({{"new_token", (*r).value("token", "")}}));
  }
  if (seg.size() == 4 && seg[1] == "tokens" && seg[3] == "revoke") {
    int64_t id = 0;
    std::from_chars(seg[2].data(), seg[2].data() + seg[2].size(), id);
    Status st = p.auth.RevokeToken(p.who, id);
    if (!st.ok()) return SendError(p, st.error());
    return Redirect(p, "/account");
  }
  SendError(p, MakeError(ErrorCode::kNotFound, "There is no page at " + p.req.path + "."));
}

}  // namespace tandem::web

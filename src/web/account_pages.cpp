// Signing in and out, and one's own account: password, two-factor sign-in,
// API tokens.
#include <charconv>

#include "auth/session_cookie.h"
#include "web/pages.h"

namespace tandem::web {

using nlohmann::json;

namespace {

void SetSessionCookie(Page& p, const std::string& value, bool clear) {
  p.res.set_header("Set-Cookie", auth::SessionCookie(value, p.secure_cookies, clear));
}

// A refusal to wait (a lock, the client throttle) says for how long, as the
// API's 429 does.
void SetRetryAfter(Page& p, const Error& e) {
  if (e.retry_after_seconds > 0)
    p.res.set_header("Retry-After", std::to_string(e.retry_after_seconds));
}

// --- signing in without losing what was being sent ---------------------------
//
// A session ends after 30 idle minutes, easily reached while writing up an
// incident. The form then sent must not be lost: the sign-in page carries its
// fields (as hidden "carry." fields, through the two-factor step too) and,
// once signed in, shows them with a button to send them again. Nothing is
// saved unseen, and the form's version still guards against a newer save by
// someone else (the edit conflict page shows both). Carried values travel in
// form bodies only, never in a URL, where logs would keep them.

constexpr std::string_view kCarry = "carry.";

// `next` when it is a path on this site: never another host. A browser reads
// a backslash as a slash and drops tabs and newlines anywhere in a URL, so
// "/\evil" and "/<TAB>/evil" both become "//evil"; a path with a backslash,
// a control character or a space is therefore refused, and so is "//".
std::string LocalPath(const std::string& next) {
  if (next.size() > 2000 || !next.starts_with('/') || next.starts_with("//")) return "";
  for (unsigned char c : next)
    if (c <= 0x20 || c == 0x7f || c == '\\') return "";
  return next;
}

// Where a session goes next: what its sign-in still needs, else `next`.
std::string NextStep(auth::Pending pending, const std::string& next) {
  switch (pending) {
    case auth::Pending::kMfaCode:
      return next.empty() ? "/login/mfa" : "/login/mfa?next=" + PercentEncode(next);
    case auth::Pending::kPasswordChange:
    case auth::Pending::kMfaEnrollment:
      return "/account";  // a new password or two-factor enrolment comes first
    case auth::Pending::kNone:
      break;
  }
  return next.empty() ? "/" : next;
}

using Fields = std::vector<std::pair<std::string, std::string>>;

// The fields being carried: a signed-out form's own (all but its stale CSRF
// token), or on the sign-in forms, those named "carry.*".
Fields Carried(const Page& p, bool from_sign_in_form) {
  Fields out;
  for (const auto& [name, value] : p.req.params) {
    if (!from_sign_in_form && name != "csrf_token") out.emplace_back(name, value);
    if (from_sign_in_form && name.starts_with(kCarry))
      out.emplace_back(name.substr(kCarry.size()), value);
  }
  return out;
}

// `fields` as hidden inputs (names prefixed with `prefix`) and, but for the
// record version, as rows to read, labelled as the form at `path` labels them
// where it is a record form.
Data FieldsData(const Page& p, const Fields& fields, std::string_view prefix,
                const std::string& path = "") {
  const model::RecordType* type = nullptr;
  if (path.starts_with("/r/")) {
    const size_t end = path.find('/', 3);
    type = p.engine.registry().FindByCollection(
        path.substr(3, end == std::string::npos ? end : end - 3));
  }
  Data hidden = Data::type::list, shown = Data::type::list;
  for (const auto& [name, value] : fields) {
    hidden.push_back(Obj({{"name", std::string(prefix) + name}, {"value", value}}));
    if (name == "version" || value.empty()) continue;
    const model::FieldDecl* f = type ? type->Field(name) : nullptr;
    shown.push_back(
        Obj({{"label", f && !f->label.empty() ? f->label : Humanize(name)}, {"value", value}}));
  }
  return Obj({{"hidden", hidden}, {"shown", shown}});
}

// The sign-in form, carrying `next` and `fields`.
Status SendSignIn(Page& p, int status, const char* template_name, Data data,
                  const std::string& next, const Fields& fields) {
  data.set("next", Text(next));
  data.set("carried", FieldsData(p, fields, kCarry));
  data.set("resume", !fields.empty());
  return SendTemplate(p, status,
                      template_name == std::string("mfa") ? "Two-factor sign-in" : "Sign in",
                      template_name, data);
}

// After a successful sign-in step: the next step, carrying where the user was
// going and what they were sending.
Status AfterSignIn(Page& p, const auth::SignIn& s) {
  if (!p.session_id.empty() && p.session_id != s.session_id)
    (void)p.auth.Logout(p.session_id);  // never reuse an id
  SetSessionCookie(p, s.session_id, false);
  const std::string next = LocalPath(p.Param("next"));
  const Fields fields = Carried(p, true);
  const bool account_first =
      s.pending == auth::Pending::kPasswordChange || s.pending == auth::Pending::kMfaEnrollment;
  if (fields.empty() || next.empty() || account_first)
    return Redirect(p, NextStep(s.pending, next));
  // The new session's CSRF token goes into the next form.
  auto who = p.auth.AuthenticateSession(s.session_id);
  if (!who.ok()) return Redirect(p, "/login");
  p.who = std::move(*who);
  p.session_id = s.session_id;
  if (s.pending == auth::Pending::kMfaCode) return SendSignIn(p, 200, "mfa", Obj({}), next, fields);
  Data d = FieldsData(p, fields, "", next);
  d.set("next", next);
  return SendTemplate(p, 200, "Send what you entered", "resume", d);
}

}  // namespace

Status SignInFirst(Page& p) {
  if (p.post()) {
    // Record forms, and those of the sections that say so, are carried;
    // account and admin forms hold passwords and codes, which no page may
    // echo, so they are not.
    const PageSection* section = p.seg.empty() ? nullptr : p.ext.Section(p.seg[0]);
    const bool carried = p.req.path.starts_with("/r/") || (section && section->carries_forms);
    if (!carried) return SendSignIn(p, 401, "login", Obj({}), "", {});
    return SendSignIn(p, 401, "login", Obj({}), LocalPath(p.req.path), Carried(p, false));
  }
  if (p.seg.empty()) return Redirect(p, "/login");
  std::string here = p.req.path;
  char sep = '?';
  for (const auto& [name, value] : p.req.params) {
    here += sep + PercentEncode(name) + "=" + PercentEncode(value);
    sep = '&';
  }
  return Redirect(p, "/login?next=" + PercentEncode(here));
}

Status LoginPage(Page& p) {
  const std::string next = LocalPath(p.Param("next"));
  if (!p.post()) {
    if (!p.who.actor.name.empty()) return Redirect(p, NextStep(p.who.pending, next));
    return SendSignIn(p, 200, "login", Obj({}), next, {});
  }
  const std::string username = p.Param("username");
  auto s = p.auth.Login(username, p.Param("password"), p.client);
  if (!s.ok()) {
    const int status = Describe(s.error().code).http_status;
    SetRetryAfter(p, s.error());
    return SendSignIn(p, status, "login",
                      Obj({{"error", s.error().detail}, {"username", username}}), next,
                      Carried(p, true));
  }
  return AfterSignIn(p, *s);
}

Status MfaPage(Page& p) {
  if (p.seg.size() != 2 || p.seg[1] != "mfa") return NoPage(p);
  if (p.who.actor.name.empty() || p.who.pending != auth::Pending::kMfaCode)
    return Redirect(p, p.who.actor.name.empty() ? "/login" : "/");
  const std::string next = LocalPath(p.Param("next"));
  if (!p.post()) return SendSignIn(p, 200, "mfa", Obj({}), next, {});
  auto s = p.auth.CompleteMfa(p.who, p.session_id, p.Param("code"), p.client);
  if (!s.ok()) {
    SetRetryAfter(p, s.error());
    std::string message = s.error().detail;
    for (const auto& f : s.error().fields)
      if (f.field == "code") message = "The code " + f.message + ".";
    return SendSignIn(p, Describe(s.error().code).http_status, "mfa", Obj({{"error", message}}),
                      next, Carried(p, true));
  }
  return AfterSignIn(p, *s);
}

Status Logout(Page& p) {
  if (!p.post()) return Redirect(p, "/");
  // Another site must not sign a user out (a session that has already ended
  // has no token to check and nothing to end).
  const bool live = !p.who.csrf_token.empty();
  if (live && !auth::SameSecret(p.Param("csrf_token"), p.who.csrf_token))
    return MakeError(ErrorCode::kForbidden, "the form has expired; reload the page and try again");
  if (!p.session_id.empty()) (void)p.auth.Logout(p.session_id);
  SetSessionCookie(p, "", true);
  return Redirect(p, "/login");
}

namespace {

// The account page, with what a form just did (`extra`) and its errors.
Status ShowAccount(Page& p, int status, Data extra) {
  auto me = p.auth.Me(p.who);
  if (!me.ok()) return me.error();
  auto tokens = p.who.pending == auth::Pending::kNone ? p.auth.Tokens(p.who) : json::array();
  if (!tokens.ok()) return tokens.error();
  json active = json::array();
  for (const auto& t : *tokens)
    if (t["revoked_at"].is_null()) active.push_back(t);
  Data d = FromJson(*me);
  d.set("tokens", FromJson(active));
  if (p.who.pending == auth::Pending::kNone) {
    auto delegations = p.auth.Delegations(p.actor());
    if (!delegations.ok()) return delegations.error();
    json shown = json::array();
    for (auto dl : *delegations) {
      dl["open"] = dl["status"] == "active" || dl["status"] == "scheduled";
      dl["given"] = dl["delegator"] == p.actor().name;
      shown.push_back(dl);
    }
    d.set("delegations", FromJson(shown));
  }
  d.set("must_change_password", p.who.pending == auth::Pending::kPasswordChange);
  d.set("must_enrol", p.who.pending == auth::Pending::kMfaEnrollment);
  d.set("full", p.who.pending == auth::Pending::kNone);
  // `extra` overrides: messages, the secret being set up, a new token.
  if (extra.is_object())
    for (const char* k : {"password_error",
                          "password_done",
                          "mfa_secret",
                          "mfa_uri",
                          "mfa_error",
                          "recovery_codes",
                          "mfa_off",
                          "mfa_disable_error",
                          "new_token",
                          "token_error",
                          "token_name",
                          "delegation_done",
                          "delegation_error",
                          "delegate_error",
                          "starts_error",
                          "ends_error",
                          "reason_error",
                          "delegate",
                          "starts",
                          "ends",
                          "reason"})
      if (const Data* v = extra.get(k)) d.set(k, *v);
  return SendTemplate(p, status, "Account", "account", d);
}

// The message for `field` in `e`, or its detail.
std::string MessageFor(const Error& e, const char* field) {
  for (const auto& f : e.fields)
    if (f.field == field) return f.message;
  return e.detail;
}

}  // namespace

Status AccountPage(Page& p) {
  const auto& seg = p.seg;
  if (seg.size() == 1) {
    if (p.post()) return MakeError(ErrorCode::kMethodNotAllowed, "use GET");
    return ShowAccount(p, 200, Obj({}));
  }
  if (!p.post()) return Redirect(p, "/account");
  const std::string what = seg[1] + (seg.size() > 2 ? "/" + seg[2] : "");
  if (what == "password") {
    auto r = p.auth.ChangePassword(p.who, p.session_id, p.Param("current_password"),
                                   p.Param("new_password"));
    if (!r.ok()) {
      std::string m = MessageFor(r.error(), "new_password");
      if (m == r.error().detail) m = MessageFor(r.error(), "current_password");
      return ShowAccount(p, Describe(r.error().code).http_status, Obj({{"password_error", m}}));
    }
    // The session has a new id. A pending password change is done: the next
    // step may be MFA enrolment.
    SetSessionCookie(p, r->session_id, false);
    p.session_id = r->session_id;
    auto who = p.auth.AuthenticateSession(p.session_id);
    if (who.ok()) p.who = std::move(*who);
    if (p.who.pending == auth::Pending::kNone && !p.htmx()) return Redirect(p, "/");
    return ShowAccount(p, 200, Obj({{"password_done", true}}));
  }
  if (what == "mfa/setup") {
    auto r = p.auth.BeginMfa(p.who);
    if (!r.ok())
      return ShowAccount(p, Describe(r.error().code).http_status,
                         Obj({{"mfa_error", r.error().detail}}));
    return ShowAccount(p, 200,
                       Obj({{"mfa_secret", (*r)["secret"].get<std::string>()},
                            {"mfa_uri", (*r)["otpauth_uri"].get<std::string>()}}));
  }
  if (what == "mfa/enable") {
    auto r = p.auth.EnableMfa(p.who, p.session_id, p.Param("code"));
    if (!r.ok())
      return ShowAccount(p, Describe(r.error().code).http_status,
                         Obj({{"mfa_error", "The code " + MessageFor(r.error(), "code") + "."},
                              {"mfa_secret", p.Param("secret")}}));
    // The session has a new id (and CSRF token for the page's forms).
    SetSessionCookie(p, r->session.session_id, false);
    p.session_id = r->session.session_id;
    auto who = p.auth.AuthenticateSession(p.session_id);
    if (who.ok()) p.who = std::move(*who);
    return ShowAccount(p, 200, Obj({{"recovery_codes", FromJson(json(r->recovery_codes))}}));
  }
  if (what == "mfa/disable") {
    Status st = p.auth.DisableMfa(p.who, p.Param("password"));
    if (!st.ok())
      return ShowAccount(p, Describe(st.error().code).http_status,
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
  if (what == "delegations") {
    // The form asks for days: a delegation runs from the start of the first
    // to the end of the last (UTC).
    json body = {{"delegate", Trimmed(p.Param("delegate"))},
                 {"reason", Trimmed(p.Param("reason"))}};
    const std::string starts = p.Param("starts"), ends = p.Param("ends");
    if (!starts.empty()) body["starts_at"] = starts + "T00:00:00Z";
    body["ends_at"] = ends.empty() ? "" : ends + "T23:59:59Z";
    auto r = p.auth.CreateDelegation(p.actor(), body);
    if (!r.ok()) {
      Data e = Obj({{"delegation_error", r.error().detail},
                    {"delegate", p.Param("delegate")},
                    {"starts", starts},
                    {"ends", ends},
                    {"reason", p.Param("reason")}});
      for (const auto& [field, key] : {std::pair{"delegate", "delegate_error"},
                                       {"delegator", "delegate_error"},
                                       {"starts_at", "starts_error"},
                                       {"ends_at", "ends_error"},
                                       {"reason", "reason_error"}})
        for (const auto& f : r.error().fields)
          if (f.field == field) e.set(key, f.message);
      return ShowAccount(p, Describe(r.error().code).http_status, e);
    }
    return ShowAccount(p, 201, Obj({{"delegation_done", true}}));
  }
  if (seg.size() == 4 && seg[1] == "delegations" && seg[3] == "revoke") {
    int64_t id = 0;
    std::from_chars(seg[2].data(), seg[2].data() + seg[2].size(), id);
    auto r = p.auth.RevokeDelegation(p.actor(), id);
    if (!r.ok()) return r.error();
    return Redirect(p, "/account");
  }
  if (seg.size() == 4 && seg[1] == "tokens" && seg[3] == "revoke") {
    int64_t id = 0;
    std::from_chars(seg[2].data(), seg[2].data() + seg[2].size(), id);
    Status st = p.auth.RevokeToken(p.who, id);
    if (!st.ok()) return st.error();
    return Redirect(p, "/account");
  }
  return NoPage(p);
}

}  // namespace tandem::web

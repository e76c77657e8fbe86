// /api/v1/auth/... (signing in, one's own account and tokens) and
// /api/v1/admin/... (users, roles, groups, restricted records, security events).
#include <charconv>

#include "http/call.h"

namespace tandem::http {

using nlohmann::json;

namespace {

constexpr int kDefaultEventLimit = 100;

void SetSessionCookie(Call& call, const std::string& value, bool secure, bool clear) {
  call.res.set_header("Set-Cookie", auth::SessionCookie(value, secure, clear));
}

json SignInJson(const auth::SignIn& s) {
  const char* pending = auth::PendingName(s.pending);
  return {{"username", s.username},
          {"csrf_token", s.csrf_token},
          {"pending", pending ? json(pending) : json()}};
}

// Runs `f` (returning Result<json>) and writes its value with `status`.
template <typename F>
void Reply(Call& call, int status, F&& f) {
  auto r = f();
  if (!r.ok()) return call.Fail(r.error());
  WriteJson(call.res, status, *r);
}

void NoContent(Call& call, const Status& st) {
  if (!st.ok()) return call.Fail(st.error());
  call.res.status = 204;
}

bool Is(const std::vector<std::string>& seg, std::initializer_list<const char*> want) {
  if (seg.size() != want.size()) return false;
  size_t i = 0;
  for (const char* w : want) {
    if (*w != '*' && seg[i] != w) return false;
    ++i;
  }
  return true;
}

}  // namespace

Result<std::string> StringField(const json& body, const char* name) {
  if (!body.is_object() || !body.contains(name) || !body[name].is_string())
    return MakeError(ErrorCode::kValidation, std::string(name) + " is required",
                     {{name, "is required (a string)"}});
  return body[name].get<std::string>();
}

// The named string members of the request's JSON body; nullopt once the
// problem (bad JSON, a member missing or not a string) has been answered.
std::optional<std::vector<std::string>> BodyStrings(Call& call,
                                                    std::initializer_list<const char*> names) {
  auto b = ParseBody(call.req, false);
  if (!b.ok()) {
    call.Fail(b.error());
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (const char* name : names) {
    auto v = StringField(*b, name);
    if (!v.ok()) {
      call.Fail(v.error());
      return std::nullopt;
    }
    out.push_back(std::move(*v));
  }
  return out;
}

void HandleAuth(auth::AuthService& auth, Call& call, const std::vector<std::string>& seg,
                bool secure_cookies) {
  const std::string& m = call.req.method;
  auto body = [&]() { return ParseBody(call.req, false); };

  if (Is(seg, {"login"})) {
    if (m != "POST") return call.MethodNotAllowed("POST");
    auto f = BodyStrings(call, {"username", "password"});
    if (!f) return;
    auto s = auth.Login((*f)[0], (*f)[1], call.client);
    if (!s.ok()) return call.Fail(s.error());
    if (!call.session_id.empty()) (void)auth.Logout(call.session_id);  // never reuse an id
    SetSessionCookie(call, s->session_id, secure_cookies, false);
    return WriteJson(call.res, 200, SignInJson(*s));
  }
  if (Is(seg, {"logout"})) {
    if (m != "POST") return call.MethodNotAllowed("POST");
    if (!call.session_id.empty()) {
      Status st = auth.Logout(call.session_id);
      if (!st.ok()) return call.Fail(st.error());
    }
    SetSessionCookie(call, "", secure_cookies, true);
    call.res.status = 204;
    return;
  }
  if (Is(seg, {"mfa"})) {
    if (m != "POST") return call.MethodNotAllowed("POST");
    auto f = BodyStrings(call, {"code"});
    if (!f) return;
    auto s = auth.CompleteMfa(call.who, call.session_id, (*f)[0], call.client);
    if (!s.ok()) return call.Fail(s.error());
    SetSessionCookie(call, s->session_id, secure_cookies, false);
    return WriteJson(call.res, 200, SignInJson(*s));
  }
  if (Is(seg, {"me"})) {
    if (m != "GET") return call.MethodNotAllowed("GET");
    return Reply(call, 200, [&] { return auth.Me(call.who); });
  }
  if (Is(seg, {"password"})) {
    if (m != "POST") return call.MethodNotAllowed("POST");
    auto f = BodyStrings(call, {"current_password", "new_password"});
    if (!f) return;
    return NoContent(call, auth.ChangePassword(call.who, (*f)[0], (*f)[1]));
  }
  if (Is(seg, {"mfa", "setup"})) {
    if (m != "POST") return call.MethodNotAllowed("POST");
    return Reply(call, 200, [&] { return auth.BeginMfa(call.who); });
  }
  if (Is(seg, {"mfa", "enable"}) || Is(seg, {"mfa", "disable"})) {
    if (m != "POST") return call.MethodNotAllowed("POST");
    const bool enable = seg[1] == "enable";
    auto f = BodyStrings(call, {enable ? "code" : "password"});
    if (!f) return;
    if (enable) return Reply(call, 200, [&] { return auth.EnableMfa(call.who, (*f)[0]); });
    return NoContent(call, auth.DisableMfa(call.who, (*f)[0]));
  }
  if (Is(seg, {"tokens"})) {
    if (m == "GET") return Reply(call, 200, [&] { return auth.Tokens(call.who); });
    if (m != "POST") return call.MethodNotAllowed("GET, POST");
    auto b = body();
    if (!b.ok()) return call.Fail(b.error());
    return Reply(call, 201, [&] { return auth.CreateToken(call.who, *b); });
  }
  if (Is(seg, {"tokens", "*"}) || Is(seg, {"delegations", "*"})) {
    if (m != "DELETE") return call.MethodNotAllowed("DELETE");
    const bool token = seg[0] == "tokens";
    int64_t id = 0;
    auto [p, ec] = std::from_chars(seg[1].data(), seg[1].data() + seg[1].size(), id);
    if (ec != std::errc() || p != seg[1].data() + seg[1].size())
      return call.Fail(ErrorCode::kNotFound,
                       std::string(token ? "no token '" : "no delegation '") + seg[1] + "'");
    if (token) return NoContent(call, auth.RevokeToken(call.who, id));
    return Reply(call, 200, [&] { return auth.RevokeDelegation(call.actor(), id); });
  }
  if (Is(seg, {"delegations"})) {
    if (m == "GET")
      return Reply(call, 200, [&]() -> Result<json> {
        TANDEM_ASSIGN_OR_RETURN(json items, auth.Delegations(call.actor()));
        return json{{"items", std::move(items)}};
      });
    if (m != "POST") return call.MethodNotAllowed("GET, POST");
    auto b = body();
    if (!b.ok()) return call.Fail(b.error());
    return Reply(call, 201, [&] { return auth.CreateDelegation(call.actor(), *b); });
  }
  call.Fail(ErrorCode::kNotFound, "no such resource: " + call.req.path);
}

void HandleAdmin(auth::AuthService& auth, records::Engine& engine, Call& call,
                 const std::vector<std::string>& seg) {
  const std::string& m = call.req.method;
  const auto& actor = call.actor();
  auto body = [&]() { return ParseBody(call.req, false); };
  if (Is(seg, {"users"})) {
    if (m == "GET") return Reply(call, 200, [&] { return auth.Users(actor); });
    if (m != "POST") return call.MethodNotAllowed("GET, POST");
    auto b = body();
    if (!b.ok()) return call.Fail(b.error());
    return Reply(call, 201, [&] { return auth.CreateUser(actor, *b); });
  }
  if (Is(seg, {"users", "*"})) {
    if (m == "GET") return Reply(call, 200, [&] { return auth.User(actor, seg[1]); });
    if (m != "PATCH") return call.MethodNotAllowed("GET, PATCH");
    auto b = ParseBody(call.req, true);
    if (!b.ok()) return call.Fail(b.error());
    return Reply(call, 200, [&] { return auth.UpdateUser(actor, seg[1], *b); });
  }
  if (seg.size() == 3 && seg[0] == "users" &&
      (seg[2] == "unlock" || seg[2] == "reset-mfa" || seg[2] == "reset-password" ||
       seg[2] == "tokens")) {
    if (m != "POST") return call.MethodNotAllowed("POST");
    const std::string& user = seg[1];
    if (seg[2] == "unlock") return NoContent(call, auth.Unlock(actor, user));
    if (seg[2] == "reset-mfa") return NoContent(call, auth.ResetMfa(actor, user));
    if (seg[2] == "reset-password") {
      auto f = BodyStrings(call, {"password"});
      if (!f) return;
      return NoContent(call, auth.ResetPassword(actor, user, (*f)[0]));
    }
    auto b = body();
    if (!b.ok()) return call.Fail(b.error());
    return Reply(call, 201, [&] { return auth.IssueToken(actor, user, *b); });
  }
  if (Is(seg, {"roles"})) {
    if (m != "GET") return call.MethodNotAllowed("GET");
    return Reply(call, 200, [&] { return auth.Roles(actor); });
  }
  if (Is(seg, {"roles", "*"})) {
    if (m != "PUT") return call.MethodNotAllowed("PUT");
    auto b = body();
    if (!b.ok()) return call.Fail(b.error());
    return Reply(call, 200, [&] { return auth.PutRole(actor, seg[1], *b); });
  }
  if (Is(seg, {"groups"})) {
    if (m == "GET") return Reply(call, 200, [&] { return auth.Groups(actor); });
    if (m != "POST") return call.MethodNotAllowed("GET, POST");
    auto b = body();
    if (!b.ok()) return call.Fail(b.error());
    return Reply(call, 201, [&] { return auth.CreateGroup(actor, *b); });
  }
  if (Is(seg, {"restricted"})) {
    if (m != "GET") return call.MethodNotAllowed("GET");
    return Reply(call, 200, [&] { return engine.RestrictedRecords(actor); });
  }
  if (Is(seg, {"security-events"})) {
    if (m != "GET") return call.MethodNotAllowed("GET");
    int64_t before = 0, limit = kDefaultEventLimit;
    for (auto [name, out] : {std::pair{"before", &before}, std::pair{"limit", &limit}}) {
      if (!call.req.has_param(name)) continue;
      const std::string v = call.req.get_param_value(name);
      auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), *out);
      if (ec != std::errc() || p != v.data() + v.size())
        return call.Fail(ErrorCode::kBadRequest, std::string(name) + " must be an integer");
    }
    return Reply(call, 200,
                 [&] { return auth.SecurityEvents(actor, before, static_cast<int>(limit)); });
  }
  call.Fail(ErrorCode::kNotFound, "no such resource: " + call.req.path);
}

}  // namespace tandem::http

#include "web/web.h"

#include "auth/session_cookie.h"
#include "core/client_address.h"
#include "core/content.h"
#include "core/url.h"
#include "core/utf8.h"
#include "web/pages.h"

namespace tandem::web {

namespace {

struct StaticFile {
  const char* url;
  const char* path;
  const char* media_type;
};
constexpr StaticFile kStatic[] = {
    {"/static/htmx.min.js", "node_modules/htmx.org/dist/htmx.min.js", "text/javascript"},
    {"/static/app.js", "content/web/static/app.js", "text/javascript"},
    {"/static/app.css", "content/web/static/app.css", "text/css"},
};

// A POST must come from one of our own pages: the browser's Origin (when it
// sends one) names this host. The session's CSRF token is checked as well
// once signed in.
bool SameOrigin(const httplib::Request& req) {
  if (!req.has_header("Origin")) return true;
  std::string origin = req.get_header_value("Origin");
  if (auto pos = origin.find("://"); pos != std::string::npos) origin.erase(0, pos + 3);
  return origin == req.get_header_value("Host");
}

}  // namespace

std::string Page::Param(const char* name) const {
  if (req.has_param(name)) return req.get_param_value(name);
  // A multipart form (one with a file input) sends its fields as parts.
  if (req.has_file(name)) return req.get_file_value(name).content;
  return std::string();
}

bool Page::Has(const std::string& name) const {
  return req.has_param(name.c_str()) || req.has_file(name.c_str());
}

Web::Web(records::Engine& engine, auth::AuthService& auth, Extensions extensions,
         WebOptions options)
    : engine_(engine), auth_(auth), ext_(std::move(extensions)), options_(options) {
  ext_.CheckTypes(engine.registry());
}

Web::~Web() = default;

void Web::Handle(const httplib::Request& req, httplib::Response& res) const {
  for (const auto& f : kStatic) {
    if (req.path != f.url) continue;
    res.headers.erase("Cache-Control");
    res.set_header("Cache-Control", "public, max-age=3600");
    res.set_content(std::string(content::Get(f.path)), f.media_type);
    return;
  }
  Page p{req, res, engine_, auth_, ext_, options_.secure_cookies};
  // The form decoder passes bytes through: text that is not UTF-8 would
  // otherwise reach validation, the audit trail and the templates.
  bool text_ok = true;
  for (const auto& [name, value] : req.params)
    text_ok = text_ok && IsValidUtf8(name) && IsValidUtf8(value);
  for (const auto& [name, part] : req.files)
    text_ok = text_ok && IsValidUtf8(name) && (!part.filename.empty() || IsValidUtf8(part.content));
  p.client =
      ClientAddress(req.remote_addr, req.get_header_value("X-Forwarded-For"), options_.trust_proxy);
  p.seg = PathSegments(req.path);
  // Every error, from any page, is answered here.
  Status st = text_ok ? Route(p)
                      : MakeError(ErrorCode::kBadRequest,
                                  "the form or address holds text that is not valid UTF-8");
  if (!st.ok()) SendError(p, st.error());
}

Status Web::Route(Page& p) const {
  const auto& req = p.req;
  if (req.method != "GET" && req.method != "HEAD" && req.method != "POST") {
    p.res.set_header("Allow", "GET, POST");
    return MakeError(ErrorCode::kMethodNotAllowed, "use GET or POST");
  }
  if (p.post() && !SameOrigin(req))
    return MakeError(ErrorCode::kForbidden, "the form came from another site");

  const std::string first = p.seg.empty() ? "" : p.seg[0];
  p.session_id = auth::CookieValue(req.get_header_value("Cookie"), auth::kSessionCookie);
  bool signed_in = false;
  if (!p.session_id.empty()) {
    auto who = auth_.AuthenticateSession(p.session_id);
    if (who.ok()) {
      p.who = std::move(*who);
      signed_in = true;
    }
  }
  if (first == "login") return p.seg.size() == 1 ? LoginPage(p) : MfaPage(p);
  if (first == "logout") return Logout(p);
  if (!signed_in) return SignInFirst(p);
  if (p.post() && !auth::SameSecret(p.Param("csrf_token"), p.who.csrf_token))
    return MakeError(ErrorCode::kForbidden, "the form has expired; reload the page and try again");
  switch (p.who.pending) {
    case auth::Pending::kMfaCode:
      return Redirect(p, "/login/mfa");
    case auth::Pending::kPasswordChange:
    case auth::Pending::kMfaEnrollment:
      if (first != "account") return Redirect(p, "/account");
      break;
    case auth::Pending::kNone:
      break;
  }
  if (first.empty()) return Dashboard(p);
  if (first == "records") return RecordsIndex(p);
  if (first == "r") return RecordPages(p);
  if (first == "search") return SearchPage(p);
  if (first == "account") return AccountPage(p);
  if (first == "admin") return AdminPages(p);
  if (const PageSection* section = ext_.Section(first)) return section->handler(p);
  return NoPage(p);
}

}  // namespace tandem::web

// What every page handler works with: the generic pages of src/web and the
// page sections domain modules add (web/extensions.h).
#pragma once

#include <httplib.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "auth/auth.h"
#include "core/result.h"
#include "core/url.h"
#include "records/engine.h"
#include "web/extensions.h"
#include "web/view.h"

namespace tandem::web {

struct Page {
  const httplib::Request& req;
  httplib::Response& res;
  records::Engine& engine;
  auth::AuthService& auth;
  const Extensions& ext;
  bool secure_cookies = false;
  std::string client;            // the client's address
  std::string session_id;        // the session cookie's value
  auth::Identity who;            // empty until signed in
  std::vector<std::string> seg;  // the path's segments

  const records::Actor& actor() const { return who.actor; }
  bool post() const { return req.method == "POST"; }
  // The query or form parameter `name` ("" when absent), from a URL-encoded
  // or a multipart form.
  std::string Param(const char* name) const;
  std::string Param(const std::string& name) const { return Param(name.c_str()); }
  bool Has(const std::string& name) const;
  // A request made by htmx (partial update), not a full page load.
  bool htmx() const { return req.has_header("HX-Request"); }
};

// A page handler answers the request and returns Ok, or returns the error,
// which the dispatcher (web.cpp) sends as an error page (SendError): no
// handler writes one itself. The senders return Ok, for `return Send...`.

// Sends `body` (HTML rendered from a template) inside the layout: header,
// navigation, the user's name and the sign-out form.
Status SendPage(Page& p, int status, const std::string& title, const std::string& body);
// Renders template `name` with `data` and sends it as a page.
Status SendTemplate(Page& p, int status, const std::string& title, const char* name, Data data);
// After a successful POST: 303 to `url` (htmx: a full load of `url`).
Status Redirect(Page& p, const std::string& url);
// An error page for `e`: 404, 403, 409 ... with its detail.
void SendError(Page& p, const Error& e);
// The 404 for a path no page answers.
Error NoPage(const Page& p);

// The hidden CSRF field every POST form carries, as template data.
Data CsrfData(const Page& p);

// Page handlers, by area. Each answers the request completely.
// Someone not signed in: a page view goes to the sign-in page and back; a
// form sent goes to a sign-in page that carries its fields.
Status SignInFirst(Page& p);
Status LoginPage(Page& p);
Status MfaPage(Page& p);
Status Logout(Page& p);
Status AccountPage(Page& p);
Status Dashboard(Page& p);
Status RecordsIndex(Page& p);
Status RecordPages(Page& p);  // /r/...
Status SearchPage(Page& p);
Status AdminPages(Page& p);  // /admin...

// Template data from JSON: objects and arrays as such, null and false as
// false, numbers and strings as text.
Data FromJson(const nlohmann::json& j);

// Shared formatting.
std::string Humanize(const std::string& snake);  // A record's link path: /r/{collection}/{number}.
std::string RecordPath(const model::RecordType& type, int64_t id);

}  // namespace tandem::web

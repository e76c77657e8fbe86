// The web UI: server-rendered HTML pages for people, beside the JSON API.
//
// Pages are generated from the record-type declarations (list, record, create
// and edit pages for every type) plus sign-in, account, dashboard, search and
// administration. Every read and write goes through the record engine and the
// auth service with the signed-in user's actor, exactly as the API does, so
// access rules and need-to-know hold on every page. htmx (served from
// /static) boosts links and forms into partial updates; every page also works
// without it.
#pragma once

#include <memory>

#include "auth/auth.h"
#include "records/engine.h"
#include "web/extensions.h"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace tandem::web {

struct Page;

struct WebOptions {
  bool secure_cookies = false;  // served over TLS (directly or behind a proxy)
  bool trust_proxy = false;     // take the client address from X-Forwarded-For
};

class Web {
 public:
  // `extensions`: the page sections, dashboard parts and hints of the
  // domain modules.
  Web(records::Engine& engine, auth::AuthService& auth, Extensions extensions, WebOptions options);
  ~Web();
  // Handles any request outside /api/v1.
  void Handle(const httplib::Request& req, httplib::Response& res) const;

 private:
  // Answers the request for `p`, or returns the error for the error page.
  Status Route(Page& p) const;

  records::Engine& engine_;
  auth::AuthService& auth_;
  Extensions ext_;
  WebOptions options_;
};

}  // namespace tandem::web

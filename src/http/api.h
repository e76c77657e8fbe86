// The JSON API under /api/v1: a table of routes (http/router.h), each with
// its OpenAPI operation. The core routes are the same on every server; a
// domain module adds its own to the same table.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "auth/auth.h"
#include "http/rate_limit.h"
#include "http/router.h"
#include "records/engine.h"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace tandem::http {

struct ApiOptions {
  bool secure_cookies = false;  // served over TLS (directly or behind a proxy)
  bool trust_proxy = false;     // take the client address from X-Forwarded-For
  // The largest body of a request whose route names no limit of its own.
  size_t max_body_bytes = 1 << 20;
  // Requests per second (bursts of twice as many, at least 10): per client
  // address, counted before authentication; and per credential (an API
  // token, or a signed-in user's sessions). 0: no limit.
  double client_rate = 0;
  double credential_rate = 0;
};

// The routes of every server: health, types and custom fields, the audit
// check, authentication and administration, and the generic routes of every
// record type in the engine's registry.
void AddCoreRoutes(Router& router, records::Engine& engine, auth::AuthService& auth);

// The generic routes of one record type (record_routes.cpp).
void AddRecordRoutes(Router& router, records::Engine& engine, const model::RecordType& type);
// /auth/... and /admin/... (auth_api.cpp).
void AddAuthRoutes(Router& router, auth::AuthService& auth, const model::Registry& registry);
void AddAdminRoutes(Router& router, auth::AuthService& auth, records::Engine& engine);

class Api {
 public:
  // Serves `router`'s routes, plus GET /openapi.json: the document of them
  // all, made once (routes do not change at run time).
  Api(auth::AuthService& auth, Router router, ApiOptions options);
  ~Api();
  // Handles any request whose path starts with /api/v1. Every route but the
  // public ones needs a session cookie or an API token. Returns the pattern of
  // the route that answered, below /api/v1 ("/incidents/{id}"); "" when none
  // did.
  std::string_view Handle(const httplib::Request& req, httplib::Response& res) const;

  const std::string& openapi() const { return openapi_; }
  // The largest body any route accepts.
  size_t largest_body() const;

 private:
  auth::AuthService& auth_;
  Router router_;
  ApiOptions options_;
  std::string openapi_;
  mutable RateLimiter per_client_, per_credential_;
};

}  // namespace tandem::http

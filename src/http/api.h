// The JSON API under /api/v1: one generic set of routes serves every record
// type declared in the registry.
#pragma once

#include <httplib.h>

#include <memory>

#include "auth/auth.h"
#include "records/engine.h"

namespace tandem::domains {
class StandardsIndex;
}

namespace tandem::http {

struct Call;

struct ApiOptions {
  bool secure_cookies = false;  // served over TLS (directly or behind a proxy)
  bool trust_proxy = false;     // take the client address from X-Forwarded-For
  // The largest body of a request that is not an upload (catalog import).
  size_t max_body_bytes = 1 << 20;
};

class Api {
 public:
  Api(records::Engine& engine, auth::AuthService& auth, domains::StandardsIndex& standards,
      ApiOptions options);
  ~Api();
  // Handles any request whose path starts with /api/v1/. Every route but
  // health, openapi.json and auth/login needs a session cookie or an API token.
  void Handle(const httplib::Request& req, httplib::Response& res) const;

 private:
  bool Authenticate(Call& call, const std::vector<std::string>& seg) const;

  records::Engine& engine_;
  auth::AuthService& auth_;
  ApiOptions options_;
  std::string openapi_;  // generated once; declarations do not change at run time
  domains::StandardsIndex& standards_;
};

// The OpenAPI 3.1 document for `registry` (http/openapi.cpp).
nlohmann::json BuildOpenApi(const model::Registry& registry);

}  // namespace tandem::http

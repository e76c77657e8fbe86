// The JSON API under /api/v1: one generic set of routes serves every record
// type declared in the registry.
#pragma once

#include <httplib.h>

#include "records/engine.h"

namespace tandem::http {

class Api {
 public:
  explicit Api(records::Engine& engine);
  // Handles any request whose path starts with /api/v1/.
  void Handle(const httplib::Request& req, httplib::Response& res) const;

 private:
  records::Engine& engine_;
  std::string openapi_;  // generated once; declarations do not change at run time
};

// The OpenAPI 3.1 document for `registry` (http/openapi.cpp).
nlohmann::json BuildOpenApi(const model::Registry& registry);

}  // namespace tandem::http

// The API's route table: every path under /api/v1 is a route, declared once
// with its handler and the OpenAPI operation that describes it.
//
// The generic record routes come from the record-type declarations
// (record_routes.cpp), authentication and administration from auth_api.cpp,
// and a domain module adds its own (domains/module.h). The dispatcher
// (api.cpp) authenticates, finds the route, calls it and answers every error
// the same way, so a handler only says what went wrong.
#pragma once

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace tandem::http {

struct Call;

// Answers a request matched to its route: writes the response and returns
// Ok, or returns the error, which the dispatcher sends as problem+json.
using Handler = std::function<Status(Call&)>;

enum class Access {
  kSignedIn,  // a session cookie or an API token
  kPublic,    // anyone; credentials are read when sent
};

struct Route {
  std::string method;  // GET, POST, PUT, PATCH or DELETE
  // Below /api/v1; each segment literal or a parameter: "/standards/{key}/oscal".
  // The first segment is literal.
  std::string path;
  Handler handler;
  // Its OpenAPI operation object (openapi_build.h). Path parameters it does
  // not declare itself are described as required strings.
  nlohmann::json operation;
  Access access = Access::kSignedIn;
  // The largest body accepted; 0 means the server's limit for JSON bodies.
  // An upload (a catalog file) names its own.
  size_t max_body = 0;
};

class Router {
 public:
  // Throws std::logic_error for a malformed path or a route declared twice
  // (the same method on the same path shape): routes are code.
  void Add(Route route);
  // A schema the operations refer to as #/components/schemas/NAME; declared
  // once (a second, different one throws).
  void AddSchema(const std::string& name, nlohmann::json schema);

  struct Match {
    const Route* route = nullptr;     // null: no route for this method
    std::vector<std::string> params;  // the parameter segments, in path order
    std::string allow;                // no route for the method but for the path: its methods
    bool public_path = false;         // a route for the path (any method) is public
  };
  // The route for `method` on the path `segments`. Where routes of one
  // method differ, a literal segment wins over a parameter at the first
  // position they differ ("/standards/import" over "/standards/{id}").
  Match Find(std::string_view method, const std::vector<std::string>& segments) const;

  const std::vector<Route>& routes() const { return routes_; }
  // Adds every operation to doc["paths"] under "/api/v1" + path, and the
  // schemas to doc["components"]["schemas"].
  void Describe(nlohmann::json& doc) const;

 private:
  struct Pattern {
    std::vector<std::string> segments;  // "{name}" for a parameter
    std::vector<std::string> names;     // the parameters' names
  };
  static Pattern Parse(const std::string& path);
  // How well `p` matches `segments`: -1 when it does not, else higher for
  // literal segments earlier in the path.
  static long Score(const Pattern& p, const std::vector<std::string>& segments);

  std::vector<Route> routes_;
  std::vector<Pattern> patterns_;                                     // routes_[i]'s
  std::map<std::string, std::vector<size_t>, std::less<>> by_first_;  // first segment -> routes
  nlohmann::json schemas_ = nlohmann::json::object();
};

}  // namespace tandem::http

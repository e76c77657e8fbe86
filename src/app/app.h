// Wiring: one database, the built-in registry, the domain modules and their
// hooks, one engine, one auth service; and, to serve them, the API, the web
// UI and the HTTP server.
// main.cpp, the tests and the benchmarks all assemble Tandem through here.
#pragma once

#include <memory>
#include <string>

#include "auth/auth.h"
#include "core/clock.h"
#include "core/result.h"
#include "domains/module.h"
#include "http/server.h"
#include "records/engine.h"
#include "store/database.h"

namespace tandem::http {
class Api;
}
namespace tandem::web {
class Web;
}

namespace tandem::app {

struct App {
  std::unique_ptr<Clock> owned_clock;
  std::unique_ptr<store::Database> db;
  std::unique_ptr<records::Engine> engine;
  std::unique_ptr<auth::AuthService> auth;
  // The built-in modules; their hooks are the engine's. Destroyed before the
  // engine their read models use.
  std::vector<std::unique_ptr<domains::Module>> modules;
  bool served = false;  // Serve() was called
};

// What `tandem serve` runs over an App: the API (core routes and the
// modules'), the web UI (generic pages and the modules' sections, panels and
// hints) and the HTTP server in front of both (not yet bound).
struct Service {
  Service();
  ~Service();
  std::unique_ptr<http::Api> api;
  std::unique_ptr<web::Web> web;
  std::unique_ptr<http::Server> server;
};

// Opens `db_url` and migrates it. Fails, naming them, when the modules' code
// uses names the registry does not declare (domains::NameCheck). `clock` (optional, for tests) must
// outlive the App; without one the system clock is used.
Result<std::unique_ptr<App>> OpenApp(const std::string& db_url, const Clock* clock = nullptr,
                                     const store::OpenOptions& options = {},
                                     const auth::AuthOptions& auth_options = {});

// Asks every module of `app` to serve (once per App: their routes keep their
// state) and builds the API, the web UI and the server for `options`.
Result<std::unique_ptr<Service>> Serve(App& app, const http::ServerOptions& options);

// The OpenAPI document of everything a server serves, on a throwaway
// database (for `tandem openapi`).
Result<std::string> OpenApiDocument();

// Creates the built-in content that is missing: the standards' catalogs.
// `serve` and `demo` call it; `init` and `import` do not, so that an export
// can be imported into a database that `init` made (it brings the catalogs
// with it).
Status LoadBuiltinContent(App& app);

// Loads the built-in demo organization (content/demo/demo.json) into an empty
// database: groups, users (all with kDemoPassword) and records in one
// transaction; then the built-in catalogs, and the IMS elements' traces to
// their requirements. Returns the number of records created.
Result<int> LoadDemo(App& app);

// The demo users' password: the demo database is for trying Tandem out on
// one's own machine, never for real data.
inline constexpr const char* kDemoPassword = "Northbridge-Demo-2026";

}  // namespace tandem::app

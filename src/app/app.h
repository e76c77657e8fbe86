// Wiring: one database, the built-in registry and domain hooks, one engine,
// one auth service.
// main.cpp, the tests and the benchmarks all assemble Tandem through here.
#pragma once

#include <memory>
#include <string>

#include "auth/auth.h"
#include "core/clock.h"
#include "core/result.h"
#include "records/engine.h"
#include "store/database.h"

namespace tandem::app {

struct App {
  std::unique_ptr<Clock> owned_clock;
  std::unique_ptr<store::Database> db;
  std::unique_ptr<records::Engine> engine;
  std::unique_ptr<auth::AuthService> auth;
};

// Opens `db_url` and migrates it. `clock` (optional, for tests) must outlive
// the App; without one the system clock is used.
Result<std::unique_ptr<App>> OpenApp(const std::string& db_url, const Clock* clock = nullptr,
                                     const store::OpenOptions& options = {},
                                     const auth::AuthOptions& auth_options = {});

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

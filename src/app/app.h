// Wiring: one database, the built-in registry and domain hooks, one engine.
// main.cpp, the tests and the benchmarks all assemble Tandem through here.
#pragma once

#include <memory>
#include <string>

#include "core/clock.h"
#include "core/result.h"
#include "records/engine.h"
#include "store/database.h"

namespace tandem::app {

struct App {
  std::unique_ptr<Clock> owned_clock;
  std::unique_ptr<store::Database> db;
  std::unique_ptr<records::Engine> engine;
};

// Opens `db_url` and migrates it. `clock` (optional, for tests) must outlive
// the App; without one the system clock is used.
Result<std::unique_ptr<App>> OpenApp(const std::string& db_url, const Clock* clock = nullptr,
                                     const store::OpenOptions& options = {});

// Loads the built-in demo organization (content/demo/demo.json) into an empty
// database. Returns the number of records created.
Result<int> LoadDemo(records::Engine& engine);

}  // namespace tandem::app

// An OSCAL catalog upload (domains/standards/catalog_io.h ParseOscalCatalog).
// Properties: nothing crashes; a catalog that parses, written out as OSCAL
// and parsed again, is the same catalog.
#include <nlohmann/json.hpp>

#include "domains/standards/catalog_io.h"
#include "fuzz_input.h"

using namespace tandem;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto catalog = domains::ParseOscalCatalog(fuzz::AsText(data, size));
  if (!catalog.ok()) return 0;
  const std::string written = domains::ToOscalCatalog(*catalog, "2026-01-01T00:00:00Z")
                                  .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  auto again = domains::ParseOscalCatalog(written);
  if (!again.ok()) fuzz::Fail("a catalog written as OSCAL does not parse again");
  if (again->entries != catalog->entries) fuzz::Fail("an OSCAL round trip changes the entries");
  return 0;
}

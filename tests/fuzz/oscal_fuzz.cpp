// An OSCAL catalog upload (domains/standards/catalog_io.h ParseOscalCatalog).
// Properties: nothing crashes; a catalog that parses, written out as OSCAL
// and parsed again, has the same entries. Their order may change: OSCAL
// lists a level's controls before its groups, and a group without children
// is written as a control, so siblings that mix the two cannot keep theirs.
#include <algorithm>
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
  auto by_ref = [](const domains::CatalogEntry& a, const domains::CatalogEntry& b) {
    return a.ref < b.ref;
  };
  std::sort(catalog->entries.begin(), catalog->entries.end(), by_ref);
  std::sort(again->entries.begin(), again->entries.end(), by_ref);
  if (again->entries != catalog->entries) fuzz::Fail("an OSCAL round trip changes the entries");
  return 0;
}

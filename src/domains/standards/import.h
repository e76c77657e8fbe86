// Custom frameworks from outside: a catalog read by catalog_io (CSV or OSCAL)
// becomes a standard with its requirements, all or nothing.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>

#include "domains/standards/catalog_io.h"
#include "records/engine.h"

namespace tandem::domains {

enum class CatalogFormat { kCsv, kOscal };

// What the importer is told beside the file. Empty members keep what the
// file says (an OSCAL catalog names its key, title and version; a CSV file
// names nothing, so key and title are required for it).
struct FrameworkOptions {
  CatalogFormat format = CatalogFormat::kCsv;
  std::string key, title, edition, publisher;
  std::string management_system = "other";  // isms, sms, qms or other
  std::string source;                       // where the file came from, for the provenance
};

// The most entries one import takes. An import is one write transaction, and
// while it runs every other write waits: on the reference machine 15,000
// entries held the writer about 1.1 s (docs/performance.md, "Large
// frameworks"). Real catalogs are far smaller (NIST SP 800-53 rev 5: 1,209).
inline constexpr size_t kMaxFrameworkEntries = 20000;

// Parses `text` and creates, as `actor`, the standard (origin "imported",
// verification "unverified") and one requirement per entry, in one
// transaction: on any error nothing is created. Bad rows or entries are a
// kValidation error naming each ("line 7", "catalog.groups[3]"), and so is a
// catalog of more than kMaxFrameworkEntries entries; a taken key is
// kConflict naming it. Returns {"standard": record, "requirements": N,
// "withdrawn": M}.
Result<nlohmann::json> ImportFramework(records::Engine& engine, const records::Actor& actor,
                                       std::string_view text, const FrameworkOptions& options);

}  // namespace tandem::domains

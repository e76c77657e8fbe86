// The standards layer written out for people and other tools: the
// traceability matrix as CSV and XLSX, a standard as an OSCAL catalog, and
// the correspondences between two standards as an OSCAL mapping collection.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>

#include "domains/standards/catalog_io.h"
#include "domains/standards/queries.h"

namespace tandem::domains {

// One line per requirement: ref, title, kind, status, justification, the
// elements (number, title, extent, state; "; " between them) and the
// standards each also serves. Formula-looking text is neutralised (CsvLine).
std::string MatrixCsv(const SnapshotView& view, const Matrix& matrix);

// Sheets "Summary", "Matrix" (as the CSV) and "Shared elements".
Result<std::string> MatrixXlsx(const SnapshotView& view, const Matrix& matrix);

// The standard with its visible requirements in document order.
Catalog CatalogOf(const SnapshotView& view, const StandardEntry& standard);

// The correspondences in force between two standards (either direction,
// turned to run from `source` to `target`) as an OSCAL 1.2.1 mapping
// collection; kNotFound naming an unknown standard, kValidation when there is
// no correspondence between them.
Result<nlohmann::json> MappingCollection(const SnapshotView& view, const std::string& source,
                                         const std::string& target,
                                         const std::string& last_modified);

}  // namespace tandem::domains

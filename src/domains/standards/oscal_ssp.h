// A Statement of Applicability written as an OSCAL 1.2.1 system security
// plan: which controls apply to the ISMS and how far each is implemented.
// A pure function like the catalog writers (catalog_io.h): no database, no
// clock, so the same statement always gives the same document.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string_view>

#include "core/result.h"

namespace tandem::domains {

// The OSCAL document {"system-security-plan": {...}} for `statement`, a
// statement as SoaStatement returns it (soa.h): what its reader may see, so
// the document holds nothing the reader could not read. How each part is
// mapped is described at the top of oscal_ssp.cpp.
// `last_modified` must be an RFC 3339 date-time with a time zone.
// Errors (kValidation): a statement without its soa header, standard or
// rows, a row without a ref, and a statement with no entry at all (OSCAL
// requires at least one implemented requirement).
Result<nlohmann::json> ToOscalSsp(const nlohmann::json& statement, std::string_view last_modified);

}  // namespace tandem::domains

// The built-in catalogs (content/standards/catalogs/): ISO/IEC 27001:2013 and
// 2022, ISO/IEC 20000-1:2011 and 2018, ISO 9001:2015, identifiers and titles
// only, each with its provenance and verification status.
#pragma once

#include "core/result.h"
#include "records/engine.h"

namespace tandem::domains {

// Creates, as the system, every built-in standard and requirement that is not
// in the database yet. Idempotent and resumable: a start interrupted halfway,
// or a catalog that gains rows in a later release, is completed at the next
// start; what exists (and users' notes on it) is left alone. Reads only when
// nothing is missing, so it runs on a read-only replica too.
Status LoadBuiltinCatalogs(records::Engine& engine);

// The same for the built-in correspondences between those standards
// (correspondences.cpp); needs the catalogs loaded.
Status LoadBuiltinCorrespondences(records::Engine& engine);

}  // namespace tandem::domains

// Export and import: every record, link, custom field definition and audit
// event as JSON lines, so that import(export(db)) reproduces db exactly
// (including the audit chain) on either backend.
//
// Line 1 is a header {"format": "tandem-export", ...}; then one object per
// line with "kind": custom_field | record | link | audit. Idempotency keys are
// short-lived replay protection and are not exported.
#pragma once

#include <functional>
#include <iosfwd>
#include <string>

#include "core/result.h"
#include "records/engine.h"

namespace tandem::records {

// Called now and then with (done, total) so long runs can show progress.
using Progress = std::function<void(int64_t done, int64_t total)>;

// Writes everything from one consistent snapshot. Returns the lines written.
Result<int64_t> Export(Engine& engine, std::ostream& out, const Progress& progress = {});

// Inside a write transaction: fails with kConflict (ending in `advice`) unless
// the database holds no record and no audit event.
Status RequireEmpty(Engine& engine, store::Connection& c, const std::string& advice);

// Reads an export into an EMPTY database in one transaction: on any bad line
// nothing is imported and the error names the line. Returns lines read.
Result<int64_t> Import(Engine& engine, std::istream& in, int64_t total_lines = 0,
                       const Progress& progress = {});

}  // namespace tandem::records

// The Statement of Applicability (ISO/IEC 27001:2022 and 2013, 6.1.3 d)).
//
// A statement is a `soa` record (one version for one standard) with one
// `soa_entry` per control. While it is a draft its statement is worked out
// from the live records: the entries, the IMS elements traced to each control
// and the risks those controls or elements mitigate. Approving it checks that
// every control is decided and freezes that statement into the record, so an
// approved version reads the same forever (only need-to-know still applies:
// a reader sees no element, risk or entry they may not see today).
//
// A statement's JSON:
//   {soa:{id, number, title, revision, state, standard, approved_by, approved_at,
//         change_summary},
//    frozen, summary:{controls, applicable, not_applicable, implemented, partial,
//    planned, not_implemented, undecided, missing},
//    rows:[{ref, title, requirement, entry, applicability, reasons:[...],
//           justification, implementation, note, requirement_applicability,
//           elements:[{id, number, title, kind, state, extent}],
//           risks:[{id, number, title, state}]}],
//    missing:[refs of controls with no entry]}
// A row without an entry has entry, applicability and implementation null.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>

#include "records/engine.h"
#include "records/hooks.h"

namespace tandem::domains {

void RegisterSoaHooks(records::HookRegistry& hooks);

// The statement of SoA `id` as `actor` may see it; kNotFound as for the record.
Result<nlohmann::json> SoaStatement(records::Engine& engine, const records::Actor& actor,
                                    int64_t id);

// Adds an entry for every control of a draft's standard that has none, in one
// transaction. Each is copied from the latest approved version when there is
// one; otherwise applicability and justification come from the requirement and
// the inclusion reason "risk treatment" is set when the control, or an element
// implementing it, mitigates a risk. Implementation comes from the latest
// completed gap assessment when there is one, else from the copied entry, else
// from the traces (fully by an approved or operating element: implemented;
// partly: partial; only by draft elements: planned).
// Returns {created, copied_from, assessment}; kConflict when not a draft.
Result<nlohmann::json> PopulateSoa(records::Engine& engine, const records::Actor& actor,
                                   int64_t id);

// What changed from statement `from` to statement `to` (both of one
// standard), control by control: {from, to, summary:{added, removed, changed,
// unchanged}, changes:[{ref, title, change, fields:{name:{from, to}},
// elements:{added, removed}, risks:{added, removed}}]}.
Result<nlohmann::json> CompareSoas(records::Engine& engine, const records::Actor& actor,
                                   int64_t from, int64_t to);

// A statement as a spreadsheet: CSV (one row per control) or XLSX (a summary
// sheet and the statement).
std::string SoaCsv(const nlohmann::json& statement);
Result<std::string> SoaXlsx(const nlohmann::json& statement, const std::string& author);

}  // namespace tandem::domains

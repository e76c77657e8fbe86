// The governance domain (clauses 4-10 of the shared high level structure):
// its hooks, and the views worked out from its records.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>

#include "core/report.h"
#include "core/result.h"
#include "records/engine.h"
#include "records/hooks.h"

namespace tandem::domains {

// --- measures (measures.cpp) -----------------------------------------------------

// The status of a measure from its latest value, target, warning threshold and
// direction ("no_data" without a value), and when its next measurement is due
// (its latest date plus one period of its frequency). Sets both in `measure`.
void ComputeMeasureStatus(nlohmann::json& measure);
// "on_target", "warning" or "off_target" for `value` under `measure`.
std::string MeasurementStatus(const nlohmann::json& measure, double value);
// A line chart of the measure's values (oldest first) against its target.
Result<std::string> MeasureChart(records::Engine& engine, const records::Actor& actor,
                                 int64_t measure_id);

// --- audits (audits.cpp) ---------------------------------------------------------

// The audit's hooks: independence of the auditors, its scope's standards,
// what a checklist item records, and the nonconformity or improvement a
// finding raises.
void RegisterAuditHooks(records::HookRegistry& hooks);
// Adds a checklist item for every requirement in the audit's scope that has
// none yet, all or nothing. {"created", "items"}.
Result<nlohmann::json> GenerateChecklist(records::Engine& engine, const records::Actor& actor,
                                         int64_t audit_id);
// The audit report: scope, checklist results, findings and what they raised.
Result<Report> AuditReport(records::Engine& engine, const records::Actor& actor, int64_t audit_id);

// --- management review (review_pack.cpp) -------------------------------------------

// The input pack of a review (ISO/IEC 27001 9.3.2, ISO/IEC 20000-1 9.3, ISO
// 9001 9.3.2), compiled from the live records of its period as `actor` sees
// them, need-to-know records left out: {"review", "sections": [{"key",
// "title", "systems", "figures": [{"label", "value"}], "rows": {"columns",
// "items"}, "missing"}], "missing": [{"input", "why"}]}. An input that has no
// data is listed as missing with the reason, never dropped.
Result<nlohmann::json> CompileReviewPack(records::Engine& engine, const records::Actor& actor,
                                         int64_t review_id);
// The pack a reader gets: the one frozen when the review was closed, else
// compiled now.
Result<nlohmann::json> ReviewPack(records::Engine& engine, const records::Actor& actor,
                                  int64_t review_id);
// The pack as a printable report.
Report ReviewPackReport(const nlohmann::json& pack);
// The hook that freezes the pack when a review is closed.
void RegisterReviewHooks(records::HookRegistry& hooks, records::Engine* const* engine);

// --- people and documents (people.cpp) ---------------------------------------------

// A person's required competences (those their role requires) and how each
// is held: {"person", "role", "competences": [{"competence", "status":
// valid|expiring|expired|missing, "record", "expires_on"}], "gaps"}.
Result<nlohmann::json> CompetenceOf(records::Engine& engine, const records::Actor& actor,
                                    int64_t person_id);
// Human capacity per team (ISO/IEC 27013 6.3.4): active people, full-time
// equivalents and competence gaps of each organizational unit.
Result<nlohmann::json> TeamCapacity(records::Engine& engine, const records::Actor& actor);
// Who acknowledged the version in force of a document, and who still has to.
Result<nlohmann::json> Acknowledgements(records::Engine& engine, const records::Actor& actor,
                                        int64_t document_id);

}  // namespace tandem::domains

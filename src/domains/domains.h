// What the domains share: their hooks, and helpers for hooks and views.
// Each domain plugs in through its module (domains/module.h).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "records/engine.h"
#include "records/hooks.h"

namespace tandem::domains {

// Each domain's hooks; its module (domains/X/module.cpp) registers them.
void RegisterStandardsHooks(records::HookRegistry& hooks);
void RegisterRiskHooks(records::HookRegistry& hooks);
void RegisterOperationsHooks(records::HookRegistry& hooks);
void RegisterDeliveryHooks(records::HookRegistry& hooks);
void RegisterGovernanceHooks(records::HookRegistry& hooks);

// Helpers shared by the hooks: a field is "set" when present and not blank.
bool IsSet(const nlohmann::json& record, const char* field);
Error MissingFields(const std::string& action, std::vector<FieldError> errors);

// What the evidence behind a claim says on `today` (ISO dates), as the audit
// checklist, the traceability matrix and the Statement of Applicability tell
// it: "current" when some item is current and within its validity, "expired"
// when there is evidence but none holds any more (past valid_until, or
// superseded), "missing" when there is none. Requested and withdrawn items
// are no evidence.
class EvidenceTally {
 public:
  void Add(std::string_view state, std::string_view valid_until, std::string_view today);
  const char* Status() const { return current_ ? "current" : any_ ? "expired" : "missing"; }

 private:
  bool any_ = false, current_ = false;
};

// Every record of `type_name` that `actor` may read and `params` (list
// parameters, e.g. filter[standard]) select, all pages; archived ones too
// when asked.
Result<std::vector<nlohmann::json>> ListAll(records::Engine& engine, const records::Actor& actor,
                                            const char* type_name,
                                            std::multimap<std::string, std::string> params = {},
                                            bool include_archived = false);

}  // namespace tandem::domains

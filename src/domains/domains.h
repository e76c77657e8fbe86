// Domain behaviour beyond generic records, attached to the engine as hooks.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "records/engine.h"
#include "records/hooks.h"

namespace tandem::domains {

// Every built-in domain's hooks.
records::HookRegistry BuiltinHooks();

void RegisterStandardsHooks(records::HookRegistry& hooks);
void RegisterRiskHooks(records::HookRegistry& hooks);
void RegisterOperationsHooks(records::HookRegistry& hooks);
void RegisterDeliveryHooks(records::HookRegistry& hooks);
void RegisterGovernanceHooks(records::HookRegistry& hooks);

// Helpers shared by the hooks: a field is "set" when present and not blank.
bool IsSet(const nlohmann::json& record, const char* field);
Error MissingFields(const std::string& action, std::vector<FieldError> errors);

// Every record of `type_name` that `actor` may read and `params` (list
// parameters, e.g. filter[standard]) select, all pages; archived ones too
// when asked.
Result<std::vector<nlohmann::json>> ListAll(records::Engine& engine, const records::Actor& actor,
                                            const char* type_name,
                                            std::multimap<std::string, std::string> params = {},
                                            bool include_archived = false);

}  // namespace tandem::domains

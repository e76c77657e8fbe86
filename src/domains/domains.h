// Domain behaviour beyond generic records, attached to the engine as hooks.
#pragma once

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

}  // namespace tandem::domains

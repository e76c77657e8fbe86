#include "domains/domains.h"

#include <nlohmann/json.hpp>

namespace tandem::domains {

records::HookRegistry BuiltinHooks() {
  records::HookRegistry hooks;
  RegisterStandardsHooks(hooks);
  RegisterRiskHooks(hooks);
  RegisterOperationsHooks(hooks);
  RegisterDeliveryHooks(hooks);
  RegisterGovernanceHooks(hooks);
  return hooks;
}

bool IsSet(const nlohmann::json& r, const char* field) {
  auto it = r.find(field);
  if (it == r.end() || it->is_null()) return false;
  if (it->is_string())
    return it->get_ref<const std::string&>().find_first_not_of(" \t\r\n") != std::string::npos;
  if (it->is_boolean()) return it->get<bool>();
  return true;
}

Error MissingFields(const std::string& action, std::vector<FieldError> errors) {
  return MakeError(ErrorCode::kValidation, action + " needs more information first",
                   std::move(errors));
}

}  // namespace tandem::domains

#include "domains/domains.h"

#include <nlohmann/json.hpp>

namespace tandem::domains {

bool IsSet(const nlohmann::json& r, const char* field) {
  auto it = r.find(field);
  if (it == r.end() || it->is_null()) return false;
  if (it->is_string())
    return it->get_ref<const std::string&>().find_first_not_of(" \t\r\n") != std::string::npos;
  if (it->is_boolean()) return it->get<bool>();
  return true;
}

void EvidenceTally::Add(std::string_view state, std::string_view valid_until,
                        std::string_view today) {
  if (state == "requested" || state == "withdrawn") return;
  any_ = true;
  current_ |= state == "current" && (valid_until.empty() || valid_until >= today);
}

Error MissingFields(const std::string& action, std::vector<FieldError> errors) {
  return MakeError(ErrorCode::kValidation, action + " needs more information first",
                   std::move(errors));
}

Result<std::vector<nlohmann::json>> ListAll(records::Engine& engine, const records::Actor& actor,
                                            const char* type_name,
                                            std::multimap<std::string, std::string> params,
                                            bool include_archived) {
  const auto& type = *engine.registry().Find(type_name);
  std::vector<nlohmann::json> out;
  std::string after;
  params.emplace("limit", "500");
  do {
    auto page_params = params;
    if (!after.empty()) page_params.emplace("after", after);
    TANDEM_ASSIGN_OR_RETURN(auto query, engine.ParseList(type, page_params));
    query.include_archived = include_archived;
    TANDEM_ASSIGN_OR_RETURN(auto page, engine.List(actor, type, query));
    for (auto& r : page.items) out.push_back(std::move(r));
    after = page.next_cursor;
  } while (!after.empty());
  return out;
}

}  // namespace tandem::domains

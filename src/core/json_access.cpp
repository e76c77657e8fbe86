#include "core/json_access.h"

#include <nlohmann/json.hpp>

namespace tandem {

const nlohmann::json& At(const nlohmann::json& j, const char* key) {
  static const nlohmann::json kNull;
  if (!j.is_object()) return kNull;
  auto it = j.find(key);
  return it != j.end() ? *it : kNull;
}

std::string Str(const nlohmann::json& j, const char* key) {
  const auto& v = At(j, key);
  return v.is_string() ? v.get<std::string>() : std::string();
}

int64_t Int(const nlohmann::json& j, const char* key) {
  const auto& v = At(j, key);
  return v.is_number_integer() ? v.get<int64_t>() : 0;
}

bool Flag(const nlohmann::json& j, const char* key) {
  const auto& v = At(j, key);
  return v.is_boolean() && v.get<bool>();
}

}  // namespace tandem

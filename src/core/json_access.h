// Reading members of JSON objects without exceptions, as views and indexes
// read stored records: a member that is absent, or of another type, reads as
// empty.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>

namespace tandem {

// j[key]; null when j is no object or lacks it.
const nlohmann::json& At(const nlohmann::json& j, const char* key);
// j[key] when it is a string, else "".
std::string Str(const nlohmann::json& j, const char* key);
// j[key] when it is an integer, else 0.
int64_t Int(const nlohmann::json& j, const char* key);
// j[key] when it is true, else false.
bool Flag(const nlohmann::json& j, const char* key);

}  // namespace tandem

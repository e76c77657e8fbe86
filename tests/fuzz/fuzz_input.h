// Helpers shared by the fuzz targets: splitting one fuzz input into the
// parts a target needs, so that seed files stay readable text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>
#include <utility>

#include "model/registry.h"

namespace tandem::fuzz {

inline std::string_view AsText(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// The text up to the first newline, and what follows it.
inline std::pair<std::string_view, std::string_view> FirstLine(std::string_view text) {
  const size_t nl = text.find('\n');
  if (nl == std::string_view::npos) return {text, {}};
  return {text.substr(0, nl), text.substr(nl + 1)};
}

// The record type `name` names, or else one picked by its hash, so that
// every input reaches some type's declaration.
inline const model::RecordType& TypeNamed(std::string_view name) {
  const model::Registry& registry = model::BuiltinRegistry();
  if (const model::RecordType* type = registry.Find(name)) return *type;
  return registry.types()[std::hash<std::string_view>()(name) % registry.types().size()];
}

// Stops the run with a report, so libFuzzer saves the input as a crash.
[[noreturn]] inline void Fail(const char* what) {
  __builtin_fprintf(stderr, "fuzz property violated: %s\n", what);
  __builtin_trap();
}

}  // namespace tandem::fuzz

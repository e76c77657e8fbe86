// Helpers shared by the fuzz targets: splitting one fuzz input into the
// parts a target needs, so that seed files stay readable text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

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

// Stops the run with a report, so libFuzzer saves the input as a crash.
[[noreturn]] inline void Fail(const char* what) {
  __builtin_fprintf(stderr, "fuzz property violated: %s\n", what);
  __builtin_trap();
}

}  // namespace tandem::fuzz

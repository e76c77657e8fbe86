// Writing JSON text directly into a string, for large answers where building
// a nlohmann::json tree, serializing and freeing it would cost far more than
// the text (the traceability matrix, docs/performance.md). The output is what
// nlohmann::json's dump() (compact, ensure_ascii off, invalid UTF-8 replaced)
// writes for the same value, so the two can be mixed and compared.
#pragma once

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

namespace tandem {

// Appends `s` as a JSON string: quotes, backslashes and control characters
// escaped (\b \f \n \r \t, else \u00XX), valid UTF-8 as it is, and each
// ill-formed UTF-8 sequence replaced by U+FFFD as json::dump() with
// error_handler_t::replace does.
void AppendJsonString(std::string& out, std::string_view s);

// `s` as a JSON string, or null when it is empty.
inline void AppendJsonStringOrNull(std::string& out, std::string_view s) {
  if (s.empty())
    out += "null";
  else
    AppendJsonString(out, s);
}

inline void AppendJsonInt(std::string& out, int64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

}  // namespace tandem

// UTF-8 checks for text that arrives outside JSON (form fields, query
// strings): the JSON parser refuses ill-formed UTF-8 itself, a form decoder
// does not.
#pragma once

#include <string_view>

namespace tandem {

// True when `s` is well-formed UTF-8 (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF).
bool IsValidUtf8(std::string_view s);

// The longest prefix of `s` of at most `max_bytes` that does not end inside
// a character (for cutting user input to a column's length).
std::string_view TruncateUtf8(std::string_view s, size_t max_bytes);

}  // namespace tandem

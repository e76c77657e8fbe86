// URL pieces written once: percent-encoding and path segments.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tandem {

// `s` percent-encoded (RFC 3986): unreserved characters (letters, digits,
// '-', '.', '_', '~') and those in `keep` stay, every other byte becomes %XX.
// For a query value or a path segment; keep ":@" for an OSCAL href segment.
std::string PercentEncode(std::string_view s, std::string_view keep = "");

// The non-empty segments of a URL path: "/a//b/" gives {"a", "b"}.
std::vector<std::string> PathSegments(std::string_view path);

}  // namespace tandem

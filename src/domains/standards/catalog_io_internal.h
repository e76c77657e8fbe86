// What the catalog readers and writers share (catalog_io.cpp): the checks
// every entry passes, and how a catalog is laid out as OSCAL groups and
// controls. Not part of the API.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "domains/standards/catalog_io.h"

namespace tandem::domains::catalog_io {

inline constexpr char kOscalVersion[] = "1.2.1";

// Number of UTF-8 code points in `s` (bytes that do not continue a sequence).
size_t CodePoints(std::string_view s);

// `s` without leading and trailing spaces, tabs and line ends.
std::string Trim(std::string_view s);

// The problems with an entry's ref and title, as messages: empty ref, too
// long, a line break. Empty when they are fine.
std::vector<std::string> CheckRefAndTitle(std::string_view ref, std::string_view title);

// A UUID derived from `name` (SHA-256, the first 16 bytes), with the version
// and variant bits of an RFC 4122 version 5 UUID so that OSCAL's pattern
// accepts it. Same name, same UUID.
std::string DerivedUuid(std::string_view name);

// `s` on one line: each run of whitespace becomes one space, none at either
// end (OSCAL's string type allows neither line breaks nor outer spaces).
std::string OneLine(std::string_view s);

// How ToOscalCatalog writes a catalog: entries by index into
// Catalog::entries.
struct OscalLayout {
  std::vector<std::string> ids;               // unique OSCAL ids
  std::vector<bool> is_group;                 // written as a group, else a control
  std::vector<std::vector<size_t>> children;  // in document order
  std::vector<size_t> roots;                  // top-level entries, document order
  std::map<std::string, size_t> by_ref;
};
OscalLayout LayOut(const Catalog& catalog);

}  // namespace tandem::domains::catalog_io

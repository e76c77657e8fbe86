// RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line
// breaks. Each row keeps the line it starts on, so that an import can say
// exactly which line is wrong.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace tandem {

struct CsvRow {
  int line = 0;  // 1-based line of the row's first character
  std::vector<std::string> fields;
};

// Parses `text` (UTF-8; LF or CRLF line ends; an optional UTF-8 byte-order
// mark). Blank lines are skipped. An unterminated quote, or text after a
// closing quote, is a kBadRequest naming the line.
Result<std::vector<CsvRow>> ParseCsv(std::string_view text);

// One RFC 4180 line (ending in CRLF) for a file opened in a spreadsheet:
// fields with commas, quotes or line breaks are quoted, and a field that a
// spreadsheet would run as a formula (starting with = + - @, tab or CR) is
// prefixed with an apostrophe, so exported text cannot inject formulas.
std::string CsvLine(const std::vector<std::string>& fields);

}  // namespace tandem

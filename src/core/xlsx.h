// Excel workbooks (.xlsx) for exports: one worksheet per table, readable as
// is by people who live in spreadsheets. Built on libxlsxwriter, which stays
// out of this header.
#pragma once

#include <concepts>
#include <cstdint>
#include <ctime>
#include <string>
#include <variant>
#include <vector>

#include "core/result.h"

namespace tandem {

// One cell: empty, text or a number. Text is always stored as text: a value
// such as "=1+1", "@SUM(A1)" or "+44 20" is never turned into a formula or a
// number, so exporting user-entered fields cannot inject formulas.
struct XlsxCell {
  std::variant<std::monostate, std::string, double> value;

  XlsxCell() = default;
  XlsxCell(std::string s) : value(std::move(s)) {}    // NOLINT: implicit for tables of cells
  XlsxCell(const char* s) : value(std::string(s)) {}  // NOLINT
  XlsxCell(double d) : value(d) {}                    // NOLINT
  template <std::integral I>
  XlsxCell(I i) : value(static_cast<double>(i)) {}  // NOLINT: exact above 2^53 it is not
};

struct XlsxSheet {
  std::string name;                         // made valid for Excel, see WriteXlsx
  std::vector<std::string> header;          // the first row; empty for none
  std::vector<std::vector<XlsxCell>> rows;  // rows may be ragged
  std::vector<double> widths;               // column widths in characters; <= 0 or missing: default
};

struct XlsxProperties {
  std::string title;
  std::string author;
  std::time_t created = 0;  // creation time shown by Excel; 0 = now (set it for identical bytes)
};

// The bytes of an .xlsx workbook with one worksheet per sheet, in order. A
// non-empty header is written in bold as the first row, frozen, with an
// autofilter over the header's columns and all rows. No sheets: one empty
// sheet, as Excel needs one.
//
// Sheet names are made valid for Excel rather than rejected: the characters
// []:*?/\ and control characters become "_", leading and trailing apostrophes
// are dropped, an empty name becomes "Sheet<n>", "History" (reserved by Excel)
// becomes "History_", names are cut to 31 UTF-16 units, and a name equal to an
// earlier one (ignoring ASCII case) gets a " (2)", " (3)", ... suffix.
//
// Errors: kBadRequest for content Excel cannot hold (invalid UTF-8, a
// non-finite number, a string over 32,767 characters, too many rows or
// columns), naming the sheet, row and column; kInternal when the temporary
// file cannot be written or read. Library errors carry libxlsxwriter's message.
//
// Not pure in one respect: libxlsxwriter 1.1.4 can only write to a file, so the
// workbook goes through a private temporary file in $TMPDIR (or /tmp), which
// is removed before returning, on every path.
Result<std::string> WriteXlsx(const std::vector<XlsxSheet>& sheets, const XlsxProperties& props);

// The sheet names WriteXlsx gives `names`, by the rules above; exposed for
// callers that link to a sheet by name and for tests.
std::vector<std::string> XlsxSheetNames(const std::vector<std::string>& names);

}  // namespace tandem

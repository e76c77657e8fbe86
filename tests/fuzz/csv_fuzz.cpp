// CSV as imports read it (core/csv.h), and a framework catalog in CSV
// (domains/standards/catalog_io.h). Properties: nothing crashes; a parsed
// file written back with CsvLine parses to the same rows, except that a
// field a spreadsheet would run as a formula comes back with the apostrophe
// CsvLine puts before it.
#include <string>

#include "core/csv.h"
#include "domains/standards/catalog_io.h"
#include "fuzz_input.h"

using namespace tandem;

namespace {

std::string AsExported(const std::string& field) {
  if (!field.empty() && std::string_view("=+-@\t\r").find(field[0]) != std::string_view::npos)
    return "'" + field;
  return field;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = fuzz::AsText(data, size);
  auto rows = ParseCsv(text);
  if (rows.ok()) {
    // A byte-order mark first, as a spreadsheet writes it: the parser
    // takes one off, so a first field that starts with one keeps it.
    std::string again = "\xEF\xBB\xBF";
    for (const auto& row : *rows) again += CsvLine(row.fields) + "\n";
    auto reparsed = ParseCsv(again);
    if (!reparsed.ok()) fuzz::Fail("CSV written from parsed rows does not parse");
    if (reparsed->size() != rows->size()) fuzz::Fail("CSV round trip changes the row count");
    for (size_t i = 0; i < rows->size(); ++i) {
      const auto& before = (*rows)[i].fields;
      const auto& after = (*reparsed)[i].fields;
      if (after.size() != before.size()) fuzz::Fail("CSV round trip changes a row's length");
      for (size_t f = 0; f < before.size(); ++f)
        if (after[f] != AsExported(before[f])) fuzz::Fail("CSV round trip changes a field");
    }
  }
  (void)domains::ParseCsvCatalog(text);
  return 0;
}

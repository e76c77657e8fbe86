#include "core/csv.h"

namespace tandem {

Result<std::vector<CsvRow>> ParseCsv(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  std::vector<CsvRow> rows;
  CsvRow row;
  std::string field;
  int line = 1;
  bool quoted = false;      // inside a quoted field
  bool was_quoted = false;  // the current field was quoted (and has closed)
  bool row_started = false;
  auto end_field = [&] {
    row.fields.push_back(std::move(field));
    field.clear();
    was_quoted = false;
  };
  auto end_row = [&] {
    end_field();
    // A blank line is one empty, unquoted field: not a row.
    if (!(row.fields.size() == 1 && row.fields[0].empty())) rows.push_back(std::move(row));
    row = CsvRow{};
    row_started = false;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    if (!row_started) {
      row.line = line;
      row_started = true;
    }
    if (quoted) {
      if (ch == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (ch == '"') {
        quoted = false;
        was_quoted = true;
      } else {
        if (ch == '\n') ++line;
        field += ch;
      }
      continue;
    }
    if (ch == '"' && field.empty() && !was_quoted) {
      quoted = true;
    } else if (ch == ',') {
      end_field();
    } else if (ch == '\n' || (ch == '\r' && i + 1 < text.size() && text[i + 1] == '\n')) {
      if (ch == '\r') ++i;
      end_row();
      ++line;
    } else if (was_quoted) {
      return MakeError(ErrorCode::kBadRequest,
                       "line " + std::to_string(line) + ": text after a closing quote");
    } else {
      field += ch;
    }
  }
  if (quoted)
    return MakeError(ErrorCode::kBadRequest,
                     "line " + std::to_string(row.line) + ": a quoted field is not closed");
  if (row_started) end_row();
  return rows;
}

std::string CsvLine(const std::vector<std::string>& fields) {
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) out += ',';
    std::string f = fields[i];
    if (!f.empty() && std::string_view("=+-@\t\r").find(f[0]) != std::string_view::npos)
      f.insert(0, "'");
    if (f.find_first_of(",\"\r\n") == std::string::npos) {
      out += f;
      continue;
    }
    out += '"';
    for (char c : f) {
      if (c == '"') out += '"';
      out += c;
    }
    out += '"';
  }
  return out + "\r\n";
}

}  // namespace tandem

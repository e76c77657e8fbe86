#include "core/xlsx.h"

#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <optional>
#include <set>
#include <string_view>

namespace tandem {
namespace {

// Excel's limit on sheet names, counted in UTF-16 units.
constexpr size_t kMaxSheetName = 31;

// Decodes strict UTF-8 (no overlongs, surrogates or values past U+10FFFF).
std::optional<std::vector<char32_t>> DecodeUtf8(std::string_view s) {
  std::vector<char32_t> out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    int n = b < 0x80 ? 0 : (b >> 5) == 0x6 ? 1 : (b >> 4) == 0xE ? 2 : (b >> 3) == 0x1E ? 3 : -1;
    if (n < 0 || s.size() - i <= static_cast<size_t>(n))
      return std::nullopt;  // bad lead or cut short
    char32_t cp = n == 0 ? b : n == 1 ? (b & 0x1F) : n == 2 ? (b & 0x0F) : (b & 0x07);
    for (int k = 1; k <= n; ++k) {
      const auto c = static_cast<unsigned char>(s[i + k]);
      if ((c & 0xC0) != 0x80) return std::nullopt;
      cp = (cp << 6) | (c & 0x3F);
    }
    static constexpr char32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
    out.push_back(cp);
    i += n + 1;
  }
  return out;
}

void AppendUtf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Keeps whole characters while their UTF-16 length fits `max` (Excel counts
// a character outside the BMP as two).
std::string Encode(const std::vector<char32_t>& cps, size_t max) {
  std::string out;
  size_t units = 0;
  for (char32_t cp : cps) {
    units += cp >= 0x10000 ? 2 : 1;
    if (units > max) break;
    AppendUtf8(out, cp);
  }
  return out;
}

std::string AsciiLower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

// One name by the rules in the header, before de-duplication. Invalid UTF-8
// bytes are replaced like forbidden characters: a sheet name is a label, not
// data, so it is repaired rather than refused.
std::vector<char32_t> CleanSheetName(const std::string& name, size_t index) {
  std::vector<char32_t> cps;
  if (auto decoded = DecodeUtf8(name)) {
    cps = std::move(*decoded);
  } else {
    for (char c : name) cps.push_back(static_cast<unsigned char>(c) < 0x80 ? c : U'_');
  }
  for (char32_t& cp : cps) {
    if (cp < 0x20 || cp == 0x7F ||
        std::u32string_view(U"[]:*?/\\").find(cp) != std::u32string_view::npos)
      cp = U'_';
  }
  auto trim = [](std::vector<char32_t>& v) {
    while (!v.empty() && v.front() == U'\'') v.erase(v.begin());
    while (!v.empty() && v.back() == U'\'') v.pop_back();
  };
  trim(cps);
  if (cps.empty()) {
    const std::string fallback = "Sheet" + std::to_string(index + 1);
    cps.assign(fallback.begin(), fallback.end());
  }
  if (AsciiLower(Encode(cps, SIZE_MAX)) == "history") cps.push_back(U'_');
  // Cut, then trim again: the cut may leave an apostrophe at the end.
  std::string cut = Encode(cps, kMaxSheetName);
  cps = *DecodeUtf8(cut);
  trim(cps);
  return cps;
}

Error LibraryError(lxw_error err, const std::string& where) {
  const ErrorCode code =
      (err == LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED ||
       err == LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE ||
       err == LXW_ERROR_SHEETNAME_LENGTH_EXCEEDED || err == LXW_ERROR_INVALID_SHEETNAME_CHARACTER ||
       err == LXW_ERROR_SHEETNAME_START_END_APOSTROPHE || err == LXW_ERROR_SHEETNAME_ALREADY_USED)
          ? ErrorCode::kBadRequest
          : ErrorCode::kInternal;
  return MakeError(code, "xlsx: " + where + ": " + lxw_strerror(err));
}

std::string CellName(const std::string& sheet, size_t row, size_t col) {
  return "sheet \"" + sheet + "\" row " + std::to_string(row + 1) + " column " +
         std::to_string(col + 1);
}

// The temporary file the library writes; removed when this goes out of scope.
class TempFile {
 public:
  static Result<TempFile> Create() {
    const char* dir = std::getenv("TMPDIR");
    std::string path = std::string(dir && *dir ? dir : "/tmp") + "/tandem-xlsx-XXXXXX";
    const int fd = mkstemp(path.data());
    if (fd < 0)
      return MakeError(ErrorCode::kInternal, "xlsx: cannot create a temporary file: " +
                                                 std::string(std::strerror(errno)));
    close(fd);
    return TempFile(std::move(path));
  }
  TempFile(TempFile&& o) noexcept : path_(std::move(o.path_)) { o.path_.clear(); }
  TempFile& operator=(TempFile&&) = delete;
  ~TempFile() {
    if (!path_.empty()) unlink(path_.c_str());
  }
  const std::string& path() const { return path_; }

 private:
  explicit TempFile(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

// Writes one sheet's cells; the first failure wins.
Status WriteSheet(lxw_worksheet* ws, const XlsxSheet& sheet, const std::string& name,
                  lxw_format* bold) {
  const size_t offset = sheet.header.empty() ? 0 : 1;
  if (sheet.rows.size() + offset > LXW_ROW_MAX)
    return MakeError(ErrorCode::kBadRequest,
                     "xlsx: sheet \"" + name + "\" has more rows than Excel allows");
  for (size_t c = 0; c < sheet.header.size(); ++c) {
    if (!DecodeUtf8(sheet.header[c]))
      return MakeError(ErrorCode::kBadRequest, "xlsx: " + CellName(name, 0, c) + ": invalid UTF-8");
    lxw_error err =
        worksheet_write_string(ws, 0, static_cast<lxw_col_t>(std::min<size_t>(c, LXW_COL_MAX)),
                               sheet.header[c].c_str(), bold);
    if (err != LXW_NO_ERROR) return LibraryError(err, CellName(name, 0, c));
  }
  for (size_t r = 0; r < sheet.rows.size(); ++r) {
    const auto row = static_cast<lxw_row_t>(r + offset);
    for (size_t c = 0; c < sheet.rows[r].size(); ++c) {
      const auto& v = sheet.rows[r][c].value;
      if (std::holds_alternative<std::monostate>(v)) continue;
      // Beyond lxw_col_t's range the library would see a wrapped column;
      // clamp so it reports "out of range" instead of writing elsewhere.
      const auto col = static_cast<lxw_col_t>(std::min<size_t>(c, LXW_COL_MAX));
      lxw_error err = LXW_NO_ERROR;
      if (const auto* s = std::get_if<std::string>(&v)) {
        if (!DecodeUtf8(*s))
          return MakeError(ErrorCode::kBadRequest,
                           "xlsx: " + CellName(name, row, c) + ": invalid UTF-8");
        // worksheet_write_string stores a shared string whatever it looks
        // like; only worksheet_write_formula makes formulas.
        err = worksheet_write_string(ws, row, col, s->c_str(), nullptr);
      } else {
        const double d = std::get<double>(v);
        if (!std::isfinite(d))
          return MakeError(ErrorCode::kBadRequest,
                           "xlsx: " + CellName(name, row, c) + ": not a finite number");
        err = worksheet_write_number(ws, row, col, d, nullptr);
      }
      if (err != LXW_NO_ERROR) return LibraryError(err, CellName(name, row, c));
    }
  }
  for (size_t c = 0; c < sheet.widths.size() && c < LXW_COL_MAX; ++c) {
    if (sheet.widths[c] <= 0 || !std::isfinite(sheet.widths[c])) continue;
    const auto col = static_cast<lxw_col_t>(c);
    lxw_error err = worksheet_set_column(ws, col, col, sheet.widths[c], nullptr);
    if (err != LXW_NO_ERROR) return LibraryError(err, "sheet \"" + name + "\" column widths");
  }
  if (!sheet.header.empty()) {
    worksheet_freeze_panes(ws, 1, 0);
    const auto last_col =
        static_cast<lxw_col_t>(std::min<size_t>(sheet.header.size(), LXW_COL_MAX) - 1);
    lxw_error err =
        worksheet_autofilter(ws, 0, 0, static_cast<lxw_row_t>(sheet.rows.size()), last_col);
    if (err != LXW_NO_ERROR) return LibraryError(err, "sheet \"" + name + "\" autofilter");
  }
  return Status::Ok();
}

}  // namespace

std::vector<std::string> XlsxSheetNames(const std::vector<std::string>& names) {
  std::vector<std::string> out;
  std::set<std::string> taken;  // ASCII-lowercased, as Excel compares names
  for (size_t i = 0; i < names.size(); ++i) {
    const std::vector<char32_t> base = CleanSheetName(names[i], i);
    std::string name = Encode(base, kMaxSheetName);
    for (int n = 2; taken.count(AsciiLower(name)); ++n) {
      const std::string suffix = " (" + std::to_string(n) + ")";
      std::vector<char32_t> head = *DecodeUtf8(Encode(base, kMaxSheetName - suffix.size()));
      name = Encode(head, SIZE_MAX) + suffix;
    }
    taken.insert(AsciiLower(name));
    out.push_back(std::move(name));
  }
  return out;
}

Result<std::string> WriteXlsx(const std::vector<XlsxSheet>& sheets, const XlsxProperties& props) {
  TANDEM_ASSIGN_OR_RETURN(TempFile file, TempFile::Create());
  // The library's own scratch files go next to ours rather than wherever
  // tmpfile() puts them.
  std::string tmpdir = file.path().substr(0, file.path().rfind('/'));
  lxw_workbook_options options{};
  options.tmpdir = tmpdir.data();
  lxw_workbook* wb = workbook_new_opt(file.path().c_str(), &options);
  if (!wb) return MakeError(ErrorCode::kInternal, "xlsx: cannot create the workbook");

  // workbook_close both writes and frees; on an error path it is still
  // called (to free) and its output is thrown away with the file.
  Status status = Status::Ok();
  std::string title = props.title, author = props.author;
  lxw_doc_properties doc{};
  doc.title = title.data();
  doc.author = author.data();
  doc.created = props.created;
  if (!DecodeUtf8(title) || !DecodeUtf8(author)) {
    status = MakeError(ErrorCode::kBadRequest, "xlsx: invalid UTF-8 in the document properties");
  } else if (lxw_error err = workbook_set_properties(wb, &doc); err != LXW_NO_ERROR) {
    status = LibraryError(err, "document properties");
  }

  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  std::vector<std::string> names;
  for (const auto& s : sheets) names.push_back(s.name);
  names = XlsxSheetNames(names);
  for (size_t i = 0; status.ok() && i < sheets.size(); ++i) {
    if (lxw_error err = workbook_validate_sheet_name(wb, names[i].c_str()); err != LXW_NO_ERROR) {
      status = LibraryError(err, "sheet name \"" + names[i] + "\"");
      break;
    }
    lxw_worksheet* ws = workbook_add_worksheet(wb, names[i].c_str());
    if (!ws) {
      status = MakeError(ErrorCode::kInternal, "xlsx: cannot add sheet \"" + names[i] + "\"");
      break;
    }
    status = WriteSheet(ws, sheets[i], names[i], bold);
  }
  if (status.ok() && sheets.empty()) workbook_add_worksheet(wb, nullptr);  // Excel needs one sheet
  const lxw_error closed = workbook_close(wb);
  if (!status.ok()) return status.error();
  if (closed != LXW_NO_ERROR) return LibraryError(closed, "writing the workbook");

  std::ifstream in(file.path(), std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof())
    return MakeError(ErrorCode::kInternal, "xlsx: cannot read back the workbook");
  return bytes;
}

}  // namespace tandem

// The shared pieces of catalog_io (entry checks, OSCAL ids, layout, derived
// UUIDs) and the CSV reader. The OSCAL reader and writers are in
// oscal_catalog.cpp and oscal_mapping.cpp.
#include "domains/standards/catalog_io.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <set>

#include "core/csv.h"
#include "core/hash.h"
#include "core/utf8.h"
#include "domains/standards/catalog_io_internal.h"

namespace tandem::domains {

namespace catalog_io {

size_t CodePoints(std::string_view s) {
  return std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; });
}

namespace {
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
}  // namespace

std::string Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return std::string(s);
}

std::vector<std::string> CheckRefAndTitle(std::string_view ref, std::string_view title) {
  std::vector<std::string> problems;
  if (ref.empty()) problems.push_back("missing ref");
  if (CodePoints(ref) > kMaxCatalogRef)
    problems.push_back("ref is longer than " + std::to_string(kMaxCatalogRef) + " characters");
  if (ref.find_first_of("\r\n") != std::string_view::npos)
    problems.push_back("ref has a line break");
  if (CodePoints(title) > kMaxCatalogTitle)
    problems.push_back("title is longer than " + std::to_string(kMaxCatalogTitle) + " characters");
  if (title.find_first_of("\r\n") != std::string_view::npos)
    problems.push_back("title has a line break");
  return problems;
}

std::string DerivedUuid(std::string_view name) {
  std::string hex = Sha256Hex(name).substr(0, 32);
  hex[12] = '5';  // version
  // Variant 10xx: the high bits of the 17th digit.
  static constexpr char kDigits[] = "0123456789abcdef";
  const int nibble = static_cast<int>(std::string_view(kDigits).find(hex[16]));
  hex[16] = kDigits[(nibble & 0x3) | 0x8];
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
}

std::string OneLine(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (IsSpace(c)) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

namespace {
// Only pure groupings (NIST's families, imported groups) become OSCAL groups:
// correspondences name ISO clauses, Annex A domains, objectives and themes
// (ISO/IEC 27013 Table A.1 maps A.12.3 and A.18), and an OSCAL map can only
// name controls.
bool IsGroupKind(std::string_view kind) { return kind == "group"; }
}  // namespace

OscalLayout LayOut(const Catalog& catalog) {
  const auto& entries = catalog.entries;
  OscalLayout layout;
  layout.children.resize(entries.size());
  layout.is_group.resize(entries.size());
  std::vector<size_t> parent(entries.size(), SIZE_MAX);
  for (size_t i = 0; i < entries.size(); ++i) {
    const auto& e = entries[i];
    layout.by_ref.emplace(e.ref, i);  // the first of duplicates wins
    // Only an earlier entry can be a parent (the Catalog contract), which
    // also keeps a hand-made catalog with a cycle from looping.
    auto p = e.parent_ref.empty() ? layout.by_ref.end() : layout.by_ref.find(e.parent_ref);
    if (p != layout.by_ref.end() && p->second < i) {
      parent[i] = p->second;
      layout.children[p->second].push_back(i);
    } else {
      layout.roots.push_back(i);
    }
  }
  auto groupable = [&](size_t i) {
    return IsGroupKind(entries[i].kind) && !layout.children[i].empty();
  };
  // Parents come first, so each parent's decision is made before its
  // children's.
  for (size_t i = 0; i < entries.size(); ++i) {
    const size_t p = parent[i];
    if (p == SIZE_MAX) {
      layout.is_group[i] = groupable(i);  // the catalog may hold both
    } else if (layout.is_group[p]) {
      const auto& siblings = layout.children[p];
      layout.is_group[i] = std::all_of(siblings.begin(), siblings.end(), groupable);
    }  // else: inside a control, a control
  }
  std::set<std::string> used;
  layout.ids.reserve(entries.size());
  for (const auto& e : entries) {
    const std::string base = OscalIdFromRef(e.ref);
    std::string id = base;
    for (int n = 2; used.count(id); ++n) id = base + "_" + std::to_string(n);
    used.insert(id);
    layout.ids.push_back(id);
  }
  return layout;
}

}  // namespace catalog_io

using namespace catalog_io;

namespace {

constexpr std::array<std::string_view, 9> kKinds = {
    "clause", "item", "domain", "objective", "theme", "control", "group", "enhancement", "other"};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string KindList() {
  std::string out;
  for (auto k : kKinds) out += (out.empty() ? "" : ", ") + std::string(k);
  return out;
}

// The built-in catalog files spell the Annex A levels this way.
std::string NormalizeKind(const std::string& kind) {
  if (kind == "annex-domain") return "domain";
  if (kind == "annex-objective") return "objective";
  if (kind == "annex-theme") return "theme";
  return kind;
}

// Which column holds each known field; -1 when absent.
struct Columns {
  int ref = -1, title = -1, parent = -1, kind = -1;
};

Result<Columns> ReadHeader(const CsvRow& header) {
  Columns cols;
  std::vector<std::string> names;
  for (size_t i = 0; i < header.fields.size(); ++i) {
    const std::string name = Lower(Trim(header.fields[i]));
    names.push_back(name);
    int* slot = name == "ref"      ? &cols.ref
                : name == "title"  ? &cols.title
                : name == "parent" ? &cols.parent
                : name == "kind"   ? &cols.kind
                                   : nullptr;
    if (!slot) continue;  // other columns (notes, confidence, ...) are not ours
    if (*slot >= 0)
      return MakeError(ErrorCode::kValidation, "line " + std::to_string(header.line) +
                                                   ": the header names column \"" + name +
                                                   "\" twice");
    *slot = static_cast<int>(i);
  }
  if (cols.ref < 0 || cols.title < 0) {
    std::string found;
    for (const auto& n : names) found += (found.empty() ? "" : ", ") + n;
    return MakeError(ErrorCode::kValidation,
                     "line " + std::to_string(header.line) +
                         ": the header row must name the columns ref and title (found: " + found +
                         ")");
  }
  return cols;
}

struct Row {
  int line = 0;
  CatalogEntry entry;
  bool kind_given = false;
};

}  // namespace

bool IsCatalogKind(std::string_view kind) {
  return std::find(kKinds.begin(), kKinds.end(), kind) != kKinds.end();
}

Result<Catalog> ParseCsvCatalog(std::string_view text) {
  TANDEM_ASSIGN_OR_RETURN(std::vector<CsvRow> csv, ParseCsv(text));
  if (csv.empty())
    return MakeError(ErrorCode::kValidation,
                     "the file is empty: expected a header row naming ref and title");
  TANDEM_ASSIGN_OR_RETURN(Columns cols, ReadHeader(csv[0]));
  if (csv.size() == 1)
    return MakeError(ErrorCode::kValidation, "the file has a header row but no entries");

  std::vector<std::pair<int, std::string>> problems;  // (line, message)
  auto field = [](const CsvRow& r, int col) {
    return col >= 0 && static_cast<size_t>(col) < r.fields.size() ? Trim(r.fields[col])
                                                                  : std::string();
  };
  std::vector<Row> rows;
  std::map<std::string, size_t> first;  // ref -> index into rows of its first row
  for (size_t i = 1; i < csv.size(); ++i) {
    const CsvRow& r = csv[i];
    Row row{.line = r.line};
    auto& e = row.entry;
    e.ref = field(r, cols.ref);
    e.title = field(r, cols.title);
    e.parent_ref = field(r, cols.parent);
    e.kind = NormalizeKind(Lower(field(r, cols.kind)));
    row.kind_given = !e.kind.empty();
    if (r.fields.size() > csv[0].fields.size())
      problems.emplace_back(
          r.line, std::to_string(r.fields.size()) + " fields but the header has " +
                      std::to_string(csv[0].fields.size()) + " (a comma in an unquoted title?)");
    // JSON and OSCAL require UTF-8; a CSV file a spreadsheet saved in a
    // legacy encoding is not.
    if (!IsValidUtf8(e.ref) || !IsValidUtf8(e.title) || !IsValidUtf8(e.parent_ref) ||
        !IsValidUtf8(e.kind)) {
      problems.emplace_back(r.line, "not UTF-8 text (save the file as UTF-8)");
      continue;  // nothing else can be said reliably
    }
    for (auto& p : CheckRefAndTitle(e.ref, e.title)) problems.emplace_back(r.line, std::move(p));
    if (row.kind_given && !IsCatalogKind(e.kind))
      problems.emplace_back(r.line,
                            "unknown kind \"" + e.kind + "\" (expected one of " + KindList() + ")");
    if (e.ref.empty()) continue;  // reported; nothing can refer to it
    auto [it, fresh] = first.emplace(e.ref, rows.size());
    if (!fresh) {
      problems.emplace_back(r.line, "duplicate ref " + e.ref + " (first on line " +
                                        std::to_string(rows[it->second].line) + ")");
      continue;
    }
    rows.push_back(std::move(row));
  }

  // Parents: each must be a ref of the file, and following them must end at
  // the top, not come back round.
  std::vector<size_t> parent(rows.size(), SIZE_MAX);
  for (size_t i = 0; i < rows.size(); ++i) {
    const auto& p = rows[i].entry.parent_ref;
    if (p.empty()) continue;
    auto it = first.find(p);
    if (it == first.end())
      problems.emplace_back(rows[i].line, "unknown parent " + p + " (not a ref of this file)");
    else
      parent[i] = it->second;
  }
  // Walk up from each row until the top or a row already walked; a walk
  // that meets itself is a cycle. Depths come from the same walks.
  enum class Mark { kNew, kOnPath, kDone };
  std::vector<Mark> mark(rows.size(), Mark::kNew);
  std::vector<size_t> depth(rows.size(), 0);  // 0: under a cycle
  for (size_t start = 0; start < rows.size(); ++start) {
    std::vector<size_t> path;
    size_t i = start;
    while (i != SIZE_MAX && mark[i] == Mark::kNew) {
      mark[i] = Mark::kOnPath;
      path.push_back(i);
      i = parent[i];
    }
    if (i != SIZE_MAX && mark[i] == Mark::kOnPath) {
      // The walk came back to `i`: the cycle is the path from `i` on.
      auto from = std::find(path.begin(), path.end(), i);
      std::string chain;
      for (auto it = from; it != path.end(); ++it) chain += rows[*it].entry.ref + " -> ";
      chain += rows[i].entry.ref;
      for (auto it = from; it != path.end(); ++it)
        problems.emplace_back(rows[*it].line, "parent cycle: " + chain);
    } else {
      size_t d = i == SIZE_MAX ? 0 : depth[i];
      for (auto it = path.rbegin(); it != path.rend() && (i == SIZE_MAX || d > 0); ++it) {
        depth[*it] = ++d;
        if (d == kMaxCatalogDepth + 1)
          problems.emplace_back(
              rows[*it].line,
              "nested more than " + std::to_string(kMaxCatalogDepth) + " levels deep");
      }
    }
    for (size_t j : path) mark[j] = Mark::kDone;
  }

  if (!problems.empty()) {
    std::stable_sort(problems.begin(), problems.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<FieldError> fields;
    std::set<int> bad_lines;
    for (auto& [line, message] : problems) {
      bad_lines.insert(line);
      fields.push_back({"line " + std::to_string(line), std::move(message)});
    }
    const size_t n = bad_lines.size();
    return MakeError(ErrorCode::kValidation,
                     std::to_string(n) + " of " + std::to_string(csv.size() - 1) +
                         (n == 1 ? " rows is" : " rows are") + " invalid",
                     std::move(fields));
  }

  // Document order: depth first from the top-level rows, in file order.
  std::vector<std::vector<size_t>> children(rows.size());
  std::vector<size_t> roots;
  for (size_t i = 0; i < rows.size(); ++i)
    (parent[i] == SIZE_MAX ? roots : children[parent[i]]).push_back(i);
  Catalog catalog;
  catalog.entries.reserve(rows.size());
  std::vector<size_t> stack(roots.rbegin(), roots.rend());
  while (!stack.empty()) {
    const size_t i = stack.back();
    stack.pop_back();
    CatalogEntry e = std::move(rows[i].entry);
    if (!rows[i].kind_given) e.kind = children[i].empty() ? "control" : "group";
    catalog.entries.push_back(std::move(e));
    stack.insert(stack.end(), children[i].rbegin(), children[i].rend());
  }
  return catalog;
}

std::string OscalIdFromRef(std::string_view ref) {
  std::string id;
  bool separate = false;  // a run of other characters is pending
  for (char c : ref) {
    const char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    const bool keep = (lower >= 'a' && lower <= 'z') || (lower >= '0' && lower <= '9') ||
                      lower == '.' || lower == '-' || lower == '_';
    if (keep) {
      if (separate) id += '_';
      separate = false;
      id += lower;
    } else if (c == '(') {
      separate = false;  // "AC-2 (1)" reads as "AC-2(1)"
      id += '.';
    } else if (c != ')') {
      separate = !id.empty();
    }
  }
  // An OSCAL token starts with a letter or '_'.
  if (id.empty() || !((id[0] >= 'a' && id[0] <= 'z') || id[0] == '_')) id.insert(0, "_");
  return id;
}

}  // namespace tandem::domains

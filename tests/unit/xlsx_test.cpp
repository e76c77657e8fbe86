#include "core/xlsx.h"

#include <dirent.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <limits>

namespace tandem {
namespace {

// The workbook is checked by what Excel reads: the XML parts inside the ZIP,
// unpacked with Debian's unzip (installed by ./dev).
class Unzipped {
 public:
  explicit Unzipped(const std::string& bytes) {
    char path[] = "/tmp/tandem-xlsx-test-XXXXXX";
    const int fd = mkstemp(path);
    EXPECT_GE(fd, 0);
    close(fd);
    path_ = path;
    std::ofstream(path_, std::ios::binary) << bytes;
  }
  ~Unzipped() { unlink(path_.c_str()); }

  std::string Part(const std::string& member) const {
    const std::string cmd = "unzip -p '" + path_ + "' '" + member + "'";
    FILE* p = popen(cmd.c_str(), "r");
    if (!p) return "";
    std::string out;
    char buf[4096];
    for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
    EXPECT_EQ(pclose(p), 0) << cmd;
    return out;
  }

 private:
  std::string path_;
};

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

const std::string kLongName = "Incidents, problems and known errors 2026";  // 41 characters
const std::string kUnicode = "Zugriff für Dritte — 情報セキュリティ 🔒";

std::vector<XlsxSheet> Sample() {
  return {
      XlsxSheet{
          .name = "Risks",
          .header = {"id", "title", "score"},
          .rows =
              {
                  {"R-1", kUnicode, 12},
                  {"R-2", "=1+1", 3.5},
                  {"R-3", {}, {}},
                  {"@SUM(A1:A2)", "+44 20 7946 0000", -1},
              },
          .widths = {10, 48, 0},
      },
      XlsxSheet{
          .name = kLongName,
          .header = {"ref", "note"},
          .rows = {{"INC-1", "a & b < c"}},
      },
  };
}

TEST(XlsxTest, WritesAWorkbook) {
  auto bytes = WriteXlsx(Sample(), {.title = "Risk register", .author = "Tandem", .created = 0});
  ASSERT_TRUE(bytes.ok()) << bytes.error().detail;
  ASSERT_GT(bytes->size(), 4u);
  EXPECT_EQ(bytes->substr(0, 2), "PK");

  Unzipped zip(*bytes);
  const std::string strings = zip.Part("xl/sharedStrings.xml");
  const std::string sheet1 = zip.Part("xl/worksheets/sheet1.xml");
  const std::string sheet2 = zip.Part("xl/worksheets/sheet2.xml");
  const std::string workbook = zip.Part("xl/workbook.xml");

  // Formula-looking text is a shared string, never a formula.
  EXPECT_TRUE(Has(strings, "<t>=1+1</t>")) << strings;
  EXPECT_TRUE(Has(strings, "<t>@SUM(A1:A2)</t>"));
  EXPECT_TRUE(Has(strings, "<t>+44 20 7946 0000</t>"));
  EXPECT_FALSE(Has(sheet1, "<f>"));
  EXPECT_FALSE(Has(sheet1, "<f "));
  EXPECT_TRUE(Has(strings, kUnicode));
  EXPECT_TRUE(Has(strings, "a &amp; b &lt; c"));

  // Numbers are numbers; the empty cells are absent.
  EXPECT_TRUE(Has(sheet1, "<c r=\"C2\"><v>12</v></c>")) << sheet1;
  EXPECT_TRUE(Has(sheet1, "<c r=\"C3\"><v>3.5</v></c>"));
  EXPECT_TRUE(Has(sheet1, "<c r=\"C5\"><v>-1</v></c>"));
  EXPECT_FALSE(Has(sheet1, "r=\"B4\""));
  EXPECT_FALSE(Has(sheet1, "r=\"C4\""));

  // Bold frozen header with an autofilter over header and rows; widths.
  EXPECT_TRUE(Has(sheet1, "<c r=\"A1\" s=\"1\" t=\"s\">"));
  EXPECT_TRUE(Has(zip.Part("xl/styles.xml"), "<b/>"));
  EXPECT_TRUE(Has(sheet1, "state=\"frozen\""));
  EXPECT_TRUE(Has(sheet1, "<autoFilter ref=\"A1:C5\"/>"));
  EXPECT_TRUE(Has(sheet2, "<autoFilter ref=\"A1:B2\"/>"));
  EXPECT_TRUE(Has(sheet1, "<col min=\"1\" max=\"1\" width=\"10.7109375\" customWidth=\"1\"/>"))
      << sheet1;
  EXPECT_FALSE(Has(sheet1, "<col min=\"3\""));

  // Sheet names: the long one is cut to 31 characters.
  EXPECT_TRUE(Has(workbook, "name=\"Risks\""));
  EXPECT_TRUE(Has(workbook, "name=\"" + kLongName.substr(0, 31) + "\"")) << workbook;

  const std::string core = zip.Part("docProps/core.xml");
  EXPECT_TRUE(Has(core, "<dc:title>Risk register</dc:title>"));
  EXPECT_TRUE(Has(core, "<dc:creator>Tandem</dc:creator>"));
}

TEST(XlsxTest, SameInputSameBytesWithAFixedCreationTime) {
  const XlsxProperties props{.title = "t", .author = "a", .created = 1767225600};
  auto a = WriteXlsx(Sample(), props);
  auto b = WriteXlsx(Sample(), props);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(*a, *b);
}

TEST(XlsxTest, NoSheetsStillMakesAWorkbook) {
  auto bytes = WriteXlsx({}, {});
  ASSERT_TRUE(bytes.ok()) << bytes.error().detail;
  EXPECT_TRUE(Has(Unzipped(*bytes).Part("xl/workbook.xml"), "<sheet name=\"Sheet1\""));
}

struct NameCase {
  std::vector<std::string> in;
  std::vector<std::string> out;
};

const NameCase kNameCases[] = {
    {{"Risks"}, {"Risks"}},
    {{"a/b[c]:d*e?f\\g"}, {"a_b_c__d_e_f_g"}},
    {{"tab\there"}, {"tab_here"}},
    {{"'quoted'"}, {"quoted"}},
    {{"", "''"}, {"Sheet1", "Sheet2"}},
    {{"History", "history"}, {"History_", "history_ (2)"}},
    {{"Data", "data", "DATA"}, {"Data", "data (2)", "DATA (3)"}},
    {{std::string(40, 'x')}, {std::string(31, 'x')}},
    {{std::string(40, 'x'), std::string(35, 'x')},
     {std::string(31, 'x'), std::string(27, 'x') + " (2)"}},
    // Excel counts characters outside the BMP twice: 16 locks are 32 units.
    {{[] {
       std::string s;
       for (int i = 0; i < 16; ++i) s += "🔒";
       return s;
     }()},
     {[] {
       std::string s;
       for (int i = 0; i < 15; ++i) s += "🔒";
       return s;
     }()}},
    {{std::string(30, 'x') + "'y"}, {std::string(30, 'x')}},  // cut leaves a trailing apostrophe
    {{"bad \xff byte"}, {"bad _ byte"}},
    {{"Übersicht"}, {"Übersicht"}},
};

TEST(XlsxTest, SheetNames) {
  for (const auto& c : kNameCases) {
    SCOPED_TRACE(c.in.front());
    EXPECT_EQ(XlsxSheetNames(c.in), c.out);
  }
}

struct ErrorCase {
  const char* what;
  XlsxCell cell;
  const char* error;  // text the error must contain
};

const ErrorCase kErrorCases[] = {
    {"NaN", std::nan(""), "sheet \"S\" row 2 column 2: not a finite number"},
    {"infinity", std::numeric_limits<double>::infinity(), "not a finite number"},
    {"invalid UTF-8", "a\xc3(b", "row 2 column 2: invalid UTF-8"},
    {"too long", std::string(40000, 'a'), "row 2 column 2: String exceeds Excel's"},
};

TEST(XlsxTest, ContentExcelCannotHold) {
  for (const auto& c : kErrorCases) {
    SCOPED_TRACE(c.what);
    auto r = WriteXlsx({XlsxSheet{.name = "S", .header = {"a", "b"}, .rows = {{"x", c.cell}}}}, {});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kBadRequest);
    EXPECT_TRUE(Has(r.error().detail, c.error)) << r.error().detail;
  }
}

size_t FilesIn(const std::string& dir) {
  size_t n = 0;
  DIR* d = opendir(dir.c_str());
  if (!d) return 0;
  while (dirent* e = readdir(d))
    if (std::string(e->d_name) != "." && std::string(e->d_name) != "..") ++n;
  closedir(d);
  return n;
}

// The temporary file goes to $TMPDIR and is gone afterwards, error or not.
TEST(XlsxTest, LeavesNoTemporaryFiles) {
  char dir[] = "/tmp/tandem-xlsx-dir-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  const char* old = std::getenv("TMPDIR");
  const std::string saved = old ? old : "";
  setenv("TMPDIR", dir, 1);
  auto ok = WriteXlsx(Sample(), {});
  auto bad = WriteXlsx({XlsxSheet{.name = "S", .rows = {{std::nan("")}}}}, {});
  const size_t left = FilesIn(dir);
  if (old)
    setenv("TMPDIR", saved.c_str(), 1);
  else
    unsetenv("TMPDIR");
  rmdir(dir);
  EXPECT_TRUE(ok.ok());
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(left, 0u);
}

}  // namespace
}  // namespace tandem

#include "core/csv.h"

#include <gtest/gtest.h>

namespace tandem {
namespace {

struct CsvCase {
  const char* text;
  std::vector<std::vector<std::string>> rows;  // empty with `error`
  std::vector<int> lines;
  const char* error = nullptr;  // text the error must contain
};

const CsvCase kCases[] = {
    {"ref,title\nA.5,Policies\n", {{"ref", "title"}, {"A.5", "Policies"}}, {1, 2}},
    {"a,b\r\nc,d", {{"a", "b"}, {"c", "d"}}, {1, 2}},
    {"\xEF\xBB\xBFx,y\n", {{"x", "y"}}, {1}},
    {"5.3,\"Roles, responsibilities\",5\n", {{"5.3", "Roles, responsibilities", "5"}}, {1}},
    {"1,\"say \"\"hi\"\"\"\n", {{"1", "say \"hi\""}}, {1}},
    {"1,\"two\nlines\"\n2,x\n", {{"1", "two\nlines"}, {"2", "x"}}, {1, 3}},
    {"a,,c\n,\n", {{"a", "", "c"}, {"", ""}}, {1, 2}},
    {"a\n\n\nb\n", {{"a"}, {"b"}}, {1, 4}},
    {"", {}, {}},
    {"a,\"open\nb,c\n", {}, {}, "line 1: a quoted field is not closed"},
    {"x\n\"q\"z,1\n", {}, {}, "line 2: text after a closing quote"},
};

TEST(CsvTest, Cases) {
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.text);
    auto r = ParseCsv(c.text);
    if (c.error) {
      ASSERT_FALSE(r.ok());
      EXPECT_EQ(r.error().code, ErrorCode::kBadRequest);
      EXPECT_NE(r.error().detail.find(c.error), std::string::npos) << r.error().detail;
      continue;
    }
    ASSERT_TRUE(r.ok()) << r.error().detail;
    ASSERT_EQ(r->size(), c.rows.size());
    for (size_t i = 0; i < c.rows.size(); ++i) {
      EXPECT_EQ((*r)[i].fields, c.rows[i]);
      EXPECT_EQ((*r)[i].line, c.lines[i]);
    }
  }
}

}  // namespace
}  // namespace tandem

namespace tandem {
namespace {

TEST(CsvTest, Lines) {
  struct Case {
    std::vector<std::string> fields;
    std::string line;
  } cases[] = {
      {{"A.5", "Policies"}, "A.5,Policies\r\n"},
      {{"a,b", "say \"hi\""}, "\"a,b\",\"say \"\"hi\"\"\"\r\n"},
      {{"two\nlines", ""}, "\"two\nlines\",\r\n"},
      {{"=HYPERLINK(\"x\")", "+1", "-2", "@SUM(A1)"},
       "\"'=HYPERLINK(\"\"x\"\")\",'+1,'-2,'@SUM(A1)\r\n"},
      {{}, "\r\n"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(CsvLine(c.fields), c.line);
    if (c.fields.size() == 2) {  // plain text reads back as written
      auto rows = ParseCsv(c.line);
      ASSERT_TRUE(rows.ok());
      EXPECT_EQ((*rows)[0].fields, c.fields) << c.line;
    }
  }
}

}  // namespace
}  // namespace tandem

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

// Well-formed UTF-8, as form fields must be before they reach the engine.
#include "core/utf8.h"

#include <gtest/gtest.h>

namespace tandem {
namespace {

TEST(Utf8, IsValidUtf8) {
  struct Case {
    std::string_view in;
    bool valid;
  } cases[] = {
      {"", true},
      {"plain ASCII", true},
      {"\xC3\xA9t\xC3\xA9", true},          // été
      {"\xE2\x82\xAC", true},               // €
      {"\xF0\x9F\x94\x92", true},           // U+1F512, four bytes
      {"\xF4\x8F\xBF\xBF", true},           // U+10FFFF, the last code point
      {"\xFF", false},                      // never in UTF-8
      {"\x80", false},                      // a continuation byte alone
      {"\xC3", false},                      // cut after the lead byte
      {"abc\xE2\x82", false},               // cut in the middle
      {"\xC0\xAF", false},                  // overlong '/'
      {"\xE0\x80\xAF", false},              // overlong, three bytes
      {"\xED\xA0\x80", false},              // a UTF-16 surrogate
      {"\xF4\x90\x80\x80", false},          // above U+10FFFF
      {"\xC3\x28", false},                  // lead byte, then not a continuation
      {std::string_view("a\0b", 3), true},  // NUL is a character
  };
  for (const auto& c : cases) EXPECT_EQ(IsValidUtf8(c.in), c.valid) << c.in;
}

TEST(Utf8, TruncateUtf8) {
  struct Case {
    std::string_view in;
    size_t max;
    std::string_view want;
  } cases[] = {
      {"abc", 5, "abc"},
      {"abc", 3, "abc"},
      {"abc", 2, "ab"},
      {"a\xC3\xA9", 2, "a"},  // é would be cut: left out
      {"a\xC3\xA9", 3, "a\xC3\xA9"},
      {"\xF0\x9F\x94\x92x", 3, ""},  // a four-byte character
      {"\xF0\x9F\x94\x92x", 4, "\xF0\x9F\x94\x92"},
      {"", 0, ""},
  };
  for (const auto& c : cases) EXPECT_EQ(TruncateUtf8(c.in, c.max), c.want) << c.in;
}

}  // namespace
}  // namespace tandem

// content/standards/terminology.csv: the terms ISO/IEC 27013:2015 Annex B
// compares, with the project's own notes. The file is hand-made, so these
// checks guard its shape and the few values the source text is explicit about.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/content.h"
#include "core/csv.h"

namespace tandem {
namespace {

constexpr const char* kFile = "content/standards/terminology.csv";
const std::vector<std::string> kHeader = {"term",    "in_27000", "in_20000_1",
                                          "meaning", "note",     "fields"};

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::vector<CsvRow> Rows() {
  auto rows = ParseCsv(content::Get(kFile));
  EXPECT_TRUE(rows.ok()) << rows.error().detail;
  return rows.ok() ? *rows : std::vector<CsvRow>{};
}

// Term -> row, for the lookups below.
std::map<std::string, std::vector<std::string>> ByTerm() {
  std::map<std::string, std::vector<std::string>> out;
  auto rows = Rows();
  for (size_t i = 1; i < rows.size(); ++i) out[Lower(rows[i].fields[0])] = rows[i].fields;
  return out;
}

TEST(TerminologyTest, HeaderAndShape) {
  auto rows = Rows();
  ASSERT_GE(rows.size(), 2u);
  EXPECT_EQ(rows[0].fields, kHeader);
  for (const auto& row : rows) {
    SCOPED_TRACE("line " + std::to_string(row.line));
    EXPECT_EQ(row.fields.size(), kHeader.size());
  }
}

TEST(TerminologyTest, EveryRowIsValid) {
  const std::set<std::string> yes_no = {"yes", "no"};
  const std::set<std::string> meanings = {"same", "similar", "different", "one-only"};
  std::set<std::string> seen;
  auto rows = Rows();
  for (size_t i = 1; i < rows.size(); ++i) {
    const auto& f = rows[i].fields;
    ASSERT_EQ(f.size(), kHeader.size());
    SCOPED_TRACE("line " + std::to_string(rows[i].line) + ": " + f[0]);
    EXPECT_FALSE(f[0].empty());
    EXPECT_TRUE(seen.insert(Lower(f[0])).second) << "duplicate term";
    EXPECT_TRUE(yes_no.count(f[1])) << f[1];
    EXPECT_TRUE(yes_no.count(f[2])) << f[2];
    EXPECT_TRUE(meanings.count(f[3])) << f[3];
    // A term "defined by only one" has exactly one yes; a term both define is
    // compared. (The converse does not hold: see incident below.)
    if (f[3] == "one-only") {
      EXPECT_NE(f[1], f[2]);
    }
    if (f[1] == "yes" && f[2] == "yes") {
      EXPECT_NE(f[3], "one-only");
    }
    EXPECT_FALSE(f[1] == "no" && f[2] == "no") << "a term neither standard defines";
    EXPECT_FALSE(f[4].empty());
    EXPECT_LE(f[4].size(), 400u) << "note too long";
    // Lower-case names separated by ";", no empty items.
    if (!f[5].empty()) {
      EXPECT_EQ(f[5], Lower(f[5]));
      EXPECT_EQ(f[5].find(' '), std::string::npos);
      EXPECT_EQ(f[5].find(";;"), std::string::npos);
      EXPECT_NE(f[5].front(), ';');
      EXPECT_NE(f[5].back(), ';');
    }
  }
}

// The values the text of Annex B (and 27013 6.2.1, 6.2.5) is explicit about.
struct Expected {
  const char* term;
  const char* in_27000;
  const char* in_20000_1;
  const char* meaning;
};

const Expected kExpected[] = {
    // "significant difference"; 27000 only points to information security incident.
    {"incident", "no", "yes", "different"},
    // Defined differently in the two standards; the difference is noteworthy.
    {"availability", "yes", "yes", "different"},
    // Accessibility in place of availability; otherwise the same definition.
    {"information security", "yes", "yes", "similar"},
    {"interested party", "yes", "yes", "similar"},
    {"organization", "yes", "yes", "similar"},
    {"corrective action", "yes", "yes", "similar"},
    // 20000-1 quotes the 27000 definition.
    {"information security incident", "yes", "yes", "same"},
    {"effectiveness", "yes", "yes", "same"},
    {"process", "yes", "yes", "same"},
    // Service-management terms the security vocabulary lacks.
    {"configuration item (ci)", "no", "yes", "one-only"},
    {"configuration management database (cmdb)", "no", "yes", "one-only"},
    {"problem", "no", "yes", "one-only"},
    {"known error", "no", "yes", "one-only"},
    {"record", "no", "yes", "one-only"},
    // Only mentioned in a note on the service side.
    {"authenticity", "yes", "no", "one-only"},
    {"reliability", "yes", "no", "one-only"},
};

TEST(TerminologyTest, ValuesTheSourceIsExplicitAbout) {
  auto terms = ByTerm();
  for (const auto& e : kExpected) {
    SCOPED_TRACE(e.term);
    auto it = terms.find(e.term);
    ASSERT_NE(it, terms.end()) << "missing term";
    EXPECT_EQ(it->second[1], e.in_27000);
    EXPECT_EQ(it->second[2], e.in_20000_1);
    EXPECT_EQ(it->second[3], e.meaning);
  }
}

// Asset is no Annex B term (neither 27001 nor 20000-1 defines it); the asset
// vs configuration item difference travels on the CI and CMDB lines, which
// must therefore be shown on both sides of the register.
TEST(TerminologyTest, AssetAndConfigurationItem) {
  auto terms = ByTerm();
  EXPECT_EQ(terms.count("asset"), 0u);
  for (const char* term : {"configuration item (ci)", "configuration management database (cmdb)"}) {
    SCOPED_TRACE(term);
    ASSERT_EQ(terms.count(term), 1u);
    const std::string fields = ";" + terms[term][5] + ";";
    EXPECT_NE(fields.find(";asset;"), std::string::npos);
    EXPECT_NE(fields.find(";configuration_item;"), std::string::npos);
  }
}

}  // namespace
}  // namespace tandem

#include "domains/standards/catalog_io.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "core/content.h"
#include "core/hash.h"

namespace tandem::domains {
namespace {

using nlohmann::json;

// Test suites are named CatalogIo* so that `ctest -R catalog_io` finds them
// (tests/CMakeLists.txt gives them that prefix).

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

const std::string& NistText() {
  static const std::string text =
      ReadFile(std::string(TANDEM_TESTS_DIR) + "/data/nist-sp800-53-rev5.0.1-catalog-min.json");
  return text;
}

std::string Describe(const CatalogEntry& e) {
  return e.ref + "|" + e.title + "|" + e.parent_ref + "|" + e.kind + (e.withdrawn ? "|w" : "");
}

std::vector<std::string> Describe(const std::vector<CatalogEntry>& entries) {
  std::vector<std::string> out;
  for (const auto& e : entries) out.push_back(Describe(e));
  return out;
}

std::string Describe(const Error& e) {
  std::string s = e.detail;
  for (const auto& f : e.fields) s += "\n  " + f.field + ": " + f.message;
  return s;
}

// ---------------------------------------------------------------------------
// CSV

struct CsvGood {
  const char* name;
  std::string text;
  std::vector<std::string> entries;  // ref|title|parent|kind
};

const CsvGood kCsvGood[] = {
    {"two columns", "ref,title\nA.5,Policies\n", {"A.5|Policies||control"}},
    {"any order and case, kind given",
     "Kind,PARENT,Title,Ref\nclause,,Context,4\nclause,4,Understanding,4.1\n",
     {"4|Context||clause", "4.1|Understanding|4|clause"}},
    {"default kinds: group with children, control without",
     "ref,title,parent\n4,Context,\n4.1,Understanding,4\n",
     {"4|Context||group", "4.1|Understanding|4|control"}},
    {"parents may come later; entries come back in document order",
     "ref,title,parent\n5.1,Commitment,5\n4,Context,\n5,Leadership,\n4.1,Understanding,4\n",
     {"4|Context||group", "4.1|Understanding|4|control", "5|Leadership||group",
      "5.1|Commitment|5|control"}},
    {"BOM, CRLF, quotes, trimming, other columns ignored",
     "\xEF\xBB\xBFref,title,notes\r\n A.5 ,\"Policies, rules\",x\r\n",
     {"A.5|Policies, rules||control"}},
    {"built-in kind spellings, empty title, upper-case kind",
     "ref,title,parent,kind\nA.5,Policies,,annex-domain\nA.5.1,,A.5,ANNEX-OBJECTIVE\n"
     "A.5.1.1,Policy,A.5.1,control\nT,Theme,,annex-theme\n",
     {"A.5|Policies||domain", "A.5.1||A.5|objective", "A.5.1.1|Policy|A.5.1|control",
      "T|Theme||theme"}},
    {"longest ref and title, counted in characters",
     "ref,title\n" + std::string(64, 'r') + "," +
         [] {
           std::string t;
           for (int i = 0; i < 300; ++i) t += "\xC3\xA9";  // é: two bytes, one character
           return t;
         }() +
         "\n",
     {std::string(64, 'r') + "|" +
      [] {
        std::string t;
        for (int i = 0; i < 300; ++i) t += "\xC3\xA9";
        return t;
      }() +
      "||control"}},
};

TEST(CatalogIoCsvTest, GoodFiles) {
  for (const auto& c : kCsvGood) {
    SCOPED_TRACE(c.name);
    auto r = ParseCsvCatalog(c.text);
    ASSERT_TRUE(r.ok()) << Describe(r.error());
    EXPECT_EQ(Describe(r->entries), c.entries);
    EXPECT_EQ(r->key, "");
  }
}

// A chain of `n` entries, each the parent of the next: L1 (line 2), L2, ...
std::string Chain(int n) {
  std::string text = "ref,title,parent\n";
  for (int i = 1; i <= n; ++i)
    text += "L" + std::to_string(i) + ",t," + (i > 1 ? "L" + std::to_string(i - 1) : "") + "\n";
  return text;
}

struct CsvBad {
  const char* name;
  std::string text;
  ErrorCode code;
  std::string detail;                                       // the detail must contain it
  std::vector<std::pair<std::string, std::string>> fields;  // "line N", message part; all of them
};

const CsvBad kCsvBad[] = {
    {"empty file", "", ErrorCode::kValidation, "the file is empty", {}},
    {"blank lines only", "\n\n", ErrorCode::kValidation, "the file is empty", {}},
    {"no title column",
     "ref,name\nA,x\n",
     ErrorCode::kValidation,
     "line 1: the header row must name the columns ref and title (found: ref, name)",
     {}},
    {"no ref column", "Title\nx\n", ErrorCode::kValidation, "(found: title)", {}},
    {"a column twice",
     "ref,title,REF\n",
     ErrorCode::kValidation,
     "the header names column \"ref\" twice",
     {}},
    {"header only", "ref,title\n", ErrorCode::kValidation, "a header row but no entries", {}},
    {"broken quoting",
     "ref,title\nA,\"open\n",
     ErrorCode::kBadRequest,
     "line 2: a quoted field is not closed",
     {}},
    {"missing ref",
     "ref,title\nA,x\n ,y\n",
     ErrorCode::kValidation,
     "1 of 2 rows is invalid",
     {{"line 3", "missing ref"}}},
    {"duplicate ref",
     "ref,title\nA,x\nB,y\nA,z\n",
     ErrorCode::kValidation,
     "1 of 3 rows is invalid",
     {{"line 4", "duplicate ref A (first on line 2)"}}},
    {"unknown parent",
     "ref,title,parent\nA,x,\nB,y,Z\n",
     ErrorCode::kValidation,
     "1 of 2",
     {{"line 3", "unknown parent Z (not a ref of this file)"}}},
    {"parent cycles",
     "ref,title,parent\nA,a,B\nB,b,A\nC,c,C\nD,d,A\n",
     ErrorCode::kValidation,
     "3 of 4 rows are invalid",
     {{"line 2", "parent cycle: A -> B -> A"},
      {"line 3", "parent cycle: A -> B -> A"},
      {"line 4", "parent cycle: C -> C"}}},
    {"unknown kind",
     "ref,title,kind\nA,x,clause\nB,y,chapter\n",
     ErrorCode::kValidation,
     "1 of 2",
     {{"line 3",
       "unknown kind \"chapter\" (expected one of clause, item, domain, objective, "
       "theme, control, group, enhancement, other)"}}},
    {"ref too long",
     "ref,title\n" + std::string(65, 'r') + ",x\n",
     ErrorCode::kValidation,
     "",
     {{"line 2", "ref is longer than 64 characters"}}},
    {"title too long",
     "ref,title\nA," + std::string(301, 't') + "\n",
     ErrorCode::kValidation,
     "",
     {{"line 2", "title is longer than 300 characters"}}},
    {"line break in a title",
     "ref,title\nA,\"two\nlines\"\nB,y\n",
     ErrorCode::kValidation,
     "",
     {{"line 2", "title has a line break"}}},
    {"unquoted comma",
     "ref,title\nA.6.1.1,Roles, responsibilities\n",
     ErrorCode::kValidation,
     "",
     {{"line 2", "3 fields but the header has 2 (a comma in an unquoted title?)"}}},
    {"not UTF-8",
     "ref,title\nA,Caf\xE9\n",
     ErrorCode::kValidation,
     "",
     {{"line 2", "not UTF-8 text"}}},
    {"nested too deep",
     Chain(33),
     ErrorCode::kValidation,
     "1 of 33 rows is invalid",
     {{"line 34", "nested more than 32 levels deep"}}},
    {"several bad rows at once, in line order",
     "ref,title,parent,kind\n"
     "4,Context,,clause\n"             // 2 fine
     ",No ref,4,clause\n"              // 3
     "4.1,Org,4,clause\n"              // 4 fine
     "4.1,Again,4,clause\n"            // 5
     "4.2,Parties,4.9,clause\n"        // 6
     "4.3,Scope,4,section\n"           // 7
     "\"4.4\",\"Quoted\",4,clause\n",  // 8 fine
     ErrorCode::kValidation,
     "4 of 7 rows are invalid",
     {{"line 3", "missing ref"},
      {"line 5", "duplicate ref 4.1 (first on line 4)"},
      {"line 6", "unknown parent 4.9"},
      {"line 7", "unknown kind \"section\""}}},
    {"one row, several problems",
     "ref,title,kind\n" + std::string(70, 'r') + ",x,bogus\n",
     ErrorCode::kValidation,
     "1 of 1 rows is invalid",
     {{"line 2", "ref is longer than 64 characters"}, {"line 2", "unknown kind \"bogus\""}}},
};

TEST(CatalogIoCsvTest, BadFiles) {
  EXPECT_TRUE(ParseCsvCatalog(Chain(32)).ok()) << "32 levels are allowed";
  for (const auto& c : kCsvBad) {
    SCOPED_TRACE(c.name);
    auto r = ParseCsvCatalog(c.text);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, c.code);
    EXPECT_NE(r.error().detail.find(c.detail), std::string::npos) << r.error().detail;
    ASSERT_EQ(r.error().fields.size(), c.fields.size()) << Describe(r.error());
    for (size_t i = 0; i < c.fields.size(); ++i) {
      EXPECT_EQ(r.error().fields[i].field, c.fields[i].first);
      EXPECT_NE(r.error().fields[i].message.find(c.fields[i].second), std::string::npos)
          << r.error().fields[i].message;
    }
  }
}

// The catalogs Tandem ships read as they are. Counts by kind computed from
// the files with Python's csv module (collections.Counter of the kind column).
TEST(CatalogIoCsvTest, BuiltinCatalogs) {
  struct Builtin {
    const char* file;
    size_t entries;
    std::map<std::string, size_t> kinds;
  };
  const Builtin kBuiltins[] = {
      {"iso27001-2013.csv",
       198,
       {{"clause", 35}, {"objective", 35}, {"domain", 14}, {"control", 114}}},
      {"iso27001-2022.csv", 138, {{"clause", 41}, {"theme", 4}, {"control", 93}}},
      {"iso20000-1-2011.csv", 58, {{"clause", 58}}},
      {"iso20000-1-2018.csv", 77, {{"clause", 77}}},
      {"iso9001-2015.csv", 91, {{"clause", 91}}},
  };
  for (const auto& b : kBuiltins) {
    SCOPED_TRACE(b.file);
    auto text = content::Get(std::string("content/standards/catalogs/") + b.file);
    ASSERT_FALSE(text.empty());
    auto r = ParseCsvCatalog(text);
    ASSERT_TRUE(r.ok()) << Describe(r.error());
    EXPECT_EQ(r->entries.size(), b.entries);
    std::map<std::string, size_t> kinds;
    for (const auto& e : r->entries) ++kinds[e.kind];
    EXPECT_EQ(kinds, b.kinds);
  }
}

// ---------------------------------------------------------------------------
// OSCAL in

// Counts computed independently from the file with jq:
//   jq '.catalog.groups | length'                                   -> 20
//   jq '[.catalog.groups[].controls[]] | length'                    -> 322
//   jq '[.catalog.groups[].controls[].controls[]?] | length'        -> 867
//   jq '[.catalog.groups[].controls[].controls[]?.controls[]?] | length' -> 0
//   jq '[.catalog.groups[].controls[] | select(.props |
//        any(.name=="status" and .value=="withdrawn"))] | length'   -> 24
//   (the same over .controls[].controls[]?)                          -> 158
// and the catalog has no top-level controls and no nested groups.
TEST(CatalogIoOscalTest, NistSp80053Rev5) {
  auto r = ParseOscalCatalog(NistText());
  ASSERT_TRUE(r.ok()) << Describe(r.error());
  const Catalog& c = *r;
  std::map<std::string, size_t> kinds, withdrawn;
  for (const auto& e : c.entries) {
    ++kinds[e.kind];
    if (e.withdrawn) ++withdrawn[e.kind];
  }
  EXPECT_EQ(kinds,
            (std::map<std::string, size_t>{{"group", 20}, {"control", 322}, {"enhancement", 867}}));
  EXPECT_EQ(withdrawn, (std::map<std::string, size_t>{{"control", 24}, {"enhancement", 158}}));
  EXPECT_EQ(c.entries.size(), 1209u);
  EXPECT_EQ(c.title,
            "NIST Special Publication 800-53 Revision 5: Security and Privacy Controls for Federal "
            "Information Systems and Organizations");
  EXPECT_EQ(c.version, "5.0.1");
  EXPECT_EQ(c.key, "nist-special-publication-800-53-revision-5:5.0.1");
  EXPECT_EQ(c.publisher, "");  // the file names a creator and a contact, no publisher
  ASSERT_GE(c.entries.size(), 4u);
  EXPECT_EQ(Describe(c.entries[0]), "ac|Access Control||group");
  EXPECT_EQ(Describe(c.entries[1]), "AC-1|Policy and Procedures|ac|control");
  EXPECT_EQ(Describe(c.entries[2]), "AC-2|Account Management|ac|control");
  EXPECT_EQ(Describe(c.entries[3]), "AC-2(1)|Automated System Account Management|AC-2|enhancement");
  auto find = [&](const std::string& ref) {
    for (const auto& e : c.entries)
      if (e.ref == ref) return Describe(e);
    return std::string("missing");
  };
  EXPECT_EQ(find("AC-13"), "AC-13|Supervision and Review — Access Control|ac|control|w");
  EXPECT_EQ(find("pt"),
            "pt|Personally Identifiable Information Processing and Transparency||group");
}

// A catalog document around `body` (JSON members of "catalog").
std::string Doc(const std::string& body) {
  return R"({"catalog": {"uuid": "00000000-0000-4000-8000-000000000000",
             "metadata": {"title": "T", "version": "1"})" +
         (body.empty() ? "" : ", " + body) + "}}";
}

std::string Nested(int depth) {  // "controls": c0 holding c1 holding ... c<depth-1>
  std::string node = R"({"id": "c)" + std::to_string(depth - 1) + R"(", "title": "t"})";
  for (int i = depth - 2; i >= 0; --i)
    node = R"({"id": "c)" + std::to_string(i) + R"(", "title": "t", "controls": [)" + node + "]}";
  return R"("controls": [)" + node + "]";
}

struct OscalBad {
  const char* name;
  std::string text;
  ErrorCode code;
  std::string detail;
  std::vector<std::pair<std::string, std::string>> fields;  // location, message part
};

const OscalBad kOscalBad[] = {
    {"not JSON", "{\"catalog\": ", ErrorCode::kBadRequest, "the document is not JSON", {}},
    {"not a catalog",
     R"({"profile": {}})",
     ErrorCode::kValidation,
     "not an OSCAL catalog: the document has no \"catalog\" object",
     {}},
    {"catalog not an object",
     R"({"catalog": []})",
     ErrorCode::kValidation,
     "no \"catalog\" object",
     {}},
    {"an array", "[1]", ErrorCode::kValidation, "no \"catalog\" object", {}},
    {"no metadata",
     R"({"catalog": {"uuid": "x"}})",
     ErrorCode::kValidation,
     "catalog.metadata is missing",
     {}},
    {"hostile nesting",
     std::string(5000, '[') + std::string(5000, ']'),
     ErrorCode::kBadRequest,
     "more than 100 levels deep",
     {}},
    {"brackets in strings do not count",
     Doc(R"("controls": [{"id": "x", "title": ")" + std::string(200, '[') +
         R"("}, {"title": "y"}])"),
     ErrorCode::kValidation,
     "1 problem in the OSCAL catalog, the first at catalog.controls[1]: missing id",
     {{"catalog.controls[1]", "missing id"}}},
    {"control without id",
     Doc(R"("groups": [{"id": "g", "title": "G",
                        "controls": [{"id": "a", "title": "A"}, {"title": "x"}]}])"),
     ErrorCode::kValidation,
     "catalog.groups[0].controls[1]: missing id",
     {{"catalog.groups[0].controls[1]", "missing id"}}},
    {"group without id or label",
     Doc(R"("groups": [{"title": "G"}])"),
     ErrorCode::kValidation,
     "",
     {{"catalog.groups[0]", "missing id (or a label prop)"}}},
    {"missing and wrong titles",
     Doc(R"("controls": [{"id": "a"}, {"id": "b", "title": 5}])"),
     ErrorCode::kValidation,
     "2 problems",
     {{"catalog.controls[0]", "missing title"}, {"catalog.controls[1]", "title must be a string"}}},
    {"duplicate refs with both locations",
     Doc(R"("groups": [{"id": "g1", "title": "G", "controls": [{"id": "a", "title": "A"}]},
                      {"id": "g2", "title": "G", "controls": [{"id": "b", "title": "B"},
                        {"id": "c", "title": "C", "props": [{"name": "label", "value": "a"}]}]}])"),
     ErrorCode::kValidation,
     "",
     {{"catalog.groups[1].controls[1]",
       "duplicate ref a (first at catalog.groups[0].controls[0])"}}},
    {"wrong types",
     Doc(R"("groups": {}, "controls": [3, {"id": 7, "title": "x"}])"),
     ErrorCode::kValidation,
     "",
     {{"catalog.controls[0]", "must be an object"},
      {"catalog.controls[1].id", "must be a string"},
      {"catalog.controls[1]", "missing id"},
      {"catalog.groups", "must be an array"}}},
    {"too long",
     Doc(R"("controls": [{"id": "a", "title": ")" + std::string(301, 't') + R"("}])"),
     ErrorCode::kValidation,
     "",
     {{"catalog.controls[0]", "title is longer than 300 characters (a)"}}},
    {"nested too deep",
     Doc(Nested(33)),
     ErrorCode::kValidation,
     "",
     {{"catalog.controls[0]" +
           [] {
             std::string s;
             for (int i = 1; i < 33; ++i) s += ".controls[0]";
             return s;
           }(),
       "nested more than 32 levels deep"}}},
};

TEST(CatalogIoOscalTest, Malformed) {
  ASSERT_TRUE(ParseOscalCatalog(Doc(Nested(32))).ok()) << "32 levels are allowed";
  for (const auto& c : kOscalBad) {
    SCOPED_TRACE(c.name);
    auto r = ParseOscalCatalog(c.text);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, c.code);
    EXPECT_NE(r.error().detail.find(c.detail), std::string::npos) << r.error().detail;
    ASSERT_EQ(r.error().fields.size(), c.fields.size()) << Describe(r.error());
    for (size_t i = 0; i < c.fields.size(); ++i) {
      EXPECT_EQ(r.error().fields[i].field, c.fields[i].first);
      EXPECT_NE(r.error().fields[i].message.find(c.fields[i].second), std::string::npos)
          << r.error().fields[i].message;
    }
  }
}

TEST(CatalogIoOscalTest, MetadataLabelsAndKinds) {
  const std::string text = R"j({"catalog": {"uuid": "00000000-0000-4000-8000-000000000000",
    "metadata": {"title": "Example: a subtitle", "version": "2",
      "props": [{"name": "catalog-key", "ns": "urn:tandem:oscal", "value": "example:2"}],
      "roles": [{"id": "publisher", "title": "Publisher"}],
      "parties": [{"uuid": "p1", "type": "organization", "name": "Other"},
                  {"uuid": "p2", "type": "organization", "name": "Example Body"}],
      "responsible-parties": [{"role-id": "creator", "party-uuids": ["p1"]},
                              {"role-id": "publisher", "party-uuids": ["p2"]}]},
    "controls": [{"id": "c-1", "class": "clause", "title": "One",
                  "props": [{"name": "label", "class": "zero-padded", "value": "01"},
                            {"name": "label", "value": "1"},
                            {"name": "label", "ns": "https://example.org/ns", "value": "x"}],
                  "controls": [{"id": "c-1.a", "title": "1 a)", "props": [
                     {"name": "untitled", "ns": "urn:tandem:oscal", "value": "true"},
                     {"name": "status", "value": "withdrawn"}]}]}],
    "groups": [{"title": "Labelled group", "props": [{"name": "label", "value": "G"}],
                "groups": [{"id": "sub", "class": "family", "title": "Sub",
                            "controls": [{"id": "z", "title": "Zed",
                                          "props": [{"name": "label", "value": ""}]}]}]}]}})j";
  auto r = ParseOscalCatalog(text);
  ASSERT_TRUE(r.ok()) << Describe(r.error());
  EXPECT_EQ(r->key, "example:2");
  EXPECT_EQ(r->title, "Example: a subtitle");
  EXPECT_EQ(r->publisher, "Example Body");
  EXPECT_EQ(Describe(r->entries),
            (std::vector<std::string>{"1|One||clause", "c-1.a||1|enhancement|w",
                                      "G|Labelled group||group", "sub|Sub|G|group",
                                      "z|Zed|sub|control"}));
  // Without the key prop, the key comes from the title before ':' and the version.
  auto derived = ParseOscalCatalog(Doc(""));
  ASSERT_TRUE(derived.ok());
  EXPECT_EQ(derived->key, "t:1");
  EXPECT_TRUE(derived->entries.empty());
}

// ---------------------------------------------------------------------------
// OSCAL out

struct IdCase {
  const char* ref;
  const char* id;
};
const IdCase kIds[] = {
    {"AC-2(1)", "ac-2.1"}, {"AC-2 (10)", "ac-2.10"}, {"A.12.3", "a.12.3"}, {"5.1 c)", "_5.1_c"},
    {"4", "_4"},           {"Para. 1", "para._1"},   {"x--y_z", "x--y_z"}, {"", "_"},
    {"Ü1", "_1"},          {"a / b", "a_b"},         {"(1)", "_.1"},
};

TEST(CatalogIoExportTest, IdsFromRefs) {
  const std::regex token("^[A-Za-z_][A-Za-z0-9._-]*$");
  for (const auto& c : kIds) {
    SCOPED_TRACE(c.ref);
    EXPECT_EQ(OscalIdFromRef(c.ref), c.id);
    EXPECT_TRUE(std::regex_match(OscalIdFromRef(c.ref), token));
  }
}

// An ISO-like catalog with every kind and layout case.
const char kSmallCsv[] =
    "ref,title,parent,kind\n"
    "4,Context of the organization,,clause\n"
    "4.1,Understanding the organization,4,clause\n"
    "5.1,Leadership and commitment,,clause\n"
    "5.1 c),,5.1,item\n"  // untitled lettered item
    "A.5,Organizational controls,,domain\n"
    "A.5.1,Management direction,A.5,objective\n"
    "A.5.1.1,Policies,A.5.1,control\n"
    "A.5.1.2,Review,A.5.1,control\n"
    "A.6,Mixed domain,,domain\n"
    "A.6.1,An objective with controls,A.6,objective\n"
    "A.6.1.1,Control,A.6.1,control\n"
    "A.6.2,A control beside it,A.6,control\n"
    "a.6.2,Same id when lower-cased,A.6,other\n"
    "G,A grouping,,group\n"
    "G-1,Grouped control,G,control\n";

Catalog SmallCatalog() {
  auto r = ParseCsvCatalog(kSmallCsv);
  EXPECT_TRUE(r.ok()) << Describe(r.error());
  Catalog c = std::move(r).value();
  c.key = "example:2026";
  c.title = "Example management system standard";
  c.version = "2026";
  c.publisher = "Example Standards Body";
  for (auto& e : c.entries)
    if (e.ref == "A.5.1.2") e.withdrawn = true;
  return c;
}

// Every value of member `name` anywhere in `j`.
void Collect(const json& j, const std::string& name, std::vector<std::string>& out) {
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (it.key() == name && it->is_string()) out.push_back(it->get<std::string>());
      Collect(*it, name, out);
    }
  } else if (j.is_array()) {
    for (const auto& x : j) Collect(x, name, out);
  }
}

TEST(CatalogIoExportTest, Layout) {
  InitCrypto();
  const json doc = ToOscalCatalog(SmallCatalog(), "2026-01-31T12:00:00Z");
  const json& cat = doc["catalog"];
  // Clauses, domains and objectives are controls (mappings must be able to
  // name them); only a pure grouping is a group.
  ASSERT_EQ(cat["controls"].size(), 4u);
  EXPECT_EQ(cat["controls"][0]["id"], "_4");
  EXPECT_EQ(cat["controls"][0]["class"], "clause");
  EXPECT_EQ(cat["controls"][0]["controls"][0]["id"], "_4.1");
  const json& item = cat["controls"][1]["controls"][0];
  EXPECT_EQ(item["id"], "_5.1_c");
  EXPECT_EQ(item["title"], "5.1 c)");  // the ref stands in for the missing title
  EXPECT_EQ(item["props"], json::parse(R"j([{"name": "label", "value": "5.1 c)"},
                             {"name": "untitled", "ns": "urn:tandem:oscal", "value": "true"}])j"));
  const json& a5 = cat["controls"][2];
  EXPECT_EQ(a5["id"], "a.5");
  EXPECT_EQ(a5["class"], "domain");
  EXPECT_EQ(a5["controls"][0]["id"], "a.5.1");
  EXPECT_EQ(a5["controls"][0]["class"], "objective");
  EXPECT_EQ(a5["controls"][0]["controls"][1]["props"][1],
            json::parse(R"({"name": "status", "value": "withdrawn"})"));
  const json& a6 = cat["controls"][3];
  ASSERT_EQ(a6["controls"].size(), 3u);
  EXPECT_EQ(a6["controls"][0]["controls"][0]["id"], "a.6.1.1");
  EXPECT_EQ(a6["controls"][1]["id"], "a.6.2");
  EXPECT_EQ(a6["controls"][2]["id"], "a.6.2_2");  // the later one of a clash
  ASSERT_EQ(cat["groups"].size(), 1u);
  EXPECT_EQ(cat["groups"][0]["id"], "g");
  EXPECT_EQ(cat["groups"][0]["controls"][0]["id"], "g-1");
  const json& meta = cat["metadata"];
  EXPECT_EQ(meta["title"], "Example management system standard");
  EXPECT_EQ(meta["version"], "2026");
  EXPECT_EQ(meta["oscal-version"], "1.2.1");
  EXPECT_EQ(meta["last-modified"], "2026-01-31T12:00:00Z");
  EXPECT_EQ(meta["parties"][0]["name"], "Example Standards Body");
  EXPECT_EQ(meta["responsible-parties"][0]["party-uuids"][0], meta["parties"][0]["uuid"]);
}

const std::regex kUuid("^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");

TEST(CatalogIoExportTest, RoundTripSmallCatalog) {
  InitCrypto();
  const Catalog c = SmallCatalog();
  auto back = ParseOscalCatalog(ToOscalCatalog(c, "2026-01-31T12:00:00Z").dump());
  ASSERT_TRUE(back.ok()) << Describe(back.error());
  EXPECT_EQ(Describe(back->entries), Describe(c.entries));
  EXPECT_EQ(back->entries, c.entries);
  EXPECT_EQ(back->key, c.key);
  EXPECT_EQ(back->title, c.title);
  EXPECT_EQ(back->version, c.version);
  EXPECT_EQ(back->publisher, c.publisher);
}

TEST(CatalogIoExportTest, RoundTripNist) {
  InitCrypto();
  auto nist = ParseOscalCatalog(NistText());
  ASSERT_TRUE(nist.ok());
  const json doc = ToOscalCatalog(*nist, "2026-01-31T12:00:00Z");
  auto back = ParseOscalCatalog(doc.dump());
  ASSERT_TRUE(back.ok()) << Describe(back.error());
  EXPECT_EQ(back->entries, nist->entries);
  EXPECT_EQ(back->key, nist->key);
  // Ids are unique, and the same as NIST's own.
  std::vector<std::string> ids, nist_ids;
  Collect(doc["catalog"]["groups"], "id", ids);
  EXPECT_EQ(ids.size(), 1209u);
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size());
  const json original = json::parse(NistText());
  for (const auto& g : original["catalog"]["groups"]) {  // ids of groups and controls only
    nist_ids.push_back(g["id"]);
    for (const auto& c : g["controls"]) {
      nist_ids.push_back(c["id"]);
      for (const auto& e : c.value("controls", json::array())) nist_ids.push_back(e["id"]);
    }
  }
  std::sort(ids.begin(), ids.end());
  std::sort(nist_ids.begin(), nist_ids.end());
  EXPECT_EQ(ids, nist_ids);
  std::vector<std::string> uuids;
  Collect(doc, "uuid", uuids);
  ASSERT_EQ(uuids.size(), 1u);  // the catalog's (no publisher in this one)
  EXPECT_TRUE(std::regex_match(uuids[0], kUuid)) << uuids[0];
}

TEST(CatalogIoExportTest, Deterministic) {
  InitCrypto();
  Catalog c = SmallCatalog();
  const std::string a = ToOscalCatalog(c, "2026-01-31T12:00:00Z").dump(2);
  EXPECT_EQ(ToOscalCatalog(c, "2026-01-31T12:00:00Z").dump(2), a);
  const json later = ToOscalCatalog(c, "2026-02-01T08:00:00Z");
  EXPECT_EQ(later["catalog"]["uuid"], json::parse(a)["catalog"]["uuid"])
      << "the date alone does not make another document";
  c.entries[1].title += " and its context";
  EXPECT_NE(ToOscalCatalog(c, "2026-01-31T12:00:00Z")["catalog"]["uuid"],
            json::parse(a)["catalog"]["uuid"]);
  std::vector<std::string> uuids;
  Collect(json::parse(a), "uuid", uuids);
  for (const auto& u : uuids) EXPECT_TRUE(std::regex_match(u, kUuid)) << u;
}

TEST(CatalogIoExportTest, EmptyMetadata) {
  InitCrypto();
  Catalog c;
  c.entries = {{.ref = "1", .title = "One", .kind = "control"}};
  const json meta = ToOscalCatalog(c, "2026-01-31T12:00:00Z")["catalog"]["metadata"];
  EXPECT_EQ(meta["title"], "Untitled catalog");
  EXPECT_EQ(meta["version"], "unspecified");
  EXPECT_FALSE(meta.contains("props"));
  EXPECT_FALSE(meta.contains("parties"));
}

// ---------------------------------------------------------------------------
// Mapping collections

Catalog Target() {
  auto r = ParseCsvCatalog(
      "ref,title,parent,kind\n"
      "6,Planning,,clause\n6.1,Actions,6,clause\n6.3,Planning of changes,6,clause\n"
      "T,Theme,,theme\nT.1,Control,T,control\n");
  EXPECT_TRUE(r.ok());
  Catalog c = std::move(r).value();
  c.key = "target:1";
  c.title = "Target standard";
  c.version = "1";
  return c;
}

TEST(CatalogIoMappingTest, Writes) {
  InitCrypto();
  const Catalog source = SmallCatalog(), target = Target();
  const std::vector<MappingEntry> maps = {
      {.source_ref = "4.1",
       .target_ref = "6.1",
       .relationship = "intersect",
       .source_qualifier = "Para. 1",
       .origin = "Table A.1, row 7",
       .note = "Same subject.",
       .authority = "published"},
      {.source_ref = "5.1 c)", .target_ref = "T.1", .relationship = "subset", .authority = "user"},
      {.source_ref = "A.6.2",
       .target_ref = "6.3",
       .relationship = "equal",
       .target_qualifier = " last\npara. ",
       .authority = "compiled"},
      {.source_ref = "A.6.2", .target_ref = "6.3", .relationship = "equal"},  // the same again
      {.source_ref = "A.5.1.1",
       .relationship = "no-relationship",
       .origin = "TR 20000-7",
       .note = "New here."},
      {.source_ref = "A.6.2", .relationship = "no-relationship"},  // but mapped above
  };
  auto r = ToOscalMappingCollection(source, target, maps, "2026-01-31T12:00:00Z");
  ASSERT_TRUE(r.ok()) << Describe(r.error());
  const json& mc = (*r)["mapping-collection"];
  EXPECT_EQ(mc["metadata"]["title"], "Example management system standard to Target standard");
  EXPECT_EQ(mc["metadata"]["version"], "2026-01-31T12:00:00Z");
  EXPECT_EQ(mc["metadata"]["oscal-version"], "1.2.1");
  EXPECT_EQ(mc["provenance"]["method"], "human");
  EXPECT_EQ(mc["provenance"]["matching-rationale"], "semantic");
  EXPECT_EQ(mc["provenance"]["status"], "not-complete");
  ASSERT_EQ(mc["mappings"].size(), 1u);
  const json& m = mc["mappings"][0];
  const json& res = mc["back-matter"]["resources"];
  ASSERT_EQ(res.size(), 2u);
  EXPECT_EQ(m["source-resource"]["href"], "#" + res[0]["uuid"].get<std::string>());
  EXPECT_EQ(m["target-resource"]["href"], "#" + res[1]["uuid"].get<std::string>());
  EXPECT_EQ(res[0]["props"][0]["value"], "example:2026");
  EXPECT_EQ(res[1]["title"], "Target standard");

  ASSERT_EQ(m["maps"].size(), 4u);
  const json& first = m["maps"][0];
  EXPECT_EQ(first["relationship"], "intersects-with");
  EXPECT_EQ(first["sources"], json::parse(R"([{"type": "control", "id-ref": "_4.1", "props": [
                {"name": "qualifier", "ns": "urn:tandem:oscal", "value": "Para. 1"}]}])"));
  EXPECT_EQ(first["targets"], json::parse(R"([{"type": "control", "id-ref": "_6.1"}])"));
  EXPECT_EQ(first["props"], json::parse(R"([
                {"name": "origin", "ns": "urn:tandem:oscal", "value": "Table A.1, row 7"},
                {"name": "authority", "ns": "urn:tandem:oscal", "value": "published"}])"));
  EXPECT_EQ(first["remarks"], "Same subject.");
  EXPECT_EQ(m["maps"][1]["relationship"], "subset-of");
  EXPECT_EQ(m["maps"][1]["sources"][0]["id-ref"], "_5.1_c");
  EXPECT_EQ(m["maps"][1]["targets"][0]["id-ref"], "t.1");
  EXPECT_EQ(m["maps"][2]["relationship"], "equal-to");
  EXPECT_EQ(m["maps"][2]["targets"][0]["props"][0]["value"], "last para.");
  EXPECT_NE(m["maps"][2]["uuid"], m["maps"][3]["uuid"]);
  // Only A.5.1.1 is unmapped: A.6.2 has maps.
  EXPECT_EQ(m["source-gap-summary"]["unmapped-controls"],
            json::parse(R"([{"with-ids": ["a.5.1.1"]}])"));
  EXPECT_EQ(m["remarks"],
            "No counterpart in Target standard:\n\n- A.5.1.1: (TR 20000-7) New here.");

  std::vector<std::string> uuids;
  Collect(*r, "uuid", uuids);
  EXPECT_EQ(uuids.size(), 9u);  // collection, mapping, 4 maps, gap summary, 2 resources
  EXPECT_EQ(std::set<std::string>(uuids.begin(), uuids.end()).size(), uuids.size());
  for (const auto& u : uuids) EXPECT_TRUE(std::regex_match(u, kUuid)) << u;
  // The same input, the same document.
  auto again = ToOscalMappingCollection(source, target, maps, "2026-01-31T12:00:00Z");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->dump(), r->dump());
}

struct MappingBad {
  const char* name;
  std::vector<MappingEntry> maps;
  MappingProvenance provenance;
  std::string detail;
  std::vector<std::pair<std::string, std::string>> fields;
};

TEST(CatalogIoMappingTest, Errors) {
  InitCrypto();
  const MappingEntry good{.source_ref = "4", .target_ref = "6", .relationship = "intersect"};
  const MappingBad kCases[] = {
      {"refs not in the catalogs",
       {good,
        {.source_ref = "9.9", .target_ref = "6", .relationship = "equal"},
        {.source_ref = "4", .target_ref = "7", .relationship = "equal"}},
       {},
       "2 of 3 maps are invalid",
       {{"maps[1]", "source ref 9.9 is not in Example management system standard"},
        {"maps[2]", "target ref 7 is not in Target standard"}}},
      {"groups cannot be mapped",
       {{.source_ref = "G", .target_ref = "6", .relationship = "equal"}},
       {},
       "1 of 1 maps is invalid",
       {{"maps[0]", "source ref G is a group in the OSCAL catalog"}}},
      {"unknown words",
       {{.source_ref = "4", .target_ref = "6", .relationship = "equivalent", .authority = "me"}},
       {},
       "",
       {{"maps[0]", "unknown relationship \"equivalent\""},
        {"maps[0]", "unknown authority \"me\""}}},
      {"no target but a relationship",
       {good, {.source_ref = "4.1", .relationship = "intersect"}},
       {},
       "",
       {{"maps[1]", "no target: only a no-relationship row may leave it empty"}}},
      {"nothing to map",
       {{.source_ref = "4.1", .relationship = "no-relationship"}},
       {},
       "the mapping cannot be written: maps: nothing to map",
       {{"maps", "nothing to map"}}},
      {"bad provenance",
       {good},
       {.method = "guess", .matching_rationale = "lexical", .status = "done"},
       "",
       {{"provenance.method", "must be human, automation or hybrid"},
        {"provenance.matching_rationale", "must be syntactic, semantic or functional"},
        {"provenance.status", "must be complete, not-complete"}}},
  };
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.name);
    auto r = ToOscalMappingCollection(SmallCatalog(), Target(), c.maps, "2026-01-31T12:00:00Z",
                                      c.provenance);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kValidation);
    EXPECT_NE(r.error().detail.find(c.detail), std::string::npos) << r.error().detail;
    ASSERT_EQ(r.error().fields.size(), c.fields.size()) << Describe(r.error());
    for (size_t i = 0; i < c.fields.size(); ++i) {
      EXPECT_EQ(r.error().fields[i].field, c.fields[i].first);
      EXPECT_NE(r.error().fields[i].message.find(c.fields[i].second), std::string::npos)
          << r.error().fields[i].message;
    }
  }
}

}  // namespace
}  // namespace tandem::domains

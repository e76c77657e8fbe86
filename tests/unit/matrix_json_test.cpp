// The traceability matrix's JSON text (GET /traceability), written without a
// JSON tree: it must parse, say what the API contract says, escape what JSON
// requires, and never show a reader what need-to-know hides from them.
#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/json_text.h"
#include "domains/standards/index.h"
#include "domains/standards/queries.h"

namespace tandem {
namespace {

using nlohmann::json;
using namespace std::string_literals;

// What json::dump() writes for `s` (the server's serializer before the
// direct writer; invalid UTF-8 replaced).
std::string Dumped(const std::string& s) {
  return json(s).dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string Appended(const std::string& s) {
  std::string out = "x";  // appends, keeping what is there
  AppendJsonString(out, s);
  return out.substr(1);
}

TEST(JsonTextTest, EscapesAsDumpDoes) {
  const std::vector<std::string> cases = {
      "",
      "plain text",
      "quote \" backslash \\ slash /",
      "\b\f\n\r\t",
      "nul \0 one \x01 unit \x1f del \x7f"s,
      "Über — 情報 😀 \xF4\x8F\xBF\xBF",  // up to U+10FFFF
      "</script>",
      // Ill-formed UTF-8: a lone continuation byte, a cut sequence, overlong
      // forms, a surrogate, beyond U+10FFFF, bytes never used.
      "a\x80z",
      "cut \xE2\x82",
      "cut at the end \xF0\x9F\x98",
      "overlong \xC0\xAF and \xE0\x80\xAF",
      "surrogate \xED\xA0\x80",
      "too large \xF4\x90\x80\x80",
      "never \xF5\xFE\xFF",
  };
  for (const auto& s : cases) EXPECT_EQ(Appended(s), Dumped(s)) << s;
  // Every single byte, and every byte after a lead byte.
  for (int b = 0; b < 256; ++b) {
    const std::string one(1, static_cast<char>(b));
    EXPECT_EQ(Appended(one), Dumped(one)) << b;
    for (int lead : {0xC3, 0xE2, 0xF0}) {
      const std::string two = {static_cast<char>(lead), static_cast<char>(b)};
      EXPECT_EQ(Appended(two), Dumped(two)) << lead << " " << b;
    }
  }
}

TEST(JsonTextTest, Numbers) {
  std::string out;
  AppendJsonInt(out, 0);
  out += ',';
  AppendJsonInt(out, -42);
  out += ',';
  AppendJsonInt(out, 9007199254740993);
  EXPECT_EQ(out, "0,-42,9007199254740993");
  out.clear();
  AppendJsonStringOrNull(out, "");
  AppendJsonStringOrNull(out, "a");
  EXPECT_EQ(out, "null\"a\"");
}

// Two standards, a clause with a subclause, a withdrawn and an excluded
// requirement, and elements whose text needs escaping.
std::shared_ptr<domains::StandardsSnapshot> Snapshot() {
  auto s = std::make_shared<domains::StandardsSnapshot>();
  auto standard = [&](int64_t id, std::string key, std::string title, std::string edition) {
    domains::StandardEntry e{id};
    e.number = "STD-" + std::to_string(id);
    e.key = std::move(key);
    e.title = std::move(title);
    e.edition = std::move(edition);
    e.management_system = "isms";
    e.verification = "unverified";
    s->standards[id] = e;
  };
  standard(1, "t:1", "Tést \"quoted\" \\ back", "");
  standard(2, "u:2", "Other", "2026");
  auto requirement = [&](int64_t id, int64_t standard, std::string ref, std::string title,
                         std::string parent_ref, std::string kind, std::string sort_key) {
    domains::RequirementEntry r{id, standard};
    r.number = "REQ-" + std::to_string(id);
    r.ref = std::move(ref);
    r.title = std::move(title);
    r.parent_ref = std::move(parent_ref);
    r.kind = std::move(kind);
    r.sort_key = std::move(sort_key);
    r.applicability = "applicable";
    s->requirements.Mut()[id] = r;
  };
  requirement(10, 1, "1", "Context\tand \"scope\"", "", "clause", "01");
  requirement(11, 1, "1.1", "Ctl \x01\x1f Über — 情報 😀", "1", "clause", "02");
  requirement(12, 1, "2", "Gone", "", "clause", "03");
  s->requirements.Mut()[12].withdrawn = true;
  requirement(13, 1, "3", "", "", "control", "04");
  s->requirements.Mut()[13].applicability = "not_applicable";
  s->requirements.Mut()[13].justification = "Not used\nat all";
  requirement(14, 1, "4", "Four", "", "control", "05");
  requirement(20, 2, "X", "Other requirement", "", "clause", "01");
  auto element = [&](int64_t id, std::string title, std::string kind, std::string state) {
    domains::ElementEntry e{id};
    e.number = "EL-" + std::to_string(id);
    e.title = std::move(title);
    e.kind = std::move(kind);
    e.state = std::move(state);
    e.integration = "merged";
    s->elements[id] = e;
  };
  element(100, "Back\\slash </script> \x7f", "policy", "approved");
  element(101, "Plan ü", "plan", "draft");
  element(102, "Old", "other", "retired");
  auto trace = [&](int64_t id, int64_t element, int64_t requirement, std::string extent,
                   std::string note = "") {
    domains::TraceEntry t{id, element, requirement, s->requirements->at(requirement).standard};
    t.number = "TR-" + std::to_string(id);
    t.extent = std::move(extent);
    t.note = std::move(note);
    s->traces[id] = t;
  };
  trace(1000, 100, 11, "fully", "line1\r\nline2");
  trace(1001, 101, 11, "partly");
  trace(1002, 100, 20, "fully");
  trace(1003, 102, 14, "fully");  // to a retired element: left out
  trace(1004, 101, 14, "partly");
  // Evidence on 2026-11-23: current for the claim of trace 1000; expired for
  // element 101 as a whole (so for each of its claims); one only requested.
  s->evidence[50] = {50, 100, 1000, "current", "2027-01-01", ""};
  s->evidence[51] = {51, 101, 0, "current", "2026-01-01", ""};
  s->evidence[52] = {52, 101, 0, "requested", "", ""};
  return s;
}

records::Actor Reader(std::set<std::string, std::less<>> groups = {}, bool evidence = true) {
  auto grants = std::make_shared<records::Grants>();
  for (const char* t : {"standard", "requirement", "correspondence", "element", "trace"})
    (*grants)[t].actions = records::Bit(records::Action::kRead);
  if (evidence) (*grants)["evidence"].actions = records::Bit(records::Action::kRead);
  records::Actor a;
  a.name = "reader";
  a.grants = std::move(grants);
  a.groups = std::move(groups);
  return a;
}

std::string Body(std::shared_ptr<domains::StandardsSnapshot> s, const records::Actor& reader) {
  s->Link();
  domains::SnapshotView view(std::move(s), reader, "2026-11-23");
  auto m = domains::BuildMatrix(view, "t:1");
  EXPECT_TRUE(m.ok());
  if (!m.ok()) return "";
  std::string text = domains::MatrixJson(view, *m);
  // The shared elements the XLSX export lists are those of the JSON.
  json shared = json::array();
  for (const auto& e : domains::SharedElements(view, *m))
    shared.push_back({{"id", e.element->id},
                      {"number", e.element->number},
                      {"title", e.element->title},
                      {"kind", e.element->kind},
                      {"requirements", e.requirements},
                      {"standards", e.standards}});
  EXPECT_EQ(json::parse(text)["shared_elements"], shared);
  return text;
}

json Element(int64_t id, const std::string& title, const std::string& state,
             const std::string& extent, int64_t trace, const json& evidence) {
  return {{"id", id},
          {"number", "EL-" + std::to_string(id)},
          {"title", title},
          {"state", state},
          {"extent", extent},
          {"trace", "TR-" + std::to_string(trace)},
          {"evidence", evidence}};
}

TEST(MatrixJsonTest, ParsesToTheContract) {
  auto s = Snapshot();
  const std::string text = Body(s, Reader());
  json expected_el100 =
      Element(100, "Back\\slash </script> \x7f", "approved", "fully", 1000, "current");
  expected_el100["note"] = "line1\r\nline2";
  const json expected = {
      {"standard",
       {{"id", "t:1"},
        {"title", "Tést \"quoted\" \\ back"},
        {"edition", nullptr},
        {"verification", "unverified"}}},
      {"summary",
       {{"requirements", 4},
        {"covered", 2},
        {"partial", 1},
        {"gaps", 0},
        {"not_applicable", 1},
        {"withdrawn", 1},
        {"evidence_current", 2},
        {"evidence_missing", 0}}},
      {"rows",
       {{{"ref", "1"},
         {"title", "Context\tand \"scope\""},
         {"kind", "clause"},
         {"parent", nullptr},
         {"status", "covered"},
         {"evidence", "current"},
         {"from_parts", true},
         {"elements", json::array()}},
        {{"ref", "1.1"},
         {"title", "Ctl \x01\x1f Über — 情報 😀"},
         {"kind", "clause"},
         {"parent", "1"},
         {"status", "covered"},
         {"evidence", "current"},
         {"elements",
          {expected_el100, Element(101, "Plan ü", "draft", "partly", 1001, "expired")}}},
        {{"ref", "3"},
         {"title", nullptr},
         {"kind", "control"},
         {"parent", nullptr},
         {"status", "not_applicable"},
         {"evidence", nullptr},
         {"justification", "Not used\nat all"},
         {"elements", json::array()}},
        {{"ref", "4"},
         {"title", "Four"},
         {"kind", "control"},
         {"parent", nullptr},
         {"status", "partial"},
         {"evidence", "expired"},
         {"elements", {Element(101, "Plan ü", "draft", "partly", 1004, "expired")}}}}},
      {"shared_elements",
       {{{"id", 100},
         {"number", "EL-100"},
         {"title", "Back\\slash </script> \x7f"},
         {"kind", "policy"},
         {"requirements", 1},
         {"standards", {"t:1", "u:2"}}}}}};
  const json parsed = json::parse(text);
  EXPECT_EQ(parsed, expected) << parsed.dump(2);
  // Byte for byte what json::dump() writes: keys in its order, its escapes.
  EXPECT_EQ(text, parsed.dump());
  EXPECT_NE(text.find(R"("Ctl \u0001\u001f Über — 情報 😀")"), std::string::npos) << text;
  EXPECT_NE(text.find(R"("line1\r\nline2")"), std::string::npos) << text;
  EXPECT_NE(text.find(R"("Back\\slash </script> )"
                      "\x7f\""),
            std::string::npos)
      << text;
  EXPECT_NE(text.find(R"("Tést \"quoted\" \\ back")"), std::string::npos) << text;
}

TEST(MatrixJsonTest, NeedToKnowHidesWhatTheReaderMayNotSee) {
  auto s = Snapshot();
  // An operating element restricted to a group, covering requirement 4; and a
  // restricted trace that would make element 101 serve two standards.
  domains::ElementEntry secret{103};
  secret.number = "EL-103";
  secret.title = "Secret thing";
  secret.kind = "control";
  secret.state = "operating";
  secret.restricted_to = "red";
  s->elements[103] = secret;
  s->traces[1005] = {1005, 103, 14, 1, "TR-1005", "fully", "", ""};
  s->traces[1006] = {1006, 103, 20, 2, "TR-1006", "fully", "", ""};
  s->traces[1007] = {1007, 101, 20, 2, "TR-1007", "partly", "", "red"};

  const std::string outside = Body(std::make_shared<domains::StandardsSnapshot>(*s), Reader());
  for (const char* hidden : {"Secret thing", "EL-103", "TR-1005", "TR-1006", "TR-1007"})
    EXPECT_EQ(outside.find(hidden), std::string::npos) << hidden;
  json o = json::parse(outside);
  EXPECT_EQ(o["rows"][3]["status"], "partial");
  EXPECT_EQ(o["rows"][3]["elements"].size(), 1u);
  EXPECT_EQ(o["summary"]["covered"], 2);
  ASSERT_EQ(o["shared_elements"].size(), 1u);
  EXPECT_EQ(o["shared_elements"][0]["id"], 100);

  const std::string inside = Body(s, Reader({"red"}));
  json i = json::parse(inside);
  EXPECT_EQ(i["rows"][3]["status"], "covered");
  ASSERT_EQ(i["rows"][3]["elements"].size(), 2u);
  EXPECT_EQ(i["rows"][3]["elements"][1]["number"], "EL-103");
  EXPECT_EQ(i["summary"]["covered"], 3);
  ASSERT_EQ(i["shared_elements"].size(), 3u);
  EXPECT_EQ(i["shared_elements"][1]["id"], 101);
  EXPECT_EQ(i["shared_elements"][1]["requirements"], 2);
  EXPECT_EQ(i["shared_elements"][1]["standards"], json({"t:1", "u:2"}));
  EXPECT_EQ(i["shared_elements"][2]["number"], "EL-103");
  EXPECT_EQ(inside, i.dump());
}

// Covered is not proven: the evidence behind the claims that cover a
// requirement (not the partial ones beside them) decides, and a reader who
// may not read evidence is told nothing of it.
TEST(MatrixJsonTest, EvidenceBacksTheClaimsThatCover) {
  auto s = Snapshot();
  s->evidence[50].valid_until = "2026-11-22";  // the claim of trace 1000 expired yesterday
  json expired = json::parse(Body(std::make_shared<domains::StandardsSnapshot>(*s), Reader()));
  EXPECT_EQ(expired["rows"][1]["evidence"], "expired");
  EXPECT_EQ(expired["rows"][0]["evidence"], "expired");  // from its part
  EXPECT_EQ(expired["summary"]["evidence_current"], 0);
  EXPECT_EQ(expired["summary"]["evidence_missing"], 2);

  s->evidence.erase(50);
  s->evidence[53] = {53, 100, 1002, "current", "", ""};  // another claim's evidence
  s->evidence[54] = {54, 100, 0, "current", "", "red"};  // need-to-know
  json missing = json::parse(Body(std::make_shared<domains::StandardsSnapshot>(*s), Reader()));
  EXPECT_EQ(missing["rows"][1]["evidence"], "missing");
  EXPECT_EQ(missing["rows"][1]["elements"][0]["evidence"], "missing");
  EXPECT_EQ(missing["summary"]["evidence_missing"], 2);
  json inside =
      json::parse(Body(std::make_shared<domains::StandardsSnapshot>(*s), Reader({"red"})));
  EXPECT_EQ(inside["rows"][1]["evidence"], "current");

  json blind = json::parse(Body(s, Reader({}, false)));
  EXPECT_EQ(blind["rows"][1]["status"], "covered");
  EXPECT_EQ(blind["rows"][1]["evidence"], nullptr);
  EXPECT_EQ(blind["rows"][1]["elements"][0]["evidence"], nullptr);
  EXPECT_EQ(blind["summary"]["evidence_current"], nullptr);
  EXPECT_EQ(blind["summary"]["evidence_missing"], nullptr);
}

}  // namespace
}  // namespace tandem

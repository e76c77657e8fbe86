// ToOscalSsp on hand-made statements: odd and broken input gives an error or
// a well-formed plan, never a crash. Schema validity of real statements is
// checked by oscal_schema_validation (tests/oscal).
#include "domains/standards/oscal_ssp.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>

namespace tandem::domains {
namespace {

using nlohmann::json;

// Named CatalogIo* so that `ctest -R catalog_io` runs it with the other
// OSCAL writers' tests.

json Statement() {
  return json::parse(R"J({
    "soa": {"id": 7, "number": "SOA-000007", "title": "Statement\nof  Applicability",
            "revision": 3, "state": "approved", "standard": "acme base:2026",
            "approved_by": "otto", "approved_at": "2026-11-23T09:00:01.000Z",
            "change_summary": null},
    "frozen": true,
    "rows": [
      {"ref": "C-1", "title": "Access", "entry": 11, "applicability": "applicable",
       "reasons": ["legal", 5], "justification": null, "implementation": "not_implemented",
       "note": "  Board decision pending  ",
       "elements": [{"id": 4, "number": "EL-000004", "title": "Access policy",
                     "kind": "record_type", "state": "draft", "extent": "partly"},
                    {"id": 5, "title": null, "kind": null, "state": null, "extent": null}],
       "risks": [{"id": 1, "number": "RSK-000001", "title": "Stolen laptop"}, {"id": 2}]},
      {"ref": "C-2", "entry": null, "applicability": null, "elements": "oops"},
      {"ref": "5.1 c)", "entry": 12, "applicability": "not_applicable",
       "justification": "Not done here", "elements": [{"id": 4, "number": "EL-000004",
       "title": "Access policy", "kind": "record_type", "state": "draft", "extent": "fully"}]}
    ]})J");
}

const json& Plan(const json& doc) { return doc.at("system-security-plan"); }

TEST(CatalogIoSsp, WritesOddButValidInput) {
  auto r = ToOscalSsp(Statement(), "2026-01-31T12:00:00Z");
  ASSERT_TRUE(r.ok()) << r.error().detail;
  const json& ssp = Plan(*r);
  EXPECT_EQ(ssp["metadata"]["title"], "Statement of Applicability, revision 3");
  EXPECT_EQ(ssp["metadata"]["version"], "3");
  EXPECT_EQ(ssp["metadata"]["published"], "2026-11-23T09:00:01.000Z");
  EXPECT_FALSE(ssp["metadata"].contains("remarks"));
  EXPECT_EQ(ssp["back-matter"]["resources"][0]["rlinks"][0]["href"],
            "/api/v1/standards/acme%20base:2026/oscal");
  EXPECT_EQ(ssp["import-profile"]["href"],
            "#" + ssp["back-matter"]["resources"][0]["uuid"].get<std::string>());

  const json& reqs = ssp["control-implementation"]["implemented-requirements"];
  ASSERT_EQ(reqs.size(), 2u);  // C-2 has no entry
  EXPECT_NE(
      ssp["control-implementation"]["description"].get<std::string>().find("left out here: C-2."),
      std::string::npos);
  EXPECT_EQ(reqs[0]["control-id"], "c-1");
  EXPECT_EQ(reqs[1]["control-id"], "_5.1_c");
  const std::regex token("^[A-Za-z_][A-Za-z0-9._-]*$");
  for (const auto& req : reqs)
    EXPECT_TRUE(std::regex_match(req["control-id"].get<std::string>(), token));

  // not_implemented is OSCAL's planned; Tandem's value is kept beside it.
  auto prop = [](const json& item, const std::string& name) {
    std::vector<std::string> out;
    for (const auto& p : item.value("props", json::array()))
      if (p["name"] == name) out.push_back(p["value"]);
    return out;
  };
  EXPECT_EQ(prop(reqs[0], "implementation-status"), std::vector<std::string>{"planned"});
  EXPECT_EQ(prop(reqs[0], "implementation"), std::vector<std::string>{"not_implemented"});
  EXPECT_EQ(prop(reqs[0], "inclusion-reason"), std::vector<std::string>{"legal"});
  EXPECT_EQ(prop(reqs[0], "risk"), std::vector<std::string>{"RSK-000001"});
  EXPECT_EQ(reqs[0]["remarks"], "How it is implemented: Board decision pending");
  EXPECT_EQ(prop(reqs[1], "implementation-status"), std::vector<std::string>{"not-applicable"});
  EXPECT_EQ(reqs[1]["by-components"][0]["implementation-status"]["state"], "not-applicable");
  EXPECT_EQ(reqs[1]["remarks"], "Justification: Not done here");

  // this-system and two elements; an element in two rows is one component.
  const json& components = ssp["system-implementation"]["components"];
  ASSERT_EQ(components.size(), 3u);
  EXPECT_EQ(components[0]["type"], "this-system");
  EXPECT_EQ(components[1]["type"], "record-type");
  EXPECT_EQ(components[1]["status"]["state"], "under-development");
  EXPECT_EQ(components[2]["type"], "other");
  EXPECT_EQ(components[2]["title"], "#5");
  EXPECT_EQ(components[2]["status"]["state"], "other");
  EXPECT_EQ(reqs[1]["by-components"][1]["component-uuid"], components[1]["uuid"]);
  EXPECT_EQ(reqs[0]["by-components"].size(), 3u);
}

TEST(CatalogIoSsp, UuidFollowsContentNotDate) {
  auto a = ToOscalSsp(Statement(), "2026-01-31T12:00:00Z");
  auto b = ToOscalSsp(Statement(), "2027-02-01T00:00:00Z");
  json changed = Statement();
  changed["rows"][0]["implementation"] = "implemented";
  auto c = ToOscalSsp(changed, "2026-01-31T12:00:00Z");
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_EQ(Plan(*a)["uuid"], Plan(*b)["uuid"]);
  EXPECT_NE(Plan(*a)["uuid"], Plan(*c)["uuid"]);
  // Subjects keep their UUIDs: the control's requirement, the system.
  EXPECT_EQ(Plan(*a)["control-implementation"]["implemented-requirements"][0]["uuid"],
            Plan(*c)["control-implementation"]["implemented-requirements"][0]["uuid"]);
}

TEST(CatalogIoSsp, DraftIsNotOperational) {
  json s = Statement();
  s["soa"]["state"] = "draft";
  s["soa"]["approved_at"] = nullptr;
  s["soa"]["change_summary"] = "New controls";
  auto r = ToOscalSsp(s, "2026-01-31T12:00:00Z");
  ASSERT_TRUE(r.ok());
  const json& ssp = Plan(*r);
  EXPECT_EQ(ssp["system-characteristics"]["status"]["state"], "other");
  EXPECT_FALSE(ssp["metadata"].contains("published"));
  EXPECT_EQ(ssp["metadata"]["remarks"], "Changes in this version: New controls");
  for (const auto& p : ssp["metadata"]["props"]) EXPECT_NE(p["name"], "approved-by");
}

TEST(CatalogIoSsp, RefusesWhatIsNoStatement) {
  for (const char* text :
       {"null", "[]", "{}", R"({"soa": {}, "rows": []})", R"({"soa": 3, "rows": []})",
        R"({"soa": {"standard": "x:1"}, "rows": {}})", R"({"soa": {"standard": "  "}, "rows": []})",
        R"({"soa": {"standard": "x:1"}, "rows": [{"ref": "A", "entry": null}]})",
        R"({"soa": {"standard": "x:1"}, "rows": [{"entry": 1}, 7]})"}) {
    auto r = ToOscalSsp(json::parse(text), "2026-01-31T12:00:00Z");
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.error().code, ErrorCode::kValidation) << text;
  }
  auto none = ToOscalSsp(json::parse(R"({"soa": {"standard": "x:1", "number": "SOA-000001"},
                                         "rows": [{"ref": "A", "entry": null}]})"),
                         "2026-01-31T12:00:00Z");
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.error().detail.find("nothing to export: SOA-000001"), std::string::npos);
}

}  // namespace
}  // namespace tandem::domains

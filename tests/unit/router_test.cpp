// The API's route table (http/router.h) and the web UI's extension points
// (web/extensions.h): matching, methods, parameters, and the declarations
// they refuse.
#include "http/router.h"

#include <gtest/gtest.h>

#include "core/url.h"
#include "web/extensions.h"

namespace tandem {
namespace {

using http::Route;
using http::Router;
using nlohmann::json;

http::Handler Named(std::string) {
  return [](http::Call&) { return Status::Ok(); };
}

Router Routes() {
  Router r;
  for (auto [method, path] : std::initializer_list<std::pair<const char*, const char*>>{
           {"GET", "/standards"},
           {"POST", "/standards"},
           {"GET", "/standards/{id}"},
           {"PATCH", "/standards/{id}"},
           {"POST", "/standards/import"},
           {"GET", "/standards/{key}/oscal"},
           {"GET", "/standards/{id}/links"},
           {"DELETE", "/standards/{id}/links/{link_id}"},
           {"GET", "/health"},
       })
    r.Add({method, path, Named(path), {{"operationId", std::string(method) + path}}});
  return r;
}

TEST(Router, FindsTheRouteAndItsParameters) {
  const Router r = Routes();
  struct Case {
    const char* method;
    const char* path;
    const char* route;  // "" when none
    std::vector<std::string> params;
    const char* allow = "";
  };
  const Case cases[] = {
      {"GET", "/standards", "/standards", {}},
      {"POST", "/standards", "/standards", {}},
      {"GET", "/standards/iso27001:2022", "/standards/{id}", {"iso27001:2022"}},
      // A literal segment wins over a parameter, whatever the order of Add.
      {"POST", "/standards/import", "/standards/import", {}},
      {"GET", "/standards/import", "/standards/{id}", {"import"}},
      {"GET", "/standards/iso/oscal", "/standards/{key}/oscal", {"iso"}},
      {"DELETE", "/standards/7/links/12", "/standards/{id}/links/{link_id}", {"7", "12"}},
      // The path exists, the method does not: the methods it has.
      {"PUT", "/standards", "", {}, "GET, POST"},
      {"DELETE", "/standards/7", "", {}, "GET, PATCH"},
      {"POST", "/health", "", {}, "GET"},
      // No such path.
      {"GET", "/nothing", "", {}},
      {"GET", "/standards/7/links/12/more", "", {}},
      {"GET", "/", "", {}},
  };
  for (const Case& c : cases) {
    const auto m = r.Find(c.method, PathSegments(c.path));
    const std::string where = std::string(c.method) + " " + c.path;
    if (*c.route == '\0') {
      EXPECT_EQ(m.route, nullptr) << where;
      EXPECT_EQ(m.allow, c.allow) << where;
      continue;
    }
    ASSERT_NE(m.route, nullptr) << where;
    EXPECT_EQ(m.route->path, c.route) << where;
    EXPECT_EQ(m.params, c.params) << where;
    EXPECT_EQ(m.allow, "") << where;
  }
}

TEST(Router, RefusesMalformedAndDuplicateRoutes) {
  struct Case {
    const char* what;
    Route route;
  };
  const Case cases[] = {
      {"declared twice", {"GET", "/standards/{other}", Named("x"), json::object()}},
      {"parameter first", {"GET", "/{collection}", Named("x"), json::object()}},
      {"no leading slash", {"GET", "standards", Named("x"), json::object()}},
      {"broken parameter", {"GET", "/standards/{id", Named("x"), json::object()}},
      {"unknown method", {"FETCH", "/standards", Named("x"), json::object()}},
      {"no handler", {"GET", "/other", nullptr, json::object()}},
  };
  for (const Case& c : cases) {
    Router r = Routes();
    EXPECT_THROW(r.Add(c.route), std::logic_error) << c.what;
  }
  Router r = Routes();
  EXPECT_NO_THROW(r.Add({"PUT", "/standards/{id}", Named("x"), json::object()}));
  r.AddSchema("Thing", {{"type", "object"}});
  EXPECT_NO_THROW(r.AddSchema("Thing", {{"type", "object"}}));
  EXPECT_THROW(r.AddSchema("Thing", {{"type", "string"}}), std::logic_error);
}

TEST(Router, DescribesEveryOperationWithItsPathParameters) {
  Router r = Routes();
  json doc = {
      {"paths", json::object()},
      {"components",
       {{"parameters", {{"RecordId", {{"name", "id"}, {"in", "path"}, {"required", true}}}}}}}};
  r.Add({"GET",
         "/things/{id}",
         Named("x"),
         {{"operationId", "get_thing"},
          {"parameters", {{{"$ref", "#/components/parameters/RecordId"}}}}}});
  r.Describe(doc);
  const json& oscal = doc["paths"]["/api/v1/standards/{key}/oscal"]["get"];
  EXPECT_EQ(oscal["operationId"], "GET/standards/{key}/oscal");
  ASSERT_EQ(oscal["parameters"].size(), 1u);
  EXPECT_EQ(oscal["parameters"][0]["name"], "key");
  EXPECT_EQ(oscal["parameters"][0]["in"], "path");
  // A parameter the operation declares (here by reference) is not added again.
  EXPECT_EQ(doc["paths"]["/api/v1/things/{id}"]["get"]["parameters"].size(), 1u);
  EXPECT_EQ(doc["paths"]["/api/v1/standards/{id}/links/{link_id}"]["delete"]["parameters"].size(),
            2u);
}

TEST(Extensions, SectionsPanelsAndHints) {
  web::Extensions ext;
  auto page = [](web::Page&) { return Status::Ok(); };
  ext.AddSection({"standards", "Standards", true, page});
  EXPECT_THROW(ext.AddSection({"standards", "", false, page}), std::logic_error);
  EXPECT_THROW(ext.AddSection({"admin", "", false, page}), std::logic_error);
  EXPECT_THROW(ext.AddSection({"r", "", false, page}), std::logic_error);
  ASSERT_NE(ext.Section("standards"), nullptr);
  EXPECT_TRUE(ext.Section("standards")->carries_forms);
  EXPECT_EQ(ext.Section("standard"), nullptr);

  auto part = [](web::Panel&) {};
  EXPECT_THROW(ext.AddPanelPart({"pms", 1, part}), std::logic_error);
  ext.AddPanelPart({"sms", 30, part});
  ext.AddPanelPart({"sms", 10, part});
  ext.AddPanelPart({"isms", 5, part});
  ext.AddPanelPart({"sms", 10, part});
  const auto sms = ext.PartsOf("sms");
  ASSERT_EQ(sms.size(), 3u);
  EXPECT_EQ(sms[0]->rank, 10);
  EXPECT_EQ(sms[1]->rank, 10);
  EXPECT_EQ(sms[2]->rank, 30);

  const model::RecordType type{.name = "asset"};
  const model::FieldDecl field{.name = "availability"};
  EXPECT_FALSE(ext.HintFor(type, &field));
  ext.AddHints([](const model::RecordType&, const model::FieldDecl* f) -> std::optional<web::Hint> {
    if (!f) return web::Hint{"About assets.", "/glossary"};
    return web::Hint{"Two meanings.", ""};
  });
  ext.AddHints([](const model::RecordType&, const model::FieldDecl* f) -> std::optional<web::Hint> {
    if (!f) return std::nullopt;
    return web::Hint{"Measured per service.", "/capacity"};
  });
  EXPECT_EQ(ext.HintFor(type, nullptr)->text, "About assets.");
  const auto both = ext.HintFor(type, &field);
  EXPECT_EQ(both->text, "Two meanings. Measured per service.");
  EXPECT_EQ(both->href, "/capacity");
}

}  // namespace
}  // namespace tandem

// The scopes module: scope hooks and the comparison of the ISMS and SMS
// scopes in force (ISO/IEC 27013 5.2), GET /scopes/overlap.
#include "domains/module.h"

#include "domains/scopes/scopes.h"
#include "http/call.h"
#include "http/openapi.h"
#include "http/router.h"

namespace tandem::domains {

namespace {

using nlohmann::json;
using namespace http::oas;

class Scopes : public Module {
 public:
  std::string_view name() const override { return "scopes"; }

  void AddHooks(records::HookRegistry& hooks) const override { RegisterScopeHooks(hooks); }

  void DeclareNames(NameCheck& names) const override {
    names.Fields("scope", {"management_system", "period", "title"})
        .Values("scope", "management_system", {"isms", "sms", "qms"})
        .States("scope", {"approved"})
        .Fields("scope_item", {"scope", "kind", "org_unit", "location", "service", "process",
                               "asset", "supplier", "member", "summary", "management_system"})
        .Values("scope_item", "kind",
                {"org_unit", "location", "service", "process", "asset", "supplier"})
        .Fields("element", {"operator"});
  }

  void Serve(ServeContext& ctx) override {
    json overlap = Op("scope_overlap", "What the ISMS and SMS scopes in force cover, compared",
                      "Scope", json::object());
    const json members = {{"type", "object"},
                          {"properties",
                           {{"in_both", ArrayOf({{"type", "object"}})},
                            {"isms_only", ArrayOf({{"type", "object"}})},
                            {"sms_only", ArrayOf({{"type", "object"}})}}}};
    overlap["responses"]["200"] = Response(
        "Members by kind and the warnings ISO/IEC 27013 5.2 implies",
        Output({{"scopes", {{"type", "object"}}},
                {"kinds", {{"type", "object"}, {"additionalProperties", members}}},
                {"warnings", ArrayOf(Output({{"code",
                                              {{"type", "string"},
                                               {"enum",
                                                {"service-outside-isms",
                                                 "process-operated-by-other-party", "no-scope"}}}},
                                             {"member", {{"type", {"object", "null"}}}},
                                             {"message", String()}}))}}));
    records::Engine* e = &ctx.engine;
    ctx.api.Add({"GET", "/scopes/overlap",
                 [e](http::Call& c) -> Status {
                   TANDEM_ASSIGN_OR_RETURN(json out, ScopeOverlap(*e, c.actor()));
                   return http::Reply(c, 200, out);
                 },
                 overlap});
  }
};

}  // namespace

std::unique_ptr<Module> ScopesModule() { return std::make_unique<Scopes>(); }

}  // namespace tandem::domains

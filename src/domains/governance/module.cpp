// The governance module: nonconformity and document hooks, and each
// management system's nonconformities and documents on its panel (those of
// the whole IMS in every panel).
#include "domains/module.h"

#include "domains/domains.h"
#include "web/extensions.h"
#include "web/panel.h"

namespace tandem::domains {

namespace {

// The nonconformities and documents of management system `ms` ("isms",
// "sms" or "qms"), those of the whole IMS included.
void Governance(web::Panel& panel, const std::string& ms) {
  const std::string today = panel.today();
  const web::Panel::Params nc = {{"filter[management_system][in]", ms + ",ims"},
                                 {"filter[state][ne]", "closed"}};
  panel.CountFigure("Open nonconformities", "nonconformity", nc, false);
  web::Panel::Params overdue = nc;
  overdue.emplace("filter[due_date][lt]", today);
  panel.CountFigure("Corrective actions overdue", "nonconformity", overdue);
  panel.CountFigure("Documents overdue for review", "document",
                    {{"filter[for_" + ms + "]", "true"},
                     {"filter[state][ne]", "retired"},
                     {"filter[review_date][lt]", today}});
}

class GovernanceMod : public Module {
 public:
  std::string_view name() const override { return "governance"; }

  void AddHooks(records::HookRegistry& hooks) const override { RegisterGovernanceHooks(hooks); }

  void DeclareNames(NameCheck& names) const override {
    names
        .Fields("nonconformity",
                {"root_cause", "corrective_action", "effectiveness_review", "due_date"})
        .Values("nonconformity", "management_system", {"isms", "sms", "qms", "ims"})
        .States("nonconformity", {"closed"})
        .Transitions("nonconformity", {"plan_action", "close"})
        .Fields("document", {"owner", "doc_version", "approved_on", "review_date", "for_isms",
                             "for_sms", "for_qms"})
        .States("document", {"retired"})
        .Transitions("document", {"approve", "revise"});
  }

  void Serve(ServeContext& ctx) override {
    for (const char* ms : web::kPanels)
      ctx.web.AddPanelPart({ms, 60, [ms = std::string(ms)](web::Panel& p) { Governance(p, ms); }});
  }
};

}  // namespace

std::unique_ptr<Module> GovernanceModule() { return std::make_unique<GovernanceMod>(); }

}  // namespace tandem::domains

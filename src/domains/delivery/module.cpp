// The delivery module: agreement and service hooks, and the supplier and
// agreement figures of the SMS panel.
#include "domains/module.h"

#include "domains/domains.h"
#include "web/extensions.h"
#include "web/panel.h"

namespace tandem::domains {

namespace {

class Delivery : public Module {
 public:
  std::string_view name() const override { return "delivery"; }

  void AddHooks(records::HookRegistry& hooks) const override { RegisterDeliveryHooks(hooks); }

  void DeclareNames(NameCheck& names) const override {
    names
        .Fields("agreement", {"availability_target", "p1_resolution_minutes",
                              "security_incident_notice_hours", "starts_on", "ends_on"})
        .States("agreement", {"agreed"})
        .Fields("service", {"availability_target"})
        .Fields("supplier", {"next_review"})
        .States("supplier", {"terminated"});
  }

  void Serve(ServeContext& ctx) override {
    ctx.web.AddPanelPart(
        {"sms", 50, [](web::Panel& p) {
           p.CountFigure(
               "Supplier reviews overdue", "supplier",
               {{"filter[state][ne]", "terminated"}, {"filter[next_review][lt]", p.today()}});
           p.CountFigure("Agreements past their end date, not renewed or expired", "agreement",
                         {{"filter[state]", "agreed"}, {"filter[ends_on][lt]", p.today()}});
         }});
  }
};

}  // namespace

std::unique_ptr<Module> DeliveryModule() { return std::make_unique<Delivery>(); }

}  // namespace tandem::domains

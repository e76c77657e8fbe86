#include "app/app.h"

#include "core/hash.h"
#include "domains/domains.h"
#include "domains/standards/catalogs.h"
#include "model/registry.h"

namespace tandem::app {

Result<std::unique_ptr<App>> OpenApp(const std::string& db_url, const Clock* clock,
                                     const store::OpenOptions& options,
                                     const auth::AuthOptions& auth_options) {
  InitCrypto();
  auto app = std::make_unique<App>();
  if (!clock) {
    app->owned_clock = std::make_unique<SystemClock>();
    clock = app->owned_clock.get();
  }
  TANDEM_ASSIGN_OR_RETURN(app->db, store::OpenDatabase(db_url, options));
  app->engine = std::make_unique<records::Engine>(*app->db, model::BuiltinRegistry(),
                                                  domains::BuiltinHooks(), *clock);
  TANDEM_RETURN_IF_ERROR(app->engine->Migrate());
  app->auth =
      std::make_unique<auth::AuthService>(*app->db, app->engine->registry(), *clock, auth_options);
  TANDEM_RETURN_IF_ERROR(app->auth->Migrate());
  return app;
}

Status LoadBuiltinContent(App& app) { return domains::LoadBuiltinCatalogs(*app.engine); }

}  // namespace tandem::app

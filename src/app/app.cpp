#include "app/app.h"

#include <unistd.h>

#include <cstdlib>

#include "core/hash.h"
#include "domains/standards/catalogs.h"
#include "http/api.h"
#include "model/registry.h"
#include "web/web.h"

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
  app->modules = domains::BuiltinModules();
  TANDEM_RETURN_IF_ERROR(domains::CheckNames(app->modules, model::BuiltinRegistry()));
  app->engine = std::make_unique<records::Engine>(*app->db, model::BuiltinRegistry(),
                                                  domains::HooksOf(app->modules), *clock);
  TANDEM_RETURN_IF_ERROR(app->engine->Migrate());
  for (auto& m : app->modules) m->Attach(*app->engine);
  app->auth =
      std::make_unique<auth::AuthService>(*app->db, app->engine->registry(), *clock, auth_options);
  TANDEM_RETURN_IF_ERROR(app->auth->Migrate());
  return app;
}

Service::Service() = default;
Service::~Service() = default;

Result<std::unique_ptr<Service>> Serve(App& app, const http::ServerOptions& options) {
  if (app.served)
    return MakeError(ErrorCode::kInternal, "the modules of this App already serve elsewhere");
  app.served = true;
  http::Router router;
  http::AddCoreRoutes(router, *app.engine, *app.auth);
  web::Extensions extensions;
  domains::ServeContext ctx{*app.engine, *app.auth, router, extensions};
  for (auto& m : app.modules) m->Serve(ctx);
  const bool secure = !options.tls_cert.empty() || options.trust_proxy;
  auto svc = std::make_unique<Service>();
  svc->api =
      std::make_unique<http::Api>(*app.auth, std::move(router),
                                  http::ApiOptions{.secure_cookies = secure,
                                                   .trust_proxy = options.trust_proxy,
                                                   .max_body_bytes = options.max_body_bytes,
                                                   .client_rate = options.client_rate,
                                                   .credential_rate = options.credential_rate});
  svc->web = std::make_unique<web::Web>(*app.engine, *app.auth, std::move(extensions),
                                        web::WebOptions{secure, options.trust_proxy});
  web::Web* w = svc->web.get();
  store::Database* db = app.db.get();
  http::Probes probes{
      .ready =
          [db] {
            return db->Read([](store::Connection& c) { return c.Query("SELECT 1").status(); });
          },
      .store_stats = [db] { return db->Stats(); }};
  svc->server = std::make_unique<http::Server>(
      *svc->api, [w](const httplib::Request& req, httplib::Response& res) { w->Handle(req, res); },
      options, std::move(probes));
  return svc;
}

Result<std::string> OpenApiDocument() {
  char path[] = "/tmp/tandem-openapi-XXXXXX";
  const int fd = mkstemp(path);
  if (fd < 0) return MakeError(ErrorCode::kUnavailable, "cannot create a temporary database");
  close(fd);
  Result<std::string> doc = MakeError(ErrorCode::kInternal, "no document");
  {
    auto app = OpenApp(std::string("sqlite:") + path);
    if (!app.ok()) {
      doc = app.error();
    } else if (auto svc = Serve(**app, {}); !svc.ok()) {
      doc = svc.error();
    } else {
      doc = (*svc)->api->openapi();
    }
  }
  for (const char* suffix : {"", "-wal", "-shm"}) unlink((std::string(path) + suffix).c_str());
  return doc;
}

Status LoadBuiltinContent(App& app) { return domains::LoadBuiltinCatalogs(*app.engine); }

}  // namespace tandem::app

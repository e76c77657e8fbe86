// A domain module: how an area of behaviour (standards, risk, operations,
// delivery, governance ...) plugs into Tandem without the generic layers
// naming it.
//
// A module registers, through this one interface, its engine hooks, the
// names its code relies on (checked against the registry at start), its API
// routes with their OpenAPI operations, its web pages, its figures on the
// dashboard's panels and the hints it shows beside form fields. records/,
// http/ and web/ only offer the places to register into; app/ lists the
// modules (BuiltinModules) and wires them.
//
// Layering: a module's logic (domains/X/*.cpp) uses records/ and below; the
// files that adapt it to HTTP and HTML (domains/X/*_api.cpp, *_pages.cpp)
// also use http/ and web/ through their registration interfaces
// (http/router.h, http/call.h, web/extensions.h, web/pages.h). Nothing below
// includes a module.
#pragma once

#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "model/registry.h"
#include "records/hooks.h"

namespace tandem::auth {
class AuthService;
}
namespace tandem::records {
class Engine;
}
namespace tandem::http {
class Router;
}
namespace tandem::web {
class Extensions;
}

namespace tandem::domains {

// The names a module's code relies on: record types, fields, enum values,
// transitions and relations. Each is checked against the registry; Verify
// names every one that is not declared, so a typo stops the server at start
// instead of a figure or a rule silently doing nothing.
class NameCheck {
 public:
  explicit NameCheck(const model::Registry& registry) : registry_(registry) {}

  // `module` names the module in the report.
  void SetModule(std::string module) { module_ = std::move(module); }
  NameCheck& Type(const std::string& type);
  NameCheck& Fields(const std::string& type, std::initializer_list<const char*> fields);
  // Values of an enum field.
  NameCheck& Values(const std::string& type, const std::string& field,
                    std::initializer_list<const char*> values);
  NameCheck& States(const std::string& type, std::initializer_list<const char*> states);
  NameCheck& Transitions(const std::string& type, std::initializer_list<const char*> transitions);
  NameCheck& Relations(std::initializer_list<const char*> relations);

  // kInternal listing every name that is not declared; Ok when all are.
  Status Verify() const;

 private:
  const model::RecordType* Find(const std::string& type);
  void Missing(const std::string& what);

  const model::Registry& registry_;
  std::string module_;
  std::vector<std::string> missing_;
};

// Where a module registers what it serves, once the engine exists.
struct ServeContext {
  records::Engine& engine;
  auth::AuthService& auth;
  http::Router& api;
  web::Extensions& web;
};

class Module {
 public:
  virtual ~Module() = default;
  // Short and stable: "standards", "risk" ...
  virtual std::string_view name() const = 0;
  // Called before the engine is built.
  virtual void AddHooks(records::HookRegistry& hooks) const {}
  // Every name of a type, field, value, state, transition or relation that
  // the module's code (hooks, routes, pages, panels) uses.
  virtual void DeclareNames(NameCheck& names) const {}
  // Called once the engine is built, on every path (serving, the CLI, the
  // demo loader): for hooks that read through the engine, as a frozen report
  // does.
  virtual void Attach(records::Engine& engine) {}
  // Routes, pages, panels and hints. The module may keep state (a read
  // model) for them; it lives as long as the module.
  virtual void Serve(ServeContext& ctx) {}
};

// Every built-in module, in the order their parts appear.
std::vector<std::unique_ptr<Module>> BuiltinModules();

// The built-in modules, one per folder (domains/X/module.cpp).
std::unique_ptr<Module> StandardsModule();
std::unique_ptr<Module> ScopesModule();
std::unique_ptr<Module> IntegrationModule();
std::unique_ptr<Module> RiskModule();
std::unique_ptr<Module> OperationsModule();
std::unique_ptr<Module> DeliveryModule();
std::unique_ptr<Module> GovernanceModule();

// The hooks of `modules`.
records::HookRegistry HooksOf(const std::vector<std::unique_ptr<Module>>& modules);
// Checks the names of every module against `registry`.
Status CheckNames(const std::vector<std::unique_ptr<Module>>& modules,
                  const model::Registry& registry);

}  // namespace tandem::domains

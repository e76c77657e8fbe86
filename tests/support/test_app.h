// A Tandem instance on a fresh database of the backend under test.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "app/app.h"
#include "auth/password.h"
#include "core/hash.h"
#include "test_db.h"

namespace tandem::testing {

class TestApp {
 public:
  TestApp() : clock_(*ParseTimestamp("2026-11-23T09:00:00Z")) {
    auth::UseMinimumPasswordCostForTests();  // no store test is about hashing
    InitCrypto();
    dir_ = std::filesystem::temp_directory_path() / ("tandem-test-" + RandomHex(6));
    std::filesystem::create_directories(dir_);
    db_ = std::make_unique<TestDatabase>(dir_);
    Open();
  }
  ~TestApp() {
    app_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  void Open() {
    auto app = app::OpenApp(db_->url(), &clock_);
    if (!app.ok()) throw std::runtime_error(app.error().detail);
    app_ = std::move(app).value();
  }
  void Close() { app_.reset(); }

  const std::string& url() const { return db_->url(); }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  app::App& app() { return *app_; }
  records::Engine& engine() { return *app_->engine; }
  auth::AuthService& auth() { return *app_->auth; }
  ManualClock& clock() { return clock_; }
  const model::RecordType& type(const char* name) { return *engine().registry().Find(name); }

  // Creates a record or fails the test.
  nlohmann::json Create(const char* type_name, const nlohmann::json& body) {
    clock_.Advance(std::chrono::seconds(1));
    auto r = engine().Create(records::SystemActor("local"), type(type_name), body);
    if (!r.ok()) ADD_FAILURE() << "create " << type_name << ": " << r.error().detail;
    return r.ok() ? *r : nlohmann::json();
  }

 private:
  ManualClock clock_;
  std::filesystem::path dir_;
  std::unique_ptr<TestDatabase> db_;
  std::unique_ptr<app::App> app_;
};

}  // namespace tandem::testing

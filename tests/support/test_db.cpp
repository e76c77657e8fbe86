#include "test_db.h"

#include <libpq-fe.h>

#include <cstdlib>
#include <fstream>
#include <stdexcept>

#include "core/hash.h"

namespace tandem::testing {

namespace {

std::string ReadLine(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::string line;
  if (!std::getline(in, line))
    throw std::runtime_error("cannot read " + file.string() +
                             " (is the test PostgreSQL cluster running?)");
  return line;
}

void AdminExec(const std::string& admin_url, const std::string& sql) {
  PGconn* c = PQconnectdb(admin_url.c_str());
  if (PQstatus(c) != CONNECTION_OK) {
    std::string why = PQerrorMessage(c);
    PQfinish(c);
    throw std::runtime_error("test cluster: " + why);
  }
  PGresult* r = PQexec(c, sql.c_str());
  std::string why = PQresultStatus(r) == PGRES_COMMAND_OK ? "" : PQresultErrorMessage(r);
  PQclear(r);
  PQfinish(c);
  if (!why.empty()) throw std::runtime_error("test cluster: " + why);
}

}  // namespace

bool TestingPostgres() {
  const char* b = std::getenv("TANDEM_TEST_BACKEND");
  if (b) return std::string(b) == "postgres";
  return std::getenv("TANDEM_TEST_PG_STATE") != nullptr;
}

TestDatabase::TestDatabase(const std::filesystem::path& dir) {
  if (!TestingPostgres()) {
    url_ = "sqlite:" + (dir / "tandem.db").string();
    return;
  }
  const char* state = std::getenv("TANDEM_TEST_PG_STATE");
  if (!state) throw std::runtime_error("TANDEM_TEST_PG_STATE is not set");
  pg_admin_url_ = ReadLine(std::filesystem::path(state) / "admin");
  const std::string base = ReadLine(std::filesystem::path(state) / "url");
  InitCrypto();
  pg_name_ = "tandem_test_" + RandomHex(6);
  AdminExec(pg_admin_url_, "CREATE DATABASE " + pg_name_ + " OWNER tandem");
  url_ = base.substr(0, base.rfind('/') + 1) + pg_name_;
}

TestDatabase::~TestDatabase() {
  if (pg_name_.empty()) return;
  try {
    AdminExec(pg_admin_url_, "DROP DATABASE IF EXISTS " + pg_name_ + " WITH (FORCE)");
  } catch (const std::exception&) {
    // A leftover database in a throw-away cluster is harmless.
  }
}

}  // namespace tandem::testing

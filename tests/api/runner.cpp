// Runs one data-driven API test file against an in-process server on a random
// port with a fresh database. See tests/api/README.md for the file format.
//
//   tandem_api_tests FILE.test
#include <httplib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>
#include <utility>

#include "app/app.h"
#include "auth/password.h"
#include "auth/totp.h"
#include "core/hash.h"
#include "http/api.h"
#include "http/server.h"
#include "test_db.h"

namespace {

using nlohmann::json;

struct Case {
  int line = 0;
  int64_t advance_seconds = 0;    // extra clock movement before the request
  std::string as;                 // whose API token to send ("" = the current one)
  std::vector<std::string> totp;  // "totp VAR SECRETVAR" lines before the request
  std::string method, path;
  httplib::Headers headers;
  std::string body;
  std::vector<std::pair<int, std::string>> expectations;  // line number, text
};

std::string Trim(const std::string& s) {
  auto a = s.find_first_not_of(" \t\r");
  if (a == std::string::npos) return "";
  auto b = s.find_last_not_of(" \t\r");
  return s.substr(a, b - a + 1);
}

// A `user NAME ROLE[,ROLE] [GROUP[,GROUP]]` line: an account the file uses.
struct UserSpec {
  std::string name;
  std::vector<std::string> roles, groups;
};

std::vector<std::string> SplitCommas(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string item; std::getline(in, item, ',');)
    if (!item.empty()) out.push_back(item);
  return out;
}

// What a file asks of its whole run.
struct FileOptions {
  bool load_catalogs = false;
  std::string metrics_token;
  double client_rate = 0, credential_rate = 0;
  // Argon2id at the production cost; every other file hashes at the minimum.
  bool production_password_cost = false;
};

std::vector<Case> Parse(std::istream& in, std::vector<UserSpec>& users,
                        std::vector<std::string>& groups, FileOptions& options) {
  std::vector<Case> cases;
  std::string line;
  int n = 0;
  enum { kIdle, kHeaders, kBody, kExpect } state = kIdle;
  int64_t pending_advance = 0;
  std::string pending_as;
  std::vector<std::string> pending_totp;
  while (std::getline(in, line)) {
    ++n;
    if (state != kBody && (line.starts_with("#") || (state == kIdle && Trim(line).empty())))
      continue;
    if (state == kIdle && line.starts_with("advance ")) {  // advance 3d | 25h | 90m | 30s
      std::string amount = Trim(line.substr(8));
      int64_t unit = amount.ends_with("d")   ? 86400
                     : amount.ends_with("h") ? 3600
                     : amount.ends_with("m") ? 60
                                             : 1;
      pending_advance += std::stoll(amount) * unit;
      continue;
    }
    if (state == kIdle && line.starts_with("as ")) {  // as NAME: send NAME's token from now on
      pending_as = Trim(line.substr(3));
      continue;
    }
    if (state == kIdle && line.starts_with("user ")) {
      std::istringstream ls(line.substr(5));
      UserSpec u;
      std::string roles, grps;
      ls >> u.name >> roles >> grps;
      u.roles = SplitCommas(roles);
      u.groups = SplitCommas(grps);
      users.push_back(u);
      continue;
    }
    if (state == kIdle && Trim(line) == "catalogs") {  // load the built-in catalogs
      options.load_catalogs = true;
      continue;
    }
    if (state == kIdle && line.starts_with("rate-limit ")) {  // rate-limit client|credential RPS
      std::istringstream ls(line.substr(11));
      std::string which;
      double rate = 0;
      ls >> which >> rate;
      (which == "client" ? options.client_rate : options.credential_rate) = rate;
      continue;
    }
    if (state == kIdle && line.starts_with("metrics-token ")) {  // serve /metrics to it
      options.metrics_token = Trim(line.substr(14));
      continue;
    }
    if (state == kIdle && Trim(line) == "production-password-cost") {
      options.production_password_cost = true;
      continue;
    }
    if (state == kIdle && line.starts_with("group ")) {
      groups.push_back(Trim(line.substr(6)));
      continue;
    }
    if (state == kIdle && line.starts_with("totp ")) {
      pending_totp.push_back(Trim(line.substr(5)));
      continue;
    }
    if (line.starts_with("request ")) {
      Case c;
      c.line = n;
      c.advance_seconds = std::exchange(pending_advance, 0);
      c.as = std::exchange(pending_as, "");
      c.totp = std::exchange(pending_totp, {});
      std::istringstream ls(line.substr(8));
      ls >> c.method >> c.path;
      cases.push_back(std::move(c));
      state = kHeaders;
      continue;
    }
    if (cases.empty())
      throw std::runtime_error("line " + std::to_string(n) + ": expected 'request'");
    Case& c = cases.back();
    if (Trim(line) == "----") {
      state = kExpect;
      continue;
    }
    switch (state) {
      case kHeaders:
        if (Trim(line).empty()) {
          state = kBody;
          break;
        }
        if (auto colon = line.find(':'); colon != std::string::npos)
          c.headers.emplace(Trim(line.substr(0, colon)), Trim(line.substr(colon + 1)));
        break;
      case kBody:
        c.body += (c.body.empty() ? "" : "\n") + line;
        break;
      case kExpect:
        if (Trim(line).empty())
          state = kIdle;
        else
          c.expectations.emplace_back(n, Trim(line));
        break;
      case kIdle:
        throw std::runtime_error("line " + std::to_string(n) + ": expected 'request'");
    }
  }
  return cases;
}

std::string Substitute(std::string s, const std::map<std::string, std::string>& vars) {
  for (size_t pos; (pos = s.find("${")) != std::string::npos;) {
    auto end = s.find('}', pos);
    if (end == std::string::npos) break;
    auto it = vars.find(s.substr(pos + 2, end - pos - 2));
    if (it == vars.end())
      throw std::runtime_error("unknown variable " + s.substr(pos, end - pos + 1));
    s.replace(pos, end - pos + 1, it->second);
  }
  return s;
}

// Follows a path such as items[0].number or errors[1].field.
const json* Lookup(const json& root, const std::string& path) {
  const json* cur = &root;
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '.') {
      ++i;
      continue;
    }
    if (path[i] == '[') {
      auto close = path.find(']', i);
      size_t idx = std::stoul(path.substr(i + 1, close - i - 1));
      if (!cur->is_array() || idx >= cur->size()) return nullptr;
      cur = &(*cur)[idx];
      i = close + 1;
      continue;
    }
    auto end = path.find_first_of(".[", i);
    std::string key = path.substr(i, end == std::string::npos ? std::string::npos : end - i);
    if (!cur->is_object() || !cur->contains(key)) return nullptr;
    cur = &(*cur)[key];
    i = end == std::string::npos ? path.size() : end;
  }
  return cur;
}

json Literal(const std::string& text) {
  json v = json::parse(text, nullptr, false);
  return v.is_discarded() ? json(text) : v;
}

std::string AsText(const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

// Expands "@padding N" in a body into a JSON object N bytes long.
std::string ExpandBody(const std::string& body) {
  if (!body.starts_with("@padding ")) return body;
  size_t n = std::stoul(body.substr(9));
  return "{\"title\": \"" + std::string(n, 'x') + "\"}";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: tandem_api_tests FILE.test\n";
    return 2;
  }
  const std::string file = argv[1];
  std::ifstream in(file);
  if (!in) {
    std::cerr << "cannot read " << file << "\n";
    return 2;
  }
  std::vector<Case> cases;
  std::vector<UserSpec> users;
  std::vector<std::string> groups;
  FileOptions file_options;
  try {
    cases = Parse(in, users, groups, file_options);
  } catch (const std::exception& e) {
    std::cerr << file << ": " << e.what() << "\n";
    return 2;
  }

  if (!file_options.production_password_cost) tandem::auth::UseMinimumPasswordCostForTests();
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("tandem-api-" + tandem::RandomHex(6));
  fs::create_directories(dir);
  // A fixed clock that moves one second per request keeps timestamps exact.
  tandem::ManualClock clock(*tandem::ParseTimestamp("2026-11-23T09:00:00Z"));
  auto database = std::make_unique<tandem::testing::TestDatabase>(dir);
  auto app = tandem::app::OpenApp(database->url(), &clock);
  if (!app.ok()) {
    std::cerr << "cannot open database: " << app.error().detail << "\n";
    return 2;
  }
  tandem::http::ServerOptions options;
  options.port = 0;
  options.connections.workers = 8;
  options.max_body_bytes = 256 * 1024;
  options.metrics_token = file_options.metrics_token;
  options.client_rate = file_options.client_rate;
  options.credential_rate = file_options.credential_rate;
  // Every file has an administrator, "admin", whose read-write token is sent
  // unless `as NAME` chooses another user's (or `as nobody`, none). Each user
  // NAME gets ${NAME.token} and the password ${password}.
  std::map<std::string, std::string> vars;
  const std::string password = "correct horse battery staple 42";
  vars["password"] = password;
  {
    const auto system = tandem::records::SystemActor("setup");
    auto& auth = *(*app)->auth;
    for (const auto& g : groups)
      if (auto r = auth.CreateGroup(system, {{"name", g}}); !r.ok()) {
        std::cerr << "group " << g << ": " << r.error().detail << "\n";
        return 2;
      }
    users.insert(users.begin(), UserSpec{"admin", {"administrator"}, {}});
    for (const auto& u : users) {
      auto r = auth.CreateUser(
          system,
          {{"username", u.name}, {"password", password}, {"roles", u.roles}, {"groups", u.groups}});
      auto t = r.ok()
                   ? auth.IssueToken(system, u.name, {{"name", "tests"}, {"scope", "read-write"}})
                   : tandem::Result<json>(r.error());
      if (!t.ok()) {
        std::cerr << "user " << u.name << ": " << t.error().detail << "\n";
        return 2;
      }
      vars[u.name + ".token"] = (*t)["token"].get<std::string>();
    }
  }
  if (auto s = file_options.load_catalogs ? tandem::app::LoadBuiltinContent(**app)
                                          : tandem::Status::Ok();
      !s.ok()) {
    std::cerr << "built-in catalogs: " << s.error().detail << "\n";
    return 2;
  }
  auto service = tandem::app::Serve(**app, options);
  if (!service.ok()) {
    std::cerr << "cannot serve: " << service.error().detail << "\n";
    return 2;
  }
  tandem::http::Server& server = *(*service)->server;
  auto port = server.Bind();
  if (!port.ok()) return 2;
  std::thread serving([&] { server.Run(); });

  httplib::Client client("127.0.0.1", *port);
  client.set_read_timeout(30);
  // Every answer, for the check against the OpenAPI document this server
  // serves (api/openapi_check.mjs, once every file has run).
  std::unique_ptr<std::ofstream> responses;
  if (const char* path = std::getenv("TANDEM_API_RESPONSES")) {
    const fs::path out(path);
    fs::create_directories(out.parent_path());
    // The document the server serves, read in process: a request would use
    // up the budget of a file that tests rate limits.
    const std::string& doc = (*service)->api->openapi();
    const fs::path tmp = out.parent_path() / ("openapi.json." + tandem::RandomHex(4));
    if (doc.empty() || !(std::ofstream(tmp) << doc)) {
      std::cerr << file << ": cannot keep the served OpenAPI document\n";
      return 1;
    }
    fs::rename(tmp, out.parent_path() / "openapi.json");  // files run in parallel
    responses = std::make_unique<std::ofstream>(out, std::ios::trunc);
  }
  int failures = 0, checks = 0;
  std::string as = "admin";
  for (const Case& c : cases) {
    clock.Advance(std::chrono::seconds(1 + c.advance_seconds));
    if (!c.as.empty()) as = c.as;
    for (const auto& t : c.totp) {  // totp VAR SECRETVAR: the current code of a secret
      std::istringstream ts(t);
      std::string var, secret;
      ts >> var >> secret;
      vars[var] = tandem::auth::TotpCode(Substitute("${" + secret + "}", vars), clock.Now());
    }
    httplib::Request req;
    req.method = c.method;
    try {
      req.path = Substitute(c.path, vars);
      for (const auto& [k, v] : c.headers) req.headers.emplace(k, Substitute(v, vars));
      if (as != "nobody" && !req.has_header("Authorization") && !req.has_header("Cookie"))
        req.headers.emplace("Authorization", "Bearer " + Substitute("${" + as + ".token}", vars));
      req.body = ExpandBody(Substitute(c.body, vars));
    } catch (const std::exception& e) {  // an unknown ${variable}: an earlier capture failed
      std::cerr << file << ":" << c.line << ": " << e.what() << "\n";
      ++failures;
      continue;
    }
    if (!req.body.empty() && !req.has_header("Content-Type") && !c.headers.count("No-Content-Type"))
      req.headers.emplace("Content-Type", "application/json");
    req.headers.erase("No-Content-Type");
    auto res = client.send(req);
    const std::string where = file + ":" + std::to_string(c.line) + " " + c.method + " " + req.path;
    if (!res) {
      std::cerr << where << ": no response (" << httplib::to_string(res.error()) << ")\n";
      ++failures;
      continue;
    }
    json body = json::parse(res->body, nullptr, false);
    if (responses)
      *responses << json{{"where", where},
                         {"method", c.method},
                         {"path", req.path},
                         {"status", res->status},
                         {"type", res->get_header_value("Content-Type")},
                         {"body", body.is_discarded() ? json() : body}}
                        .dump(-1, ' ', false, json::error_handler_t::replace)
                 << "\n";
    for (const auto& [line, raw] : c.expectations) {
      ++checks;
      std::string e;
      try {
        e = Substitute(raw, vars);
      } catch (const std::exception& ex) {
        std::cerr << file << ":" << line << ": " << ex.what() << "\n";
        ++failures;
        continue;
      }
      std::istringstream es(e);
      std::string verb, arg;
      es >> verb >> arg;
      std::string rest;
      std::getline(es, rest);
      rest = Trim(rest);
      std::string problem;
      if (verb == "status") {
        if (std::to_string(res->status) != arg)
          problem = "status " + std::to_string(res->status) + ", expected " + arg;
      } else if (verb == "header") {
        if (!res->has_header(arg))
          problem = "no header " + arg;
        else if (!rest.empty() && res->get_header_value(arg) != rest)
          problem =
              "header " + arg + " is '" + res->get_header_value(arg) + "', expected '" + rest + "'";
      } else if (verb == "no-header") {
        if (res->has_header(arg)) problem = "unexpected header " + arg;
      } else if (verb == "json") {
        const json* v = Lookup(body, arg);
        if (rest == "absent") {
          if (v) problem = arg + " is present: " + v->dump();
        } else if (!v)
          problem = arg + " is absent";
        else if (rest == "present") {
        } else if (*v != Literal(rest))
          problem = arg + " is " + v->dump() + ", expected " + Literal(rest).dump();
      } else if (verb == "json-contains") {
        const json* v = Lookup(body, arg);
        if (!v || !v->is_string() || v->get<std::string>().find(rest) == std::string::npos)
          problem =
              arg + " is " + (v ? v->dump() : "absent") + ", expected it to contain '" + rest + "'";
      } else if (verb == "count") {
        const json* v = Lookup(body, arg);
        if (!v || !v->is_array() || std::to_string(v->size()) != rest)
          problem = arg + " has " + (v && v->is_array() ? std::to_string(v->size()) : "no") +
                    " items, expected " + rest;
      } else if (verb == "error") {
        // The problem's errors[] names field `arg` (and its message contains `rest`).
        bool found = false;
        if (body.contains("errors"))
          for (const auto& er : body["errors"])
            found |= er.value("field", "") == arg &&
                     er.value("message", "").find(rest) != std::string::npos;
        if (!found)
          problem = "no error for field '" + arg + "'" +
                    (rest.empty() ? "" : " containing '" + rest + "'");
      } else if (verb == "body-contains") {
        std::string needle = arg + (rest.empty() ? "" : " " + rest);
        if (res->body.find(needle) == std::string::npos)
          problem = "body does not contain '" + needle + "'";
      } else if (verb == "json-some" || verb == "json-none") {
        // json-some ARRAY key.path=value ...: some element has all of them
        // (values compared as text); json-none: no element has.
        const json* arr = Lookup(body, arg);
        std::vector<std::pair<std::string, std::string>> wanted;
        std::istringstream rs(rest);
        for (std::string kv; rs >> kv;) {
          const auto eq = kv.find('=');
          wanted.emplace_back(kv.substr(0, eq), eq == std::string::npos ? "" : kv.substr(eq + 1));
        }
        bool found = false;
        if (arr && arr->is_array())
          for (const auto& item : *arr) {
            bool all = true;
            for (const auto& [k, v] : wanted) {
              const json* got = Lookup(item, k);
              all &= got && AsText(*got) == v;
            }
            found |= all;
          }
        if (verb == "json-some" && !found) problem = "no element of " + arg + " has " + rest;
        if (verb == "json-none" && found) problem = "an element of " + arg + " has " + rest;
      } else if (verb == "body-count") {  // body-count N TEXT: TEXT occurs exactly N times
        size_t n = 0;
        for (size_t at = res->body.find(rest); !rest.empty() && at != std::string::npos;
             at = res->body.find(rest, at + rest.size()))
          ++n;
        if (std::to_string(n) != arg)
          problem = "body contains '" + rest + "' " + std::to_string(n) + " times, expected " + arg;
      } else if (verb == "body-lacks") {  // for secrets and restricted content
        std::string needle = arg + (rest.empty() ? "" : " " + rest);
        if (res->body.find(needle) != std::string::npos) problem = "body contains '" + needle + "'";
      } else if (verb == "capture") {
        if (rest.starts_with("header:")) {
          vars[arg] = res->get_header_value(rest.substr(7));
        } else if (rest.starts_with("cookie:")) {  // the value a Set-Cookie gives a cookie
          const std::string prefix = rest.substr(7) + "=";
          const std::string sc = res->get_header_value("Set-Cookie");
          if (sc.starts_with(prefix))
            vars[arg] = sc.substr(prefix.size(), sc.find(';') - prefix.size());
          else
            problem = "no Set-Cookie for " + rest.substr(7);
        } else if (const json* v = Lookup(body, rest))
          vars[arg] = AsText(*v);
        else
          problem = "cannot capture " + rest;
      } else {
        problem = "unknown expectation '" + verb + "'";
      }
      if (!problem.empty()) {
        ++failures;
        std::cerr << file << ":" << line << ": " << c.method << " " << req.path << ": " << problem
                  << "\n  response " << res->status << ": "
                  << res->body.substr(0, std::getenv("TANDEM_TEST_FULL") ? std::string::npos : 600)
                  << "\n";
      }
    }
  }
  server.Stop();
  serving.join();
  app->reset();
  database.reset();
  fs::remove_all(dir);
  std::cout << file << ": " << cases.size() << " requests, " << checks << " checks, " << failures
            << " failed\n";
  return failures == 0 ? 0 : 1;
}

#include "cli/cli.h"

#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <termios.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "app/app.h"
#include "cli/json_log.h"
#include "domains/standards/import.h"
#include "http/api.h"
#include "http/server.h"
#include "model/registry.h"
#include "records/audit.h"
#include "records/audit_anchor.h"
#include "records/transfer.h"

namespace tandem::cli {

namespace {

// Hides the password of a URL such as postgresql://user:secret@host/db.
std::string Redact(const std::string& url) {
  auto scheme = url.find("://");
  auto at = url.find('@');
  if (scheme == std::string::npos || at == std::string::npos || at < scheme) return url;
  auto colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

int Fail(const std::string& what, const Error& e) {
  std::string msg = what + ": " + e.detail;
  for (const auto& f : e.fields) msg += "\n  " + f.field + ": " + f.message;
  std::cerr << "tandem: " << msg << "\n";
  return 1;
}

// A password from standard input: one line, not echoed when typed at a terminal.
std::string ReadPassword(const char* prompt) {
  const bool tty = isatty(STDIN_FILENO);
  termios old{};
  if (tty) {
    std::cerr << prompt << std::flush;
    tcgetattr(STDIN_FILENO, &old);
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string line;
  std::getline(std::cin, line);
  if (tty) {
    tcsetattr(STDIN_FILENO, TCSANOW, &old);
    std::cerr << "\n";
  }
  return line;
}

std::unique_ptr<app::App> Open(const std::string& db, int* exit_code,
                               const auth::AuthOptions& auth_options = {}) {
  auto app = app::OpenApp(db, nullptr, {}, auth_options);
  if (!app.ok()) {
    *exit_code = Fail("cannot open " + Redact(db), app.error());
    return nullptr;
  }
  return std::move(app).value();
}

void PrintProgress(const char* verb, int64_t done, int64_t total) {
  if (total > 0)
    std::cerr << "\r" << verb << " " << done << "/" << total << " lines ("
              << (done * 100 / std::max<int64_t>(total, 1)) << "%)" << std::flush;
  else
    std::cerr << "\r" << verb << " " << done << " lines" << std::flush;
}

// Where and how often `serve` anchors the audit trail (off without a key).
struct AnchorOptions {
  std::string key_path;
  std::string log;
  int interval_seconds = 300;
};

int Serve(const std::string& db, http::ServerOptions options, const auth::AuthOptions& auth_options,
          const AnchorOptions& anchoring) {
  // Block termination signals in every thread; one thread waits for them and
  // stops the server, which lets in-flight requests finish.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  // Each connection is a file descriptor: take all the system allows, and
  // keep the connection limit under it with room for the database and files.
  rlimit files{};
  if (getrlimit(RLIMIT_NOFILE, &files) == 0) {
    files.rlim_cur = files.rlim_max;
    setrlimit(RLIMIT_NOFILE, &files);
    getrlimit(RLIMIT_NOFILE, &files);
    const size_t room = files.rlim_cur > 256 ? files.rlim_cur - 128 : files.rlim_cur / 2;
    if (options.connections.max_connections > room) {
      spdlog::warn("--max-connections lowered from {} to {}: the process may open {} files",
                   options.connections.max_connections, room, files.rlim_cur);
      options.connections.max_connections = room;
    }
  }

  int rc = 0;
  auto app = Open(db, &rc, auth_options);
  if (!app) return rc;
  if (Status s = app::LoadBuiltinContent(*app); !s.ok())
    return Fail("built-in catalogs not loaded", s.error());
  std::unique_ptr<records::AuditAnchorer> anchorer;
  if (!anchoring.key_path.empty()) {
    auto key = records::LoadAnchorKey(anchoring.key_path);
    if (!key.ok()) return Fail("cannot anchor the audit trail", key.error());
    anchorer = std::make_unique<records::AuditAnchorer>(
        *app->db, std::move(*key), app->engine->clock(), anchoring.log,
        std::chrono::seconds(anchoring.interval_seconds));
  }
  auto service = app::Serve(*app, options);
  if (!service.ok()) return Fail("cannot serve", service.error());
  http::Server& server = *(*service)->server;
  auto port = server.Bind();
  if (!port.ok()) return Fail("cannot serve", port.error());
  std::thread waiter([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    spdlog::info("signal {} received, stopping", sig);
    server.Stop();
  });
  const std::string banner = std::string("Tandem is serving ") +
                             (options.tls_cert.empty() ? "http" : "https") + "://" + options.host +
                             ":" + std::to_string(*port) + "/ (database " + Redact(db) + ")";
  if (options.json_logs)  // every line a JSON object
    spdlog::info(banner);
  else
    std::cout << banner << std::endl;
  server.Run();
  pthread_kill(waiter.native_handle(), SIGTERM);  // wake the waiter if Run ended on its own
  waiter.join();
  if (anchorer) anchorer->Stop();  // a last anchor of the head as it is left
  return 0;
}

}  // namespace

int Run(int argc, char** argv) {
  CLI::App cli{
      "Tandem: one integrated management system for ISO/IEC 27001, ISO/IEC 20000-1 and ISO 9001"};
  cli.require_subcommand(1);
  cli.set_version_flag("--version", std::string("tandem ") + TANDEM_VERSION);
  std::string db = "sqlite:var/tandem.db";
  cli.add_option("--db", db, "Database: sqlite:PATH")->envname("TANDEM_DB")->capture_default_str();
  std::string log_format = "text";
  cli.add_option("--log-format", log_format, "text, or json: one JSON object per line")
      ->envname("TANDEM_LOG_FORMAT")
      ->capture_default_str()
      ->check(CLI::IsMember({"text", "json"}));

  http::ServerOptions server_options;
  auto* serve = cli.add_subcommand("serve", "Serve the web UI and REST API");
  serve->add_option("--host", server_options.host, "Address to listen on")->capture_default_str();
  serve->add_option("--port", server_options.port, "Port (0 picks a free one)")
      ->capture_default_str()
      ->check(CLI::Range(0, 65535));
  serve->add_flag("--access-log", server_options.access_log,
                  "Log one line per request (method, path, status, request id)");
  http::ConnectionLimits& limits = server_options.connections;
  serve->add_option("--threads", limits.workers, "Worker threads: requests handled at once")
      ->capture_default_str()
      ->check(CLI::Range(4, 4096));
  serve
      ->add_option("--max-connections", limits.max_connections,
                   "Open connections in all; beyond, new ones get 503")
      ->capture_default_str()
      ->check(CLI::Range(16, 1 << 20));
  serve
      ->add_option("--max-connections-per-client", limits.max_per_client,
                   "Open connections from one client address; beyond, 429; 0: no limit "
                   "(behind a reverse proxy every client has the proxy's address)")
      ->capture_default_str()
      ->check(CLI::Range(0, 1 << 20));
  int header_timeout_s = static_cast<int>(
      std::chrono::duration_cast<std::chrono::seconds>(limits.header_timeout).count());
  serve
      ->add_option("--header-timeout", header_timeout_s,
                   "Seconds a connection has to send a complete request header (and a small "
                   "body) once idle; then it is closed")
      ->capture_default_str()
      ->check(CLI::Range(1, 3600));
  auto* cert = serve->add_option("--tls-cert", server_options.tls_cert,
                                 "Serve HTTPS with this PEM certificate (chain)");
  auto* key = serve->add_option("--tls-key", server_options.tls_key, "The certificate's PEM key");
  cert->needs(key);
  key->needs(cert);
  serve->add_flag("--trust-proxy", server_options.trust_proxy,
                  "Behind a TLS-terminating reverse proxy: client address from "
                  "X-Forwarded-For, Secure cookies");
  auth::AuthOptions auth_options;
  int idle_minutes = static_cast<int>(auth_options.session_idle.count());
  int session_hours = static_cast<int>(auth_options.session_absolute.count() / 60);
  serve->add_option("--session-idle", idle_minutes, "Minutes without a request that end a session")
      ->capture_default_str()
      ->check(CLI::Range(1, 24 * 60));
  serve->add_option("--session-max", session_hours, "Hours after sign-in that end a session")
      ->capture_default_str()
      ->check(CLI::Range(1, 24 * 30));

  serve
      ->add_option("--rate-limit-client", server_options.client_rate,
                   "API requests per second per client address (bursts of twice as many); "
                   "0: no limit")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1e6));
  serve
      ->add_option("--rate-limit-credential", server_options.credential_rate,
                   "API requests per second per API token or signed-in user; 0: no limit")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1e6));
  std::string metrics_token_file;
  serve
      ->add_option("--metrics-token-file", metrics_token_file,
                   "Serve GET /metrics to scrapes that send this file's token as a bearer token")
      ->envname("TANDEM_METRICS_TOKEN_FILE")
      ->check(CLI::ExistingFile);
  AnchorOptions anchoring;
  auto* serve_key = serve
                        ->add_option("--audit-key", anchoring.key_path,
                                     "Sign audit anchors with this key (tandem audit keygen)")
                        ->envname("TANDEM_AUDIT_KEY")
                        ->check(CLI::ExistingFile);
  auto* serve_log = serve
                        ->add_option("--anchor-log", anchoring.log,
                                     "Append audit anchors to this file, or POST them to this "
                                     "http(s) URL")
                        ->envname("TANDEM_ANCHOR_LOG");
  serve_key->needs(serve_log);
  serve_log->needs(serve_key);
  serve
      ->add_option("--anchor-interval", anchoring.interval_seconds,
                   "Seconds between audit anchors while the trail grows")
      ->capture_default_str()
      ->check(CLI::Range(1, 24 * 3600));

  auto* user = cli.add_subcommand("user", "Manage accounts (as the system; no sign-in needed)");
  user->require_subcommand(1);
  std::string username, display_name;
  std::vector<std::string> roles, groups;
  bool admin = false;
  auto* user_add =
      user->add_subcommand("add", "Create an account; the password is read from standard input");
  user_add->add_option("username", username, "User name")->required();
  user_add->add_flag("--admin", admin, "Give the administrator role");
  user_add->add_option("--role", roles, "A role (repeatable)");
  user_add->add_option("--group", groups, "A need-to-know group (repeatable)");
  user_add->add_option("--name", display_name, "Display name");
  auto* user_reset = user->add_subcommand(
      "reset-password", "Set a new password (read from standard input) to be changed at sign-in");
  user_reset->add_option("username", username, "User name")->required();
  auto* user_unlock = user->add_subcommand("unlock", "Unlock an account locked by failed sign-ins");
  user_unlock->add_option("username", username, "User name")->required();
  auto* user_list = user->add_subcommand("list", "List accounts");
  auto* group = cli.add_subcommand("group", "Manage need-to-know groups");
  group->require_subcommand(1);
  std::string group_name, group_title;
  auto* group_add = group->add_subcommand("add", "Create a group");
  group_add->add_option("name", group_name, "Group name")->required();
  group_add->add_option("--title", group_title, "What the group is for");
  auto* token = cli.add_subcommand("token", "Manage API tokens");
  token->require_subcommand(1);
  std::string token_name, token_scope = "read", token_expires;
  auto* token_add =
      token->add_subcommand("add", "Create an API token for a user and print it (once)");
  token_add->add_option("username", username, "User name")->required();
  token_add->add_option("--name", token_name, "What the token is for")->required();
  token_add->add_option("--scope", token_scope, "read or read-write")
      ->capture_default_str()
      ->check(CLI::IsMember({"read", "read-write"}));
  token_add->add_option("--expires", token_expires, "Expiry date (YYYY-MM-DD)");

  auto* init = cli.add_subcommand("init", "Create or migrate the database");
  auto* demo = cli.add_subcommand("demo", "Load the demo organization into an empty database");
  auto* audit = cli.add_subcommand("audit", "Audit trail commands");
  audit->require_subcommand(1);
  auto* verify = audit->add_subcommand("verify", "Check the hash chain of every audit event");
  std::string anchors_path, trusted_keys_path, key_path;
  auto* verify_anchors =
      verify->add_option("--anchors", anchors_path, "Check the chain against this anchor log")
          ->check(CLI::ExistingFile);
  auto* verify_trusted = verify
                             ->add_option("--trusted-keys", trusted_keys_path,
                                          "Public keys whose anchors count, one per line")
                             ->check(CLI::ExistingFile);
  auto* verify_key =
      verify->add_option("--audit-key", key_path, "Trust the anchors of this (secret) key")
          ->envname("TANDEM_AUDIT_KEY")
          ->check(CLI::ExistingFile);
  verify_trusted->needs(verify_anchors);
  verify_key->needs(verify_anchors);
  auto* keygen = audit->add_subcommand(
      "keygen", "Create a key for signing audit anchors; prints its public key");
  keygen->add_option("file", key_path, "Key file to create (kept outside the database)")
      ->required();
  std::string anchor_log;
  auto* anchor = audit->add_subcommand("anchor", "Sign the chain head now and append it");
  anchor->add_option("--audit-key", key_path, "The signing key")
      ->envname("TANDEM_AUDIT_KEY")
      ->required()
      ->check(CLI::ExistingFile);
  anchor->add_option("--anchor-log", anchor_log, "Anchor log file, or http(s) URL")
      ->envname("TANDEM_ANCHOR_LOG")
      ->required();

  std::string export_path = "-";
  auto* exp = cli.add_subcommand(
      "export", "Write every record, link, custom field and audit event as JSON lines");
  exp->add_option("-o,--output", export_path, "File to write ('-' for standard output)")
      ->capture_default_str();
  std::string import_path;
  auto* imp = cli.add_subcommand("import", "Read an export into an empty database");
  imp->add_option("file", import_path, "Export file")->required()->check(CLI::ExistingFile);
  std::string backup_path;
  auto* backup = cli.add_subcommand("backup", "Copy a live SQLite database consistently");
  backup->add_option("dest", backup_path, "Destination file (must not exist)")->required();
  auto* openapi = cli.add_subcommand("openapi", "Print the OpenAPI description of the REST API");
  auto* framework = cli.add_subcommand("framework", "Custom frameworks (standards of your own)");
  framework->require_subcommand(1);
  std::string framework_path, framework_format;
  domains::FrameworkOptions framework_options;
  auto* framework_import = framework->add_subcommand(
      "import", "Import a catalog from a CSV file (ref,title[,parent,kind]) or an OSCAL catalog");
  framework_import->add_option("file", framework_path, "CSV or OSCAL JSON file")
      ->required()
      ->check(CLI::ExistingFile);
  framework_import
      ->add_option("--format", framework_format, "csv or oscal (default: from the file's name)")
      ->check(CLI::IsMember({"csv", "oscal"}));
  framework_import->add_option("--key", framework_options.key,
                               "Identifier, e.g. acme:2026 (required for CSV)");
  framework_import->add_option("--title", framework_options.title, "Title (required for CSV)");
  framework_import->add_option("--edition", framework_options.edition, "Edition or version");
  framework_import->add_option("--publisher", framework_options.publisher, "Publisher");
  framework_import
      ->add_option("--system", framework_options.management_system,
                   "Management system it belongs to")
      ->check(CLI::IsMember({"isms", "sms", "qms", "other"}))
      ->capture_default_str();

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e);
  }
  spdlog::set_level(spdlog::level::info);
  if (log_format == "json") {
    UseJsonLogs();
    server_options.json_logs = true;
  }

  int rc = 0;
  if (serve->parsed()) {
    limits.header_timeout = std::chrono::seconds(header_timeout_s);
    auth_options.session_idle = std::chrono::minutes(idle_minutes);
    auth_options.session_absolute = std::chrono::minutes(session_hours * 60);
    if (!metrics_token_file.empty()) {
      std::ifstream in(metrics_token_file);
      std::getline(in, server_options.metrics_token);
      if (server_options.metrics_token.size() < 16)
        return Fail(
            "cannot serve metrics",
            MakeError(ErrorCode::kBadRequest, "the metrics token in " + metrics_token_file +
                                                  " must be one line of at least 16 characters"));
    }
    return Serve(db, server_options, auth_options, anchoring);
  }
  if (keygen->parsed()) {  // needs no database
    auto k = records::CreateAnchorKey(key_path);
    if (!k.ok()) return Fail("no key created", k.error());
    std::cout << k->public_key << "\n";
    return 0;
  }
  if (openapi->parsed()) {
    auto doc = app::OpenApiDocument();
    if (!doc.ok()) return Fail("cannot describe the API", doc.error());
    std::cout << nlohmann::json::parse(*doc).dump(2) << "\n";
    return 0;
  }
  auto app = Open(db, &rc);
  if (!app) return rc;
  if (init->parsed()) {
    std::cout << "Database " << Redact(db) << " is ready.\n";
    return 0;
  }
  if (demo->parsed()) {
    auto n = app::LoadDemo(*app);
    if (!n.ok()) return Fail("demo data not loaded", n.error());
    if (Status s = app::LoadBuiltinContent(*app); !s.ok())
      return Fail("built-in catalogs not loaded", s.error());
    std::cout << "Loaded " << *n << " demo records into " << Redact(db) << ".\n"
              << "Sign in as admin (or a.khan, t.walsh, j.patel, s.okafor, d.mercer, c.moreau, "
                 "r.lowe, m.board) "
              << "with the password " << app::kDemoPassword << "\n";
    return 0;
  }
  const records::Actor system = records::SystemActor();
  if (user_add->parsed()) {
    if (admin) roles.push_back("administrator");
    nlohmann::json body = {{"username", username},
                           {"password", ReadPassword("Password: ")},
                           {"roles", roles},
                           {"groups", groups}};
    if (!display_name.empty()) body["display_name"] = display_name;
    auto u = app->auth->CreateUser(system, body);
    if (!u.ok()) return Fail("user not created", u.error());
    std::cout << "Created user " << username << " (" << (*u)["roles"].dump() << ").\n";
    return 0;
  }
  if (user_reset->parsed()) {
    Status st = app->auth->ResetPassword(system, username, ReadPassword("New password: "));
    if (!st.ok()) return Fail("password not reset", st.error());
    std::cout << "Password of " << username << " reset; it must be changed at next sign-in.\n";
    return 0;
  }
  if (user_unlock->parsed()) {
    Status st = app->auth->Unlock(system, username);
    if (!st.ok()) return Fail("not unlocked", st.error());
    std::cout << "Unlocked " << username << ".\n";
    return 0;
  }
  if (user_list->parsed()) {
    auto users = app->auth->Users(system);
    if (!users.ok()) return Fail("cannot list users", users.error());
    for (const auto& u : *users)
      std::cout << u["username"].get<std::string>() << "\t" << u["roles"].dump()
                << (u["disabled"].get<bool>() ? "\tdisabled" : "")
                << (u["mfa_enabled"].get<bool>() ? "\tmfa" : "") << "\n";
    return 0;
  }
  if (group_add->parsed()) {
    auto g = app->auth->CreateGroup(system, {{"name", group_name}, {"title", group_title}});
    if (!g.ok()) return Fail("group not created", g.error());
    std::cout << "Created group " << group_name << ".\n";
    return 0;
  }
  if (token_add->parsed()) {
    nlohmann::json body = {{"name", token_name}, {"scope", token_scope}};
    if (!token_expires.empty()) body["expires_at"] = token_expires;
    auto t = app->auth->IssueToken(system, username, body);
    if (!t.ok()) return Fail("token not created", t.error());
    std::cout << (*t)["token"].get<std::string>() << "\n";
    return 0;
  }
  if (anchor->parsed()) {
    auto k = records::LoadAnchorKey(key_path);
    if (!k.ok()) return Fail("no anchor written", k.error());
    auto a = records::AnchorHead(*app->db, *k, app->engine->clock(), anchor_log);
    if (!a.ok()) return Fail("no anchor written", a.error());
    if (a->seq == 0)
      std::cout << "the audit trail is empty; nothing to anchor\n";
    else
      std::cout << "anchored event " << a->seq << " " << a->hash << "\n";
    return 0;
  }
  if (verify->parsed()) {
    auto rep = records::VerifyAudit(*app->db);
    if (!rep.ok()) return Fail("cannot verify", rep.error());
    if (!rep->ok)
      std::cerr << "audit trail BROKEN at event " << rep->first_bad_seq << ": " << rep->problem
                << "\n";
    else
      std::cout << "audit trail OK: " << rep->events << " events; head " << rep->head_seq << " "
                << rep->head_hash << "\n";
    if (anchors_path.empty()) return rep->ok ? 0 : 2;
    std::set<std::string> trusted;
    if (!trusted_keys_path.empty()) {
      std::ifstream in(trusted_keys_path);
      auto keys = records::ReadTrustedKeys(in);
      if (!keys.ok()) return Fail("cannot verify", keys.error());
      trusted = *keys;
    }
    if (!key_path.empty()) {
      auto k = records::LoadAnchorKey(key_path);
      if (!k.ok()) return Fail("cannot verify", k.error());
      trusted.insert(k->public_key);
    }
    if (trusted.empty())
      return Fail("cannot verify", MakeError(ErrorCode::kBadRequest,
                                             "name the keys to trust: --trusted-keys or "
                                             "--audit-key"));
    std::ifstream log(anchors_path);
    auto anchors = records::CheckAnchors(*app->db, log, trusted);
    if (!anchors.ok()) return Fail("cannot verify", anchors.error());
    for (const auto& p : anchors->problems) std::cerr << "audit trail BROKEN: " << p << "\n";
    if (anchors->ok) {
      std::cout << "anchors OK: " << anchors->anchors << " anchors; events up to "
                << anchors->last_anchored << " are as signed";
      if (anchors->head_seq > anchors->last_anchored)
        std::cout << "; " << anchors->head_seq - anchors->last_anchored
                  << " newer events are not anchored yet";
      std::cout << "\n";
    }
    return rep->ok && anchors->ok ? 0 : 2;
  }
  if (exp->parsed()) {
    std::ofstream file;
    std::ostream* out = &std::cout;
    if (export_path != "-") {
      file.open(export_path, std::ios::binary | std::ios::trunc);
      if (!file)
        return Fail("cannot export",
                    MakeError(ErrorCode::kBadRequest, "cannot write " + export_path));
      out = &file;
    }
    records::Progress progress;
    if (out != &std::cout) progress = [](int64_t d, int64_t t) { PrintProgress("exported", d, t); };
    auto n = records::Export(*app->engine, *out, progress);
    if (!n.ok()) return Fail("export failed", n.error());
    if (out != &std::cout) std::cerr << "\nexported " << *n << " lines to " << export_path << "\n";
    return 0;
  }
  if (imp->parsed()) {
    int64_t total = 0;
    {
      std::ifstream count(import_path, std::ios::binary);
      std::string line;
      while (std::getline(count, line)) ++total;
    }
    std::ifstream in(import_path, std::ios::binary);
    auto n = records::Import(*app->engine, in, total,
                             [](int64_t d, int64_t t) { PrintProgress("imported", d, t); });
    std::cerr << "\n";
    if (!n.ok()) return Fail("import failed, nothing was imported", n.error());
    std::cout << "imported " << *n << " lines from " << import_path << "\n";
    return 0;
  }
  if (framework_import->parsed()) {
    std::ifstream in(framework_path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    const bool oscal =
        framework_format.empty() ? framework_path.ends_with(".json") : framework_format == "oscal";
    framework_options.format =
        oscal ? domains::CatalogFormat::kOscal : domains::CatalogFormat::kCsv;
    framework_options.source = std::filesystem::path(framework_path).filename().string();
    auto out = domains::ImportFramework(*app->engine, records::SystemActor("cli"), text.str(),
                                        framework_options);
    if (!out.ok()) return Fail("framework not imported, nothing was created", out.error());
    std::cout << "imported " << (*out)["standard"]["key"].get<std::string>() << ": "
              << (*out)["requirements"] << " requirements (" << (*out)["withdrawn"]
              << " withdrawn)\n";
    return 0;
  }
  if (backup->parsed()) {
    if (std::ifstream(backup_path))
      return Fail("backup refused",
                  MakeError(ErrorCode::kConflict, backup_path + " already exists"));
    Status st = app->db->Backup(backup_path);
    if (!st.ok()) return Fail("backup failed", st.error());
    std::cout << "backed up " << Redact(db) << " to " << backup_path << "\n";
    return 0;
  }
  return 0;
}

}  // namespace tandem::cli

// The HTTP server: JSON API under /api/v1, problem+json errors, security
// headers. cpp-httplib parses and routes requests; the sockets belong to
// Connections (http/connections.h), which keeps idle and slow clients off the
// worker threads. httplib stays behind this interface so only src/http
// compiles against it.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "core/result.h"
#include "http/connections.h"
#include "store/database.h"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace tandem::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;                  // 0 picks a free port (tests)
  ConnectionLimits connections;     // workers, connection limits, timeouts
  size_t max_body_bytes = 1 << 20;  // a request body, unless its route names a limit
  bool access_log = false;          // one line per request: method, path, status, request id
  bool json_logs = false;           // the access log's lines as JSON fields (cli/json_log.h)
  std::string tls_cert;             // PEM files; both set = serve HTTPS only
  std::string tls_key;
  bool trust_proxy = false;  // behind a reverse proxy: client address from X-Forwarded-For,
                             // and cookies marked Secure (the proxy must terminate TLS)
  // GET /metrics answers only a scrape that sends this as its bearer token;
  // empty: /metrics is off (404).
  std::string metrics_token;
  // Requests per second to the API per client address and per credential
  // (ApiOptions); 0: no limit.
  double client_rate = 0;
  double credential_rate = 0;
};

// What the server's own routes ask the rest of Tandem.
struct Probes {
  std::function<Status()> ready;                   // GET /health/ready: can the database answer?
  std::function<store::StoreStats()> store_stats;  // GET /metrics
};

class Api;

// Answers a request outside /api/v1 (the web UI's pages).
using PageHandler = std::function<void(const httplib::Request&, httplib::Response&)>;

class Server {
 public:
  // Serves `api` under /api/v1, GET /health/live, /health/ready and /metrics
  // itself, and every other path with `pages`; `api` must outlive the server.
  Server(const Api& api, PageHandler pages, ServerOptions options, Probes probes);
  ~Server();

  // Binds the listening socket (loading the TLS certificate first, if any);
  // returns the port bound.
  Result<int> Bind();
  // Serves until Stop(); call after Bind().
  void Run();
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tandem::http

// The HTTP server: JSON API under /api/v1, problem+json errors, security
// headers. cpp-httplib stays behind this interface so only src/http compiles
// against it.
#pragma once

#include <memory>
#include <string>

#include "auth/auth.h"
#include "core/result.h"
#include "records/engine.h"

namespace tandem::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;    // 0 picks a free port (tests)
  int threads = 128;  // one per open keep-alive connection
  size_t max_body_bytes = 1 << 20;     // a request body, but:
  size_t max_upload_bytes = 16 << 20;  // a file uploaded to import (a catalog)
  bool access_log = false;  // one line per request: method, path, status, request id
  std::string tls_cert;     // PEM files; both set = serve HTTPS only
  std::string tls_key;
  bool trust_proxy = false;  // behind a reverse proxy: client address from X-Forwarded-For,
                             // and cookies marked Secure (the proxy must terminate TLS)
};

class Server {
 public:
  Server(records::Engine& engine, auth::AuthService& auth, ServerOptions options);
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

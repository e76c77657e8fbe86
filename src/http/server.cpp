#include "http/server.h"

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "auth/session_cookie.h"
#include "core/hash.h"
#include "http/api.h"
#include "http/metrics.h"
#include "http/problem.h"

namespace tandem::http {

namespace {

// Sent on every response, errors included. No 'unsafe-inline' anywhere: pages
// load their scripts and styles from files the binary serves.
httplib::Headers SecurityHeaders(bool tls) {
  httplib::Headers h = {
      {"X-Content-Type-Options", "nosniff"},
      {"Content-Security-Policy",
       "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; "
       "object-src 'none'"},
      {"X-Frame-Options", "DENY"},
      {"Referrer-Policy", "no-referrer"},
      {"Cache-Control", "no-store"},
  };
  if (tls) h.emplace("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  return h;
}

// A decoded path as one log line: control characters (a %0A would start a
// forged line) written as \xNN.
std::string Printable(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    if (c >= 0x20 && c != 0x7f && c != '\\') {
      out += static_cast<char>(c);
      continue;
    }
    char buf[5];
    std::snprintf(buf, sizeof buf, "\\x%02x", c);
    out += buf;
  }
  return out;
}

// A request's view of its connection, for httplib.
class ConnectionStream final : public httplib::Stream {
 public:
  explicit ConnectionStream(Connection& c) : c_(c) {}
  bool is_readable() const override { return c_.Readable(); }
  bool is_writable() const override { return c_.Writable(); }
  ssize_t read(char* ptr, size_t size) override { return c_.Read(ptr, size); }
  ssize_t write(const char* ptr, size_t size) override { return c_.Write(ptr, size); }
  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    ip = c_.peer_ip();
    port = c_.peer_port();
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    c_.LocalAddress(ip, port);
  }
  socket_t socket() const override { return c_.fd(); }

 private:
  Connection& c_;
};

// httplib queues each accepted socket as a task; handing it to Connections
// is quick enough to do on the accepting thread.
class InlineQueue final : public httplib::TaskQueue {
 public:
  void enqueue(std::function<void()> fn) override { fn(); }
  void shutdown() override {}
};

// httplib with its sockets given to Connections: each accepted one goes
// there instead of to a thread of its own, and Connections calls ServeOne
// for each request that has arrived.
template <class Base>
class PooledServer final : public Base {
 public:
  using Base::Base;

  void Attach(Connections* connections) {
    connections_ = connections;
    this->new_task_queue = [] { return new InlineQueue; };
  }

  bool ServeOne(Connection& c) {
    ConnectionStream stream(c);
    bool close = false;
    const bool ok = this->process_request(stream, connections_->stopping(), close, nullptr);
    return ok && !close;
  }

 private:
  bool process_and_close_socket(socket_t sock) override {
    connections_->Adopt(sock);
    return true;
  }

  Connections* connections_ = nullptr;
};

}  // namespace

struct Server::Impl {
  Impl(const Api& a, PageHandler p, ServerOptions o, Probes pr)
      : api(a),
        pages(std::move(p)),
        options(std::move(o)),
        probes(std::move(pr)),
        metrics(
            probes.store_stats ? probes.store_stats : [] { return store::StoreStats{}; },
            [this] { return connections->Stats(); }) {
    if (options.tls_cert.empty()) {
      auto s = std::make_unique<PooledServer<httplib::Server>>();
      Attach(*s, nullptr);
      server = std::move(s);
    } else {
      auto s = std::make_unique<PooledServer<httplib::SSLServer>>(options.tls_cert.c_str(),
                                                                  options.tls_key.c_str());
      Attach(*s, s->is_valid() ? s->ssl_context() : nullptr);
      server = std::move(s);
    }
  }

  template <class S>
  void Attach(S& s, ssl_ctx_st* tls) {
    connections = std::make_unique<Connections>(options.connections, tls,
                                                [&s](Connection& c) { return s.ServeOne(c); });
    s.Attach(connections.get());
  }

  const Api& api;
  PageHandler pages;
  ServerOptions options;
  Probes probes;
  Metrics metrics;
  std::unique_ptr<Connections> connections;  // stopped before the server goes
  std::unique_ptr<httplib::Server> server;
  socket_t listen_fd = INVALID_SOCKET;
};

namespace {

// Runs `handle`, counting the request under the route it names.
template <typename Handle>
void Measured(Metrics& metrics, const httplib::Request& req, httplib::Response& res,
              Handle&& handle) {
  metrics.RequestStarted();
  const auto start = std::chrono::steady_clock::now();
  const Metrics::Route route = handle();
  if (res.status == -1) res.status = 200;  // what httplib would send
  metrics.RequestFinished(
      route, req.method, res.status,
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
}

}  // namespace

Server::Server(const Api& api, PageHandler pages, ServerOptions options, Probes probes)
    : impl_(std::make_unique<Impl>(api, std::move(pages), std::move(options), std::move(probes))) {
  auto& s = *impl_->server;
  // The largest any route takes is checked here; Api holds each route to its own.
  s.set_payload_max_length(std::max(impl_->options.max_body_bytes, api.largest_body()));
  // Only what the Keep-Alive response header announces: Connections keeps
  // the time and does not count requests.
  s.set_keep_alive_max_count(100000);
  s.set_keep_alive_timeout(std::max<time_t>(
      1, std::chrono::duration_cast<std::chrono::seconds>(impl_->options.connections.header_timeout)
             .count()));
  s.set_default_headers(SecurityHeaders(!impl_->options.tls_cert.empty()));
  // httplib's default sets SO_REUSEPORT, which would let a second server bind
  // the same port and silently take half the connections. Restarts only need
  // SO_REUSEADDR.
  s.set_socket_options([this](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    impl_->listen_fd = sock;
  });
  // Debian's httplib compresses Brotli at quality 11, about 50 ms for a 32 KB
  // list page, and offers no setting for it. Taking "br" out of the offer
  // leaves gzip (about 1 ms) for clients that accept it.
  s.set_pre_routing_handler([](const httplib::Request& req, httplib::Response&) {
    auto& headers = const_cast<httplib::Headers&>(req.headers);
    for (auto it = headers.find("Accept-Encoding");
         it != headers.end() && it->first == "Accept-Encoding"; ++it) {
      std::string& v = it->second;
      for (size_t pos; (pos = v.find("br")) != std::string::npos;) v.replace(pos, 2, "identity");
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });

  if (impl_->options.access_log) {
    // The path only: query strings can carry search text, and bodies are never logged.
    auto access = spdlog::default_logger()->clone("access");
    const bool json = impl_->options.json_logs;
    s.set_logger([access, json](const httplib::Request& req, const httplib::Response& res) {
      const std::string id = res.get_header_value("X-Request-Id");
      if (json)
        access->info(nlohmann::json{
            {"method", req.method}, {"path", req.path}, {"status", res.status}, {"request_id", id}}
                         .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
      else
        access->info("{} {} {} {}", req.method, Printable(req.path), res.status, id);
    });
  }

  auto api_handler = [this](const httplib::Request& req, httplib::Response& res) {
    Measured(impl_->metrics, req, res, [&] {
      return Metrics::Route{"/api/v1", impl_->api.Handle(req, res)};
    });
  };
  // For load balancers and orchestrators: no credentials, no body worth
  // caching, nothing about the data. Live: the process answers. Ready: the
  // database answers too (a 503 while it is unreachable).
  s.Get("/health/live", [this](const httplib::Request& req, httplib::Response& res) {
    Measured(impl_->metrics, req, res, [&] {
      res.set_content(R"({"status":"ok"})", "application/json");
      return Metrics::Route{"", "/health/live"};
    });
  });
  s.Get("/health/ready", [this](const httplib::Request& req, httplib::Response& res) {
    Measured(impl_->metrics, req, res, [&] {
      Status st = impl_->probes.ready ? impl_->probes.ready() : Status::Ok();
      if (st.ok())
        res.set_content(R"({"status":"ready"})", "application/json");
      else
        WriteProblem(
            res,
            MakeError(ErrorCode::kUnavailable,
                      "not ready: the database does not answer (" + st.error().detail + ")"),
            req.path, RandomHex(8));
      return Metrics::Route{"", "/health/ready"};
    });
  });
  // Prometheus: a scrape sends the configured token as a bearer token.
  s.Get("/metrics", [this](const httplib::Request& req, httplib::Response& res) {
    Measured(impl_->metrics, req, res, [&] {
      const std::string& token = impl_->options.metrics_token;
      const std::string sent = req.get_header_value("Authorization");
      if (token.empty())
        WriteProblem(res, MakeError(ErrorCode::kNotFound, "metrics are not enabled on this server"),
                     req.path, RandomHex(8));
      else if (!sent.starts_with("Bearer ") || !auth::SameSecret(sent.substr(7), token))
        WriteProblem(
            res, MakeError(ErrorCode::kUnauthorized, "send the metrics token as a bearer token"),
            req.path, RandomHex(8));
      else
        res.set_content(impl_->metrics.Scrape(), "text/plain; version=0.0.4; charset=utf-8");
      return Metrics::Route{"", "/metrics"};
    });
  });
  for (const char* pattern : {"/api/v1/.*", "/api/v1"}) {
    s.Get(pattern, api_handler);
    s.Post(pattern, api_handler);
    s.Patch(pattern, api_handler);
    s.Delete(pattern, api_handler);
    s.Put(pattern, api_handler);
  }
  // Everything else is a page of the web UI.
  auto page = [this](const httplib::Request& req, httplib::Response& res) {
    Measured(impl_->metrics, req, res, [&] {
      impl_->pages(req, res);
      return Metrics::Route{"", "web"};
    });
  };
  s.Get("/.*", page);
  s.Post("/.*", page);
  // OPTIONS names the methods a path family takes. There is no cross-origin
  // access to grant: no Access-Control-* header is ever sent.
  s.Options("/.*", [](const httplib::Request& req, httplib::Response& res) {
    res.status = 204;
    res.set_header("Allow", req.path == "/api/v1" || req.path.starts_with("/api/v1/")
                                ? "GET, POST, PUT, PATCH, DELETE, OPTIONS"
                                : "GET, POST, OPTIONS");
  });

  // Responses httplib produces itself (unknown route, 413, bad request line)
  // become problem+json too.
  s.set_error_handler(httplib::Server::HandlerWithResponse([](const httplib::Request& req,
                                                              httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    ErrorCode code = res.status == 413   ? ErrorCode::kPayloadTooLarge
                     : res.status == 404 ? ErrorCode::kNotFound
                     : res.status == 405 ? ErrorCode::kMethodNotAllowed
                     : res.status >= 500 ? ErrorCode::kInternal
                                         : ErrorCode::kBadRequest;
    std::string detail = code == ErrorCode::kPayloadTooLarge ? "the request body exceeds the limit"
                         : code == ErrorCode::kNotFound      ? "no such resource: " + req.path
                                                             : "the request could not be processed";
    WriteProblem(res, MakeError(code, detail), req.path, RandomHex(8));
    return httplib::Server::HandlerResponse::Handled;
  }));
  s.set_exception_handler(
      [](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "unknown exception";
        try {
          if (ep) std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        WriteProblem(res, MakeError(ErrorCode::kInternal, what), req.path, RandomHex(8));
      });
}

Server::~Server() { Stop(); }

Result<int> Server::Bind() {
  auto& o = impl_->options;
  if (!impl_->server->is_valid())
    return MakeError(ErrorCode::kBadRequest, "cannot load the TLS certificate " + o.tls_cert +
                                                 " and key " + o.tls_key +
                                                 " (missing, unreadable, or not a matching pair)");
  int port = o.port == 0 ? impl_->server->bind_to_any_port(o.host)
                         : (impl_->server->bind_to_port(o.host, o.port) ? o.port : -1);
  if (port < 0)
    return MakeError(ErrorCode::kUnavailable, "cannot listen on " + o.host + ":" +
                                                  std::to_string(o.port) +
                                                  " (address in use or not permitted)");
  // httplib listens with a backlog of 5, compiled into Debian's library: a
  // burst of new connections then overflows the queue and clients stall for a
  // second. Listening again on the bound socket raises the backlog.
  if (impl_->listen_fd != INVALID_SOCKET) ::listen(impl_->listen_fd, SOMAXCONN);
  return port;
}

void Server::Run() { impl_->server->listen_after_bind(); }

void Server::Stop() {
  if (!impl_) return;
  impl_->server->stop();
  impl_->connections->Stop();
}

}  // namespace tandem::http

#include "http/connections.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <climits>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/errors.h"

namespace tandem::http {

namespace {

using Clock = std::chrono::steady_clock;

// A request header larger than this is refused (431). httplib's own limit
// per header line is 8 KiB.
constexpr size_t kMaxHeaderBytes = 32 * 1024;
// A body of up to this many bytes (by Content-Length) is read with the header,
// before a worker takes the request, so that a client trickling a small body
// holds no thread. Larger bodies (catalog uploads) are read by the worker.
constexpr size_t kMaxBodyReadAhead = 64 * 1024;
constexpr size_t kReadChunk = 16 * 1024;
// How long a worker waits for a keep-alive client's next request before
// handing the connection back to the epoll set (Impl::Linger). 2 ms was too
// short on a loaded machine: GET by id with 8 clients ran 10% slower than
// with a thread per connection; at 20 ms it runs the same.
constexpr auto kLinger = std::chrono::milliseconds(20);

int Millis(std::chrono::steady_clock::duration d) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
  return static_cast<int>(std::clamp<int64_t>(ms, 0, INT_MAX));
}

// The address at one end of a socket: the peer's, or the local one.
void AddressOf(int fd, bool peer, std::string& ip, int& port) {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  auto* sa = reinterpret_cast<sockaddr*>(&ss);
  if ((peer ? getpeername(fd, sa, &len) : getsockname(fd, sa, &len)) != 0) return;
  char buf[INET6_ADDRSTRLEN] = {};
  if (ss.ss_family == AF_INET) {
    auto* a = reinterpret_cast<sockaddr_in*>(&ss);
    inet_ntop(AF_INET, &a->sin_addr, buf, sizeof buf);
    port = ntohs(a->sin_port);
  } else if (ss.ss_family == AF_INET6) {
    auto* a = reinterpret_cast<sockaddr_in6*>(&ss);
    inet_ntop(AF_INET6, &a->sin6_addr, buf, sizeof buf);
    port = ntohs(a->sin6_port);
  }
  ip = buf;
}

// The answer to a connection refused or given up before any request ran:
// problem+json like every other error, with Connection: close.
std::string Refusal(ErrorCode code, const std::string& detail, int retry_after) {
  const ErrorInfo& info = Describe(code);
  const std::string body = nlohmann::json{
      {"type", info.type},
      {"title", info.title},
      {"status", info.http_status},
      {"detail", detail}}.dump();
  std::string out = "HTTP/1.1 " + std::to_string(info.http_status) + " " + std::string(info.title) +
                    "\r\nContent-Type: application/problem+json\r\n"
                    "X-Content-Type-Options: nosniff\r\nCache-Control: no-store\r\n"
                    "Connection: close\r\n";
  if (retry_after > 0) out += "Retry-After: " + std::to_string(retry_after) + "\r\n";
  out += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  return out;
}

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  return true;
}

// The Content-Length of a complete header, or 0 when it has none, names a
// chunked body, or is malformed (httplib then answers the request itself).
// Runs once per request, so it reads the header in place.
size_t BodyLength(std::string_view header) {
  size_t length = 0;
  for (size_t at = header.find('\n'); at != std::string_view::npos;
       at = header.find('\n', at + 1)) {
    const std::string_view line = header.substr(at + 1);
    if (StartsWithNoCase(line, "transfer-encoding:")) return 0;
    if (!StartsWithNoCase(line, "content-length:")) continue;
    std::string_view value = line.substr(15);
    while (!value.empty() && (value[0] == ' ' || value[0] == '\t')) value.remove_prefix(1);
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), length);
    if (ec != std::errc() || end == value.data()) return 0;
  }
  return length;
}

}  // namespace

// ---------------------------------------------------------------------------
// Connection

Connection::Connection(int fd, ssl_st* ssl, std::string peer_ip, int peer_port,
                       std::chrono::milliseconds io_timeout)
    : fd_(fd),
      ssl_(ssl),
      handshake_done_(ssl == nullptr),
      peer_ip_(std::move(peer_ip)),
      peer_port_(peer_port),
      io_timeout_(io_timeout) {}

Connection::~Connection() {
  if (ssl_) {
    if (handshake_done_) SSL_shutdown(ssl_);  // best effort: the socket does not block
    SSL_free(ssl_);
    ERR_clear_error();
  }
  ::shutdown(fd_, SHUT_RDWR);
  ::close(fd_);
}

bool Connection::Wait(short events) const {
  const auto now = Clock::now();
  if (now >= request_due_) return false;
  pollfd p{fd_, events, 0};
  int timeout = std::min(Millis(io_timeout_), Millis(request_due_ - now));
  int r;
  do r = poll(&p, 1, timeout);
  while (r < 0 && errno == EINTR);
  return r > 0;
}

ssize_t Connection::Read(char* out, size_t size) {
  if (ahead_pos_ < ahead_.size()) {
    const size_t n = std::min(size, ahead_.size() - ahead_pos_);
    std::memcpy(out, ahead_.data() + ahead_pos_, n);
    ahead_pos_ += n;
    if (ahead_pos_ == ahead_.size()) {
      ahead_.clear();
      ahead_pos_ = 0;
    }
    return static_cast<ssize_t>(n);
  }
  for (;;) {
    if (ssl_) {
      ERR_clear_error();
      const int n = SSL_read(ssl_, out, static_cast<int>(std::min<size_t>(size, INT_MAX)));
      if (n > 0) return n;
      const int err = SSL_get_error(ssl_, n);
      if (err == SSL_ERROR_ZERO_RETURN) return 0;
      if (err == SSL_ERROR_WANT_READ && Wait(POLLIN)) continue;
      if (err == SSL_ERROR_WANT_WRITE && Wait(POLLOUT)) continue;
      return -1;
    }
    const ssize_t n = recv(fd_, out, size, 0);
    if (n >= 0) return n;
    if (errno == EINTR) continue;
    if ((errno == EAGAIN || errno == EWOULDBLOCK) && Wait(POLLIN)) continue;
    return -1;
  }
}

ssize_t Connection::Write(const char* data, size_t size) {
  size_t off = 0;
  while (off < size) {
    if (ssl_) {
      ERR_clear_error();
      const int n =
          SSL_write(ssl_, data + off, static_cast<int>(std::min<size_t>(size - off, INT_MAX)));
      if (n > 0) {
        off += static_cast<size_t>(n);
        continue;
      }
      const int err = SSL_get_error(ssl_, n);
      if (err == SSL_ERROR_WANT_WRITE && Wait(POLLOUT)) continue;
      if (err == SSL_ERROR_WANT_READ && Wait(POLLIN)) continue;
      return -1;
    }
    const ssize_t n = send(fd_, data + off, size - off, MSG_NOSIGNAL);
    if (n > 0) {
      off += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) && Wait(POLLOUT)) continue;
    return -1;
  }
  return static_cast<ssize_t>(size);
}

bool Connection::Readable() const {
  return ahead_pos_ < ahead_.size() || (ssl_ && SSL_pending(ssl_) > 0) || Wait(POLLIN);
}

bool Connection::Writable() const { return Wait(POLLOUT); }

void Connection::LocalAddress(std::string& ip, int& port) const {
  AddressOf(fd_, /*peer=*/false, ip, port);
}

bool Connection::RequestArrived() {
  const size_t have = ahead_.size() - ahead_pos_;
  if (need_ == 0) {
    // The header ends at the first empty line (CRLF CRLF, or bare LF LF).
    const char* base = ahead_.data() + ahead_pos_;
    for (size_t i = scanned_; i < have; ++i) {
      if (base[i] != '\n') continue;
      size_t end = 0;
      if (i + 1 < have && base[i + 1] == '\n') end = i + 2;
      if (i + 2 < have && base[i + 1] == '\r' && base[i + 2] == '\n') end = i + 3;
      if (end == 0) continue;
      const size_t body = BodyLength(std::string_view(base, end));
      header_bytes_ = end;
      need_ = end + (body <= kMaxBodyReadAhead ? body : 0);
      break;
    }
    if (need_ == 0) {
      scanned_ = have >= 2 ? have - 2 : 0;
      return false;
    }
  }
  return have >= need_;
}

Connection::Fill Connection::FillWithoutBlocking() {
  if (!handshake_done_) {
    ERR_clear_error();
    const int r = SSL_accept(ssl_);
    if (r != 1) {
      const int err = SSL_get_error(ssl_, r);
      return err == SSL_ERROR_WANT_READ    ? Fill::kMore
             : err == SSL_ERROR_WANT_WRITE ? Fill::kWantWrite
                                           : Fill::kClosed;
    }
    handshake_done_ = true;
  }
  char buf[kReadChunk];
  for (;;) {
    if (RequestArrived()) return header_bytes_ > kMaxHeaderBytes ? Fill::kTooLarge : Fill::kRequest;
    if (need_ == 0 && ahead_.size() - ahead_pos_ > kMaxHeaderBytes) return Fill::kTooLarge;
    size_t got = 0;
    if (ssl_) {
      ERR_clear_error();
      const int r = SSL_read(ssl_, buf, sizeof buf);
      if (r <= 0) {
        const int err = SSL_get_error(ssl_, r);
        return err == SSL_ERROR_WANT_READ    ? Fill::kMore
               : err == SSL_ERROR_WANT_WRITE ? Fill::kWantWrite
                                             : Fill::kClosed;
      }
      got = static_cast<size_t>(r);
    } else {
      const ssize_t r = recv(fd_, buf, sizeof buf, 0);
      if (r == 0) return Fill::kClosed;
      if (r < 0) {
        if (errno == EINTR) continue;
        return errno == EAGAIN || errno == EWOULDBLOCK ? Fill::kMore : Fill::kClosed;
      }
      got = static_cast<size_t>(r);
    }
    if (ahead_pos_ > 0) {
      ahead_.erase(0, ahead_pos_);
      ahead_pos_ = 0;
    }
    ahead_.append(buf, got);
  }
}

void Connection::SendBestEffort(const std::string& bytes) {
  if (ssl_) {
    if (handshake_done_) {
      ERR_clear_error();
      SSL_write(ssl_, bytes.data(), static_cast<int>(bytes.size()));
    }
    return;
  }
  (void)send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
}

// ---------------------------------------------------------------------------
// Connections

struct Connections::Impl {
  Impl(ConnectionLimits l, ssl_ctx_st* t, Serve s) : limits(l), tls(t), serve(std::move(s)) {}

  const ConnectionLimits limits;
  ssl_ctx_st* const tls;
  const Serve serve;
  int epoll_fd = -1;
  int wake_fd = -1;
  std::thread loop;
  std::vector<std::thread> workers;
  std::atomic<bool> stopping{false};
  std::atomic<size_t> queued{0};        // requests arrived and waiting for a worker (ready.size())
  std::atomic<size_t> idle_workers{0};  // workers waiting for a request

  mutable std::mutex mu;
  bool stopped = false;                                          // guarded by mu
  bool workers_stop = false;                                     // guarded by mu
  std::unordered_map<int, std::unique_ptr<Connection>> waiting;  // guarded by mu
  std::deque<std::unique_ptr<Connection>> ready;                 // guarded by mu
  std::unordered_map<std::string, size_t> per_client;            // guarded by mu
  ConnectionStats stats;                                         // guarded by mu
  std::condition_variable ready_cv;

  // Gives a connection back to the epoll set, waiting for `events`.
  void Watch(std::unique_ptr<Connection> c, uint32_t events, bool first) {
    std::unique_lock lk(mu);
    if (stopped) {
      lk.unlock();
      Close(std::move(c));
      return;
    }
    epoll_event ev{};
    ev.events = events | EPOLLRDHUP | EPOLLONESHOT;
    ev.data.fd = c->fd();
    // Under the lock: a sweep must not close the socket between the two.
    epoll_ctl(epoll_fd, first ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, c->fd(), &ev);
    ++stats.waiting;
    waiting.emplace(c->fd(), std::move(c));
  }

  void Close(std::unique_ptr<Connection> c) {
    {
      std::lock_guard lk(mu);
      auto it = per_client.find(c->peer_ip());
      if (it != per_client.end() && --it->second == 0) per_client.erase(it);
      --stats.open;
    }
    c.reset();
  }

  void Dispatch(std::unique_ptr<Connection> c) {
    {
      std::lock_guard lk(mu);
      ready.push_back(std::move(c));
      ++queued;
    }
    ready_cv.notify_one();
  }

  // Reads what a waiting connection has sent and decides its next step.
  void Advance(std::unique_ptr<Connection> c) { Next(std::move(c), c->FillWithoutBlocking()); }

  // Where a connection goes after reading from it gave `fill`.
  void Next(std::unique_ptr<Connection> c, Connection::Fill fill) {
    switch (fill) {
      case Connection::Fill::kRequest:
        return Dispatch(std::move(c));
      case Connection::Fill::kMore:
        return Watch(std::move(c), EPOLLIN, false);
      case Connection::Fill::kWantWrite:
        return Watch(std::move(c), EPOLLOUT, false);
      case Connection::Fill::kTooLarge:
        c->SendBestEffort(Refusal(
            ErrorCode::kHeaderTooLarge,
            "the request header exceeds " + std::to_string(kMaxHeaderBytes / 1024) + " KiB", 0));
        return Close(std::move(c));
      case Connection::Fill::kClosed:
        return Close(std::move(c));
    }
  }

  // Closes the connections whose header is overdue.
  void Sweep() {
    std::vector<std::unique_ptr<Connection>> overdue;
    {
      std::lock_guard lk(mu);
      const auto now = Clock::now();
      for (auto it = waiting.begin(); it != waiting.end();) {
        if (it->second->header_due_ > now) {
          ++it;
          continue;
        }
        --stats.waiting;
        overdue.push_back(std::move(it->second));
        it = waiting.erase(it);
      }
    }
    for (auto& c : overdue) {
      // A connection idle between requests just ends; one that started a
      // request is told why.
      if (c->ahead_pos_ < c->ahead_.size()) {
        c->SendBestEffort(Refusal(ErrorCode::kRequestTimeout,
                                  "the request did not arrive within " +
                                      std::to_string(limits.header_timeout.count()) + " ms",
                                  0));
        std::lock_guard lk(mu);
        ++stats.header_timeouts;
      }
      Close(std::move(c));
    }
  }

  void RunLoop() {
    const auto sweep_every = std::clamp<std::chrono::milliseconds>(
        limits.header_timeout / 4, std::chrono::milliseconds(10), std::chrono::seconds(1));
    auto next_sweep = Clock::now() + sweep_every;
    std::vector<epoll_event> events(256);
    while (!stopping) {
      const int n = epoll_wait(epoll_fd, events.data(), static_cast<int>(events.size()),
                               Millis(next_sweep - Clock::now()) + 1);
      for (int i = 0; i < n; ++i) {
        const int fd = events[i].data.fd;
        if (fd == wake_fd) continue;
        std::unique_ptr<Connection> c;
        {
          std::lock_guard lk(mu);
          auto it = waiting.find(fd);
          if (it == waiting.end()) continue;
          c = std::move(it->second);
          waiting.erase(it);
          --stats.waiting;
        }
        Advance(std::move(c));
      }
      if (Clock::now() >= next_sweep) {
        Sweep();
        next_sweep = Clock::now() + sweep_every;
      }
    }
    std::unordered_map<int, std::unique_ptr<Connection>> left;
    {
      std::lock_guard lk(mu);
      left.swap(waiting);
      stats.waiting = 0;
    }
    for (auto& [fd, c] : left) Close(std::move(c));
  }

  // Reads the next request on the thread that answered the last one, for
  // up to kLinger: a keep-alive client usually sends it at once, and this
  // spares it two thread switches (to the loop and back) per request. Not
  // while more requests wait than idle workers can take: then the thread
  // goes to them.
  Connection::Fill Linger(Connection& c) {
    const auto until = Clock::now() + kLinger;
    for (;;) {
      const Connection::Fill fill = c.FillWithoutBlocking();
      const int left = Millis(until - Clock::now());
      if (fill != Connection::Fill::kMore || left <= 0 || queued > idle_workers) return fill;
      pollfd p{c.fd(), POLLIN, 0};
      if (poll(&p, 1, left) <= 0) return c.FillWithoutBlocking();
    }
  }

  void RunWorker() {
    for (;;) {
      std::unique_ptr<Connection> c;
      {
        std::unique_lock lk(mu);
        ++idle_workers;
        ready_cv.wait(lk, [&] { return !ready.empty() || workers_stop; });
        --idle_workers;
        if (ready.empty()) return;
        c = std::move(ready.front());
        ready.pop_front();
        --queued;
      }
      for (;;) {
        c->request_due_ = Clock::now() + limits.request_timeout;
        if (!serve(*c) || stopping) {
          Close(std::move(c));
          break;
        }
        c->need_ = 0;
        c->scanned_ = 0;
        c->header_due_ = Clock::now() + limits.header_timeout;
        const Connection::Fill fill = Linger(*c);
        if (fill != Connection::Fill::kRequest) {
          Next(std::move(c), fill);
          break;
        }
      }
    }
  }
};

Connections::Connections(ConnectionLimits limits, ssl_ctx_st* tls, Serve serve)
    : impl_(std::make_unique<Impl>(limits, tls, std::move(serve))) {
  impl_->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
  impl_->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = impl_->wake_fd;
  epoll_ctl(impl_->epoll_fd, EPOLL_CTL_ADD, impl_->wake_fd, &ev);
  impl_->loop = std::thread([this] { impl_->RunLoop(); });
  for (int i = 0; i < std::max(1, limits.workers); ++i)
    impl_->workers.emplace_back([this] { impl_->RunWorker(); });
}

Connections::~Connections() { Stop(); }

void Connections::Adopt(int fd) {
  std::string ip;
  int port = 0;
  AddressOf(fd, /*peer=*/true, ip, port);
  auto& im = *impl_;
  std::string refusal;
  {
    std::lock_guard lk(im.mu);
    if (im.stopped) {
      refusal = Refusal(ErrorCode::kUnavailable, "the server is shutting down", 1);
    } else if (im.stats.open >= im.limits.max_connections) {
      ++im.stats.refused_server;
      refusal = Refusal(ErrorCode::kUnavailable,
                        "the server holds its maximum of " +
                            std::to_string(im.limits.max_connections) + " open connections",
                        1);
    } else if (im.limits.max_per_client > 0 && im.per_client[ip] >= im.limits.max_per_client) {
      ++im.stats.refused_client;
      refusal = Refusal(ErrorCode::kTooManyRequests,
                        "too many open connections from " + ip + " (at most " +
                            std::to_string(im.limits.max_per_client) + ")",
                        1);
    } else {
      ++im.per_client[ip];
      ++im.stats.open;
    }
  }
  if (!refusal.empty()) {
    // Over TLS there is no channel yet to say it in: the connection just ends.
    if (!im.tls) (void)send(fd, refusal.data(), refusal.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    ::close(fd);
    return;
  }
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  ssl_st* ssl = nullptr;
  if (im.tls) {
    ssl = SSL_new(im.tls);
    if (ssl) {
      SSL_set_fd(ssl, fd);
      SSL_set_accept_state(ssl);
    }
  }
  std::unique_ptr<Connection> c(new Connection(fd, ssl, ip, port, im.limits.io_timeout));
  if (im.tls && !ssl) return im.Close(std::move(c));
  c->header_due_ = Clock::now() + im.limits.header_timeout;
  im.Watch(std::move(c), EPOLLIN, true);
}

void Connections::Stop() {
  auto& im = *impl_;
  {
    std::lock_guard lk(im.mu);
    if (im.stopped) return;
    im.stopped = true;
  }
  im.stopping = true;
  const uint64_t one = 1;
  (void)!write(im.wake_fd, &one, sizeof one);
  im.loop.join();
  {
    std::lock_guard lk(im.mu);
    im.workers_stop = true;
  }
  im.ready_cv.notify_all();
  for (auto& t : im.workers) t.join();
  ::close(im.epoll_fd);
  ::close(im.wake_fd);
}

bool Connections::stopping() const { return impl_->stopping; }

ConnectionStats Connections::Stats() const {
  std::lock_guard lk(impl_->mu);
  return impl_->stats;
}

}  // namespace tandem::http

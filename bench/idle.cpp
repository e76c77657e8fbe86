// tandem-idle: what idle and slow clients cost everyone else.
//
// Opens --idle connections that never send a byte and --slow connections
// that trickle a request header one line per second (slowloris), then times
// --requests GETs of a normal client, each on a new connection (the worst
// case: the server must accept it and find a thread for it) or, with
// --keep-alive, on one connection. Prints the normal client's latency and how
// many of the held connections the server closed meanwhile.
//
// Exit status: 0 when every normal request got a 2xx answer within
// --timeout-ms, 1 otherwise, so tests can use it to assert that idle
// connections do not starve normal clients.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  std::string host = "127.0.0.1";
  // The normal client's own source address: on loopback any 127.x address
  // works, so a per-address connection limit can tell it from the crowd.
  std::string source;
  int port = 8080;
  int idle = 1000;
  int slow = 0;
  int requests = 500;
  int timeout_ms = 5000;
  int hold_ms = 0;
  bool keep_alive = false;
  std::string path = "/health/live";
};

int Connect(const Options& o, const std::string& source) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (!source.empty()) {
    sockaddr_in local{};
    local.sin_family = AF_INET;
    inet_pton(AF_INET, source.c_str(), &local.sin_addr);
    if (bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) {
      close(fd);
      return -1;
    }
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(o.port));
  inet_pton(AF_INET, o.host.c_str(), &addr.sin_addr);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

bool SendAll(int fd, const std::string& s) {
  for (size_t off = 0; off < s.size();) {
    ssize_t n = send(fd, s.data() + off, s.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return false;
    off += static_cast<size_t>(n);
  }
  return true;
}

// Reads one response (headers and a Content-Length body) within the deadline;
// returns its status, or -1.
int ReadResponse(int fd, Clock::time_point deadline) {
  std::string in;
  size_t body_start = std::string::npos, need = 0;
  char buf[8192];
  for (;;) {
    if (body_start != std::string::npos && in.size() >= body_start + need) break;
    int left = static_cast<int>(
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count());
    if (left <= 0) return -1;
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, left) <= 0) return -1;
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return body_start == std::string::npos ? -1 : 0;
    in.append(buf, static_cast<size_t>(n));
    if (body_start == std::string::npos) {
      size_t end = in.find("\r\n\r\n");
      if (end == std::string::npos) continue;
      body_start = end + 4;
      std::string head = in.substr(0, end);
      for (char& c : head) c = static_cast<char>(tolower(c));
      size_t cl = head.find("\ncontent-length:");
      if (cl != std::string::npos) need = std::stoul(head.substr(cl + 16));
    }
  }
  if (in.size() < 12 || in.compare(0, 5, "HTTP/") != 0) return -1;
  return std::atoi(in.c_str() + 9);
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t i = std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())));
  return v[i];
}

// True when the server has closed the connection (or reset it), after
// whatever it said first (a 429, a 408).
bool ClosedByServer(int fd) {
  char buf[4096];
  for (;;) {
    ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
    if (n > 0) continue;
    return n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK);
  }
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"Times a normal client while idle and slow connections are held open."};
  app.add_option("--host", o.host);
  app.add_option("--port", o.port)->required();
  app.add_option("--source", o.source, "Source address of the normal client (e.g. 127.0.0.2)");
  app.add_option("--idle", o.idle, "Connections that never send a byte");
  app.add_option("--slow", o.slow, "Connections that send a header line per second");
  app.add_option("--requests", o.requests, "GETs of the normal client");
  app.add_option("--timeout-ms", o.timeout_ms, "A normal request failing after this");
  app.add_option("--hold-ms", o.hold_ms, "Hold the connections at least this long in all");
  app.add_option("--path", o.path);
  app.add_flag("--keep-alive", o.keep_alive, "The normal client keeps one connection");
  CLI11_PARSE(app, argc, argv);

  rlimit lim{};
  getrlimit(RLIMIT_NOFILE, &lim);
  lim.rlim_cur = lim.rlim_max;
  setrlimit(RLIMIT_NOFILE, &lim);

  std::vector<int> held;
  int refused = 0;
  for (int i = 0; i < o.idle + o.slow; ++i) {
    int fd = Connect(o, "");
    if (fd < 0)
      ++refused;
    else
      held.push_back(fd);
  }
  // The slow ones start a request and then add a line a second, never ending it.
  std::atomic<bool> done{false};
  std::thread trickle([&] {
    const size_t first_slow = std::min(held.size(), static_cast<size_t>(o.idle));
    for (size_t i = first_slow; i < held.size(); ++i)
      SendAll(held[i], "GET " + o.path + " HTTP/1.1\r\nHost: tandem\r\n");
    for (int line = 0; !done; ++line) {
      for (size_t i = first_slow; i < held.size() && !done; ++i)
        SendAll(held[i], "X-Slow-" + std::to_string(line) + ": x\r\n");
      for (int t = 0; t < 10 && !done; ++t)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));

  const std::string request = "GET " + o.path + " HTTP/1.1\r\nHost: tandem\r\n" +
                              (o.keep_alive ? "" : "Connection: close\r\n") + "\r\n";
  std::vector<double> ms;
  int errors = 0;
  int keep_fd = -1;
  const auto started = Clock::now();
  for (int i = 0; i < o.requests; ++i) {
    const auto t0 = Clock::now();
    const auto deadline = t0 + std::chrono::milliseconds(o.timeout_ms);
    int fd = keep_fd >= 0 ? keep_fd : Connect(o, o.source);
    int status = fd < 0 ? -1 : (SendAll(fd, request) ? ReadResponse(fd, deadline) : -1);
    if (o.keep_alive && status > 0) {
      keep_fd = fd;
    } else {
      if (fd >= 0) close(fd);
      keep_fd = -1;
    }
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    if (status < 200 || status > 299) {
      if (errors < 5) std::fprintf(stderr, "request %d: status %d\n", i, status);
      ++errors;
    }
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  std::this_thread::sleep_until(started + std::chrono::milliseconds(o.hold_ms));
  done = true;
  trickle.join();
  int closed = 0;
  for (int fd : held) closed += ClosedByServer(fd) ? 1 : 0;
  for (int fd : held) close(fd);
  if (keep_fd >= 0) close(keep_fd);

  std::printf(
      "held %zu connections (%d idle, %d slow; %d refused at connect, %d closed by the server "
      "by the end)\n",
      held.size(), o.idle, o.slow, refused, closed);
  std::printf(
      "normal client, %s: %d GETs of %s in %.2f s, p50 %.2f ms, p99 %.2f ms, max %.2f ms, "
      "%d errors\n",
      o.keep_alive ? "one keep-alive connection" : "a new connection each", o.requests,
      o.path.c_str(), seconds, Percentile(ms, 0.5), Percentile(ms, 0.99), Percentile(ms, 1.0),
      errors);
  return errors == 0 ? 0 : 1;
}

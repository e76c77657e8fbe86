// The server's client connections, held between requests without a thread.
//
// httplib alone gives every connection a worker thread for its whole life, so
// a few hundred idle keep-alive connections, or clients that send their
// request header a byte at a time (slowloris), leave no thread for anyone
// else. Here a connection waits in one epoll set until a complete request
// header has arrived; only then does a worker thread take it, run the
// request, and hand it back. An idle or slow client costs a file descriptor
// and a buffer, and is closed when its header takes longer than the header
// timeout. TLS is read the same way: the handshake and the header are read
// without blocking, so a stalled handshake holds no thread either.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

struct ssl_ctx_st;
struct ssl_st;

namespace tandem::http {

struct ConnectionLimits {
  int workers = 128;              // requests handled at once
  size_t max_connections = 8192;  // open at once; beyond, refused with 503
  size_t max_per_client = 256;    // from one client address; beyond, 429; 0: no limit
  // A connection must deliver a complete request header within this of being
  // accepted or of its previous response; otherwise it is closed (with a 408
  // if it had started one).
  std::chrono::milliseconds header_timeout{std::chrono::seconds(30)};
  // How long a worker waits for more of a request body, or for the client to
  // take more of the response, before giving up on the connection.
  std::chrono::milliseconds io_timeout{std::chrono::seconds(30)};
  // The most a worker spends on one request's body and response in all; a
  // client trickling a large body is cut off here.
  std::chrono::milliseconds request_timeout{std::chrono::minutes(5)};
};

struct ConnectionStats {
  uint64_t open = 0;             // connections open now
  uint64_t waiting = 0;          // of which waiting for a request header
  uint64_t refused_client = 0;   // refused: too many from one address (since start)
  uint64_t refused_server = 0;   // refused: too many in all
  uint64_t header_timeouts = 0;  // closed because a header took too long
};

// One client connection. Its owner (a worker thread running a request) reads
// and writes it with the blocking calls below; between requests it belongs to
// Connections.
class Connection {
 public:
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Up to `size` bytes: first those already read ahead, then from the
  // socket, waiting at most the I/O timeout. Returns 0 at end of stream and
  // -1 on an error or timeout.
  ssize_t Read(char* out, size_t size);
  // All of `data`, or -1.
  ssize_t Write(const char* data, size_t size);
  // Whether Read would find bytes within the I/O timeout.
  bool Readable() const;
  bool Writable() const;

  int fd() const { return fd_; }
  const std::string& peer_ip() const { return peer_ip_; }
  int peer_port() const { return peer_port_; }
  void LocalAddress(std::string& ip, int& port) const;

 private:
  friend class Connections;
  Connection(int fd, ssl_st* ssl, std::string peer_ip, int peer_port,
             std::chrono::milliseconds io_timeout);

  enum class Fill { kRequest, kMore, kWantWrite, kClosed, kTooLarge };
  // Reads what has arrived without blocking; kRequest once the next request
  // can run: its complete header, and its body when that is small.
  Fill FillWithoutBlocking();
  bool RequestArrived();
  // A refusal or timeout answer, without blocking: the client may not read.
  void SendBestEffort(const std::string& bytes);
  // Waits for `events` (POLLIN/POLLOUT) up to the I/O timeout and the
  // request's deadline.
  bool Wait(short events) const;

  const int fd_;
  ssl_st* const ssl_;  // null for plain HTTP
  bool handshake_done_;
  const std::string peer_ip_;
  const int peer_port_;
  const std::chrono::milliseconds io_timeout_;
  std::string ahead_;  // received, not yet read: [ahead_pos_, end)
  size_t ahead_pos_ = 0;
  size_t need_ = 0;          // bytes from ahead_pos_ the next request needs; 0: header incomplete
  size_t header_bytes_ = 0;  // of which its header
  size_t scanned_ = 0;       // bytes from ahead_pos_ searched for the header's end
  std::chrono::steady_clock::time_point header_due_;
  std::chrono::steady_clock::time_point request_due_ = std::chrono::steady_clock::time_point::max();
};

class Connections {
 public:
  // Runs one request on `connection` (on a worker thread) and says whether
  // the connection stays open for another.
  using Serve = std::function<bool(Connection& connection)>;

  // `tls`: the server's TLS context, or null for plain HTTP.
  Connections(ConnectionLimits limits, ssl_ctx_st* tls, Serve serve);
  ~Connections();

  // Takes over an accepted socket: refuses it when over a limit, otherwise
  // waits for its first request.
  void Adopt(int fd);

  // Closes waiting connections, finishes the requests in progress (their
  // responses say Connection: close) and joins the threads. Idempotent.
  void Stop();
  bool stopping() const;

  ConnectionStats Stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tandem::http

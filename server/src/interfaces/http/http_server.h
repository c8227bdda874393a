#pragma once

#include <arrow/result.h>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "interfaces/http/router.h"

namespace quiver::http {

class Metrics;

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  /// 0 asks the kernel for a free port; port() tells which one it gave.
  uint16_t port = 8080;
  /// Threads running the sockets' async I/O.
  int io_threads = 1;
  /// Threads running handlers, which may block (queries, decoding).
  int worker_threads = 2;
  uint64_t max_header_bytes = 16ULL * 1024;
  uint64_t max_body_bytes = 1024ULL * 1024 * 1024;
  /// Longest wait for a client's next bytes, and for it to take ours.
  std::chrono::seconds read_timeout{30};
  /// On SIGINT/SIGTERM, how long in-flight requests may take to finish.
  std::chrono::seconds shutdown_grace{10};
  /// Where requests are counted; none when null. Must outlive the server.
  Metrics* metrics = nullptr;
};

class Session;

/// An HTTP/1.1 server with keep-alive on Boost.Beast: async sockets on an I/O
/// thread pool, handlers on a worker pool, graceful stop on SIGINT/SIGTERM.
class HttpServer {
 public:
  /// Binds the listening socket; fails with a clear message when it cannot.
  [[nodiscard]] static arrow::Result<std::unique_ptr<HttpServer>> Make(
      HttpServerOptions options, Router router);
  ~HttpServer();

  /// The port the server listens on.
  uint16_t port() const { return port_; }

  /// Called once when shutdown begins (e.g. to turn readiness off).
  void OnShutdown(std::function<void()> callback) { on_shutdown_ = std::move(callback); }

  /// Serves until SIGINT, SIGTERM or Stop(); returns once in-flight requests have
  /// finished (true) or the grace period has run out with some still running
  /// (false: their threads may be stuck, so the caller should exit at once).
  bool Run();

  /// Stops accepting, lets in-flight requests finish; safe from any thread.
  void Stop();

 private:
  HttpServer(HttpServerOptions options, Router router);
  arrow::Status Listen();
  boost::asio::awaitable<void> AcceptLoop();
  boost::asio::awaitable<void> DrainThenStop();
  void StartSession(boost::asio::ip::tcp::socket socket);
  void BeginStop();

  HttpServerOptions options_;
  Router router_;
  boost::asio::io_context io_context_;
  boost::asio::thread_pool workers_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::signal_set signals_;
  uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> drained_{true};
  std::function<void()> on_shutdown_;

  std::mutex sessions_mutex_;
  std::map<uint64_t, std::weak_ptr<Session>> sessions_;
  uint64_t next_session_id_ = 0;
};

}  // namespace quiver::http

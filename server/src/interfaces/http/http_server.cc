#include "interfaces/http/http_server.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <csignal>
#include <thread>
#include <vector>

#include "infrastructure/log/log.h"
#include "interfaces/http/session.h"

namespace quiver::http {
namespace net = boost::asio;
using net::ip::tcp;

HttpServer::HttpServer(HttpServerOptions options, Router router)
    : options_(std::move(options)),
      router_(std::move(router)),
      io_context_(options_.io_threads),
      workers_(static_cast<size_t>(options_.worker_threads)),
      acceptor_(io_context_),
      signals_(io_context_, SIGINT, SIGTERM) {}

HttpServer::~HttpServer() {
  workers_.stop();
  if (drained_.load()) workers_.join();
}

arrow::Result<std::unique_ptr<HttpServer>> HttpServer::Make(HttpServerOptions options,
                                                            Router router) {
  auto server =
      std::unique_ptr<HttpServer>(new HttpServer(std::move(options), std::move(router)));
  ARROW_RETURN_NOT_OK(server->Listen());
  return server;
}

arrow::Status HttpServer::Listen() {
  boost::system::error_code error;
  auto address = net::ip::make_address(options_.host, error);
  if (error)
    return arrow::Status::Invalid("cannot listen on '", options_.host,
                                  "': not an address");
  tcp::endpoint endpoint{address, options_.port};
  auto fail = [&](std::string_view step) {
    return arrow::Status::IOError("cannot listen on ", options_.host, ":", options_.port,
                                  " (", step, "): ", error.message());
  };
  acceptor_.open(endpoint.protocol(), error);
  if (error) return fail("open");
  acceptor_.set_option(net::socket_base::reuse_address(true), error);
  if (error) return fail("option");
  acceptor_.bind(endpoint, error);
  if (error) return fail("bind");
  acceptor_.listen(net::socket_base::max_listen_connections, error);
  if (error) return fail("listen");
  port_ = acceptor_.local_endpoint().port();
  return arrow::Status::OK();
}

bool HttpServer::Run() {
  signals_.async_wait([this](boost::system::error_code error, int signal_number) {
    if (error) return;
    log::Info("signal", log::Fields().Add("signal", signal_number));
    BeginStop();
  });
  net::co_spawn(io_context_, AcceptLoop(), net::detached);
  std::vector<std::thread> threads;
  for (int index = 1; index < options_.io_threads; ++index) {
    threads.emplace_back([this] { io_context_.run(); });
  }
  io_context_.run();
  for (auto& thread : threads) thread.join();
  if (!drained_.load()) return false;
  workers_.stop();
  workers_.join();
  return true;
}

void HttpServer::Stop() {
  net::post(io_context_, [this] { BeginStop(); });
}

void HttpServer::BeginStop() {
  if (stopping_.exchange(true)) return;
  log::Info("shutdown_started",
            log::Fields().Add("grace_seconds",
                              static_cast<int64_t>(options_.shutdown_grace.count())));
  if (on_shutdown_) on_shutdown_();
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  signals_.cancel(ignored);
  {
    std::lock_guard lock(sessions_mutex_);
    for (auto& [id, weak_session] : sessions_) {
      auto session = weak_session.lock();
      if (!session) continue;
      net::post(session->executor(), [session] { session->BeginShutdown(); });
    }
  }
  net::co_spawn(io_context_, DrainThenStop(), net::detached);
}

net::awaitable<void> HttpServer::DrainThenStop() {
  auto deadline = std::chrono::steady_clock::now() + options_.shutdown_grace;
  net::steady_timer timer(io_context_);
  for (;;) {
    size_t open_sessions = 0;
    {
      std::lock_guard lock(sessions_mutex_);
      open_sessions = sessions_.size();
    }
    if (open_sessions == 0) break;
    if (std::chrono::steady_clock::now() >= deadline) {
      log::Warn(
          "shutdown_grace_expired",
          log::Fields().Add("open_connections", static_cast<uint64_t>(open_sessions)));
      drained_.store(false);
      break;
    }
    timer.expires_after(std::chrono::milliseconds(20));
    co_await timer.async_wait(net::use_awaitable);
  }
  log::Info("shutdown_complete");
  io_context_.stop();
}

net::awaitable<void> HttpServer::AcceptLoop() {
  for (;;) {
    auto [error, socket] = co_await acceptor_.async_accept(
        net::make_strand(io_context_), net::as_tuple(net::use_awaitable));
    if (stopping_.load() || error == net::error::operation_aborted) co_return;
    if (error) {
      // Out of descriptors and the like: wait a little instead of spinning.
      log::Warn("accept_failed", log::Fields().Add("error", error.message()));
      net::steady_timer pause(io_context_, std::chrono::milliseconds(50));
      co_await pause.async_wait(net::use_awaitable);
      continue;
    }
    // Small answers (a page, a problem, a chunk's tail) go out at once instead of
    // waiting ~40 ms for the client's delayed ACK (Nagle's algorithm).
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    StartSession(std::move(socket));
  }
}

void HttpServer::StartSession(tcp::socket socket) {
  auto session = std::make_shared<Session>(
      std::move(socket), SessionContext{options_, router_, workers_.get_executor(),
                                        stopping_, options_.metrics});
  uint64_t id = 0;
  {
    std::lock_guard lock(sessions_mutex_);
    id = next_session_id_++;
    sessions_[id] = session;
  }
  net::co_spawn(session->executor(), session->Run(),
                [this, id, session](const std::exception_ptr& failure) {
                  if (failure) {
                    try {
                      std::rethrow_exception(failure);
                    } catch (const std::exception& exception) {
                      log::Error("session_failed",
                                 log::Fields().Add("error", exception.what()));
                    }
                  }
                  std::lock_guard lock(sessions_mutex_);
                  sessions_.erase(id);
                });
}

}  // namespace quiver::http

#pragma once

#include <arrow/result.h>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/parser.hpp>

#include <atomic>
#include <chrono>
#include <memory>

#include "interfaces/http/http_server.h"
#include "interfaces/http/metrics.h"
#include "interfaces/http/router.h"

namespace quiver::http {

/// What every session shares with its server.
struct SessionContext {
  const HttpServerOptions& options;
  const Router& router;
  boost::asio::thread_pool::executor_type workers;
  const std::atomic<bool>& stopping;
  /// Counts every request answered (null: not counted).
  Metrics* metrics = nullptr;
};

/// One client connection: reads requests one after another (keep-alive), runs
/// each handler on the worker pool and writes its reply, whole or streamed.
class Session : public std::enable_shared_from_this<Session> {
 public:
  using Parser = beast_http::request_parser<beast_http::buffer_body>;

  Session(boost::asio::ip::tcp::socket socket, SessionContext context);

  /// Serves requests until the client leaves, an error, or shutdown.
  boost::asio::awaitable<void> Run();

  /// Ends the connection now if it is waiting for a request; a request in flight
  /// finishes first. Must run on the session's executor.
  void BeginShutdown();

  /// Reads the next piece of the current request's body (runs on the session's
  /// executor; SessionBodySource calls it from a worker thread).
  boost::asio::awaitable<arrow::Result<int64_t>> ReadBody(Parser& parser, uint8_t* out,
                                                          int64_t capacity);

  boost::asio::any_io_executor executor() { return stream_.get_executor(); }

 private:
  struct Outcome {
    beast_http::status status = beast_http::status::ok;
    uint64_t bytes = 0;
    bool keep_alive = false;
  };

  boost::asio::awaitable<bool> ServeOne(Parser& parser);
  boost::asio::awaitable<Reply> Dispatch(Request& request);
  /// `head_only`: the answer to a HEAD request (the header, with the body's length).
  boost::asio::awaitable<Outcome> WriteWhole(Reply& reply, bool head_only = false);
  boost::asio::awaitable<Outcome> WriteStream(Reply& reply);
  /// The body's next piece, made on a worker while `to_write` (if any) is written
  /// and while the client is watched: if it leaves, the body is cancelled at once.
  boost::asio::awaitable<arrow::Result<std::shared_ptr<arrow::Buffer>>> NextPiece(
      ResponseStream& body, const std::shared_ptr<arrow::Buffer>& to_write,
      boost::beast::error_code& write_error);
  void WatchForDeparture(ResponseStream& body, const std::shared_ptr<bool>& watching);
  boost::asio::awaitable<void> AnswerBrokenRequest(boost::beast::error_code error);
  boost::asio::awaitable<arrow::Status> SendContinueOnce(const Parser& parser);

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  SessionContext context_;
  std::string remote_;
  bool remote_is_loopback_ = false;
  bool idle_ = false;
  bool continue_sent_ = false;
  /// Set when the client closed while its response was being produced.
  bool client_left_ = false;
};

}  // namespace quiver::http

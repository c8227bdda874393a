#include "interfaces/http/session.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/chunk_encode.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/write.hpp>

#include <sys/socket.h>

#include <cerrno>
#include <string>
#include <utility>

#include "domain/problem.h"
#include "infrastructure/log/log.h"
#include "interfaces/http/random_id.h"
#include "interfaces/http/responses.h"

namespace quiver::http {
namespace net = boost::asio;
namespace beast = boost::beast;

namespace {

constexpr auto kUseTuple = net::as_tuple(net::use_awaitable);

/// The client's X-Request-Id when it is short and plain, else a fresh one.
std::string RequestIdFor(const RequestHeader& header) {
  auto supplied = header["X-Request-Id"];
  if (supplied.empty() || supplied.size() > 64) return NewRandomId();
  for (char character : supplied) {
    bool plain = std::isalnum(static_cast<unsigned char>(character)) ||
                 character == '-' || character == '_' || character == '.';
    if (!plain) return NewRandomId();
  }
  return std::string(supplied);
}

/// The request body as seen from a worker thread: each Read hops onto the
/// session's executor, reads some bytes from the socket, and hops back.
class SessionBodySource final : public BodySource {
 public:
  SessionBodySource(Session& session, Session::Parser& parser)
      : session_(session), parser_(parser) {}

  arrow::Result<int64_t> Read(uint8_t* out, int64_t capacity) override {
    if (parser_.is_done() || capacity <= 0) return 0;
    auto future = net::co_spawn(
        session_.executor(), session_.ReadBody(parser_, out, capacity), net::use_future);
    return future.get();
  }

  std::optional<uint64_t> declared_length() const override {
    auto length = parser_.content_length();
    if (!length) return std::nullopt;
    return *length;
  }

 private:
  Session& session_;
  Session::Parser& parser_;
};

template <typename Function>
auto OnWorker(net::thread_pool::executor_type workers, Function function)
    -> net::awaitable<decltype(function())> {
  using Value = decltype(function());
  co_return co_await net::co_spawn(
      workers,
      [function = std::move(function)]() -> net::awaitable<Value> {
        co_return function();
      },
      net::use_awaitable);
}

}  // namespace

Session::Session(net::ip::tcp::socket socket, SessionContext context)
    : stream_(std::move(socket)), context_(std::move(context)) {
  beast::error_code error;
  auto endpoint = stream_.socket().remote_endpoint(error);
  if (!error) {
    remote_ = endpoint.address().to_string();
    remote_is_loopback_ =
        endpoint.address().is_loopback() ||
        (endpoint.address().is_v6() && endpoint.address().to_v6().is_v4_mapped() &&
         net::ip::make_address_v4(net::ip::v4_mapped, endpoint.address().to_v6())
             .is_loopback());
  }
}

void Session::BeginShutdown() {
  if (idle_) stream_.cancel();
}

net::awaitable<void> Session::Run() {
  const auto& options = context_.options;
  while (!context_.stopping.load()) {
    Parser parser;
    parser.header_limit(static_cast<std::uint32_t>(options.max_header_bytes));
    parser.body_limit(options.max_body_bytes);
    stream_.expires_after(options.read_timeout);
    idle_ = true;
    auto [error, bytes] =
        co_await beast_http::async_read_header(stream_, buffer_, parser, kUseTuple);
    idle_ = false;
    if (error) {
      co_await AnswerBrokenRequest(error);
      break;
    }
    bool keep_alive = co_await ServeOne(parser);
    if (!keep_alive) break;
  }
  beast::error_code ignored;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
}

net::awaitable<void> Session::AnswerBrokenRequest(beast::error_code error) {
  beast_http::status status = beast_http::status::bad_request;
  std::string_view type_name = "invalid-input";
  std::string detail = "the request is not valid HTTP/1.1";
  if (error == beast_http::error::header_limit) {
    status = beast_http::status::request_header_fields_too_large;
    type_name = "header-too-large";
    detail = "the request header is larger than " +
             std::to_string(context_.options.max_header_bytes) + " bytes";
  } else if (error == beast_http::error::body_limit) {
    status = beast_http::status::payload_too_large;
    type_name = "payload-too-large";
    detail = "the request body is larger than " +
             std::to_string(context_.options.max_body_bytes) + " bytes";
  } else if (error == beast_http::error::end_of_stream ||
             error == net::error::operation_aborted || error == beast::error::timeout ||
             error == net::error::connection_reset || buffer_.size() == 0) {
    co_return;  // the client left, went quiet, or we are shutting down
  }
  Reply reply = ProblemReply(status, type_name, detail, "");
  reply.response.keep_alive(false);
  co_await WriteWhole(reply);
  log::Info("request_rejected", log::Fields()
                                    .Add("status", static_cast<int>(status))
                                    .Add("error", error.message())
                                    .Add("remote", remote_));
}

net::awaitable<bool> Session::ServeOne(Parser& parser) {
  const auto started = std::chrono::steady_clock::now();
  const RequestHeader& header = parser.get().base();
  SessionBodySource body(*this, parser);
  Request request{header, {}, RequestIdFor(header), body, remote_is_loopback_};
  continue_sent_ = false;

  Reply reply = co_await Dispatch(request);
  reply.response.version(header.version());
  reply.response.set(beast_http::field::server, kServerName);
  reply.response.set("X-Request-Id", request.request_id);
  // A body the handler left unread cannot be skipped safely: close after replying.
  bool keep_alive =
      parser.get().keep_alive() && parser.is_done() && !context_.stopping.load();
  reply.response.keep_alive(keep_alive);

  const bool head_only = header.method() == beast_http::verb::head;
  Outcome outcome =
      reply.stream ? co_await WriteStream(reply) : co_await WriteWhole(reply, head_only);
  auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - started);
  if (context_.metrics != nullptr) {
    context_.metrics->CountRequest(header.method_string(),
                                   static_cast<int>(outcome.status),
                                   static_cast<double>(elapsed.count()) / 1e6);
  }
  log::Info("request", log::Fields()
                           .Add("method", std::string_view(header.method_string()))
                           .Add("path", request.path())
                           .Add("status", static_cast<int>(outcome.status))
                           .Add("bytes", outcome.bytes)
                           .Add("duration_us", static_cast<int64_t>(elapsed.count()))
                           .Add("request_id", request.request_id)
                           .Add("remote", remote_));
  co_return keep_alive&& outcome.keep_alive;
}

net::awaitable<Reply> Session::Dispatch(Request& request) {
  RouteMatch match = context_.router.Match(request.header.method(), request.path());
  if (match.outcome == RouteMatch::Outcome::kNotFound) {
    co_return ProblemReply(beast_http::status::not_found, "not-found",
                           "no resource at this path", request.path());
  }
  if (match.outcome == RouteMatch::Outcome::kMethodNotAllowed) {
    Reply reply =
        ProblemReply(beast_http::status::method_not_allowed, "method-not-allowed",
                     "this resource allows " + match.allowed_methods, request.path());
    reply.response.set(beast_http::field::allow, match.allowed_methods);
    co_return reply;
  }
  request.path_parameters = std::move(match.parameters);
  const Handler& handler = *match.handler;
  std::string failure;
  try {
    auto result = co_await OnWorker(context_.workers, [&] { return handler(request); });
    if (result.ok()) co_return std::move(result).ValueUnsafe();
    co_return ProblemFromStatus(result.status(), request.path(), request.request_id);
  } catch (const std::exception& exception) {
    failure = exception.what();
  }
  co_return ProblemFromStatus(arrow::Status::UnknownError("handler threw: ", failure),
                              request.path(), request.request_id);
}

net::awaitable<Session::Outcome> Session::WriteWhole(Reply& reply, bool head_only) {
  reply.response.prepare_payload();
  Outcome outcome{reply.response.result(), reply.response.body().size(),
                  reply.response.keep_alive()};
  stream_.expires_after(context_.options.read_timeout);
  if (head_only) {
    beast_http::response_serializer<beast_http::string_body> serializer{reply.response};
    auto [error, written] =
        co_await beast_http::async_write_header(stream_, serializer, kUseTuple);
    outcome.bytes = 0;
    if (error) outcome.keep_alive = false;
    co_return outcome;
  }
  auto [error, written] =
      co_await beast_http::async_write(stream_, reply.response, kUseTuple);
  if (error) outcome.keep_alive = false;
  co_return outcome;
}

void Session::WatchForDeparture(ResponseStream& body,
                                const std::shared_ptr<bool>& watching) {
  stream_.socket().async_wait(
      net::socket_base::wait_read,
      [self = shared_from_this(), &body, watching](boost::system::error_code error) {
        if (error || !*watching) return;
        // Readable while we produce: the client closed (0 bytes), reset, or sent
        // a pipelined request, which is not ours to read (then stop watching).
        char byte = 0;
        const ssize_t peeked = ::recv(self->stream_.socket().native_handle(), &byte, 1,
                                      MSG_PEEK | MSG_DONTWAIT);
        const bool gone = peeked == 0 || (peeked < 0 && errno != EAGAIN &&
                                          errno != EWOULDBLOCK && errno != EINTR);
        if (!gone) return;
        *watching = false;
        self->client_left_ = true;
        log::Info("client_left", log::Fields().Add("while", "producing"));
        body.Cancel();
      });
}

net::awaitable<arrow::Result<std::shared_ptr<arrow::Buffer>>> Session::NextPiece(
    ResponseStream& body, const std::shared_ptr<arrow::Buffer>& to_write,
    boost::beast::error_code& write_error) {
  using namespace net::experimental::awaitable_operators;
  auto watching = std::make_shared<bool>(true);
  WatchForDeparture(body, watching);
  auto produce = OnWorker(context_.workers, [&body] { return body.Next(); });
  arrow::Result<std::shared_ptr<arrow::Buffer>> piece;
  if (to_write == nullptr) {
    piece = co_await std::move(produce);
  } else {
    // The socket takes this piece while a worker makes the next one: at most one
    // piece ahead, so backpressure still holds.
    stream_.expires_after(context_.options.read_timeout);
    auto write = net::async_write(
        stream_,
        beast_http::make_chunk(net::const_buffer(to_write->data(), to_write->size())),
        kUseTuple);
    auto [error, written, produced] = co_await (std::move(write) && std::move(produce));
    write_error = error;
    piece = std::move(produced);
  }
  if (*watching) {
    *watching = false;
    boost::system::error_code ignored;
    stream_.socket().cancel(ignored);  // the departure watch, nothing else is pending
  }
  co_return piece;
}

net::awaitable<Session::Outcome> Session::WriteStream(Reply& reply) {
  Outcome outcome{reply.response.result(), 0, reply.response.keep_alive()};
  ResponseStream& body = *reply.stream;
  beast_http::response<beast_http::empty_body> head{std::move(reply.response.base())};
  head.chunked(true);
  beast_http::response_serializer<beast_http::empty_body> serializer{head};
  stream_.expires_after(context_.options.read_timeout);
  auto [header_error, header_bytes] =
      co_await beast_http::async_write_header(stream_, serializer, kUseTuple);
  if (header_error) {
    body.Cancel();
    outcome.keep_alive = false;
    co_return outcome;
  }
  client_left_ = false;
  std::shared_ptr<arrow::Buffer> pending;  // produced, not yet written
  for (;;) {
    beast::error_code write_error;
    auto piece = co_await NextPiece(body, pending, write_error);
    if (write_error) {
      body.Cancel();
      log::Info("client_left", log::Fields().Add("error", write_error.message()));
      outcome.keep_alive = false;
      co_return outcome;
    }
    if (pending != nullptr) outcome.bytes += static_cast<uint64_t>(pending->size());
    pending.reset();
    if (!piece.ok()) {
      outcome.keep_alive = false;
      if (client_left_) co_return outcome;  // its query was interrupted on purpose
      // The client must see a failed transfer, never a short but complete body. A
      // trailer would need the terminating chunk, which lenient clients take as
      // success; so announce a chunk that never comes, with the reason as a chunk
      // extension, and close.
      log::Error("stream_failed", log::Fields().Add("error", piece.status().ToString()));
      std::string reason = piece.status().message();
      for (auto& character : reason) {
        if (character == '"' || character == '\\' || character < 0x20) character = ' ';
      }
      std::string ending = "ffffff;quiver-error=\"" + reason + "\"\r\n";
      co_await net::async_write(stream_, net::buffer(ending), kUseTuple);
      co_return outcome;
    }
    std::shared_ptr<arrow::Buffer> buffer = std::move(piece).ValueUnsafe();
    if (buffer == nullptr) break;
    if (buffer->size() > 0) pending = std::move(buffer);
  }
  beast_http::fields trailers;
  for (auto& [name, value] : body.Trailers()) trailers.set(name, value);
  auto [error, written] = co_await net::async_write(
      stream_, beast_http::make_chunk_last(trailers), kUseTuple);
  if (error) outcome.keep_alive = false;
  co_return outcome;
}

net::awaitable<arrow::Status> Session::SendContinueOnce(const Parser& parser) {
  if (continue_sent_) co_return arrow::Status::OK();
  continue_sent_ = true;
  const auto& header = parser.get();
  if (!beast::iequals(header[beast_http::field::expect], "100-continue")) {
    co_return arrow::Status::OK();
  }
  static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
  auto [error, written] = co_await net::async_write(
      stream_, net::const_buffer(kContinue.data(), kContinue.size()), kUseTuple);
  if (error)
    co_return arrow::Status::IOError("cannot send 100 Continue: ", error.message());
  co_return arrow::Status::OK();
}

net::awaitable<arrow::Result<int64_t>> Session::ReadBody(Parser& parser, uint8_t* out,
                                                         int64_t capacity) {
  arrow::Status continued = co_await SendContinueOnce(parser);
  if (!continued.ok()) co_return continued;
  // Fill the whole request in one hop onto the strand: each hop costs a thread
  // handoff, and decoders ask for what they need next anyway.
  int64_t produced = 0;
  while (produced < capacity && !parser.is_done()) {
    parser.get().body().data = out + produced;
    parser.get().body().size = static_cast<size_t>(capacity - produced);
    stream_.expires_after(context_.options.read_timeout);
    auto [error, bytes] =
        co_await beast_http::async_read_some(stream_, buffer_, parser, kUseTuple);
    produced = capacity - static_cast<int64_t>(parser.get().body().size);
    if (error == beast_http::error::need_buffer) continue;
    if (error == beast_http::error::body_limit) {
      co_return domain::MakeProblem(domain::ProblemKind::kPayloadTooLarge,
                                    "the request body is larger than " +
                                        std::to_string(context_.options.max_body_bytes) +
                                        " bytes");
    }
    if (error) {
      co_return domain::MakeProblem(
          domain::ProblemKind::kInvalidInput,
          "the request body could not be read: " + error.message());
    }
  }
  co_return produced;
}

}  // namespace quiver::http

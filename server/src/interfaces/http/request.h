#pragma once

#include <arrow/buffer.h>
#include <arrow/result.h>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace quiver::http {

namespace beast_http = boost::beast::http;
using RequestHeader = beast_http::request_header<>;

/// The request body, read on demand from a worker thread. Reading blocks until
/// bytes arrive, so a body is never held whole unless a handler chooses to.
class BodySource {
 public:
  virtual ~BodySource() = default;
  /// Reads up to `capacity` bytes into `out`; 0 means the body has ended.
  [[nodiscard]] virtual arrow::Result<int64_t> Read(uint8_t* out, int64_t capacity) = 0;
  /// The declared length, when the client sent Content-Length.
  virtual std::optional<uint64_t> declared_length() const = 0;
};

/// Reads a small body (a JSON document) whole; larger than `limit` bytes is a 413
/// problem saying `what` must be smaller.
[[nodiscard]] arrow::Result<std::string> ReadWholeBody(BodySource& body, int64_t limit,
                                                       std::string_view what);

/// Named pieces of a matched path pattern, e.g. {name} in /datasets/{name}.
using PathParameters = std::map<std::string, std::string, std::less<>>;

/// One HTTP request as a handler sees it.
struct Request {
  const RequestHeader& header;
  PathParameters path_parameters;
  std::string request_id;
  BodySource& body;
  /// True when the client connects from 127.0.0.0/8 or ::1.
  bool from_loopback = false;

  /// The path without its query string.
  std::string_view path() const;
  /// The decoded value of a query parameter, if present.
  std::optional<std::string> query_parameter(std::string_view name) const;
};

/// A response body produced piece by piece on a worker thread and written with
/// chunked transfer encoding; the next piece is asked for only once the socket
/// has taken the previous one.
class ResponseStream {
 public:
  virtual ~ResponseStream() = default;
  /// The next piece of the body; null once the body is complete.
  [[nodiscard]] virtual arrow::Result<std::shared_ptr<arrow::Buffer>> Next() = 0;
  /// The client went away: stop producing and release everything now.
  virtual void Cancel() = 0;
  /// Trailer fields sent after the last piece (e.g. row counts).
  virtual std::vector<std::pair<std::string, std::string>> Trailers() const { return {}; }
};

/// What a handler answers: a complete response, or a header plus a stream.
struct Reply {
  beast_http::response<beast_http::string_body> response;
  std::unique_ptr<ResponseStream> stream;
};

}  // namespace quiver::http

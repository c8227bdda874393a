#pragma once

#include <boost/beast/http/verb.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "interfaces/http/request.h"

namespace quiver::http {

/// A handler turns a request into a reply. It runs on a worker thread and may block.
using Handler = std::function<arrow::Result<Reply>(Request&)>;

/// The outcome of matching a method and path against the routes.
struct RouteMatch {
  enum class Outcome { kFound, kNotFound, kMethodNotAllowed };
  Outcome outcome = Outcome::kNotFound;
  const Handler* handler = nullptr;
  PathParameters parameters;
  /// For kMethodNotAllowed: the methods the path does allow, for the Allow header.
  std::string allowed_methods;
};

/// Maps (method, path pattern) to handlers. Patterns are literal segments and
/// `{name}` placeholders, e.g. /api/v1/datasets/{name}/rows.
class Router {
 public:
  void Add(beast_http::verb method, std::string_view pattern, Handler handler);
  /// Answers GET and HEAD requests for paths outside /api/ that no route matches
  /// (the web app's files).
  void SetFallback(Handler handler) { fallback_ = std::move(handler); }
  RouteMatch Match(beast_http::verb method, std::string_view path) const;

 private:
  struct Route {
    beast_http::verb method;
    std::vector<std::string> segments;
    Handler handler;
  };
  static bool MatchSegments(const Route& route,
                            const std::vector<std::string_view>& segments,
                            PathParameters& parameters);
  std::vector<Route> routes_;
  Handler fallback_;
};

}  // namespace quiver::http

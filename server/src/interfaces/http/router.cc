#include "interfaces/http/router.h"

#include <utility>

namespace quiver::http {
namespace {

std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> segments;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    if (end > start) segments.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return segments;
}

bool IsPlaceholder(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

void Router::Add(beast_http::verb method, std::string_view pattern, Handler handler) {
  std::vector<std::string> segments;
  for (auto segment : SplitPath(pattern)) segments.emplace_back(segment);
  routes_.push_back(Route{method, std::move(segments), std::move(handler)});
}

bool Router::MatchSegments(const Route& route,
                           const std::vector<std::string_view>& segments,
                           PathParameters& parameters) {
  if (route.segments.size() != segments.size()) return false;
  for (size_t index = 0; index < segments.size(); ++index) {
    const std::string& expected = route.segments[index];
    if (IsPlaceholder(expected)) {
      parameters[expected.substr(1, expected.size() - 2)] = std::string(segments[index]);
      continue;
    }
    if (expected != segments[index]) return false;
  }
  return true;
}

RouteMatch Router::Match(beast_http::verb method, std::string_view path) const {
  RouteMatch match;
  auto segments = SplitPath(path);
  for (const auto& route : routes_) {
    PathParameters parameters;
    if (!MatchSegments(route, segments, parameters)) continue;
    if (route.method == method) {
      match.outcome = RouteMatch::Outcome::kFound;
      match.handler = &route.handler;
      match.parameters = std::move(parameters);
      return match;
    }
    match.outcome = RouteMatch::Outcome::kMethodNotAllowed;
    if (!match.allowed_methods.empty()) match.allowed_methods += ", ";
    match.allowed_methods += std::string(beast_http::to_string(route.method));
  }
  if (match.outcome == RouteMatch::Outcome::kNotFound && fallback_ &&
      (method == beast_http::verb::get || method == beast_http::verb::head) &&
      !path.starts_with("/api/") && path != "/api") {
    match.outcome = RouteMatch::Outcome::kFound;
    match.handler = &fallback_;
  }
  return match;
}

}  // namespace quiver::http

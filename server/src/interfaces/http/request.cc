#include "interfaces/http/request.h"

#include <boost/url/parse.hpp>

#include <vector>

#include "domain/problem.h"

namespace quiver::http {

arrow::Result<std::string> ReadWholeBody(BodySource& body, int64_t limit,
                                         std::string_view what) {
  std::string text;
  std::vector<uint8_t> piece(size_t{64} * 1024);
  for (;;) {
    ARROW_ASSIGN_OR_RAISE(int64_t got,
                          body.Read(piece.data(), static_cast<int64_t>(piece.size())));
    if (got == 0) return text;
    text.append(reinterpret_cast<const char*>(piece.data()), static_cast<size_t>(got));
    if (static_cast<int64_t>(text.size()) > limit) {
      return domain::MakeProblem(
          domain::ProblemKind::kPayloadTooLarge,
          std::string(what) + " must be under " + std::to_string(limit) + " bytes");
    }
  }
}

std::string_view Request::path() const {
  std::string_view target = header.target();
  return target.substr(0, target.find('?'));
}

std::optional<std::string> Request::query_parameter(std::string_view name) const {
  auto url = boost::urls::parse_origin_form(header.target());
  if (!url) return std::nullopt;
  auto parameters = url->params();
  auto found = parameters.find(name);
  if (found == parameters.end()) return std::nullopt;
  return std::string((*found).value);
}

}  // namespace quiver::http

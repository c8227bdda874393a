#include "interfaces/http/request.h"

#include <boost/url/parse.hpp>

namespace quiver::http {

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

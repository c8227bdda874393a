#pragma once

#include <arrow/status.h>
#include <boost/json/value.hpp>

#include <string_view>

#include "interfaces/http/request.h"

namespace quiver::http {

inline constexpr std::string_view kServerName = "quiver/0.1.0";

/// A complete JSON response.
Reply JsonReply(beast_http::status status, const boost::json::value& body);

/// An RFC 9457 problem+json response. `type_name` becomes urn:quiver:problem:<name>.
Reply ProblemReply(beast_http::status status, std::string_view type_name,
                   std::string_view detail, std::string_view instance);

/// The one place where a failed Status becomes an HTTP answer: domain problems map
/// to 4xx by kind; anything else is a 500 whose detail hides internals (the
/// full message goes to the log with the request id).
Reply ProblemFromStatus(const arrow::Status& status, std::string_view instance,
                        std::string_view request_id);

}  // namespace quiver::http

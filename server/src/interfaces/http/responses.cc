#include "interfaces/http/responses.h"

#include <boost/json/serialize.hpp>

#include <string>

#include "domain/problem.h"
#include "infrastructure/log/log.h"

namespace quiver::http {
namespace {

using domain::ProblemKind;

struct KindMapping {
  ProblemKind kind;
  beast_http::status status;
  std::string_view type_name;
};

constexpr KindMapping kKindMappings[] = {
    {ProblemKind::kInvalidInput, beast_http::status::bad_request, "invalid-input"},
    {ProblemKind::kValidationFailed, beast_http::status::unprocessable_entity,
     "validation-failed"},
    {ProblemKind::kNotFound, beast_http::status::not_found, "not-found"},
    {ProblemKind::kConflict, beast_http::status::conflict, "conflict"},
    {ProblemKind::kPayloadTooLarge, beast_http::status::payload_too_large,
     "payload-too-large"},
    {ProblemKind::kUnsupportedMediaType, beast_http::status::unsupported_media_type,
     "unsupported-media-type"},
    {ProblemKind::kNotAcceptable, beast_http::status::not_acceptable, "not-acceptable"},
    {ProblemKind::kUnavailable, beast_http::status::service_unavailable, "unavailable"},
};

const KindMapping& MappingFor(ProblemKind kind) {
  for (const auto& mapping : kKindMappings) {
    if (mapping.kind == kind) return mapping;
  }
  return kKindMappings[0];
}

boost::json::object ProblemObject(beast_http::status status, std::string_view type_name,
                                  std::string_view detail, std::string_view instance) {
  boost::json::object problem;
  problem["type"] = "urn:quiver:problem:" + std::string(type_name);
  problem["title"] = std::string(beast_http::obsolete_reason(status));
  problem["status"] = static_cast<int>(status);
  problem["detail"] = detail;
  problem["instance"] = instance;
  return problem;
}

Reply Serialize(beast_http::status status, std::string_view content_type,
                const boost::json::value& body) {
  Reply reply;
  reply.response.result(status);
  reply.response.set(beast_http::field::content_type, content_type);
  reply.response.body() = boost::json::serialize(body);
  return reply;
}

}  // namespace

Reply JsonReply(beast_http::status status, const boost::json::value& body) {
  return Serialize(status, "application/json", body);
}

Reply ProblemReply(beast_http::status status, std::string_view type_name,
                   std::string_view detail, std::string_view instance) {
  return Serialize(status, "application/problem+json",
                   ProblemObject(status, type_name, detail, instance));
}

Reply ProblemFromStatus(const arrow::Status& status, std::string_view instance,
                        std::string_view request_id) {
  const domain::ProblemDetail* detail = domain::FindProblemDetail(status);
  if (detail == nullptr) {
    log::Error(
        "internal_error",
        log::Fields().Add("request_id", request_id).Add("error", status.ToString()));
    return ProblemReply(beast_http::status::internal_server_error, "internal",
                        "the server failed to handle this request; its log has the cause "
                        "under request id " +
                            std::string(request_id),
                        instance);
  }
  const KindMapping& mapping = MappingFor(detail->kind());
  boost::json::object problem =
      ProblemObject(mapping.status, mapping.type_name, status.message(), instance);
  if (!detail->violations().empty()) {
    boost::json::array errors;
    for (const auto& violation : detail->violations()) {
      boost::json::object error;
      error["field"] = violation.field;
      if (violation.row) error["row"] = *violation.row;
      error["message"] = violation.message;
      errors.push_back(std::move(error));
    }
    problem["errors"] = std::move(errors);
  }
  return Serialize(mapping.status, "application/problem+json", problem);
}

}  // namespace quiver::http

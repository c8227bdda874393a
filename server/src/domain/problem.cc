#include "domain/problem.h"

#include <utility>

namespace quiver::domain {
namespace {
constexpr const char* kProblemDetailTypeId = "quiver::domain::ProblemDetail";

arrow::StatusCode CodeFor(ProblemKind kind) {
  switch (kind) {
    case ProblemKind::kNotFound:
      return arrow::StatusCode::KeyError;
    case ProblemKind::kConflict:
      return arrow::StatusCode::AlreadyExists;
    case ProblemKind::kPayloadTooLarge:
      return arrow::StatusCode::CapacityError;
    case ProblemKind::kUnsupportedMediaType:
    case ProblemKind::kNotAcceptable:
      return arrow::StatusCode::NotImplemented;
    case ProblemKind::kUnavailable:
      return arrow::StatusCode::Cancelled;
    case ProblemKind::kInvalidInput:
    case ProblemKind::kValidationFailed:
      return arrow::StatusCode::Invalid;
  }
  return arrow::StatusCode::Invalid;
}
}  // namespace

ProblemDetail::ProblemDetail(ProblemKind kind, std::vector<Violation> violations)
    : kind_(kind), violations_(std::move(violations)) {}

const char* ProblemDetail::type_id() const { return kProblemDetailTypeId; }

std::string ProblemDetail::ToString() const {
  std::string text;
  for (const auto& violation : violations_) {
    text += "\n  " + violation.field;
    if (violation.row) text += " (row " + std::to_string(*violation.row) + ")";
    text += ": " + violation.message;
  }
  return text;
}

arrow::Status MakeProblem(ProblemKind kind, std::string detail,
                          std::vector<Violation> violations) {
  return arrow::Status(CodeFor(kind), std::move(detail),
                       std::make_shared<ProblemDetail>(kind, std::move(violations)));
}

const ProblemDetail* FindProblemDetail(const arrow::Status& status) {
  const auto& detail = status.detail();
  if (!detail || std::string_view(detail->type_id()) != kProblemDetailTypeId) {
    return nullptr;
  }
  return static_cast<const ProblemDetail*>(detail.get());
}

}  // namespace quiver::domain

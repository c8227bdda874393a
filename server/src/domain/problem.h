#pragma once

#include <arrow/result.h>
#include <arrow/status.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace quiver::domain {

/// What went wrong, in terms a client can act on. The HTTP layer maps each kind to
/// one status code; nothing below it knows about HTTP.
enum class ProblemKind {
  kInvalidInput,          ///< the request is malformed (bad filter, bad cursor, ...)
  kValidationFailed,      ///< well-formed, but values break the schema's rules
  kNotFound,              ///< the named thing does not exist
  kConflict,              ///< the named thing already exists or is busy
  kPayloadTooLarge,       ///< a body or a decoded batch went over its limit
  kUnsupportedMediaType,  ///< the Content-Type is not one we decode
  kNotAcceptable,         ///< no format the client accepts can be produced
  kUnavailable,           ///< the service cannot answer yet (starting, shutting down)
};

/// One problem with one field, optionally at one row of the data.
struct Violation {
  std::string field;
  std::optional<int64_t> row;
  std::string message;
};

/// Carries a ProblemKind and its violations inside an arrow::Status, so domain
/// errors travel through the same Result/Status plumbing as every other error.
class ProblemDetail final : public arrow::StatusDetail {
 public:
  ProblemDetail(ProblemKind kind, std::vector<Violation> violations);

  const char* type_id() const override;
  std::string ToString() const override;

  ProblemKind kind() const { return kind_; }
  const std::vector<Violation>& violations() const { return violations_; }

 private:
  ProblemKind kind_;
  std::vector<Violation> violations_;
};

/// A Status of the given kind with a human-readable detail message.
[[nodiscard]] arrow::Status MakeProblem(ProblemKind kind, std::string detail,
                                        std::vector<Violation> violations = {});

/// The ProblemDetail inside a Status, or null when the status carries none.
const ProblemDetail* FindProblemDetail(const arrow::Status& status);

}  // namespace quiver::domain

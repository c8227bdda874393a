#pragma once

#include <arrow/status.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "domain/problem.h"

/// Shared by Filter and Query validation; not part of the public API.
namespace quiver::domain::internal {

/// The most problems one failed Filter::Make or Query::Make reports.
inline constexpr std::size_t kMaxReportedProblems = 100;

/// Gathers a request's problems, keeping the first `capacity` but counting them all.
class ProblemCollector {
 public:
  explicit ProblemCollector(std::size_t capacity) : capacity_(capacity) {}

  void Add(std::string field, std::string message);
  bool empty() const { return count_ == 0; }

  /// One kInvalidInput problem: "the <subject> has N problems[; the first M are
  /// listed]".
  [[nodiscard]] arrow::Status ToStatus(std::string_view subject) &&;

 private:
  std::size_t capacity_;
  std::size_t count_ = 0;
  std::vector<Violation> violations_;
};

/// "there is no column named 'x'" when `name` is a plain identifier, a message without
/// the name otherwise, so that arbitrary client bytes never reach a message.
std::string UnknownColumnMessage(std::string_view name);

}  // namespace quiver::domain::internal

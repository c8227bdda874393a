#include "domain/query_problems_internal.h"

#include <optional>
#include <utility>

#include "domain/text_internal.h"

namespace quiver::domain::internal {

void ProblemCollector::Add(std::string field, std::string message) {
  ++count_;
  if (violations_.size() >= capacity_) return;
  violations_.push_back({std::move(field), std::nullopt, std::move(message)});
}

arrow::Status ProblemCollector::ToStatus(std::string_view subject) && {
  std::string detail = "the " + std::string(subject) + " has " + std::to_string(count_) +
                       (count_ == 1 ? " problem" : " problems");
  if (count_ > violations_.size()) {
    detail += "; the first " + std::to_string(violations_.size()) + " are listed";
  }
  return MakeProblem(ProblemKind::kInvalidInput, std::move(detail),
                     std::move(violations_));
}

std::string UnknownColumnMessage(std::string_view name) {
  if (FindIdentifierProblem(name)) return "does not name a column";
  return "there is no column named '" + std::string(name) + "'";
}

}  // namespace quiver::domain::internal

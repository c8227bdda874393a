#include "domain/dataset_name.h"

#include <optional>
#include <string>

#include "domain/problem.h"
#include "domain/text_internal.h"

namespace quiver::domain {
namespace {

constexpr std::string_view kAllowed =
    "use a lower-case letter a-z first, then lower-case letters, digits or "
    "underscores, 1 to 63 characters";

bool IsLowerLetter(char character) { return character >= 'a' && character <= 'z'; }

std::optional<std::string> FindProblem(std::string_view text) {
  if (text.empty()) return "must not be empty; " + std::string(kAllowed);
  if (text.size() > DatasetName::kMaxLength) {
    return "is " + std::to_string(text.size()) + " characters long; " +
           std::string(kAllowed);
  }
  if (!IsLowerLetter(text.front())) {
    return "must not start with " + internal::DescribeCharacter(text.front()) + "; " +
           std::string(kAllowed);
  }
  for (std::size_t position = 1; position < text.size(); ++position) {
    const char character = text[position];
    if (IsLowerLetter(character) || internal::IsAsciiDigit(character) ||
        character == '_') {
      continue;
    }
    return "has " + internal::DescribeCharacter(character) + " at position " +
           std::to_string(position) + "; " + std::string(kAllowed);
  }
  return std::nullopt;
}

}  // namespace

arrow::Result<DatasetName> DatasetName::Make(std::string_view text) {
  if (auto problem = FindProblem(text)) {
    return MakeProblem(ProblemKind::kValidationFailed, "invalid dataset name",
                       {{"name", std::nullopt, *problem}});
  }
  return DatasetName(std::string(text));
}

}  // namespace quiver::domain

#include "domain/column_name.h"

#include <optional>
#include <string>

#include "domain/problem.h"
#include "domain/text_internal.h"

namespace quiver::domain {
namespace {

constexpr std::string_view kReservedPrefix = "_quiver";
constexpr std::string_view kRowIdentifier = "rowid";

std::optional<std::string> FindProblem(std::string_view text) {
  if (auto problem = internal::FindIdentifierProblem(text)) return problem;
  if (internal::StartsWithIgnoringCase(text, kReservedPrefix)) {
    return "is reserved: names starting with '_quiver' (in any case) are used by the "
           "server";
  }
  if (internal::EqualsIgnoringCase(text, kRowIdentifier)) {
    return "is reserved: 'rowid' (in any case) is the storage engine's row identifier";
  }
  return std::nullopt;
}

}  // namespace

arrow::Result<ColumnName> ColumnName::Make(std::string_view text) {
  if (auto problem = FindProblem(text)) {
    return MakeProblem(ProblemKind::kValidationFailed, "invalid column name",
                       {{"name", std::nullopt, *problem}});
  }
  return ColumnName(std::string(text));
}

bool ColumnName::SameAs(const ColumnName& other) const { return SameAs(other.value_); }

bool ColumnName::SameAs(std::string_view text) const {
  return internal::EqualsIgnoringCase(value_, text);
}

}  // namespace quiver::domain

#pragma once

#include <arrow/status.h>

#include <optional>
#include <string>
#include <string_view>

#include "domain/column_type.h"

/// Pieces of ColumnType shared by its factories and its parser.
namespace quiver::domain::internal {

/// A kValidationFailed problem on field "type" carrying `message`.
[[nodiscard]] arrow::Status MakeTypeProblem(const std::string& message);

/// The message inside a problem made by MakeTypeProblem (or the status message).
std::string TypeProblemMessage(const arrow::Status& status);

/// The kind named by `keyword` (a canonical name or an input alias), ignoring case.
std::optional<TypeKind> FindKindByKeyword(std::string_view keyword);

/// The unit named by `keyword` ("s", "ms", "us" or "ns"), ignoring case.
std::optional<TimeUnit> FindTimeUnit(std::string_view keyword);

/// Every canonical kind name, comma separated, for "expected one of ..." messages.
const std::string& KindNameList();

}  // namespace quiver::domain::internal

#pragma once

#include <optional>
#include <string>

#include "domain/column_type.h"
#include "domain/filter.h"

/// How filter values fit column types; shared by Filter and Query, not public API.
namespace quiver::domain::internal {

/// True for the integer and floating-point kinds.
bool IsNumeric(TypeKind kind);

/// True for the kinds sum, mean, stddev and quantile accept: numeric and decimal.
bool IsSummable(TypeKind kind);

/// True for kinds whose values can be written as a filter value at all (everything but
/// list, struct and duration).
bool HasComparableValues(TypeKind kind);

/// True for kinds with an order clients can filter by (<, between, ...): comparable
/// kinds other than boolean and binary.
bool IsOrdered(TypeKind kind);

/// Checks that non-null `value` fits a column of `type` and normalises it in place
/// (see Filter). Returns what is wrong, or nothing when the value fits.
std::optional<std::string> CheckValue(const ColumnType& type, Value& value);

/// "null", "true", "a number", "a string": what a value is, for messages.
std::string DescribeValueKind(const Value& value);

}  // namespace quiver::domain::internal

#pragma once

#include <arrow/result.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "domain/column.h"
#include "domain/schema.h"

namespace quiver::domain {

/// A value a client compares a column with: null, bool, int64, double or string.
/// Dates, times, timestamps and decimals travel as text (ISO 8601 or decimal text).
using Value = std::variant<std::monostate, bool, int64_t, double, std::string>;

/// One node of a filter as a client wrote it, before validation. The HTTP layer fills
/// it from JSON; Filter::Make and Query::Make check it against a schema. Only the
/// members the operator uses may be set.
struct FilterSpec {
  /// "and", "or", "not", "=", "!=", "<", "<=", ">", ">=", "in", "between",
  /// "is_null", "starts_with" or "contains".
  std::string op;
  /// The column a comparison tests (every operator but and/or/not).
  std::optional<std::string> column;
  /// The operand of =, !=, <, <=, >, >=, starts_with and contains.
  std::optional<Value> value;
  /// The candidates of in.
  std::optional<std::vector<Value>> values;
  /// The bounds of between, both inclusive.
  std::optional<Value> low;
  std::optional<Value> high;
  /// The operands of and/or.
  std::optional<std::vector<FilterSpec>> args;
  /// The operand of not (shared because the type is recursive; specs are never
  /// changed after they are built).
  std::shared_ptr<const FilterSpec> arg;
};

/// What a filter node does.
enum class FilterOperator {
  kAnd,
  kOr,
  kNot,
  kEqual,
  kNotEqual,
  kLess,
  kLessOrEqual,
  kGreater,
  kGreaterOrEqual,
  kIn,
  kBetween,
  kIsNull,
  kStartsWith,
  kContains,
};

/// The operator as clients write it: "and", "=", "starts_with", ...
std::string_view OperatorName(FilterOperator op);

/// A validated filter tree: every column it names exists in the schema it was made
/// against (stored with the schema's spelling and type) and every value fits its
/// column. Values are normalised: numbers for decimal columns become decimal text,
/// integral doubles for integer columns become int64, and date/time/timestamp text
/// becomes "YYYY-MM-DD", "HH:MM:SS[.ffffff]" or "YYYY-MM-DD HH:MM:SS[.f][+HH:MM]".
class Filter {
 public:
  /// Filters nest at most this deep (the root is at depth 1).
  static constexpr int kMaxDepth = 32;
  /// A filter has at most this many nodes.
  static constexpr std::size_t kMaxNodes = 10'000;
  /// An in node has 1 to this many values.
  static constexpr std::size_t kMaxInValues = 10'000;
  /// A filter holds at most this many values in all (the bound parameters of its SQL).
  static constexpr std::size_t kMaxValues = 100'000;

  /// Checks `spec` against `schema`. Problems (up to 100) come in one kInvalidInput
  /// problem with fields such as "filter.args[1].value" or "filter.arg.column".
  [[nodiscard]] static arrow::Result<Filter> Make(const FilterSpec& spec,
                                                  const Schema& schema);

  FilterOperator op() const { return op_; }
  /// The operands of and/or (at least one) and not (exactly one); empty otherwise.
  const std::vector<Filter>& operands() const { return operands_; }
  /// The column tested. Precondition: op() is not and/or/not.
  const Column& column() const { return *column_; }
  /// The values: one for comparisons, starts_with and contains; the candidates of in;
  /// low then high for between; none for is_null and and/or/not. Never null.
  const std::vector<Value>& values() const { return values_; }

 private:
  friend class FilterBuilder;
  Filter(FilterOperator op, std::vector<Filter> operands, std::optional<Column> column,
         std::vector<Value> values);

  FilterOperator op_;
  std::vector<Filter> operands_;
  std::optional<Column> column_;
  std::vector<Value> values_;
};

}  // namespace quiver::domain

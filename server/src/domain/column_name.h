#pragma once

#include <arrow/result.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

namespace quiver::domain {

/// The name of a column: an ASCII letter or underscore first, then letters, digits or
/// underscores, 1 to 63 characters. Names starting with "_quiver" and the name "rowid"
/// (in any case) are reserved: the server uses them itself (DuckDB's rowid
/// pseudo-column identifies rows). An instance is always valid.
class ColumnName {
 public:
  /// The longest name accepted.
  static constexpr std::size_t kMaxLength = 63;

  /// Checks `text` against the rules; a kValidationFailed problem on field "name"
  /// says what is wrong and what is allowed.
  [[nodiscard]] static arrow::Result<ColumnName> Make(std::string_view text);

  /// The name as spelled by whoever created the column.
  const std::string& value() const { return value_; }

  /// True when both names denote the same column: DuckDB identifiers ignore case.
  bool SameAs(const ColumnName& other) const;

  /// True when this name denotes the column called `text`, ignoring case.
  bool SameAs(std::string_view text) const;

 private:
  explicit ColumnName(std::string value) : value_(std::move(value)) {}
  std::string value_;
};

}  // namespace quiver::domain

#pragma once

#include <arrow/result.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/column.h"
#include "domain/column_name.h"

namespace quiver::domain {

/// One column as a client describes it, before validation.
struct ColumnSpec {
  std::string name;
  /// Type text, parsed by ColumnType::Parse.
  std::string type;
  bool required = false;
};

/// The columns of a dataset and its primary key, with the rules between them. An
/// instance is always valid: 1 to 1024 columns with unique names (ignoring case), and
/// a primary key of distinct, existing, required columns whose types can be compared
/// exactly (not float32, float64, list or struct).
class Schema {
 public:
  /// The most columns a dataset may have.
  static constexpr std::size_t kMaxColumns = 1024;
  /// The most violations one failed Make reports (the detail still counts them all).
  static constexpr std::size_t kMaxReportedProblems = 100;

  /// Validates a client's description. Every problem found (up to
  /// kMaxReportedProblems) is reported in one kValidationFailed problem, with fields
  /// such as "columns[3].name", "columns[3].type" and "primary_key[0]". Primary key
  /// columns become required. Primary key names may differ in case from the column
  /// names; the schema keeps the columns' spelling.
  [[nodiscard]] static arrow::Result<Schema> Make(
      const std::vector<ColumnSpec>& columns,
      const std::vector<std::string>& primary_key);

  /// Builds a schema from parts that are valid on their own (for example read back
  /// from storage), checking the same rules between them.
  [[nodiscard]] static arrow::Result<Schema> Make(
      std::vector<Column> columns, const std::vector<ColumnName>& primary_key);

  /// The columns, in order.
  const std::vector<Column>& columns() const { return columns_; }
  /// The primary key column names, in key order; empty when there is no key.
  const std::vector<ColumnName>& primary_key() const { return primary_key_; }
  /// The column called `name`, ignoring case, or null when there is none.
  const Column* Find(std::string_view name) const;
  /// True when the column called `name` (ignoring case) is part of the primary key.
  bool IsInPrimaryKey(std::string_view name) const;
  /// How many columns there are.
  std::size_t size() const { return columns_.size(); }

 private:
  Schema(std::vector<Column> columns, std::vector<ColumnName> primary_key)
      : columns_(std::move(columns)), primary_key_(std::move(primary_key)) {}

  std::vector<Column> columns_;
  std::vector<ColumnName> primary_key_;
};

}  // namespace quiver::domain

#pragma once

#include <arrow/record_batch.h>
#include <arrow/result.h>

#include <memory>
#include <string>
#include <vector>

#include "domain/problem.h"

namespace quiver::arrow_adapter {

struct ConformOptions {
  /// Drop incoming columns the dataset does not have instead of refusing them.
  bool ignore_unknown_columns = false;
  /// At most this many violations are collected over a whole load.
  size_t max_violations = 100;
};

/// Brings decoded batches to a dataset's Arrow schema: columns matched by name and
/// put in order, absent optional columns filled with nulls, values cast safely
/// (int32 to int64, digit strings to numbers; never lossy). Everything that does
/// not fit becomes a Violation naming the field and the row within the load.
class BatchConformer {
 public:
  BatchConformer(std::shared_ptr<arrow::Schema> target, ConformOptions options);

  /// The batch in the target schema, or null when it broke a rule (the
  /// violations say which). `first_row` is the batch's first row within the load.
  [[nodiscard]] arrow::Result<std::shared_ptr<arrow::RecordBatch>> Conform(
      const arrow::RecordBatch& batch, int64_t first_row);

  const std::vector<domain::Violation>& violations() const { return violations_; }
  bool full() const { return violations_.size() >= options_.max_violations; }

 private:
  void Add(std::string field, std::optional<int64_t> row, std::string message);
  bool CheckColumnNames(const arrow::Schema& incoming);
  arrow::Result<std::shared_ptr<arrow::Array>> ConformColumn(
      const arrow::Field& field, const std::shared_ptr<arrow::Array>& incoming,
      int64_t length, int64_t first_row);
  void CheckRequired(const arrow::Field& field, const arrow::Array& values,
                     int64_t first_row);

  std::shared_ptr<arrow::Schema> target_;
  ConformOptions options_;
  std::vector<domain::Violation> violations_;
  bool names_checked_ = false;
  bool names_ok_ = false;
  /// Whether the batch being conformed broke a rule (also once the list is full).
  bool broke_rule_ = false;
};

}  // namespace quiver::arrow_adapter

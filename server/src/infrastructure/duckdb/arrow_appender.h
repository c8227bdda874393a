#pragma once

#include <arrow/record_batch.h>
#include <arrow/result.h>
#include <duckdb.h>

#include <memory>
#include <optional>
#include <string>

#include "infrastructure/duckdb/database.h"

namespace quiver::duckdb_adapter {

/// Numbers the appended rows in a last int64 column of their own: first, first + 1, ...
struct RowNumbers {
  std::string column;
  int64_t first = 0;
};

/// Appends Arrow record batches to one DuckDB table with the C API appender. Small
/// batches are gathered and big ones sliced so that DuckDB always receives full
/// 2,048-row chunks (duckdb_data_chunk_from_arrow): no per-cell conversion.
class ArrowAppender {
 public:
  /// With `numbers`, the table has one more column than `arrow_schema`, last, which
  /// the appender fills with the rows' numbers.
  [[nodiscard]] static arrow::Result<std::unique_ptr<ArrowAppender>> Make(
      const std::shared_ptr<Connection>& connection, const std::string& schema_name,
      const std::string& table_name, std::shared_ptr<arrow::Schema> arrow_schema,
      std::optional<RowNumbers> numbers = std::nullopt);
  ~ArrowAppender();
  ArrowAppender(const ArrowAppender&) = delete;
  ArrowAppender& operator=(const ArrowAppender&) = delete;

  [[nodiscard]] arrow::Status Append(const std::shared_ptr<arrow::RecordBatch>& batch);
  /// Appends what is still gathered and flushes the appender.
  [[nodiscard]] arrow::Status Finish();
  int64_t appended_rows() const { return appended_rows_; }

 private:
  ArrowAppender(std::shared_ptr<Connection> connection,
                std::shared_ptr<arrow::Schema> schema, std::optional<RowNumbers> numbers)
      : connection_(std::move(connection)),
        schema_(std::move(schema)),
        numbers_(std::move(numbers)) {}
  arrow::Status AppendChunk(const std::shared_ptr<arrow::RecordBatch>& rows);
  arrow::Status AppendGathered(bool include_partial);
  arrow::Status AppenderError(std::string_view context);

  std::shared_ptr<Connection> connection_;
  std::shared_ptr<arrow::Schema> schema_;
  std::optional<RowNumbers> numbers_;
  duckdb_appender appender_ = nullptr;
  duckdb_arrow_converted_schema converted_schema_ = nullptr;
  std::vector<std::shared_ptr<arrow::RecordBatch>> gathered_;
  int64_t gathered_rows_ = 0;
  int64_t appended_rows_ = 0;
};

/// A DuckDB transaction as an RAII guard: Commit() or it rolls back.
class Transaction {
 public:
  [[nodiscard]] static arrow::Result<std::unique_ptr<Transaction>> Begin(
      std::shared_ptr<Connection> connection);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  [[nodiscard]] arrow::Status Commit();

 private:
  explicit Transaction(std::shared_ptr<Connection> connection)
      : connection_(std::move(connection)) {}
  std::shared_ptr<Connection> connection_;
  bool open_ = true;
};

}  // namespace quiver::duckdb_adapter

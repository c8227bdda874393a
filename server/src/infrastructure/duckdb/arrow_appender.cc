#include "infrastructure/duckdb/arrow_appender.h"

#include <arrow/array.h>
#include <arrow/buffer.h>
#include <arrow/c/abi.h>
#include <arrow/c/bridge.h>

#include <numeric>

#include "infrastructure/duckdb/duckdb_status.h"

namespace quiver::duckdb_adapter {
namespace {
/// DuckDB's vector size: a data chunk holds at most this many rows.
constexpr int64_t kChunkRows = 2048;
}  // namespace

arrow::Result<std::unique_ptr<ArrowAppender>> ArrowAppender::Make(
    const std::shared_ptr<Connection>& connection, const std::string& schema_name,
    const std::string& table_name, std::shared_ptr<arrow::Schema> arrow_schema,
    std::optional<RowNumbers> numbers) {
  if (numbers) {
    ARROW_ASSIGN_OR_RAISE(
        arrow_schema,
        arrow_schema->AddField(arrow_schema->num_fields(),
                               arrow::field(numbers->column, arrow::int64(), false)));
  }
  auto appender = std::unique_ptr<ArrowAppender>(
      new ArrowAppender(connection, std::move(arrow_schema), std::move(numbers)));
  if (duckdb_appender_create(connection->handle(), schema_name.c_str(),
                             table_name.c_str(), &appender->appender_) != DuckDBSuccess) {
    return appender->AppenderError("cannot append to " + table_name);
  }
  ArrowSchema c_schema{};
  ARROW_RETURN_NOT_OK(arrow::ExportSchema(*appender->schema_, &c_schema));
  arrow::Status converted =
      ConsumeErrorData(duckdb_schema_from_arrow(connection->handle(), &c_schema,
                                                &appender->converted_schema_),
                       "DuckDB cannot take this Arrow schema");
  if (c_schema.release != nullptr) c_schema.release(&c_schema);
  ARROW_RETURN_NOT_OK(converted);
  return appender;
}

ArrowAppender::~ArrowAppender() {
  if (converted_schema_ != nullptr)
    duckdb_destroy_arrow_converted_schema(&converted_schema_);
  if (appender_ != nullptr) duckdb_appender_destroy(&appender_);
}

arrow::Status ArrowAppender::AppenderError(std::string_view context) {
  return ConsumeErrorData(duckdb_appender_error_data(appender_), context);
}

arrow::Status ArrowAppender::AppendChunk(
    const std::shared_ptr<arrow::RecordBatch>& given) {
  std::shared_ptr<arrow::RecordBatch> rows = given;
  if (numbers_) {
    const int64_t first = numbers_->first + appended_rows_;
    ARROW_ASSIGN_OR_RAISE(
        auto values, arrow::AllocateBuffer(rows->num_rows() * int64_t{sizeof(int64_t)}));
    auto* numbers = values->mutable_data_as<int64_t>();
    std::iota(numbers, numbers + rows->num_rows(), first);
    auto column =
        std::make_shared<arrow::Int64Array>(rows->num_rows(), std::move(values));
    ARROW_ASSIGN_OR_RAISE(
        rows, rows->AddColumn(rows->num_columns(), schema_->fields().back(), column));
  }
  ArrowArray c_array{};
  ARROW_RETURN_NOT_OK(arrow::ExportRecordBatch(*rows, &c_array));
  duckdb_data_chunk chunk = nullptr;
  arrow::Status converted =
      ConsumeErrorData(duckdb_data_chunk_from_arrow(connection_->handle(), &c_array,
                                                    converted_schema_, &chunk),
                       "cannot convert Arrow data for DuckDB");
  if (!converted.ok()) {
    if (c_array.release != nullptr) c_array.release(&c_array);
    return converted;
  }
  duckdb_state state = duckdb_append_data_chunk(appender_, chunk);
  duckdb_destroy_data_chunk(&chunk);
  if (state != DuckDBSuccess) return AppenderError("DuckDB refused the rows");
  appended_rows_ += rows->num_rows();
  return arrow::Status::OK();
}

arrow::Status ArrowAppender::AppendGathered(bool include_partial) {
  if (gathered_.empty()) return arrow::Status::OK();
  std::shared_ptr<arrow::RecordBatch> rows = gathered_.front();
  if (gathered_.size() > 1) {
    ARROW_ASSIGN_OR_RAISE(rows, arrow::ConcatenateRecordBatches(gathered_));
  }
  gathered_.clear();
  gathered_rows_ = 0;
  int64_t offset = 0;
  for (; offset + kChunkRows <= rows->num_rows(); offset += kChunkRows) {
    ARROW_RETURN_NOT_OK(AppendChunk(rows->Slice(offset, kChunkRows)));
  }
  if (offset == rows->num_rows()) return arrow::Status::OK();
  auto rest = rows->Slice(offset);
  if (include_partial) return AppendChunk(rest);
  gathered_.push_back(rest);
  gathered_rows_ = rest->num_rows();
  return arrow::Status::OK();
}

arrow::Status ArrowAppender::Append(const std::shared_ptr<arrow::RecordBatch>& batch) {
  if (batch->num_rows() == 0) return arrow::Status::OK();
  gathered_.push_back(batch);
  gathered_rows_ += batch->num_rows();
  if (gathered_rows_ < kChunkRows) return arrow::Status::OK();
  return AppendGathered(/*include_partial=*/false);
}

arrow::Status ArrowAppender::Finish() {
  ARROW_RETURN_NOT_OK(AppendGathered(/*include_partial=*/true));
  if (duckdb_appender_flush(appender_) != DuckDBSuccess) {
    return AppenderError("DuckDB refused the rows");
  }
  return arrow::Status::OK();
}

arrow::Result<std::unique_ptr<Transaction>> Transaction::Begin(
    std::shared_ptr<Connection> connection) {
  // Whatever becomes of the transaction, the next request gets a fresh connection.
  connection->Retire();
  ARROW_RETURN_NOT_OK(connection->Execute("BEGIN TRANSACTION"));
  return std::unique_ptr<Transaction>(new Transaction(std::move(connection)));
}

Transaction::~Transaction() {
  if (open_) (void)connection_->Execute("ROLLBACK");
}

arrow::Status Transaction::Commit() {
  open_ = false;
  return connection_->Execute("COMMIT");
}

}  // namespace quiver::duckdb_adapter

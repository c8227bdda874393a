#pragma once

#include <arrow/c/abi.h>
#include <arrow/record_batch.h>
#include <arrow/result.h>
#include <duckdb.h>

#include <memory>
#include <string_view>
#include <vector>

#include "infrastructure/duckdb/database.h"

namespace quiver::duckdb_adapter {

/// A DuckDB streaming result read as Arrow record batches: each data chunk goes
/// through the Arrow C data interface (duckdb_data_chunk_to_arrow) and chunks are
/// coalesced until a batch holds StreamOptions::target_rows rows.
class StreamingResultReader final : public arrow::RecordBatchReader {
 public:
  [[nodiscard]] static arrow::Result<std::shared_ptr<StreamingResultReader>> Make(
      std::shared_ptr<Connection> connection, std::string_view sql,
      const Parameters& parameters, const StreamOptions& options);
  ~StreamingResultReader() override;

  std::shared_ptr<arrow::Schema> schema() const override { return schema_; }
  arrow::Status ReadNext(std::shared_ptr<arrow::RecordBatch>* batch) override;
  arrow::Status Close() override;

 private:
  StreamingResultReader(std::shared_ptr<Connection> connection,
                        const StreamOptions& options);
  /// Prepares, binds and creates the pending query; nothing runs yet.
  arrow::Status Start(std::string_view sql, const Parameters& parameters);
  arrow::Status ImportSchema();
  /// Runs the query until its first chunk can be fetched (once).
  arrow::Status Execute();
  arrow::Status ImportSchemaOf(std::vector<duckdb_logical_type>& types,
                               std::vector<const char*>& names);
  /// The next chunk as a record batch, or null at the end of the result.
  arrow::Result<std::shared_ptr<arrow::RecordBatch>> NextChunk();

  std::shared_ptr<Connection> connection_;
  StreamOptions options_;
  duckdb_prepared_statement prepared_ = nullptr;
  duckdb_pending_result pending_ = nullptr;
  duckdb_result result_{};
  bool has_result_ = false;
  bool finished_ = false;
  duckdb_arrow_options arrow_options_ = nullptr;
  std::shared_ptr<arrow::Schema> schema_;
};

}  // namespace quiver::duckdb_adapter

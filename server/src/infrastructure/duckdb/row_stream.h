#pragma once

#include <arrow/record_batch.h>

#include <atomic>
#include <memory>

#include "application/ports.h"
#include "infrastructure/duckdb/database.h"

namespace quiver::duckdb_adapter {

/// A running DuckDB query as an application::RowStream. Batches are cast back to
/// the declared types where DuckDB returns another spelling of them (time zone,
/// list child names, nullability); Cancel() interrupts the query and frees it.
class DuckDbRowStream final : public application::RowStream {
 public:
  /// `declared`: the schema the rows should have (null keeps DuckDB's own).
  [[nodiscard]] static arrow::Result<std::shared_ptr<DuckDbRowStream>> Open(
      std::shared_ptr<Connection> connection, std::string_view sql,
      const Parameters& parameters, const std::shared_ptr<arrow::Schema>& declared,
      const StreamOptions& options);

  std::shared_ptr<arrow::Schema> schema() const override { return schema_; }
  arrow::Status ReadNext(std::shared_ptr<arrow::RecordBatch>* batch) override;
  arrow::Status Close() override;
  void Cancel() override;

 private:
  DuckDbRowStream(std::shared_ptr<Connection> connection,
                  std::shared_ptr<arrow::RecordBatchReader> reader,
                  std::shared_ptr<arrow::Schema> schema)
      : connection_(std::move(connection)),
        reader_(std::move(reader)),
        schema_(std::move(schema)) {}

  std::shared_ptr<Connection> connection_;
  std::shared_ptr<arrow::RecordBatchReader> reader_;
  std::shared_ptr<arrow::Schema> schema_;
  std::atomic<bool> cancelled_{false};
};

}  // namespace quiver::duckdb_adapter

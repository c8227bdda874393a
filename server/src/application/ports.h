#pragma once

#include <arrow/io/interfaces.h>
#include <arrow/record_batch.h>
#include <arrow/result.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "application/ingest_format.h"
#include "domain/dataset_name.h"
#include "domain/schema.h"

namespace quiver::application {

/// A stored dataset as the catalog knows it.
struct DatasetRecord {
  domain::DatasetName name;
  domain::Schema schema;
  int64_t row_count = 0;
  int64_t bytes = 0;
  std::string created_at;  ///< ISO 8601, UTC
  std::string updated_at;  ///< ISO 8601, UTC
  /// Counts the times the rows were replaced: cursors of an older generation refer
  /// to rows that are gone.
  int64_t generation = 0;
};

/// What a load does with the rows already stored.
enum class LoadMode { kAppend, kReplace };

/// Port: where datasets, their schemas and their rows live.
class DatasetStore {
 public:
  virtual ~DatasetStore() = default;
  [[nodiscard]] virtual arrow::Result<DatasetRecord> Create(
      const domain::DatasetName& name, const domain::Schema& schema) = 0;
  [[nodiscard]] virtual arrow::Result<std::vector<DatasetRecord>> List() = 0;
  [[nodiscard]] virtual arrow::Result<DatasetRecord> Get(
      const domain::DatasetName& name) = 0;
  /// Get without `bytes` (left 0), which costs a walk over the table's storage: for
  /// reads and loads, which only need the schema.
  [[nodiscard]] virtual arrow::Result<DatasetRecord> Lookup(
      const domain::DatasetName& name) = 0;
  [[nodiscard]] virtual arrow::Status Drop(const domain::DatasetName& name) = 0;
  /// Stores every batch of `rows` in one transaction: all of them, or none when
  /// `rows` or storage fails. Returns the number of rows stored.
  [[nodiscard]] virtual arrow::Result<int64_t> Load(const DatasetRecord& dataset,
                                                    LoadMode mode,
                                                    arrow::RecordBatchReader& rows) = 0;
};

struct UploadOptions {
  bool ignore_unknown_columns = false;
};

/// Port: turns an upload's bytes into batches of the dataset's schema. The reader
/// fails (with every violation found, up to a cap) instead of returning bad rows.
class UploadDecoder {
 public:
  virtual ~UploadDecoder() = default;
  [[nodiscard]] virtual arrow::Result<std::shared_ptr<arrow::RecordBatchReader>> Open(
      IngestFormat format, std::shared_ptr<arrow::io::InputStream> body,
      const domain::Schema& schema, const UploadOptions& options) = 0;
};

}  // namespace quiver::application

namespace quiver::application {

/// Rows of a running query, batch by batch. Cancel() stops the query at once
/// (the client went away) and may be called from any thread.
class RowStream : public arrow::RecordBatchReader {
 public:
  virtual void Cancel() = 0;
};

}  // namespace quiver::application

#pragma once

#include <arrow/result.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "application/ports.h"

namespace quiver::application {

/// Creates a dataset with a validated name and schema.
class CreateDataset {
 public:
  explicit CreateDataset(DatasetStore& store) : store_(store) {}
  [[nodiscard]] arrow::Result<DatasetRecord> Run(const domain::DatasetName& name,
                                                 const domain::Schema& schema);

 private:
  DatasetStore& store_;
};

/// Reads the catalog: one dataset or all of them.
class DescribeDatasets {
 public:
  explicit DescribeDatasets(DatasetStore& store) : store_(store) {}
  [[nodiscard]] arrow::Result<DatasetRecord> One(std::string_view name);
  [[nodiscard]] arrow::Result<std::vector<DatasetRecord>> All();

 private:
  DatasetStore& store_;
};

/// Drops a dataset and its rows.
class DropDataset {
 public:
  explicit DropDataset(DatasetStore& store) : store_(store) {}
  [[nodiscard]] arrow::Status Run(std::string_view name);

 private:
  DatasetStore& store_;
};

struct IngestCommand {
  std::string dataset;
  IngestFormat format = IngestFormat::kArrowStream;
  LoadMode mode = LoadMode::kAppend;
  UploadOptions upload;
  std::shared_ptr<arrow::io::InputStream> body;
};

struct IngestResult {
  int64_t inserted_rows = 0;
  int64_t elapsed_ms = 0;
};

/// Loads an upload into a dataset, all or nothing. Loads into one dataset run one
/// at a time; readers keep reading the rows from before until the load commits.
class IngestRows {
 public:
  IngestRows(DatasetStore& store, UploadDecoder& decoder)
      : store_(store), decoder_(decoder) {}
  [[nodiscard]] arrow::Result<IngestResult> Run(const IngestCommand& command);

 private:
  std::shared_ptr<std::mutex> LockFor(const std::string& dataset);

  DatasetStore& store_;
  UploadDecoder& decoder_;
  std::mutex locks_mutex_;
  std::map<std::string, std::shared_ptr<std::mutex>> locks_;
};

}  // namespace quiver::application

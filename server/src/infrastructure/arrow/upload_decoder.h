#pragma once

#include <filesystem>

#include "application/ports.h"

namespace quiver::arrow_adapter {

struct UploadDecoderOptions {
  /// Where Parquet and Arrow IPC files are spooled while they load.
  std::filesystem::path spool_dir;
  /// The most memory decoding one upload may hold at once; beyond it the upload
  /// fails with 413 (a decompression bomb, a giant record batch).
  int64_t memory_limit_bytes = int64_t{1} << 30;
};

/// The Arrow adapter of application::UploadDecoder: a streaming decoder per format
/// (decoders.h) followed by a BatchConformer, under a capped memory pool.
class ArrowUploadDecoder final : public application::UploadDecoder {
 public:
  explicit ArrowUploadDecoder(UploadDecoderOptions options)
      : options_(std::move(options)) {}

  arrow::Result<std::shared_ptr<arrow::RecordBatchReader>> Open(
      application::IngestFormat format, std::shared_ptr<arrow::io::InputStream> body,
      const domain::Schema& schema, const application::UploadOptions& options) override;

 private:
  UploadDecoderOptions options_;
};

}  // namespace quiver::arrow_adapter

#pragma once

#include <arrow/buffer.h>
#include <arrow/record_batch.h>
#include <arrow/result.h>

#include <memory>

#include "application/output_format.h"

namespace quiver::arrow_adapter {

struct EncoderOptions {
  /// Arrow IPC buffer compression (lz4, zstd) or the Parquet codec.
  application::Compression compression = application::Compression::kNone;
};

/// Turns record batches into the bytes of one output format, a piece at a time,
/// so a response never holds more than the current batch's bytes.
class BatchEncoder {
 public:
  virtual ~BatchEncoder() = default;
  /// The bytes of `batch` (for Parquet: one row group; may include the header).
  [[nodiscard]] virtual arrow::Result<std::shared_ptr<arrow::Buffer>> Encode(
      const arrow::RecordBatch& batch) = 0;
  /// The bytes that end the output (footer, closing bracket, end-of-stream marker).
  [[nodiscard]] virtual arrow::Result<std::shared_ptr<arrow::Buffer>> Finish() = 0;
};

/// An encoder for `format` writing batches of `schema`.
[[nodiscard]] arrow::Result<std::unique_ptr<BatchEncoder>> MakeEncoder(
    application::OutputFormat format, const std::shared_ptr<arrow::Schema>& schema,
    const EncoderOptions& options = {});

}  // namespace quiver::arrow_adapter

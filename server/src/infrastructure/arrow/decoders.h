#pragma once

#include <arrow/io/interfaces.h>
#include <arrow/memory_pool.h>
#include <arrow/record_batch.h>
#include <arrow/result.h>

#include <filesystem>
#include <memory>

#include "application/ingest_format.h"

namespace quiver::arrow_adapter {

struct DecodeOptions {
  /// The dataset's schema: CSV and NDJSON values are converted to these types.
  std::shared_ptr<arrow::Schema> target_schema;
  /// Every decoded buffer comes from this pool (a capped one for untrusted bodies).
  arrow::MemoryPool* memory_pool = arrow::default_memory_pool();
  /// Where Parquet and Arrow IPC files are spooled, since they need their footer.
  std::filesystem::path spool_dir;
  /// Drop NDJSON keys that are not columns instead of refusing the upload.
  bool ignore_unknown_columns = false;
  /// Bytes of CSV/NDJSON text parsed at a time.
  int32_t text_block_bytes = 1 << 20;
};

/// Opens a streaming decoder for an upload. Streaming formats decode as bytes
/// arrive; Parquet and Arrow IPC files are first spooled to an unlinked temporary
/// file. Every batch the reader returns has passed ValidateFull(), and decoding
/// errors come back as domain problems (400 for malformed bodies, 413 when the
/// memory cap is hit, 422 with field and row for CSV values that do not convert).
[[nodiscard]] arrow::Result<std::shared_ptr<arrow::RecordBatchReader>> OpenDecoder(
    application::IngestFormat format, std::shared_ptr<arrow::io::InputStream> body,
    const DecodeOptions& options);

/// Removes spool files left behind by a crash.
void RemoveStaleSpoolFiles(const std::filesystem::path& spool_dir);

}  // namespace quiver::arrow_adapter

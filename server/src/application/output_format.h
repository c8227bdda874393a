#pragma once

#include <string_view>

namespace quiver::application {

/// The encodings a read can answer in.
enum class OutputFormat { kArrowStream, kArrowFile, kParquet, kCsv, kJson, kNdjson };

/// Buffer compression inside Arrow IPC, or the Parquet codec.
enum class Compression { kNone, kLz4, kZstd, kSnappy, kGzip };

}  // namespace quiver::application

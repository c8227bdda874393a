#pragma once

#include <string_view>

namespace quiver::application {

/// The encodings an upload may come in.
enum class IngestFormat { kArrowStream, kArrowFile, kParquet, kCsv, kNdjson };

/// A short name for messages ("Arrow IPC stream", "Parquet", ...).
constexpr std::string_view IngestFormatName(IngestFormat format) {
  switch (format) {
    case IngestFormat::kArrowStream:
      return "Arrow IPC stream";
    case IngestFormat::kArrowFile:
      return "Arrow IPC file";
    case IngestFormat::kParquet:
      return "Parquet";
    case IngestFormat::kCsv:
      return "CSV";
    case IngestFormat::kNdjson:
      return "NDJSON";
  }
  return "unknown";
}

}  // namespace quiver::application

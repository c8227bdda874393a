#pragma once

#include <arrow/result.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "application/output_format.h"

namespace quiver::http {

struct Negotiated {
  application::OutputFormat format = application::OutputFormat::kArrowStream;
  std::string content_type;
  std::string file_extension;
  /// The format's name as `format=` spells it: arrow, parquet, csv, ...
  std::string name;
};

/// One item of a comma-separated header with weights (Accept, Accept-Encoding): its
/// value without parameters, and its q (1 without one, 0 when unreadable).
struct WeightedItem {
  std::string_view value;
  double quality = 1.0;
};

/// The items of `header`, in order; empty items are skipped.
std::vector<WeightedItem> ParseWeightedList(std::string_view header);

/// Picks the response format: `format=` wins (arrow, arrow-file, parquet, csv,
/// json, ndjson), else the best-q media type of `Accept` that we produce, else the
/// Arrow IPC stream. Nothing acceptable is a 406 problem.
[[nodiscard]] arrow::Result<Negotiated> NegotiateFormat(
    std::optional<std::string> format_parameter, std::string_view accept);

/// `compression=` (none, lz4, zstd, snappy, gzip) for Arrow IPC buffers or Parquet pages;
/// without it Arrow is uncompressed and Parquet zstd.
[[nodiscard]] arrow::Result<application::Compression> ParseCompression(
    std::optional<std::string> parameter, application::OutputFormat format);

}  // namespace quiver::http

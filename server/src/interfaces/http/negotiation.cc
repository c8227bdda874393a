#include "interfaces/http/negotiation.h"

#include <boost/beast/core/string.hpp>

#include <array>
#include <charconv>
#include <vector>

#include "domain/problem.h"

namespace quiver::http {
namespace {

using application::Compression;
using application::OutputFormat;
using domain::MakeProblem;
using domain::ProblemKind;

struct FormatEntry {
  std::string_view name;
  std::string_view media_type;
  std::string_view extension;
  OutputFormat format;
};

constexpr std::array<FormatEntry, 6> kFormats{{
    {"arrow", "application/vnd.apache.arrow.stream", "arrows",
     OutputFormat::kArrowStream},
    {"arrow-file", "application/vnd.apache.arrow.file", "arrow",
     OutputFormat::kArrowFile},
    {"parquet", "application/vnd.apache.parquet", "parquet", OutputFormat::kParquet},
    {"csv", "text/csv", "csv", OutputFormat::kCsv},
    {"json", "application/json", "json", OutputFormat::kJson},
    {"ndjson", "application/x-ndjson", "ndjson", OutputFormat::kNdjson},
}};

Negotiated From(const FormatEntry& entry) {
  std::string content_type(entry.media_type);
  if (entry.format == OutputFormat::kCsv)
    content_type += "; charset=utf-8; header=present";
  return {entry.format, content_type, std::string(entry.extension),
          std::string(entry.name)};
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
    text.remove_suffix(1);
  return text;
}

/// The q of an item's parameters ("level=1;q=0.5"): 1 without one, 0 when unreadable.
double Quality(std::string_view parameters) {
  size_t start = 0;
  while (start < parameters.size()) {
    size_t end = parameters.find(';', start);
    if (end == std::string_view::npos) end = parameters.size();
    std::string_view parameter = Trim(parameters.substr(start, end - start));
    start = end + 1;
    if (parameter.size() < 2 || (parameter[0] != 'q' && parameter[0] != 'Q') ||
        parameter[1] != '=') {
      continue;
    }
    std::string_view number = Trim(parameter.substr(2));
    double quality = 0;
    auto [position, error] =
        std::from_chars(number.data(), number.data() + number.size(), quality);
    if (error != std::errc() || position != number.data() + number.size()) return 0;
    return quality < 0 ? 0 : quality > 1 ? 1 : quality;
  }
  return 1;
}

bool Matches(std::string_view range, std::string_view media_type) {
  if (range == "*/*") return true;
  if (range.ends_with("/*")) {
    return boost::beast::iequals(range.substr(0, range.size() - 1),
                                 media_type.substr(0, media_type.find('/') + 1));
  }
  return boost::beast::iequals(range, media_type);
}

std::string FormatNames() {
  std::string names;
  for (const auto& entry : kFormats) {
    if (!names.empty()) names += ", ";
    names += entry.name;
  }
  return names;
}

}  // namespace

std::vector<WeightedItem> ParseWeightedList(std::string_view header) {
  std::vector<WeightedItem> items;
  size_t start = 0;
  while (start <= header.size()) {
    size_t end = header.find(',', start);
    if (end == std::string_view::npos) end = header.size();
    std::string_view item = Trim(header.substr(start, end - start));
    start = end + 1;
    if (item.empty()) continue;
    size_t semicolon = item.find(';');
    items.push_back(
        {Trim(item.substr(0, semicolon)), semicolon == std::string_view::npos
                                              ? 1.0
                                              : Quality(item.substr(semicolon + 1))});
  }
  return items;
}

arrow::Result<Negotiated> NegotiateFormat(std::optional<std::string> format_parameter,
                                          std::string_view accept) {
  if (format_parameter) {
    for (const auto& entry : kFormats) {
      if (entry.name == *format_parameter) return From(entry);
    }
    return MakeProblem(ProblemKind::kInvalidInput, "unknown format",
                       {{"format", std::nullopt,
                         "'" + *format_parameter + "' is not one of " + FormatNames()}});
  }
  if (Trim(accept).empty()) return From(kFormats[0]);
  const FormatEntry* best = nullptr;
  double best_quality = 0.0;
  for (const auto& item : ParseWeightedList(accept)) {
    if (item.quality <= 0.0) continue;
    for (const auto& entry : kFormats) {
      // Among equal qualities the first listed wins; */* means our default.
      if (Matches(item.value, entry.media_type) && item.quality > best_quality) {
        best = &entry;
        best_quality = item.quality;
        break;
      }
    }
  }
  if (best != nullptr) return From(*best);
  return MakeProblem(ProblemKind::kNotAcceptable,
                     "none of the accepted media types can be produced; Quiver answers " +
                         FormatNames() + " (see format=)");
}

arrow::Result<Compression> ParseCompression(std::optional<std::string> parameter,
                                            OutputFormat format) {
  bool arrow = format == OutputFormat::kArrowStream || format == OutputFormat::kArrowFile;
  bool parquet = format == OutputFormat::kParquet;
  // Parquet is a file to keep: zstd by default, as Polars and DuckDB write it (a third
  // of the bytes for ~20% more encoding time); Arrow streams stay uncompressed.
  if (!parameter) return parquet ? Compression::kZstd : Compression::kNone;
  if (*parameter == "none") return Compression::kNone;
  struct Named {
    std::string_view name;
    Compression compression;
    bool for_arrow;
  };
  constexpr Named kNamed[] = {{"lz4", Compression::kLz4, true},
                              {"zstd", Compression::kZstd, true},
                              {"snappy", Compression::kSnappy, false},
                              {"gzip", Compression::kGzip, false}};
  for (const auto& named : kNamed) {
    if (named.name != *parameter) continue;
    if (parquet || (arrow && named.for_arrow)) return named.compression;
  }
  return MakeProblem(ProblemKind::kInvalidInput, "unsupported compression",
                     {{"compression", std::nullopt,
                       "'" + *parameter +
                           "' does not apply here: Arrow takes lz4 or zstd, Parquet "
                           "zstd, lz4, snappy or gzip; use Accept-Encoding for HTTP "
                           "compression"}});
}

}  // namespace quiver::http

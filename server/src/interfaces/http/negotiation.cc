#include "interfaces/http/negotiation.h"

#include <boost/beast/core/string.hpp>

#include <array>
#include <cstdlib>
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

struct AcceptItem {
  std::string_view media_range;
  double quality = 1.0;
};

std::vector<AcceptItem> ParseAccept(std::string_view accept) {
  std::vector<AcceptItem> items;
  size_t start = 0;
  while (start <= accept.size()) {
    size_t end = accept.find(',', start);
    if (end == std::string_view::npos) end = accept.size();
    std::string_view item = Trim(accept.substr(start, end - start));
    start = end + 1;
    if (item.empty()) continue;
    AcceptItem parsed{Trim(item.substr(0, item.find(';')))};
    size_t quality = item.find(";q=");
    if (quality == std::string_view::npos) quality = item.find("; q=");
    if (quality != std::string_view::npos) {
      std::string value(Trim(item.substr(item.find('=', quality) + 1)));
      parsed.quality = std::strtod(value.c_str(), nullptr);
    }
    items.push_back(parsed);
  }
  return items;
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
  for (const auto& item : ParseAccept(accept)) {
    if (item.quality <= 0.0) continue;
    for (const auto& entry : kFormats) {
      // Among equal qualities the first listed wins; */* means our default.
      if (Matches(item.media_range, entry.media_type) && item.quality > best_quality) {
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

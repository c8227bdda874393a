// HTTP Content-Encoding of streamed reads: which one a client gets, and a stream
// that compresses the body piece by piece (flushed per piece, so that a browser
// decodes each record batch as it arrives).
#pragma once

#include <arrow/result.h>

#include <memory>
#include <optional>
#include <string_view>

#include "application/output_format.h"
#include "interfaces/http/request.h"

namespace quiver::http {

enum class ContentEncoding { kZstd, kBrotli, kGzip };

/// When to compress at all.
enum class CompressionPolicy {
  kAuto,    ///< when the client asks, except on loopback (it only costs CPU there)
  kAlways,  ///< whenever the client asks
  kOff,
};

/// The encoding's token: "zstd", "br" or "gzip".
std::string_view EncodingToken(ContentEncoding encoding);

/// The best encoding `accept_encoding` allows (highest q; zstd, then br, then gzip on
/// ties), or none. Never for Parquet (its pages are compressed already) nor for
/// Arrow with buffer compression: never twice.
std::optional<ContentEncoding> ChooseContentEncoding(
    std::string_view accept_encoding, application::OutputFormat format,
    application::Compression buffer_compression, CompressionPolicy policy,
    bool loopback_client);

/// `body` compressed with `encoding` (fast levels: the point is bandwidth, not
/// the last byte).
[[nodiscard]] arrow::Result<std::unique_ptr<ResponseStream>> MakeCompressingStream(
    std::unique_ptr<ResponseStream> body, ContentEncoding encoding);

}  // namespace quiver::http

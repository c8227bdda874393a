#include "interfaces/http/content_encoding.h"

#include <arrow/buffer.h>
#include <arrow/util/compression.h>
#include <boost/beast/core/string.hpp>

#include <array>
#include <utility>
#include <vector>

#include "interfaces/http/negotiation.h"

namespace quiver::http {
namespace {

using application::Compression;
using application::OutputFormat;

struct Candidate {
  ContentEncoding encoding;
  std::string_view token;
};

constexpr std::array<Candidate, 3> kPreference = {{
    {ContentEncoding::kZstd, "zstd"},
    {ContentEncoding::kBrotli, "br"},
    {ContentEncoding::kGzip, "gzip"},
}};

class CompressingStream final : public ResponseStream {
 public:
  CompressingStream(std::unique_ptr<ResponseStream> body,
                    std::unique_ptr<arrow::util::Codec> codec,
                    std::shared_ptr<arrow::util::Compressor> compressor)
      : body_(std::move(body)),
        codec_(std::move(codec)),
        compressor_(std::move(compressor)) {}

  arrow::Result<std::shared_ptr<arrow::Buffer>> Next() override {
    if (ended_) return nullptr;
    ARROW_ASSIGN_OR_RAISE(auto piece, body_->Next());
    output_.clear();
    if (piece == nullptr) {
      ended_ = true;
      ARROW_RETURN_NOT_OK(Drain(
          [this](int64_t room, uint8_t* out) -> arrow::Result<std::pair<int64_t, bool>> {
            ARROW_ASSIGN_OR_RAISE(auto result, compressor_->End(room, out));
            return std::make_pair(result.bytes_written, result.should_retry);
          }));
      return Take();
    }
    const uint8_t* input = piece->data();
    int64_t remaining = piece->size();
    while (remaining > 0) {
      Reserve(remaining / 2 + 1024);
      ARROW_ASSIGN_OR_RAISE(auto result,
                            compressor_->Compress(remaining, input, Room(), End()));
      input += result.bytes_read;
      remaining -= result.bytes_read;
      used_ += result.bytes_written;
    }
    // Flush: the client can decode this piece before the next one exists.
    ARROW_RETURN_NOT_OK(Drain(
        [this](int64_t room, uint8_t* out) -> arrow::Result<std::pair<int64_t, bool>> {
          ARROW_ASSIGN_OR_RAISE(auto result, compressor_->Flush(room, out));
          return std::make_pair(result.bytes_written, result.should_retry);
        }));
    return Take();
  }

  void Cancel() override { body_->Cancel(); }

  std::vector<std::pair<std::string, std::string>> Trailers() const override {
    return body_->Trailers();
  }

 private:
  template <typename Step>
  arrow::Status Drain(Step step) {
    for (;;) {
      Reserve(int64_t{64} * 1024);
      ARROW_ASSIGN_OR_RAISE(auto result, step(Room(), End()));
      used_ += result.first;
      if (!result.second) return arrow::Status::OK();
    }
  }

  void Reserve(int64_t room) {
    if (static_cast<int64_t>(output_.size()) - used_ < room) {
      output_.resize(static_cast<size_t>(used_ + room));
    }
  }
  int64_t Room() const { return static_cast<int64_t>(output_.size()) - used_; }
  uint8_t* End() { return output_.data() + used_; }

  std::shared_ptr<arrow::Buffer> Take() {
    output_.resize(static_cast<size_t>(used_));
    used_ = 0;
    auto buffer = arrow::Buffer::FromVector(std::move(output_));
    output_ = {};
    return buffer;
  }

  std::unique_ptr<ResponseStream> body_;
  std::unique_ptr<arrow::util::Codec> codec_;
  std::shared_ptr<arrow::util::Compressor> compressor_;
  std::vector<uint8_t> output_;
  int64_t used_ = 0;
  bool ended_ = false;
};

}  // namespace

std::string_view EncodingToken(ContentEncoding encoding) {
  for (const auto& candidate : kPreference) {
    if (candidate.encoding == encoding) return candidate.token;
  }
  return "identity";
}

std::optional<ContentEncoding> ChooseContentEncoding(std::string_view accept_encoding,
                                                     OutputFormat format,
                                                     Compression buffer_compression,
                                                     CompressionPolicy policy,
                                                     bool loopback_client) {
  if (policy == CompressionPolicy::kOff) return std::nullopt;
  if (policy == CompressionPolicy::kAuto && loopback_client) return std::nullopt;
  if (format == OutputFormat::kParquet) return std::nullopt;
  if (buffer_compression != Compression::kNone) return std::nullopt;
  std::array<double, kPreference.size()> quality{};
  std::array<bool, kPreference.size()> named{};
  double wildcard = 0;
  bool has_wildcard = false;
  for (const auto& item : ParseWeightedList(accept_encoding)) {
    if (item.value == "*") {
      wildcard = item.quality;
      has_wildcard = true;
      continue;
    }
    for (size_t index = 0; index < kPreference.size(); ++index) {
      if (boost::beast::iequals(item.value, kPreference[index].token)) {
        quality[index] = item.quality;
        named[index] = true;
      }
    }
  }
  std::optional<ContentEncoding> best;
  double best_quality = 0;
  for (size_t index = 0; index < kPreference.size(); ++index) {
    // "*" covers the codings the client did not name (a named q=0 stays refused).
    const double q = named[index] || !has_wildcard ? quality[index] : wildcard;
    if (q > best_quality) {
      best_quality = q;
      best = kPreference[index].encoding;
    }
  }
  return best;
}

arrow::Result<std::unique_ptr<ResponseStream>> MakeCompressingStream(
    std::unique_ptr<ResponseStream> body, ContentEncoding encoding) {
  arrow::Compression::type type = arrow::Compression::ZSTD;
  int level = 1;
  switch (encoding) {
    case ContentEncoding::kZstd:
      type = arrow::Compression::ZSTD;
      level = 1;
      break;
    case ContentEncoding::kBrotli:
      type = arrow::Compression::BROTLI;
      level = 1;
      break;
    case ContentEncoding::kGzip:
      type = arrow::Compression::GZIP;
      level = 1;
      break;
  }
  ARROW_ASSIGN_OR_RAISE(auto codec, arrow::util::Codec::Create(type, level));
  ARROW_ASSIGN_OR_RAISE(auto compressor, codec->MakeCompressor());
  return std::make_unique<CompressingStream>(std::move(body), std::move(codec),
                                             std::move(compressor));
}

}  // namespace quiver::http

// Which Content-Encoding a client gets, and that the compressed stream decodes back to
// the body piece by piece.
#include "interfaces/http/content_encoding.h"

#include <arrow/buffer.h>
#include <arrow/util/compression.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_helpers.h"

namespace quiver::http {
namespace {

using application::Compression;
using application::OutputFormat;

std::optional<ContentEncoding> Choose(
    std::string_view accept, OutputFormat format = OutputFormat::kArrowStream,
    Compression buffers = Compression::kNone,
    CompressionPolicy policy = CompressionPolicy::kAlways, bool loopback = false) {
  return ChooseContentEncoding(accept, format, buffers, policy, loopback);
}

TEST(ContentEncodingTest, TheHighestQualityWinsThenZstdBrGzip) {
  EXPECT_EQ(Choose("gzip, deflate, br, zstd"), ContentEncoding::kZstd);
  EXPECT_EQ(Choose("gzip, deflate, br"), ContentEncoding::kBrotli);
  EXPECT_EQ(Choose("gzip"), ContentEncoding::kGzip);
  EXPECT_EQ(Choose("GZIP"), ContentEncoding::kGzip);
  EXPECT_EQ(Choose("zstd;q=0.2, gzip;q=0.8"), ContentEncoding::kGzip);
  EXPECT_EQ(Choose("*"), ContentEncoding::kZstd);
  EXPECT_EQ(Choose("zstd;q=0, *;q=0.5"), ContentEncoding::kBrotli);
  EXPECT_EQ(Choose(""), std::nullopt);
  EXPECT_EQ(Choose("identity"), std::nullopt);
  EXPECT_EQ(Choose("deflate, compress"), std::nullopt);
  EXPECT_EQ(Choose("zstd;q=0, br;q=0, gzip;q=0"), std::nullopt);
  EXPECT_EQ(Choose("gzip;q=abc"), std::nullopt);
}

TEST(ContentEncodingTest, NeverTwiceAndNotOnLoopbackByDefault) {
  EXPECT_EQ(Choose("zstd", OutputFormat::kParquet), std::nullopt);
  EXPECT_EQ(Choose("zstd", OutputFormat::kArrowStream, Compression::kLz4), std::nullopt);
  EXPECT_EQ(Choose("zstd", OutputFormat::kCsv), ContentEncoding::kZstd);
  EXPECT_EQ(Choose("zstd", OutputFormat::kJson, Compression::kNone,
                   CompressionPolicy::kAuto, true),
            std::nullopt);
  EXPECT_EQ(Choose("zstd", OutputFormat::kJson, Compression::kNone,
                   CompressionPolicy::kAuto, false),
            ContentEncoding::kZstd);
  EXPECT_EQ(Choose("zstd", OutputFormat::kJson, Compression::kNone,
                   CompressionPolicy::kOff, false),
            std::nullopt);
}

/// A body given as pieces.
class Pieces final : public ResponseStream {
 public:
  explicit Pieces(std::vector<std::string> pieces) : pieces_(std::move(pieces)) {}
  arrow::Result<std::shared_ptr<arrow::Buffer>> Next() override {
    if (next_ == pieces_.size()) return nullptr;
    return arrow::Buffer::FromString(pieces_[next_++]);
  }
  void Cancel() override { cancelled_ = true; }
  std::vector<std::pair<std::string, std::string>> Trailers() const override {
    return {{"Quiver-Rows", "7"}};
  }
  bool cancelled_ = false;

 private:
  std::vector<std::string> pieces_;
  std::size_t next_ = 0;
};

TEST(ContentEncodingTest, EachPieceDecodesAsItArrives) {
  std::vector<std::string> pieces;
  for (int index = 0; index < 5; ++index) {
    std::string piece;
    for (int line = 0; line < 2000 * (index + 1); ++line) {
      piece += "row " + std::to_string(line) + ", piece " + std::to_string(index) + "\n";
    }
    pieces.push_back(piece);
  }
  const std::vector<std::pair<ContentEncoding, arrow::Compression::type>> codecs = {
      {ContentEncoding::kZstd, arrow::Compression::ZSTD},
      {ContentEncoding::kBrotli, arrow::Compression::BROTLI},
      {ContentEncoding::kGzip, arrow::Compression::GZIP}};
  for (const auto& [encoding, type] : codecs) {
    SCOPED_TRACE(std::string(EncodingToken(encoding)));
    auto body = std::make_unique<Pieces>(pieces);
    ASSERT_OK_AND_ASSIGN(auto stream, MakeCompressingStream(std::move(body), encoding));
    ASSERT_OK_AND_ASSIGN(auto codec, arrow::util::Codec::Create(type));
    ASSERT_OK_AND_ASSIGN(auto decompressor, codec->MakeDecompressor());
    std::string decoded;
    std::size_t total = 0;
    for (std::size_t index = 0;; ++index) {
      ASSERT_OK_AND_ASSIGN(auto piece, stream->Next());
      if (piece == nullptr) break;
      total += static_cast<std::size_t>(piece->size());
      const uint8_t* input = piece->data();
      int64_t remaining = piece->size();
      std::vector<uint8_t> output(1 << 20);
      do {
        ASSERT_OK_AND_ASSIGN(
            auto result,
            decompressor->Decompress(remaining, input,
                                     static_cast<int64_t>(output.size()), output.data()));
        decoded.append(reinterpret_cast<const char*>(output.data()),
                       static_cast<std::size_t>(result.bytes_written));
        input += result.bytes_read;
        remaining -= result.bytes_read;
        if (result.bytes_read == 0 && result.bytes_written == 0 &&
            !result.need_more_output)
          break;
      } while (remaining > 0);
      if (index < pieces.size()) {
        std::string expected;
        for (std::size_t done = 0; done <= index; ++done) expected += pieces[done];
        EXPECT_EQ(decoded, expected) << "piece " << index << " decodes on arrival";
      }
    }
    std::string all;
    for (const auto& piece : pieces) all += piece;
    EXPECT_EQ(decoded, all);
    EXPECT_LT(total, all.size() / 4);
    EXPECT_EQ(stream->Trailers().size(), 1U);
  }
}

}  // namespace
}  // namespace quiver::http

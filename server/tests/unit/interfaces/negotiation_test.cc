#include "interfaces/http/negotiation.h"

#include <gtest/gtest.h>

#include "domain/problem.h"

namespace quiver::http {
namespace {

using application::OutputFormat;

struct NegotiationCase {
  std::optional<std::string> format;
  std::string accept;
  std::optional<OutputFormat> expected;  // nullopt: refused
  domain::ProblemKind refusal = domain::ProblemKind::kInvalidInput;
};

class NegotiationTest : public ::testing::TestWithParam<NegotiationCase> {};

TEST_P(NegotiationTest, PicksTheFormat) {
  const auto& parameter = GetParam();
  auto negotiated = NegotiateFormat(parameter.format, parameter.accept);
  if (!parameter.expected) {
    ASSERT_FALSE(negotiated.ok());
    const auto* detail = domain::FindProblemDetail(negotiated.status());
    ASSERT_NE(detail, nullptr);
    EXPECT_EQ(detail->kind(), parameter.refusal);
    return;
  }
  ASSERT_TRUE(negotiated.ok()) << negotiated.status().ToString();
  EXPECT_EQ(negotiated->format, *parameter.expected);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, NegotiationTest,
    ::testing::Values(
        NegotiationCase{std::nullopt, "", OutputFormat::kArrowStream},
        NegotiationCase{std::nullopt, "*/*", OutputFormat::kArrowStream},
        NegotiationCase{std::nullopt, "application/vnd.apache.parquet",
                        OutputFormat::kParquet},
        NegotiationCase{std::nullopt, "text/csv;q=0.5, application/json",
                        OutputFormat::kJson},
        NegotiationCase{std::nullopt, "text/csv;q=0.9, application/json;q=0.2",
                        OutputFormat::kCsv},
        NegotiationCase{std::nullopt, "application/json;q=0, text/*", OutputFormat::kCsv},
        NegotiationCase{std::nullopt, "application/x-ndjson", OutputFormat::kNdjson},
        NegotiationCase{std::nullopt, "APPLICATION/VND.APACHE.ARROW.FILE",
                        OutputFormat::kArrowFile},
        NegotiationCase{std::nullopt, "image/png", std::nullopt,
                        domain::ProblemKind::kNotAcceptable},
        NegotiationCase{"parquet", "text/csv", OutputFormat::kParquet},
        NegotiationCase{"arrow-file", "", OutputFormat::kArrowFile},
        NegotiationCase{"xml", "", std::nullopt, domain::ProblemKind::kInvalidInput}));

TEST(CompressionTest, AppliesOnlyWhereItMeansSomething) {
  EXPECT_EQ(*ParseCompression(std::nullopt, OutputFormat::kArrowStream),
            application::Compression::kNone);
  EXPECT_EQ(*ParseCompression("zstd", OutputFormat::kArrowStream),
            application::Compression::kZstd);
  EXPECT_EQ(*ParseCompression("snappy", OutputFormat::kParquet),
            application::Compression::kSnappy);
  EXPECT_FALSE(ParseCompression("snappy", OutputFormat::kArrowStream).ok());
  EXPECT_FALSE(ParseCompression("lz4", OutputFormat::kCsv).ok());
}

}  // namespace
}  // namespace quiver::http

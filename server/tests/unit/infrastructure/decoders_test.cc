// OpenDecoder against bodies written by Arrow's own writers (IPC, Parquet, CSV) and
// hand-written NDJSON: what goes in comes out, and every failure is a domain problem.
#include "infrastructure/arrow/decoders.h"

#include <arrow/api.h>
#include <arrow/csv/writer.h>
#include <arrow/io/memory.h>
#include <arrow/ipc/writer.h>
#include <gtest/gtest.h>
#include <parquet/arrow/writer.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "domain/problem.h"
#include "test_helpers.h"

namespace quiver::arrow_adapter {
namespace {

using application::IngestFormat;
using domain::ProblemKind;

constexpr int64_t kSampleRows = 200;
constexpr int64_t kSampleBatchRows = 50;

std::shared_ptr<arrow::Schema> SampleSchema() {
  return arrow::schema({arrow::field("id", arrow::int64()),
                        arrow::field("name", arrow::utf8()),
                        arrow::field("score", arrow::float64())});
}

bool NameIsNull(int64_t row) { return row % 5 == 0; }
bool ScoreIsNull(int64_t row) { return row % 7 == 3; }

/// kSampleRows rows in batches of kSampleBatchRows, with nulls in name and score.
arrow::Result<std::shared_ptr<arrow::Table>> SampleTable() {
  std::vector<std::shared_ptr<arrow::RecordBatch>> batches;
  for (int64_t start = 0; start < kSampleRows; start += kSampleBatchRows) {
    arrow::Int64Builder ids;
    arrow::StringBuilder names;
    arrow::DoubleBuilder scores;
    for (int64_t row = start; row < start + kSampleBatchRows; ++row) {
      ARROW_RETURN_NOT_OK(ids.Append(row));
      ARROW_RETURN_NOT_OK(NameIsNull(row) ? names.AppendNull()
                                          : names.Append("name " + std::to_string(row)));
      ARROW_RETURN_NOT_OK(ScoreIsNull(row) ? scores.AppendNull()
                                           : scores.Append(static_cast<double>(row) / 4));
    }
    ARROW_ASSIGN_OR_RAISE(auto id_array, ids.Finish());
    ARROW_ASSIGN_OR_RAISE(auto name_array, names.Finish());
    ARROW_ASSIGN_OR_RAISE(auto score_array, scores.Finish());
    batches.push_back(arrow::RecordBatch::Make(SampleSchema(), kSampleBatchRows,
                                               {id_array, name_array, score_array}));
  }
  return arrow::Table::FromRecordBatches(SampleSchema(), batches);
}

/// The sample as NDJSON; null names are left out of their objects, null scores sent.
std::string SampleNdjson() {
  std::string text;
  for (int64_t row = 0; row < kSampleRows; ++row) {
    text += R"({"id": )" + std::to_string(row);
    if (!NameIsNull(row)) text += R"(, "name": "name )" + std::to_string(row) + "\"";
    text += R"(, "score": )";
    text += ScoreIsNull(row) ? "null" : std::to_string(static_cast<double>(row) / 4);
    text += "}\n";
  }
  return text;
}

arrow::Result<std::shared_ptr<arrow::Buffer>> WriteIpc(const arrow::Table& table,
                                                       bool file) {
  ARROW_ASSIGN_OR_RAISE(auto sink, arrow::io::BufferOutputStream::Create());
  std::shared_ptr<arrow::ipc::RecordBatchWriter> writer;
  if (file) {
    ARROW_ASSIGN_OR_RAISE(writer, arrow::ipc::MakeFileWriter(sink, table.schema()));
  } else {
    ARROW_ASSIGN_OR_RAISE(writer, arrow::ipc::MakeStreamWriter(sink, table.schema()));
  }
  ARROW_RETURN_NOT_OK(writer->WriteTable(table));
  ARROW_RETURN_NOT_OK(writer->Close());
  return sink->Finish();
}

arrow::Result<std::shared_ptr<arrow::Buffer>> WriteParquet(const arrow::Table& table) {
  ARROW_ASSIGN_OR_RAISE(auto sink, arrow::io::BufferOutputStream::Create());
  ARROW_RETURN_NOT_OK(parquet::arrow::WriteTable(table, arrow::default_memory_pool(),
                                                 sink, /*chunk_size=*/64));
  return sink->Finish();
}

arrow::Result<std::shared_ptr<arrow::Buffer>> WriteCsv(const arrow::Table& table) {
  ARROW_ASSIGN_OR_RAISE(auto sink, arrow::io::BufferOutputStream::Create());
  ARROW_RETURN_NOT_OK(
      arrow::csv::WriteCSV(table, arrow::csv::WriteOptions::Defaults(), sink.get()));
  return sink->Finish();
}

arrow::Result<std::shared_ptr<arrow::Buffer>> Encode(IngestFormat format,
                                                     const arrow::Table& table) {
  switch (format) {
    case IngestFormat::kArrowStream:
      return WriteIpc(table, /*file=*/false);
    case IngestFormat::kArrowFile:
      return WriteIpc(table, /*file=*/true);
    case IngestFormat::kParquet:
      return WriteParquet(table);
    case IngestFormat::kCsv:
      return WriteCsv(table);
    case IngestFormat::kNdjson:
      return arrow::Buffer::FromString(SampleNdjson());
  }
  return arrow::Status::NotImplemented("format");
}

/// Opens a decoder on `body` and reads every batch; the first error wins.
arrow::Result<std::shared_ptr<arrow::Table>> DecodeAll(
    IngestFormat format, std::shared_ptr<arrow::Buffer> body,
    const DecodeOptions& options) {
  ARROW_ASSIGN_OR_RAISE(
      auto reader,
      OpenDecoder(format, std::make_shared<arrow::io::BufferReader>(std::move(body)),
                  options));
  std::vector<std::shared_ptr<arrow::RecordBatch>> batches;
  for (;;) {
    std::shared_ptr<arrow::RecordBatch> batch;
    ARROW_RETURN_NOT_OK(reader->ReadNext(&batch));
    if (batch == nullptr) break;
    batches.push_back(std::move(batch));
  }
  return arrow::Table::FromRecordBatches(reader->schema(), batches);
}

std::string FormatName(IngestFormat format) {
  switch (format) {
    case IngestFormat::kArrowStream:
      return "ArrowStream";
    case IngestFormat::kArrowFile:
      return "ArrowFile";
    case IngestFormat::kParquet:
      return "Parquet";
    case IngestFormat::kCsv:
      return "Csv";
    case IngestFormat::kNdjson:
      return "Ndjson";
  }
  return "Unknown";
}

/// Gives every test its own spool directory under the GoogleTest temp dir.
class SpoolDirectory {
 public:
  SpoolDirectory() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = std::string(info->test_suite_name()) + "-" + info->name();
    for (auto& character : name) {
      if (character == '/') character = '-';
    }
    path_ = std::filesystem::path(::testing::TempDir()) /
            ("quiver-decoders-" + std::to_string(getpid()) + "-" + name);
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~SpoolDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  SpoolDirectory(const SpoolDirectory&) = delete;
  SpoolDirectory& operator=(const SpoolDirectory&) = delete;

  const std::filesystem::path& path() const { return path_; }

  std::set<std::string> FileNames() const {
    std::set<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(path_)) {
      names.insert(entry.path().filename().string());
    }
    return names;
  }

 private:
  std::filesystem::path path_;
};

DecodeOptions SampleOptions(const SpoolDirectory& spool) {
  DecodeOptions options;
  options.target_schema = SampleSchema();
  options.spool_dir = spool.path();
  // Small blocks, so that CSV and NDJSON are decoded in many pieces.
  options.text_block_bytes = 1024;
  return options;
}

class DecoderRoundTripTest : public ::testing::TestWithParam<IngestFormat> {};

TEST_P(DecoderRoundTripTest, BatchesEqualTheInput) {
  SpoolDirectory spool;
  ASSERT_OK_AND_ASSIGN(auto input, SampleTable());
  ASSERT_OK_AND_ASSIGN(auto body, Encode(GetParam(), *input));

  ASSERT_OK_AND_ASSIGN(auto output, DecodeAll(GetParam(), body, SampleOptions(spool)));

  ASSERT_TRUE(output->schema()->Equals(*input->schema()))
      << output->schema()->ToString() << "\nexpected\n"
      << input->schema()->ToString();
  EXPECT_TRUE(output->Equals(*input)) << output->ToString() << "\nexpected\n"
                                      << input->ToString();
  EXPECT_TRUE(spool.FileNames().empty());
}

INSTANTIATE_TEST_SUITE_P(EveryFormat, DecoderRoundTripTest,
                         ::testing::Values(IngestFormat::kArrowStream,
                                           IngestFormat::kArrowFile,
                                           IngestFormat::kParquet, IngestFormat::kCsv,
                                           IngestFormat::kNdjson),
                         [](const ::testing::TestParamInfo<IngestFormat>& info) {
                           return FormatName(info.param);
                         });

class ArrowBatchBoundaryTest : public ::testing::TestWithParam<IngestFormat> {};

TEST_P(ArrowBatchBoundaryTest, BatchesKeepTheirBoundaries) {
  SpoolDirectory spool;
  ASSERT_OK_AND_ASSIGN(auto input, SampleTable());
  ASSERT_OK_AND_ASSIGN(auto body, Encode(GetParam(), *input));

  ASSERT_OK_AND_ASSIGN(auto output, DecodeAll(GetParam(), body, SampleOptions(spool)));

  ASSERT_EQ(output->column(0)->num_chunks(), input->column(0)->num_chunks());
  for (int chunk = 0; chunk < input->column(0)->num_chunks(); ++chunk) {
    EXPECT_EQ(output->column(0)->chunk(chunk)->length(),
              input->column(0)->chunk(chunk)->length());
  }
}

INSTANTIATE_TEST_SUITE_P(ArrowFormats, ArrowBatchBoundaryTest,
                         ::testing::Values(IngestFormat::kArrowStream,
                                           IngestFormat::kArrowFile),
                         [](const ::testing::TestParamInfo<IngestFormat>& info) {
                           return FormatName(info.param);
                         });

/// A body that must fail, and the problem it must fail with.
struct ErrorCase {
  std::string name;
  IngestFormat format;
  std::function<arrow::Result<std::shared_ptr<arrow::Buffer>>()> body;
  ProblemKind kind;
  /// When set, DecodeOptions::memory_pool is a CappedMemoryPool of this many bytes.
  int64_t memory_cap_bytes = 0;
  /// Expected single violation, when the problem has one.
  std::string field = {};
  std::optional<int64_t> row = {};
};

void PrintTo(const ErrorCase& test_case, std::ostream* out) { *out << test_case.name; }

/// The first `fraction` of an encoding of the sample.
std::function<arrow::Result<std::shared_ptr<arrow::Buffer>>()> Truncated(
    IngestFormat format, double fraction) {
  return [format, fraction]() -> arrow::Result<std::shared_ptr<arrow::Buffer>> {
    ARROW_ASSIGN_OR_RAISE(auto table, SampleTable());
    ARROW_ASSIGN_OR_RAISE(auto whole, Encode(format, *table));
    const auto size = static_cast<int64_t>(static_cast<double>(whole->size()) * fraction);
    return arrow::SliceBuffer(whole, 0, size);
  };
}

std::function<arrow::Result<std::shared_ptr<arrow::Buffer>>()> Text(
    const std::string& text) {
  return [text]() -> arrow::Result<std::shared_ptr<arrow::Buffer>> {
    return arrow::Buffer::FromString(text);
  };
}

/// 500 CSV rows of the sample's columns where only the score of data row 400 is not
/// a number: with 1 KiB blocks the bad value sits several blocks into the body.
arrow::Result<std::shared_ptr<arrow::Buffer>> CsvWithABadScoreAtRow400() {
  std::string text = "id,name,score\n";
  for (int64_t row = 0; row < 500; ++row) {
    const std::string number = std::to_string(row);
    text += number;
    text += ",n,";
    text += row == 400 ? std::string("lots") : number;
    text += "\n";
  }
  return arrow::Buffer::FromString(std::move(text));
}

/// One Arrow IPC stream batch of 1 MB (131,072 int64 values).
arrow::Result<std::shared_ptr<arrow::Buffer>> OneMegabyteStream() {
  constexpr int64_t kRows = int64_t{128} * 1024;
  arrow::Int64Builder ids;
  ARROW_RETURN_NOT_OK(ids.Reserve(kRows));
  for (int64_t row = 0; row < kRows; ++row) ids.UnsafeAppend(row);
  ARROW_ASSIGN_OR_RAISE(auto id_array, ids.Finish());
  auto schema = arrow::schema({arrow::field("id", arrow::int64())});
  ARROW_ASSIGN_OR_RAISE(
      auto table, arrow::Table::FromRecordBatches(
                      schema, {arrow::RecordBatch::Make(schema, kRows, {id_array})}));
  return WriteIpc(*table, /*file=*/false);
}

std::vector<ErrorCase> ErrorCases() {
  return {
      {.name = "TruncatedArrowStream",
       .format = IngestFormat::kArrowStream,
       .body = Truncated(IngestFormat::kArrowStream, 0.5),
       .kind = ProblemKind::kInvalidInput},
      {.name = "ArrowStreamCutInItsSchema",
       .format = IngestFormat::kArrowStream,
       .body = Truncated(IngestFormat::kArrowStream, 0.01),
       .kind = ProblemKind::kInvalidInput},
      {.name = "TruncatedArrowFile",
       .format = IngestFormat::kArrowFile,
       .body = Truncated(IngestFormat::kArrowFile, 0.9),
       .kind = ProblemKind::kInvalidInput},
      {.name = "TruncatedParquet",
       .format = IngestFormat::kParquet,
       .body = Truncated(IngestFormat::kParquet, 0.9),
       .kind = ProblemKind::kInvalidInput},
      {.name = "NotParquetAtAll",
       .format = IngestFormat::kParquet,
       .body = Text("id,name,score\n1,a,0.5\n"),
       .kind = ProblemKind::kInvalidInput},
      {.name = "CsvWithAWrongColumnCount",
       .format = IngestFormat::kCsv,
       .body = Text("id,name,score\n0,a,0.5\n1,b\n2,c,1.5\n"),
       .kind = ProblemKind::kInvalidInput},
      {.name = "CsvWithABadNumberAtDataRow2",
       .format = IngestFormat::kCsv,
       .body = Text("id,name,score\n0,a,0.5\n1,b,1.0\n2,c,lots\n3,d,2.0\n"),
       .kind = ProblemKind::kValidationFailed,
       .field = "score",
       .row = 2},
      {.name = "CsvWithABadNumberSeveralBlocksIn",
       .format = IngestFormat::kCsv,
       .body = CsvWithABadScoreAtRow400,
       .kind = ProblemKind::kValidationFailed,
       .field = "score",
       .row = 400},
      {.name = "CsvWithABadIntegerInAQuotedHeaderColumn",
       .format = IngestFormat::kCsv,
       .body = Text("\"id\",\"name\",\"score\"\n0,a,0.5\nseven,b,1.0\n"),
       .kind = ProblemKind::kValidationFailed,
       .field = "id",
       .row = 1},
      {.name = "NdjsonThatIsNotJson",
       .format = IngestFormat::kNdjson,
       .body = Text("{\"id\": 1, \"name\": \"a\"}\n{\"id\": 2, \"name\": \n"),
       .kind = ProblemKind::kInvalidInput},
      {.name = "OneMegabyteBatchOverA64KibibyteCap",
       .format = IngestFormat::kArrowStream,
       .body = OneMegabyteStream,
       .kind = ProblemKind::kPayloadTooLarge,
       .memory_cap_bytes = int64_t{64} * 1024},
  };
}

class DecoderErrorTest : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(DecoderErrorTest, FailsWithADomainProblem) {
  const ErrorCase& test_case = GetParam();
  SpoolDirectory spool;
  ASSERT_OK_AND_ASSIGN(auto body, test_case.body());
  DecodeOptions options = SampleOptions(spool);
  arrow::CappedMemoryPool capped(arrow::default_memory_pool(),
                                 test_case.memory_cap_bytes);
  if (test_case.memory_cap_bytes > 0) options.memory_pool = &capped;

  auto decoded = DecodeAll(test_case.format, body, options);

  ASSERT_FALSE(decoded.ok());
  const auto* detail = domain::FindProblemDetail(decoded.status());
  ASSERT_NE(detail, nullptr) << decoded.status().ToString();
  EXPECT_EQ(detail->kind(), test_case.kind) << decoded.status().ToString();
  if (!test_case.field.empty()) {
    ASSERT_EQ(detail->violations().size(), 1U) << decoded.status().ToString();
    EXPECT_EQ(detail->violations().front().field, test_case.field);
    EXPECT_EQ(detail->violations().front().row, test_case.row);
  }
  EXPECT_TRUE(spool.FileNames().empty());
}

INSTANTIATE_TEST_SUITE_P(Cases, DecoderErrorTest, ::testing::ValuesIn(ErrorCases()),
                         [](const ::testing::TestParamInfo<ErrorCase>& info) {
                           return info.param.name;
                         });

class SpoolFileTest : public ::testing::TestWithParam<IngestFormat> {};

TEST_P(SpoolFileTest, IsUnlinkedOnceTheDecoderIsOpen) {
  SpoolDirectory spool;
  ASSERT_OK_AND_ASSIGN(auto input, SampleTable());
  ASSERT_OK_AND_ASSIGN(auto body, Encode(GetParam(), *input));

  ASSERT_OK_AND_ASSIGN(
      auto reader,
      OpenDecoder(GetParam(), std::make_shared<arrow::io::BufferReader>(body),
                  SampleOptions(spool)));

  EXPECT_TRUE(spool.FileNames().empty());
  // The open file still serves every row.
  ASSERT_OK_AND_ASSIGN(auto output, reader->ToTable());
  EXPECT_EQ(output->num_rows(), kSampleRows);
}

INSTANTIATE_TEST_SUITE_P(SpooledFormats, SpoolFileTest,
                         ::testing::Values(IngestFormat::kParquet,
                                           IngestFormat::kArrowFile),
                         [](const ::testing::TestParamInfo<IngestFormat>& info) {
                           return FormatName(info.param);
                         });

TEST(RemoveStaleSpoolFilesTest, RemovesOnlyIngestTemporaryFiles) {
  SpoolDirectory spool;
  for (const char* name : {"ingest-1.tmp", "ingest-1234567890.tmp", "other.tmp",
                           "notes.txt", "my-ingest-1.tmp"}) {
    std::ofstream(spool.path() / name) << "left over";
  }

  RemoveStaleSpoolFiles(spool.path());

  EXPECT_EQ(spool.FileNames(),
            (std::set<std::string>{"other.tmp", "notes.txt", "my-ingest-1.tmp"}));
}

TEST(RemoveStaleSpoolFilesTest, AMissingDirectoryIsNotAnError) {
  SpoolDirectory spool;
  RemoveStaleSpoolFiles(spool.path() / "never-created");
  EXPECT_TRUE(spool.FileNames().empty());
}

TEST(CsvHeaderCaseTest, AHeaderInAnotherCaseStillGetsTheTargetType) {
  SpoolDirectory spool;
  DecodeOptions options;
  options.target_schema = arrow::schema({arrow::field("code", arrow::utf8())});
  options.spool_dir = spool.path();
  ASSERT_OK_AND_ASSIGN(
      auto table,
      DecodeAll(IngestFormat::kCsv, arrow::Buffer::FromString("CODE\n007\n"), options));
  ASSERT_EQ(table->num_columns(), 1);
  EXPECT_TRUE(table->column(0)->type()->Equals(*arrow::utf8())) << table->ToString();
}

std::string NdjsonWithExtraKeyAt(int64_t position) {
  std::string text;
  for (int64_t row = 0; row <= 300; ++row) {
    text += R"({"id": )";
    text += std::to_string(row);
    text += row == position ? R"(, "extra": 1})" : "}";
    text += "\n";
  }
  return text;
}

TEST(NdjsonUnknownKeyTest, IsRefusedWhereverItFirstAppearsAndIgnoredOnRequest) {
  SpoolDirectory spool;
  DecodeOptions options;
  options.target_schema = arrow::schema({arrow::field("id", arrow::int64())});
  options.spool_dir = spool.path();
  options.text_block_bytes = 1024;
  for (int64_t position : {int64_t{0}, int64_t{300}}) {
    auto refused =
        DecodeAll(IngestFormat::kNdjson,
                  arrow::Buffer::FromString(NdjsonWithExtraKeyAt(position)), options);
    ASSERT_FALSE(refused.ok()) << position;
    const auto* detail = domain::FindProblemDetail(refused.status());
    ASSERT_NE(detail, nullptr) << refused.status().ToString();
    EXPECT_EQ(detail->kind(), domain::ProblemKind::kValidationFailed);
  }
  options.ignore_unknown_columns = true;
  for (int64_t position : {int64_t{0}, int64_t{300}}) {
    ASSERT_OK_AND_ASSIGN(
        auto table,
        DecodeAll(IngestFormat::kNdjson,
                  arrow::Buffer::FromString(NdjsonWithExtraKeyAt(position)), options));
    EXPECT_EQ(table->num_rows(), 301);
    EXPECT_EQ(table->num_columns(), 1);
  }
}

TEST(RemoveStaleSpoolFilesTest, KeepsIngestFilesThatAreNotTemporary) {
  SpoolDirectory spool;
  std::ofstream(spool.path() / "ingest-notes.txt") << "kept";
  RemoveStaleSpoolFiles(spool.path());
  EXPECT_EQ(spool.FileNames(), (std::set<std::string>{"ingest-notes.txt"}));
}

}  // namespace
}  // namespace quiver::arrow_adapter

// The whole data path of the foundation: a DuckDB streaming result, converted chunk
// by chunk through the Arrow C data interface, written as an Arrow IPC stream and
// read back with values and types intact.
#include <arrow/api.h>
#include <arrow/io/memory.h>
#include <arrow/ipc/reader.h>
#include <arrow/ipc/writer.h>
#include <arrow/json/from_string.h>
#include <gtest/gtest.h>

#include "duckdb_test_helpers.h"
#include "infrastructure/duckdb/database.h"
#include "test_helpers.h"

namespace quiver::duckdb_adapter {
namespace {

/// Writes every batch of `reader` to an IPC stream and reads the stream back.
arrow::Result<std::shared_ptr<arrow::Table>> RoundTripThroughIpc(
    arrow::RecordBatchReader& reader) {
  ARROW_ASSIGN_OR_RAISE(auto sink, arrow::io::BufferOutputStream::Create());
  ARROW_ASSIGN_OR_RAISE(auto writer, arrow::ipc::MakeStreamWriter(sink, reader.schema()));
  for (;;) {
    std::shared_ptr<arrow::RecordBatch> batch;
    ARROW_RETURN_NOT_OK(reader.ReadNext(&batch));
    if (batch == nullptr) break;
    ARROW_RETURN_NOT_OK(writer->WriteRecordBatch(*batch));
  }
  ARROW_RETURN_NOT_OK(writer->Close());
  ARROW_ASSIGN_OR_RAISE(auto bytes, sink->Finish());
  auto source = std::make_shared<arrow::io::BufferReader>(bytes);
  ARROW_ASSIGN_OR_RAISE(auto ipc_reader,
                        arrow::ipc::RecordBatchStreamReader::Open(source));
  return ipc_reader->ToTable();
}

std::shared_ptr<arrow::Array> FromJson(const std::shared_ptr<arrow::DataType>& type,
                                       const std::string& json) {
  auto array = arrow::json::ArrayFromJSONString(type, json);
  EXPECT_TRUE(array.ok()) << array.status().ToString();
  return *array;
}

TEST(DataPathTest, TypesAndValuesSurviveDuckDbToArrowIpcAndBack) {
  auto connection = OpenInMemory();
  ASSERT_OK(connection->Execute(
      "CREATE TABLE sample (small INTEGER, big BIGINT, ratio DOUBLE, label VARCHAR, "
      "seen TIMESTAMP, seen_utc TIMESTAMPTZ, price DECIMAL(10, 2))"));
  ASSERT_OK(connection->Execute(
      "INSERT INTO sample VALUES "
      "(1, 9007199254740993, 0.5, 'plain', TIMESTAMP '2024-02-29 12:34:56.789', "
      " TIMESTAMPTZ '2024-02-29 12:34:56+00', 12.34),"
      "(NULL, NULL, NULL, NULL, NULL, NULL, NULL),"
      "(-7, -1, -1.25e300, 'Grüße, 世界 🎯', TIMESTAMP '1969-12-31 23:59:59', "
      " TIMESTAMPTZ '2000-01-01 00:00:00+00', -99999999.99)"));

  ASSERT_OK_AND_ASSIGN(
      auto reader, connection->Stream("SELECT * FROM sample ORDER BY big NULLS LAST"));
  ASSERT_OK_AND_ASSIGN(auto table, RoundTripThroughIpc(*reader));

  auto expected_schema = arrow::schema({
      arrow::field("small", arrow::int32()),
      arrow::field("big", arrow::int64()),
      arrow::field("ratio", arrow::float64()),
      arrow::field("label", arrow::utf8()),
      arrow::field("seen", arrow::timestamp(arrow::TimeUnit::MICRO)),
      arrow::field("seen_utc", arrow::timestamp(arrow::TimeUnit::MICRO, "UTC")),
      arrow::field("price", arrow::decimal128(10, 2)),
  });
  ASSERT_TRUE(table->schema()->Equals(*expected_schema))
      << table->schema()->ToString() << "\nexpected\n"
      << expected_schema->ToString();

  auto expected = arrow::RecordBatch::Make(
      expected_schema, 3,
      {FromJson(arrow::int32(), "[-7, 1, null]"),
       FromJson(arrow::int64(), "[-1, 9007199254740993, null]"),
       FromJson(arrow::float64(), "[-1.25e300, 0.5, null]"),
       FromJson(arrow::utf8(), R"(["Grüße, 世界 🎯", "plain", null])"),
       FromJson(arrow::timestamp(arrow::TimeUnit::MICRO),
                R"(["1969-12-31 23:59:59", "2024-02-29 12:34:56.789", null])"),
       FromJson(arrow::timestamp(arrow::TimeUnit::MICRO, "UTC"),
                R"(["2000-01-01 00:00:00", "2024-02-29 12:34:56", null])"),
       FromJson(arrow::decimal128(10, 2), R"(["-99999999.99", "12.34", null])")});
  ASSERT_OK_AND_ASSIGN(auto expected_table, arrow::Table::FromRecordBatches({expected}));
  ASSERT_OK_AND_ASSIGN(auto combined, table->CombineChunks());
  EXPECT_TRUE(combined->Equals(*expected_table)) << combined->ToString() << "\nexpected\n"
                                                 << expected_table->ToString();
}

TEST(DataPathTest, ChunksAreCoalescedIntoBatchesOfTheTargetSize) {
  auto connection = OpenInMemory();
  StreamOptions options;
  options.target_rows = 10000;
  ASSERT_OK_AND_ASSIGN(
      auto reader,
      connection->Stream("SELECT range AS n FROM range(25000)", {}, options));
  std::vector<int64_t> batch_rows;
  int64_t sum = 0;
  for (;;) {
    std::shared_ptr<arrow::RecordBatch> batch;
    ASSERT_OK(reader->ReadNext(&batch));
    if (batch == nullptr) break;
    ASSERT_OK(batch->ValidateFull());
    batch_rows.push_back(batch->num_rows());
    auto values = std::static_pointer_cast<arrow::Int64Array>(batch->column(0));
    for (int64_t index = 0; index < values->length(); ++index)
      sum += values->Value(index);
  }
  ASSERT_EQ(batch_rows.size(), 3u);  // 2048-row chunks gathered to >= 10,000 rows
  EXPECT_GE(batch_rows[0], 10000);
  EXPECT_GE(batch_rows[1], 10000);
  EXPECT_EQ(batch_rows[0] + batch_rows[1] + batch_rows[2], 25000);
  EXPECT_EQ(sum, int64_t{25000} * 24999 / 2);
}

TEST(DataPathTest, QueryErrorsBecomeStatuses) {
  auto connection = OpenInMemory();
  auto reader = connection->Stream("SELECT * FROM no_such_table");
  ASSERT_FALSE(reader.ok());
  EXPECT_NE(reader.status().message().find("no_such_table"), std::string::npos);
}

TEST(DataPathTest, AnErrorMidStreamSurfacesFromReadNext) {
  auto connection = OpenInMemory();
  // The cast fails only when the row with n = 5,000,000 is reached, long after the
  // first batches went out.
  ASSERT_OK_AND_ASSIGN(
      auto reader,
      connection->Stream(
          "SELECT CASE WHEN n < 5000000 THEN n::VARCHAR ELSE 'x' END::INTEGER "
          "AS v FROM range(8000000) t(n)"));
  arrow::Status status;
  int64_t rows = 0;
  for (;;) {
    std::shared_ptr<arrow::RecordBatch> batch;
    status = reader->ReadNext(&batch);
    if (!status.ok() || batch == nullptr) break;
    rows += batch->num_rows();
  }
  EXPECT_FALSE(status.ok());
  EXPECT_GT(rows, 0);
  EXPECT_LT(rows, 8000000);
}

}  // namespace
}  // namespace quiver::duckdb_adapter

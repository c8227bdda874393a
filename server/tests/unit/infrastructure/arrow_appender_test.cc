// ArrowAppender and Transaction against an in-memory DuckDB: batches of every size
// around DuckDB's 2,048-row chunk land intact, and the guard commits or rolls back.
#include "infrastructure/duckdb/arrow_appender.h"

#include <arrow/api.h>
#include <arrow/json/from_string.h>
#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

#include "duckdb_test_helpers.h"
#include "infrastructure/duckdb/database.h"
#include "test_helpers.h"

namespace quiver::duckdb_adapter {
namespace {

/// The single BIGINT a query returns (NULL reads as -1).
arrow::Result<int64_t> FetchInt64(Connection& connection, const std::string& sql) {
  ARROW_ASSIGN_OR_RAISE(auto table, connection.Fetch(sql));
  if (table->num_rows() != 1 || table->num_columns() != 1) {
    return arrow::Status::Invalid("expected one value from ", sql);
  }
  ARROW_ASSIGN_OR_RAISE(auto value, table->column(0)->GetScalar(0));
  if (!value->is_valid) return -1;
  ARROW_ASSIGN_OR_RAISE(auto as_int64, value->CastTo(arrow::int64()));
  return static_cast<const arrow::Int64Scalar&>(*as_int64).value;
}

std::shared_ptr<arrow::Schema> NumberSchema() {
  return arrow::schema(
      {arrow::field("n", arrow::int64()), arrow::field("label", arrow::utf8())});
}

constexpr const char* kCreateNumbers = "CREATE TABLE numbers (n BIGINT, label VARCHAR)";

/// Rows `start` to `start + rows - 1`: n, and n as text except every 7th, which is
/// null. With `offset`, the batch is a slice that starts `offset` rows into its arrays.
arrow::Result<std::shared_ptr<arrow::RecordBatch>> NumberBatch(int64_t start,
                                                               int64_t rows,
                                                               int64_t offset = 0) {
  arrow::Int64Builder numbers;
  arrow::StringBuilder labels;
  for (int64_t row = start - offset; row < start + rows; ++row) {
    ARROW_RETURN_NOT_OK(numbers.Append(row));
    ARROW_RETURN_NOT_OK(row % 7 == 0 ? labels.AppendNull()
                                     : labels.Append(std::to_string(row)));
  }
  ARROW_ASSIGN_OR_RAISE(auto number_array, numbers.Finish());
  ARROW_ASSIGN_OR_RAISE(auto label_array, labels.Finish());
  auto batch = arrow::RecordBatch::Make(NumberSchema(), rows + offset,
                                        {number_array, label_array});
  return batch->Slice(offset, rows);
}

struct SizesCase {
  std::string name;
  std::vector<int64_t> batch_rows;
  /// Every batch is a slice starting this many rows into its arrays.
  int64_t offset = 0;
};

void PrintTo(const SizesCase& test_case, std::ostream* out) { *out << test_case.name; }

class ArrowAppenderSizesTest : public ::testing::TestWithParam<SizesCase> {};

TEST_P(ArrowAppenderSizesTest, EveryRowLandsWithItsValues) {
  const SizesCase& test_case = GetParam();
  auto connection = OpenInMemory();
  ASSERT_OK(connection->Execute(kCreateNumbers));
  ASSERT_OK_AND_ASSIGN(
      auto appender, ArrowAppender::Make(connection, "main", "numbers", NumberSchema()));

  int64_t start = 0;
  for (int64_t rows : test_case.batch_rows) {
    ASSERT_OK_AND_ASSIGN(auto batch, NumberBatch(start, rows, test_case.offset));
    ASSERT_OK(appender->Append(batch));
    start += rows;
  }
  ASSERT_OK(appender->Finish());

  const int64_t total = start;
  EXPECT_EQ(appender->appended_rows(), total);
  EXPECT_EQ(FetchInt64(*connection, "SELECT count(*) FROM numbers").ValueOr(-2), total);
  EXPECT_EQ(FetchInt64(*connection, "SELECT sum(n)::BIGINT FROM numbers").ValueOr(-2),
            total == 0 ? -1 : total * (total - 1) / 2);
  EXPECT_EQ(FetchInt64(*connection, "SELECT count(DISTINCT n) FROM numbers").ValueOr(-2),
            total);
  // Every label still sits next to its number, and nulls stayed where they were.
  EXPECT_EQ(FetchInt64(*connection,
                       "SELECT count(*) FROM numbers WHERE label IS DISTINCT FROM "
                       "CASE WHEN n % 7 = 0 THEN NULL ELSE n::VARCHAR END")
                .ValueOr(-2),
            0);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ArrowAppenderSizesTest,
    ::testing::Values(
        SizesCase{"OneRow", {1}}, SizesCase{"HundredRows", {100}},
        SizesCase{"OneFullChunk", {2048}}, SizesCase{"OneChunkAndOneRow", {2049}},
        SizesCase{"TenThousandRows", {10000}},
        SizesCase{"AllSizesInSequence", {1, 100, 2048, 2049, 10000}},
        SizesCase{"AllSizesInSequenceAsOffsetSlices", {1, 100, 2048, 2049, 10000}, 3},
        SizesCase{"ManySmallBatchesAcrossChunkEdges", {2047, 1, 1, 2046, 3, 4095}},
        SizesCase{"EmptyBatchesAreSkipped", {0, 5, 0}}, SizesCase{"NothingAtAll", {}}),
    [](const ::testing::TestParamInfo<SizesCase>& info) { return info.param.name; });

TEST(TransactionTest, RollsBackWhatWasNotCommitted) {
  auto connection = OpenInMemory();
  ASSERT_OK(connection->Execute(kCreateNumbers));
  {
    ASSERT_OK_AND_ASSIGN(auto transaction, Transaction::Begin(connection));
    ASSERT_OK_AND_ASSIGN(auto appender, ArrowAppender::Make(connection, "main", "numbers",
                                                            NumberSchema()));
    ASSERT_OK_AND_ASSIGN(auto batch, NumberBatch(0, 3000));
    ASSERT_OK(appender->Append(batch));
    ASSERT_OK(appender->Finish());
    EXPECT_EQ(FetchInt64(*connection, "SELECT count(*) FROM numbers").ValueOr(-2), 3000);
  }
  EXPECT_EQ(FetchInt64(*connection, "SELECT count(*) FROM numbers").ValueOr(-2), 0);
}

TEST(TransactionTest, KeepsWhatWasCommitted) {
  auto connection = OpenInMemory();
  ASSERT_OK(connection->Execute(kCreateNumbers));
  {
    ASSERT_OK_AND_ASSIGN(auto transaction, Transaction::Begin(connection));
    ASSERT_OK_AND_ASSIGN(auto appender, ArrowAppender::Make(connection, "main", "numbers",
                                                            NumberSchema()));
    ASSERT_OK_AND_ASSIGN(auto batch, NumberBatch(0, 3000));
    ASSERT_OK(appender->Append(batch));
    ASSERT_OK(appender->Finish());
    ASSERT_OK(transaction->Commit());
  }
  EXPECT_EQ(FetchInt64(*connection, "SELECT count(*) FROM numbers").ValueOr(-2), 3000);
}

struct DuplicateKeyCase {
  std::string name;
  /// Keys of the one batch appended after keys 0 to 9 were committed.
  std::string keys_json;
};

void PrintTo(const DuplicateKeyCase& test_case, std::ostream* out) {
  *out << test_case.name;
}

class DuplicateKeyTest : public ::testing::TestWithParam<DuplicateKeyCase> {};

TEST_P(DuplicateKeyTest, AppendFailsAndRollbackLeavesTheCountUnchanged) {
  auto connection = OpenInMemory();
  ASSERT_OK(connection->Execute("CREATE TABLE keyed (id BIGINT PRIMARY KEY)"));
  ASSERT_OK(connection->Execute("INSERT INTO keyed SELECT range FROM range(10)"));
  auto schema = arrow::schema({arrow::field("id", arrow::int64(), /*nullable=*/false)});
  ASSERT_OK_AND_ASSIGN(
      auto keys, arrow::json::ArrayFromJSONString(arrow::int64(), GetParam().keys_json));
  auto batch = arrow::RecordBatch::Make(schema, keys->length(), {keys});
  {
    ASSERT_OK_AND_ASSIGN(auto transaction, Transaction::Begin(connection));
    ASSERT_OK_AND_ASSIGN(auto appender,
                         ArrowAppender::Make(connection, "main", "keyed", schema));
    arrow::Status appended = appender->Append(batch);
    if (appended.ok()) appended = appender->Finish();
    EXPECT_FALSE(appended.ok());
    EXPECT_NE(appended.message().find("uplicate key"), std::string::npos)
        << appended.ToString();
  }
  EXPECT_EQ(FetchInt64(*connection, "SELECT count(*) FROM keyed").ValueOr(-2), 10);
  EXPECT_EQ(FetchInt64(*connection, "SELECT sum(id)::BIGINT FROM keyed").ValueOr(-2), 45);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, DuplicateKeyTest,
    ::testing::Values(DuplicateKeyCase{"SameKeyAsAStoredRow", "[100, 101, 5]"},
                      DuplicateKeyCase{"SameKeyTwiceInTheBatch", "[100, 101, 100]"}),
    [](const ::testing::TestParamInfo<DuplicateKeyCase>& info) {
      return info.param.name;
    });

}  // namespace
}  // namespace quiver::duckdb_adapter

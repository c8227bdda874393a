// BatchConformer against real Arrow batches: each case is an incoming batch, a
// target schema and either the conformed batch or the violations expected.
#include "infrastructure/arrow/batch_conformer.h"

#include <arrow/api.h>
#include <arrow/json/from_string.h>
#include <gtest/gtest.h>

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "domain/problem.h"
#include "test_helpers.h"

namespace quiver::arrow_adapter {
namespace {

/// One column of a case: its field and its values as Arrow JSON.
struct ColumnData {
  std::shared_ptr<arrow::Field> field;
  std::string json;
};

/// A violation a case expects: the field, the row, and part of the message.
struct ExpectedViolation {
  std::string field;
  std::optional<int64_t> row;
  std::string message_part;
};

struct ConformCase {
  std::string name;
  arrow::FieldVector target;
  std::vector<ColumnData> incoming;
  int64_t first_row = 0;
  bool ignore_unknown_columns = false;
  /// The conformed batch's columns, in target order; used when no violation is due.
  std::vector<std::string> expected_json = {};
  std::vector<ExpectedViolation> expected_violations = {};
};

void PrintTo(const ConformCase& test_case, std::ostream* out) { *out << test_case.name; }

arrow::Result<std::shared_ptr<arrow::RecordBatch>> MakeBatch(
    const std::vector<ColumnData>& columns) {
  arrow::FieldVector fields;
  arrow::ArrayVector arrays;
  for (const auto& column : columns) {
    ARROW_ASSIGN_OR_RAISE(
        auto array, arrow::json::ArrayFromJSONString(column.field->type(), column.json));
    fields.push_back(column.field);
    arrays.push_back(std::move(array));
  }
  const int64_t rows = arrays.empty() ? 0 : arrays.front()->length();
  return arrow::RecordBatch::Make(arrow::schema(std::move(fields)), rows,
                                  std::move(arrays));
}

arrow::Result<std::shared_ptr<arrow::RecordBatch>> MakeExpected(
    const arrow::FieldVector& target, const std::vector<std::string>& json) {
  std::vector<ColumnData> columns;
  for (size_t index = 0; index < target.size(); ++index) {
    columns.push_back({target[index], json[index]});
  }
  return MakeBatch(columns);
}

std::shared_ptr<arrow::Field> Optional(const std::string& name,
                                       std::shared_ptr<arrow::DataType> type) {
  return arrow::field(name, std::move(type), /*nullable=*/true);
}

std::shared_ptr<arrow::Field> Required(const std::string& name,
                                       std::shared_ptr<arrow::DataType> type) {
  return arrow::field(name, std::move(type), /*nullable=*/false);
}

std::vector<ConformCase> Cases() {
  const auto kMs = arrow::timestamp(arrow::TimeUnit::MILLI);
  return {
      {.name = "ExactMatch",
       .target = {Required("id", arrow::int64()), Optional("label", arrow::utf8())},
       .incoming = {{Required("id", arrow::int64()), "[1, 2, 3]"},
                    {Optional("label", arrow::utf8()), R"(["a", null, "c"])"}},
       .expected_json = {"[1, 2, 3]", R"(["a", null, "c"])"}},
      {.name = "ColumnsInAnotherOrder",
       .target = {Required("id", arrow::int64()), Optional("label", arrow::utf8())},
       .incoming = {{Optional("label", arrow::utf8()), R"(["a", "b"])"},
                    {Optional("id", arrow::int64()), "[1, 2]"}},
       .expected_json = {"[1, 2]", R"(["a", "b"])"}},
      {.name = "NamesDifferingOnlyInCase",
       .target = {Required("Price", arrow::float64()), Optional("label", arrow::utf8())},
       .incoming = {{Optional("pRICE", arrow::float64()), "[1.5, 2.5]"},
                    {Optional("LABEL", arrow::utf8()), R"(["a", "b"])"}},
       .expected_json = {"[1.5, 2.5]", R"(["a", "b"])"}},
      {.name = "UnknownColumnRejected",
       .target = {Optional("id", arrow::int64())},
       .incoming = {{Optional("id", arrow::int64()), "[1, 2]"},
                    {Optional("extra", arrow::utf8()), R"(["x", "y"])"}},
       .expected_violations = {{"extra", std::nullopt, "not a column of this dataset"}}},
      {.name = "UnknownColumnIgnoredWhenAsked",
       .target = {Optional("id", arrow::int64())},
       .incoming = {{Optional("id", arrow::int64()), "[1, 2]"},
                    {Optional("extra", arrow::utf8()), R"(["x", "y"])"}},
       .ignore_unknown_columns = true,
       .expected_json = {"[1, 2]"}},
      {.name = "MissingRequiredColumn",
       .target = {Optional("id", arrow::int64()), Required("amount", arrow::int64())},
       .incoming = {{Optional("id", arrow::int64()), "[1, 2]"}},
       .expected_violations = {{"amount", std::nullopt, "required column is missing"}}},
      {.name = "MissingOptionalColumnFilledWithNulls",
       .target = {Optional("id", arrow::int64()), Optional("note", arrow::utf8())},
       .incoming = {{Optional("id", arrow::int64()), "[1, 2, 3]"}},
       .expected_json = {"[1, 2, 3]", "[null, null, null]"}},
      {.name = "NullInRequiredColumnAtItsRowInTheLoad",
       .target = {Required("id", arrow::int64())},
       .incoming = {{Optional("id", arrow::int64()), "[1, 2, null, 4]"}},
       .first_row = 10,
       .expected_violations = {{"id", 12, "required value is null"}}},
      {.name = "Int32ToInt64",
       .target = {Optional("n", arrow::int64())},
       .incoming = {{Optional("n", arrow::int32()),
                     "[-2147483648, 0, 2147483647, null]"}},
       .expected_json = {"[-2147483648, 0, 2147483647, null]"}},
      {.name = "Int16ToFloat64",
       .target = {Optional("x", arrow::float64())},
       .incoming = {{Optional("x", arrow::int16()), "[-32768, 7, null]"}},
       .expected_json = {"[-32768.0, 7.0, null]"}},
      {.name = "DigitStringsToInt64",
       .target = {Optional("n", arrow::int64())},
       .incoming = {{Optional("n", arrow::utf8()), R"(["42", "-7", null])"}},
       .expected_json = {"[42, -7, null]"}},
      {.name = "StringToDate32",
       .target = {Optional("day", arrow::date32())},
       .incoming = {{Optional("day", arrow::utf8()), R"(["2024-02-29", null])"}},
       .expected_json = {"[19782, null]"}},
      {.name = "StringToTime64Micro",
       .target = {Optional("at", arrow::time64(arrow::TimeUnit::MICRO))},
       .incoming = {{Optional("at", arrow::utf8()),
                     R"(["12:30:00.5", "00:00:00", null])"}},
       .expected_json = {"[45000500000, 0, null]"}},
      {.name = "StringToTimestampMilliWhenSubMillisecondDigitsAreZero",
       .target = {Optional("seen", kMs)},
       .incoming = {{Optional("seen", arrow::utf8()),
                     R"(["2024-01-01 00:00:00.123000", null])"}},
       .expected_json = {R"(["2024-01-01 00:00:00.123", null])"}},
      {.name = "Int64ToInt8OutOfRangeNamesTheFirstFailingRow",
       .target = {Optional("small", arrow::int8())},
       .incoming = {{Optional("small", arrow::int64()), "[1, 2, 3, 300, 5, 500, 7]"}},
       .first_row = 1000,
       .expected_violations = {{"small", 1003, "value 300 does not fit int8"}}},
      {.name = "FractionStringToInt64",
       .target = {Optional("n", arrow::int64())},
       .incoming = {{Optional("n", arrow::utf8()), R"(["1", "2", "1.5", "x"])"}},
       .first_row = 5,
       .expected_violations = {{"n", 7, "value 1.5 does not fit int64"}}},
      {.name = "TimestampMicrosecondsToMilliseconds",
       .target = {Optional("seen", kMs)},
       .incoming = {{Optional("seen", arrow::utf8()),
                     R"(["2024-01-01 00:00:00.123000", "2024-01-01 00:00:00.123456"])"}},
       .first_row = 20,
       .expected_violations = {{"seen", 21, "does not fit timestamp[ms]"}}},
      {.name = "UncastableTypeIsOneViolationWithoutARow",
       .target = {Optional("flag", arrow::boolean())},
       .incoming = {{Optional("flag", arrow::list(arrow::int32())), "[[1], [2]]"}},
       .expected_violations = {{"flag", std::nullopt, "cannot become bool"}}},
  };
}

class BatchConformerTest : public ::testing::TestWithParam<ConformCase> {};

TEST_P(BatchConformerTest, ConformsOrReportsViolations) {
  const ConformCase& test_case = GetParam();
  ASSERT_OK_AND_ASSIGN(auto incoming, MakeBatch(test_case.incoming));
  auto target = arrow::schema(test_case.target);
  ConformOptions options;
  options.ignore_unknown_columns = test_case.ignore_unknown_columns;
  BatchConformer conformer(target, options);

  ASSERT_OK_AND_ASSIGN(auto conformed, conformer.Conform(*incoming, test_case.first_row));

  const auto& violations = conformer.violations();
  ASSERT_EQ(violations.size(), test_case.expected_violations.size());
  for (size_t index = 0; index < violations.size(); ++index) {
    const auto& expected = test_case.expected_violations[index];
    SCOPED_TRACE(expected.field);
    EXPECT_EQ(violations[index].field, expected.field);
    EXPECT_EQ(violations[index].row, expected.row);
    EXPECT_NE(violations[index].message.find(expected.message_part), std::string::npos)
        << violations[index].message;
  }
  if (!test_case.expected_violations.empty()) {
    EXPECT_EQ(conformed, nullptr);
    return;
  }
  ASSERT_NE(conformed, nullptr);
  ASSERT_OK(conformed->ValidateFull());
  ASSERT_OK_AND_ASSIGN(auto expected,
                       MakeExpected(test_case.target, test_case.expected_json));
  EXPECT_TRUE(conformed->schema()->Equals(*target)) << conformed->schema()->ToString();
  EXPECT_TRUE(conformed->Equals(*expected)) << conformed->ToString() << "\nexpected\n"
                                            << expected->ToString();
}

INSTANTIATE_TEST_SUITE_P(Cases, BatchConformerTest, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<ConformCase>& info) {
                           return info.param.name;
                         });

TEST(BatchConformerCapTest, StopsCollectingAtMaxViolations) {
  auto target = arrow::schema({Required("id", arrow::int64())});
  ASSERT_OK_AND_ASSIGN(
      auto incoming,
      MakeBatch({{Optional("id", arrow::int64()),
                  "[null, null, null, null, null, null, null, null, null, null, "
                  "null, null, null, null, null, null, null, null, null, null]"}}));
  ConformOptions options;
  options.max_violations = 5;
  BatchConformer conformer(target, options);

  ASSERT_OK_AND_ASSIGN(auto conformed, conformer.Conform(*incoming, 100));

  EXPECT_EQ(conformed, nullptr);
  ASSERT_EQ(conformer.violations().size(), 5U);
  EXPECT_TRUE(conformer.full());
  for (size_t index = 0; index < 5; ++index) {
    EXPECT_EQ(conformer.violations()[index].row, 100 + static_cast<int64_t>(index));
  }
  // Later batches of the same load add nothing once the cap is reached.
  ASSERT_OK_AND_ASSIGN(conformed, conformer.Conform(*incoming, 120));
  EXPECT_EQ(conformer.violations().size(), 5U);
}

TEST(BatchConformerCapTest, ViolationsAddUpOverTheBatchesOfOneLoad) {
  auto target = arrow::schema({Required("id", arrow::int64())});
  ASSERT_OK_AND_ASSIGN(auto clean,
                       MakeBatch({{Optional("id", arrow::int64()), "[1, 2]"}}));
  ASSERT_OK_AND_ASSIGN(auto dirty,
                       MakeBatch({{Optional("id", arrow::int64()), "[null, 4, null]"}}));
  BatchConformer conformer(target, ConformOptions{});

  ASSERT_OK_AND_ASSIGN(auto first, conformer.Conform(*clean, 0));
  ASSERT_OK_AND_ASSIGN(auto second, conformer.Conform(*dirty, 2));

  EXPECT_NE(first, nullptr);
  EXPECT_EQ(second, nullptr);
  ASSERT_EQ(conformer.violations().size(), 2U);
  EXPECT_EQ(conformer.violations()[0].row, 2);
  EXPECT_EQ(conformer.violations()[1].row, 4);
  EXPECT_FALSE(conformer.full());
}

TEST(BatchConformerCapTest, ABatchThatBreaksARuleAfterTheCapIsStillRefused) {
  auto target = arrow::schema({Required("small", arrow::int8())});
  ASSERT_OK_AND_ASSIGN(auto nulls,
                       MakeBatch({{Optional("small", arrow::int8()), "[null]"}}));
  ASSERT_OK_AND_ASSIGN(auto too_big,
                       MakeBatch({{Optional("small", arrow::int64()), "[300]"}}));
  ConformOptions options;
  options.max_violations = 1;
  BatchConformer conformer(target, options);
  ASSERT_OK_AND_ASSIGN(auto first, conformer.Conform(*nulls, 0));
  ASSERT_TRUE(conformer.full());
  ASSERT_OK_AND_ASSIGN(auto second, conformer.Conform(*nulls, 1));
  ASSERT_OK_AND_ASSIGN(auto third, conformer.Conform(*too_big, 2));
  EXPECT_EQ(first, nullptr);
  EXPECT_EQ(second, nullptr);
  EXPECT_EQ(third, nullptr);
}

}  // namespace
}  // namespace quiver::arrow_adapter

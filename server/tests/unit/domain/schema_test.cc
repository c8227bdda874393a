#include "domain/schema.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "domain/problem.h"
#include "test_helpers.h"

namespace quiver::domain {
namespace {

TEST(SchemaTest, BuildsColumnsAndMakesKeyColumnsRequired) {
  const std::vector<ColumnSpec> specs = {
      {"Id", "int64"},
      {"region", "string", true},
      {"price", "decimal(10, 2)"},
      {"tags", "list<string>"},
  };
  ASSERT_OK_AND_ASSIGN(const Schema schema, Schema::Make(specs, {"REGION", "id"}));
  ASSERT_EQ(schema.size(), 4U);
  EXPECT_EQ(schema.columns()[0].name.value(), "Id");
  EXPECT_EQ(schema.columns()[0].type, ColumnType::Int64());
  EXPECT_TRUE(schema.columns()[0].required);
  EXPECT_TRUE(schema.columns()[1].required);
  EXPECT_FALSE(schema.columns()[2].required);
  EXPECT_EQ(schema.columns()[2].type.ToString(), "decimal(10, 2)");
  EXPECT_FALSE(schema.columns()[3].required);

  // The key keeps its order and the columns' own spelling.
  ASSERT_EQ(schema.primary_key().size(), 2U);
  EXPECT_EQ(schema.primary_key()[0].value(), "region");
  EXPECT_EQ(schema.primary_key()[1].value(), "Id");
  EXPECT_TRUE(schema.IsInPrimaryKey("ID"));
  EXPECT_FALSE(schema.IsInPrimaryKey("price"));
}

TEST(SchemaTest, FindIgnoresCase) {
  ASSERT_OK_AND_ASSIGN(const Schema schema,
                       Schema::Make({{"Price", "float64"}, {"name", "string"}}, {}));
  const std::vector<std::pair<std::string, int>> cases = {
      {"Price", 0}, {"price", 0}, {"PRICE", 0}, {"name", 1},
      {"Name", 1},  {"nam", -1},  {"", -1},     {"prices", -1},
  };
  for (const auto& [text, index] : cases) {
    SCOPED_TRACE(text);
    const Column* column = schema.Find(text);
    if (index < 0) {
      EXPECT_EQ(column, nullptr);
      continue;
    }
    EXPECT_EQ(column, &schema.columns()[static_cast<std::size_t>(index)]);
  }
  EXPECT_TRUE(schema.primary_key().empty());
}

struct ExpectedViolation {
  std::string field;
  std::string message_part;
};

struct InvalidCase {
  std::string description;
  std::vector<ColumnSpec> columns;
  std::vector<std::string> primary_key;
  std::vector<ExpectedViolation> violations;
};

void ExpectViolations(const arrow::Status& status,
                      const std::vector<ExpectedViolation>& expected) {
  ASSERT_FALSE(status.ok());
  const ProblemDetail* detail = FindProblemDetail(status);
  ASSERT_NE(detail, nullptr);
  EXPECT_EQ(detail->kind(), ProblemKind::kValidationFailed);
  ASSERT_EQ(detail->violations().size(), expected.size()) << status.ToString();
  for (std::size_t index = 0; index < expected.size(); ++index) {
    const Violation& violation = detail->violations()[index];
    EXPECT_EQ(violation.field, expected[index].field);
    EXPECT_FALSE(violation.row.has_value());
    EXPECT_NE(violation.message.find(expected[index].message_part), std::string::npos)
        << violation.message;
  }
}

TEST(SchemaTest, ReportsEveryProblemWithItsFieldPath) {
  const std::vector<InvalidCase> cases = {
      {"no columns", {}, {}, {{"columns", "at least 1 column"}}},
      {"bad name and bad type in one column",
       {{"ok", "int32"}, {"1st", "int65"}},
       {},
       {{"columns[1].name", "must not start with '1'"},
        {"columns[1].type", "unknown type 'int65' at position 0"}}},
      {"reserved names",
       {{"rowid", "int32"}, {"_quiver_x", "int32"}},
       {},
       {{"columns[0].name", "reserved"}, {"columns[1].name", "reserved"}}},
      {"names repeat ignoring case",
       {{"a", "int32"}, {"b", "int32"}, {"A", "string"}, {"B", "string"}},
       {},
       {{"columns[2].name", "repeats the name of columns[0]"},
        {"columns[3].name", "repeats the name of columns[1]"}}},
      {"unknown key column",
       {{"a", "int32"}},
       {"b", "no such"},
       {{"primary_key[0]", "there is no column named 'b'"},
        {"primary_key[1]", "does not name a column"}}},
      {"repeated key column",
       {{"a", "int32"}, {"b", "int32"}},
       {"a", "b", "A"},
       {{"primary_key[2]", "repeats primary_key[0]"}}},
      {"key types that cannot identify rows",
       {{"f", "float32"},
        {"d", "double"},
        {"l", "list<int32>"},
        {"s", "struct<a: int32>"},
        {"ok", "timestamp(us, UTC)"}},
       {"f", "d", "l", "s", "ok"},
       {{"primary_key[0]", "column 'f' has type float32; a primary key column cannot"},
        {"primary_key[1]", "column 'd' has type float64"},
        {"primary_key[2]", "column 'l' has type list"},
        {"primary_key[3]", "column 's' has type struct"}}},
      {"a key on a column with an invalid type reports the type only",
       {{"a", "nope"}},
       {"a"},
       {{"columns[0].type", "unknown type 'nope'"}}},
      {"a key on a column with an invalid name reports the name only",
       {{"a-b", "int32"}},
       {"a-b"},
       {{"columns[0].name", "has '-' at position 1"}}},
      {"no columns and a key",
       {},
       {"a"},
       {{"columns", "at least 1 column"}, {"primary_key[0]", "no column named 'a'"}}},
  };
  for (const auto& test_case : cases) {
    SCOPED_TRACE(test_case.description);
    auto schema = Schema::Make(test_case.columns, test_case.primary_key);
    ExpectViolations(schema.status(), test_case.violations);
  }
}

TEST(SchemaTest, TheDetailCountsTheProblems) {
  auto one = Schema::Make({{"a", "int65"}}, {});
  ASSERT_FALSE(one.ok());
  EXPECT_EQ(one.status().message(), "the schema has 1 problem");
  auto two = Schema::Make({{"1", "int65"}}, {});
  ASSERT_FALSE(two.ok());
  EXPECT_EQ(two.status().message(), "the schema has 2 problems");
}

TEST(SchemaTest, ReportsAtMostOneHundredProblemsButCountsThemAll) {
  std::vector<ColumnSpec> columns(300, ColumnSpec{"bad name", "int32"});
  auto schema = Schema::Make(columns, {});
  ASSERT_FALSE(schema.ok());
  EXPECT_EQ(schema.status().message(),
            "the schema has 300 problems; the first 100 are listed");
  const ProblemDetail* detail = FindProblemDetail(schema.status());
  ASSERT_NE(detail, nullptr);
  ASSERT_EQ(detail->violations().size(), Schema::kMaxReportedProblems);
  EXPECT_EQ(detail->violations().back().field, "columns[99].name");
}

TEST(SchemaTest, AcceptsUpTo1024Columns) {
  std::vector<ColumnSpec> columns;
  columns.reserve(1025);
  for (int index = 0; index < 1024; ++index) {
    columns.push_back({"c" + std::to_string(index), "int32"});
  }
  ASSERT_OK_AND_ASSIGN(const Schema widest, Schema::Make(columns, {"c0"}));
  EXPECT_EQ(widest.size(), 1024U);
  EXPECT_EQ(widest.Find("C1023"), &widest.columns().back());

  columns.push_back({"c1024", "int32"});
  auto too_wide = Schema::Make(columns, {});
  ExpectViolations(too_wide.status(),
                   {{"columns", "a dataset has at most 1024 columns, got 1025"}});
}

TEST(SchemaTest, MakesFromValidPartsCheckingTheRulesBetweenThem) {
  ASSERT_OK_AND_ASSIGN(const ColumnName id, ColumnName::Make("id"));
  ASSERT_OK_AND_ASSIGN(const ColumnName upper_id, ColumnName::Make("ID"));
  ASSERT_OK_AND_ASSIGN(const ColumnName value, ColumnName::Make("value"));

  ASSERT_OK_AND_ASSIGN(
      const Schema schema,
      Schema::Make(std::vector<Column>{{id, ColumnType::Int64()},
                                       {value, ColumnType::Float64(), true}},
                   {upper_id}));
  EXPECT_TRUE(schema.columns()[0].required);
  EXPECT_TRUE(schema.columns()[1].required);
  ASSERT_EQ(schema.primary_key().size(), 1U);
  EXPECT_EQ(schema.primary_key()[0].value(), "id");

  auto repeated = Schema::Make(
      std::vector<Column>{{id, ColumnType::Int64()}, {upper_id, ColumnType::String()}},
      {});
  ExpectViolations(repeated.status(), {{"columns[1].name", "repeats"}});

  auto float_key =
      Schema::Make(std::vector<Column>{{value, ColumnType::Float64()}}, {value});
  ExpectViolations(float_key.status(), {{"primary_key[0]", "has type float64"}});

  auto no_columns = Schema::Make(std::vector<Column>{}, {});
  ExpectViolations(no_columns.status(), {{"columns", "at least 1 column"}});
}

}  // namespace
}  // namespace quiver::domain

// Query::Make and Filter::Make: what a valid query keeps, and every problem with the
// path of the request member it concerns.
#include "domain/query.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "domain/filter.h"
#include "domain/problem.h"
#include "domain/schema.h"
#include "test_helpers.h"
#include "unit/domain/query_spec_builders.h"

namespace quiver::domain {
namespace {

using testing::Aggregated;
using testing::And;
using testing::Between;
using testing::Compare;
using testing::In;
using testing::IsNull;
using testing::Not;
using testing::Or;
using testing::Where;

Schema TestSchema() {
  auto schema = Schema::Make(
      {
          {"id", "int64", true},
          {"small", "int8"},
          {"big", "uint64"},
          {"value", "float64"},
          {"ratio", "float32"},
          {"price", "decimal(12, 3)"},
          {"category", "string"},
          {"label", "string"},
          {"ts", "timestamp(us, UTC)"},
          {"local_ts", "timestamp(s)"},
          {"day", "date"},
          {"at", "time"},
          {"flag", "bool"},
          {"payload", "binary"},
          {"tags", "list<string>"},
          {"meta", "struct<a: int32>"},
          {"elapsed", "duration(s)"},
      },
      {"id"});
  EXPECT_TRUE(schema.ok()) << schema.status().ToString();
  return std::move(schema).ValueOrDie();
}

struct ExpectedViolation {
  std::string field;
  std::string message_part;
};

void ExpectViolations(const arrow::Status& status,
                      const std::vector<ExpectedViolation>& expected) {
  ASSERT_FALSE(status.ok());
  const ProblemDetail* detail = FindProblemDetail(status);
  ASSERT_NE(detail, nullptr) << status.ToString();
  EXPECT_EQ(detail->kind(), ProblemKind::kInvalidInput);
  ASSERT_EQ(detail->violations().size(), expected.size()) << status.ToString();
  for (std::size_t index = 0; index < expected.size(); ++index) {
    const Violation& violation = detail->violations()[index];
    EXPECT_EQ(violation.field, expected[index].field) << status.ToString();
    EXPECT_FALSE(violation.row.has_value());
    EXPECT_NE(violation.message.find(expected[index].message_part), std::string::npos)
        << violation.field << ": " << violation.message;
  }
}

std::vector<std::string> Names(const std::vector<Column>& columns) {
  std::vector<std::string> names;
  names.reserve(columns.size());
  for (const auto& column : columns) names.push_back(column.name.value());
  return names;
}

TEST(QueryTest, NamesResolveIgnoringCaseAndKeepTheSchemaSpelling) {
  const Schema schema = TestSchema();
  QuerySpec spec;
  spec.select = {"CATEGORY", "Value", "id"};
  spec.filter = Compare("=", "Category", std::string("A"));
  spec.order_by = {"-VALUE", "Id"};
  spec.limit = 10;
  spec.offset = 5;
  ASSERT_OK_AND_ASSIGN(const Query query, Query::Make(spec, schema));
  EXPECT_EQ(Names(query.select()), (std::vector<std::string>{"category", "value", "id"}));
  ASSERT_TRUE(query.filter().has_value());
  EXPECT_EQ(query.filter()->op(), FilterOperator::kEqual);
  EXPECT_EQ(query.filter()->column().name.value(), "category");
  ASSERT_EQ(query.order_by().size(), 2U);
  EXPECT_EQ(query.order_by()[0].name.value(), "value");
  EXPECT_TRUE(query.order_by()[0].descending);
  EXPECT_EQ(query.order_by()[1].name.value(), "id");
  EXPECT_FALSE(query.order_by()[1].descending);
  EXPECT_EQ(query.limit(), 10);
  EXPECT_EQ(query.offset(), 5);
  EXPECT_FALSE(query.distinct());
  EXPECT_FALSE(query.aggregating());
}

TEST(QueryTest, AnEmptySelectMeansEveryColumnInSchemaOrder) {
  const Schema schema = TestSchema();
  ASSERT_OK_AND_ASSIGN(const Query query, Query::Make(QuerySpec{}, schema));
  EXPECT_EQ(query.select().size(), schema.size());
  EXPECT_EQ(query.select().front().name.value(), "id");
  EXPECT_EQ(query.select().back().name.value(), "elapsed");
  EXPECT_FALSE(query.filter().has_value());
  EXPECT_FALSE(query.limit().has_value());
  EXPECT_EQ(query.offset(), 0);
}

TEST(QueryTest, AggregatesGetDefaultNamesAndMaySortTheResult) {
  QuerySpec spec;
  spec.group_by = {"Category"};
  spec.aggregates = {
      Aggregated("count", std::nullopt),
      Aggregated("count", "label"),
      Aggregated("sum", "value", "total"),
      Aggregated("quantile", "price", std::nullopt, 0.9),
      Aggregated("count_distinct", "tags"),
      Aggregated("min", "ts"),
  };
  spec.order_by = {"-TOTAL", "category"};
  ASSERT_OK_AND_ASSIGN(const Query query, Query::Make(spec, TestSchema()));
  EXPECT_TRUE(query.aggregating());
  EXPECT_TRUE(query.select().empty());
  EXPECT_EQ(Names(query.group_by()), std::vector<std::string>{"category"});
  const std::vector<std::pair<AggregateFunction, std::string>> expected = {
      {AggregateFunction::kCount, "count"},
      {AggregateFunction::kCount, "count_label"},
      {AggregateFunction::kSum, "total"},
      {AggregateFunction::kQuantile, "quantile_price"},
      {AggregateFunction::kCountDistinct, "count_distinct_tags"},
      {AggregateFunction::kMin, "min_ts"},
  };
  ASSERT_EQ(query.aggregates().size(), expected.size());
  for (std::size_t index = 0; index < expected.size(); ++index) {
    EXPECT_EQ(query.aggregates()[index].function, expected[index].first);
    EXPECT_EQ(query.aggregates()[index].alias.value(), expected[index].second);
  }
  EXPECT_FALSE(query.aggregates()[0].column.has_value());
  EXPECT_EQ(query.aggregates()[3].quantile, 0.9);
  EXPECT_EQ(FunctionName(AggregateFunction::kCountDistinct), "count_distinct");
  ASSERT_EQ(query.order_by().size(), 2U);
  EXPECT_EQ(query.order_by()[0].name.value(), "total");
  EXPECT_TRUE(query.order_by()[0].descending);
  EXPECT_EQ(query.order_by()[1].name.value(), "category");
}

TEST(QueryTest, DistinctMaySortBySelectedColumns) {
  QuerySpec spec;
  spec.select = {"category"};
  spec.distinct = true;
  spec.order_by = {"-category"};
  ASSERT_OK_AND_ASSIGN(const Query query, Query::Make(spec, TestSchema()));
  EXPECT_TRUE(query.distinct());
}

struct NormalisedCase {
  std::string column;
  Value given;
  Value kept;
};

TEST(QueryTest, ValuesAreNormalisedForTheirColumn) {
  const std::vector<NormalisedCase> cases = {
      {"value", int64_t{3}, int64_t{3}},
      {"value", 2.5, 2.5},
      {"id", 3.0, int64_t{3}},
      {"id", int64_t{-7}, int64_t{-7}},
      {"big", 1.8e19, 1.8e19},
      {"price", 1.5, std::string("1.5")},
      {"price", int64_t{12}, std::string("12")},
      {"price", std::string("-0012.500"), std::string("-0012.500")},
      {"price", std::string(".5"), std::string(".5")},
      {"ts", std::string("2024-03-01T10:15Z"), std::string("2024-03-01 10:15:00+00:00")},
      {"ts", std::string("2024-03-01T10:15:30.123456+0530"),
       std::string("2024-03-01 10:15:30.123456+05:30")},
      {"ts", std::string("2024-03-01 10:15:30-02"),
       std::string("2024-03-01 10:15:30-02:00")},
      {"ts", std::string("2024-03-01"), std::string("2024-03-01 00:00:00")},
      {"local_ts", std::string("2024-03-01T10:15:30.000"),
       std::string("2024-03-01 10:15:30")},
      {"day", std::string("2024-02-29"), std::string("2024-02-29")},
      {"at", std::string("07:05"), std::string("07:05:00")},
      {"at", std::string("23:59:59.999999"), std::string("23:59:59.999999")},
      {"flag", true, true},
      {"payload", std::string("ab\\x00\\xFf"), std::string("ab\\x00\\xFf")},
      {"category", std::string("it's 100%_"), std::string("it's 100%_")},
  };
  const Schema schema = TestSchema();
  for (const auto& test_case : cases) {
    SCOPED_TRACE(test_case.column);
    ASSERT_OK_AND_ASSIGN(
        const Filter filter,
        Filter::Make(Compare("=", test_case.column, test_case.given), schema));
    ASSERT_EQ(filter.values().size(), 1U);
    EXPECT_EQ(filter.values().front(), test_case.kept);
  }
}

struct InvalidValueCase {
  std::string column;
  Value value;
  std::string message_part;
};

TEST(QueryTest, ValuesThatDoNotFitTheirColumnAreRefused) {
  const std::vector<InvalidValueCase> cases = {
      {"id", std::string("3"), "expected an integer from"},
      {"id", 3.5, "got a number with a fraction"},
      {"id", 9223372036854775808.0, "out of that range"},
      {"small", int64_t{128}, "expected an integer from -128 to 127, got 128"},
      {"small", -129.0, "out of that range"},
      {"big", int64_t{-1}, "from 0 to 18446744073709551615, got -1"},
      {"value", std::string("1"), "expected a number, got a string"},
      {"value", true, "expected a number, got true"},
      {"ratio", 1e300, "in the range of float32"},
      {"flag", int64_t{1}, "expected true or false, got a number"},
      {"category", int64_t{1}, "expected a string, got a number"},
      {"price", std::string("1.2345"), "at most 3 digits after the point"},
      {"price", 1e10, "at most 9 digits before the point"},
      {"price", std::string("1e3"), "decimal text"},
      {"price", std::string(""), "decimal text"},
      {"price", std::string("1,5"), "decimal text"},
      {"price", false, "got false"},
      {"ts", int64_t{1700000000}, "expected a timestamp as ISO 8601 text"},
      {"ts", std::string("2024-02-30"), "expected a timestamp"},
      {"ts", std::string("2024-03-01T25:00"), "expected a timestamp"},
      {"ts", std::string("2024-03-01T10:00:00.1234567Z"), "[.ffffff]"},
      {"ts", std::string("2024-03-01T10:00+25:00"), "offset"},
      {"ts", std::string("2024-03-01Z"), "offset"},
      {"ts", std::string(" 2024-03-01"), "expected a timestamp"},
      {"local_ts", std::string("2024-03-01T10:00:00Z"), "without an offset"},
      {"local_ts", std::string("2024-03-01T10:00:00.5"), "YYYY-MM-DD[THH:MM[:SS]]"},
      {"day", std::string("2024-2-1"), "YYYY-MM-DD"},
      {"day", std::string("2023-02-29"), "a valid calendar date"},
      {"day", std::string("0000-01-01"), "a valid calendar date"},
      {"at", std::string("24:00"), "HH:MM[:SS[.ffffff]]"},
      {"at", std::string("12:00:60"), "HH:MM[:SS[.ffffff]]"},
      {"payload", std::string("\xC3\xA9"), "blob text"},
      {"payload", std::string("\\x4"), "blob text"},
      {"payload", std::string("\\n"), "blob text"},
      {"category", Value{}, "use is_null"},
  };
  const Schema schema = TestSchema();
  for (const auto& test_case : cases) {
    SCOPED_TRACE(test_case.column + " " + test_case.message_part);
    auto filter = Filter::Make(Compare("=", test_case.column, test_case.value), schema);
    ExpectViolations(filter.status(), {{"filter.value", test_case.message_part}});
  }
}

struct InvalidQueryCase {
  std::string description;
  QuerySpec spec;
  std::vector<ExpectedViolation> violations;
};

FilterSpec WithLow(FilterSpec spec, Value low) {
  spec.low = std::move(low);
  return spec;
}

FilterSpec WithoutColumn(FilterSpec spec) {
  spec.column.reset();
  return spec;
}

TEST(QueryTest, FilterProblemsNameTheirPath) {
  FilterSpec no_op;
  FilterSpec empty_in = In("category", {});
  FilterSpec no_high = Between("value", int64_t{1}, int64_t{2});
  no_high.high.reset();
  FilterSpec no_arg;
  no_arg.op = "not";
  FilterSpec no_value = Compare("<", "value", int64_t{1});
  no_value.value.reset();

  const std::vector<InvalidQueryCase> cases = {
      {"ordering a boolean",
       Where(Compare("<", "flag", true)),
       {{"filter.op", "'<' does not apply to boolean column 'flag'; use =, != or in"}}},
      {"between on binary",
       Where(Between("payload", std::string("a"), std::string("b"))),
       {{"filter.op", "'between' does not apply to binary column 'payload'"}}},
      {"equality on a list",
       Where(Compare("=", "tags", std::string("a"))),
       {{"filter.op", "only is_null does"}}},
      {"a duration takes no values",
       Where(In("elapsed", {int64_t{1}})),
       {{"filter.op", "'in' does not apply to duration column 'elapsed'"}}},
      {"starts_with on a number",
       Where(Compare("starts_with", "id", std::string("1"))),
       {{"filter.op",
         "'starts_with' does not apply to int64 column 'id'; it needs a "
         "string column"}}},
      {"contains with a number",
       Where(Compare("contains", "label", int64_t{1})),
       {{"filter.value", "expected a string, got a number"}}},
      {"unknown operator",
       Where(Compare("like", "label", std::string("a%"))),
       {{"filter.op", "expected and, or, not, =, !=, <, <=, >, >=, in, between"}}},
      {"missing operator", Where(no_op), {{"filter.op", "required: and, or"}}},
      {"missing column",
       Where(WithoutColumn(IsNull("label"))),
       {{"filter.column", "required"}}},
      {"unknown column",
       Where(IsNull("nope")),
       {{"filter.column", "there is no column named 'nope'"}}},
      {"a column name that is no identifier is not echoed",
       Where(IsNull("a'b")),
       {{"filter.column", "does not name a column"}}},
      {"missing value", Where(no_value), {{"filter.value", "required"}}},
      {"empty in", Where(empty_in), {{"filter.values", "1 to 10000 values"}}},
      {"bad in values",
       Where(In("id", {int64_t{1}, int64_t{2}, std::string("x"), Value{}})),
       {{"filter.values[2]", "expected an integer"}, {"filter.values[3]", "is_null"}}},
      {"missing high", Where(no_high), {{"filter.high", "required"}}},
      {"bad bounds",
       Where(Between("day", std::string("2024-13-01"), int64_t{1})),
       {{"filter.low", "YYYY-MM-DD"}, {"filter.high", "got a number"}}},
      {"not without operand", Where(no_arg), {{"filter.arg", "'not' needs a filter"}}},
      {"and without operands", Where(And({})), {{"filter.args", "1 or more filters"}}},
      {"members the operator does not use",
       Where(WithLow(Compare("=", "value", int64_t{1}), int64_t{0})),
       {{"filter.low", "is not used by '='"}}},
      {"column on and",
       Where([] {
         FilterSpec spec = And({IsNull("label")});
         spec.column = "label";
         return spec;
       }()),
       {{"filter.column", "is not used by 'and'"}}},
      {"nested paths",
       Where(And({Compare("=", "id", int64_t{1}),
                  Or({IsNull("label"), Not(Compare("=", "category", int64_t{1})),
                      Compare(">", "nope", int64_t{1})})})),
       {{"filter.args[1].args[1].arg.value", "expected a string"},
        {"filter.args[1].args[2].column", "no column named 'nope'"}}},
  };
  const Schema schema = TestSchema();
  for (const auto& test_case : cases) {
    SCOPED_TRACE(test_case.description);
    ExpectViolations(Query::Make(test_case.spec, schema).status(), test_case.violations);
  }
}

TEST(QueryTest, QueryProblemsNameTheirPath) {
  auto with = [](auto change) {
    QuerySpec spec;
    change(spec);
    return spec;
  };
  const std::string long_name(60, 'x');
  auto wide_schema = Schema::Make({{long_name, "int64"}}, {});
  ASSERT_OK(wide_schema.status());

  const std::vector<InvalidQueryCase> cases = {
      {"unknown and repeated selections",
       with([](QuerySpec& spec) {
         spec.select = {"id", "nope", "ID"};
       }),
       {{"select[1]", "no column named 'nope'"}, {"select[2]", "repeats select[0]"}}},
      {"select with aggregates",
       with([](QuerySpec& spec) {
         spec.select = {"id"};
         spec.aggregates = {Aggregated("count", std::nullopt)};
       }),
       {{"select", "must be empty when the query has group_by or aggregates"}}},
      {"unknown and repeated group_by",
       with([](QuerySpec& spec) {
         spec.group_by = {"category", "Category", "x y"};
       }),
       {{"group_by[1]", "repeats group_by[0]"}, {"group_by[2]", "does not name"}}},
      {"unknown function",
       with([](QuerySpec& spec) { spec.aggregates = {Aggregated("median", "value")}; }),
       {{"aggregates[0].function", "expected count, count_distinct, sum, mean"}}},
      {"sum of text and a missing column",
       with([](QuerySpec& spec) {
         spec.aggregates = {Aggregated("sum", "label"),
                            Aggregated("count_distinct", std::nullopt),
                            Aggregated("mean", "nope")};
       }),
       {{"aggregates[0].column",
         "'sum' needs a numeric or decimal column; 'label' is string"},
        {"aggregates[1].column", "required: 'count_distinct' needs a column"},
        {"aggregates[2].column", "no column named 'nope'"}}},
      {"quantiles",
       with([](QuerySpec& spec) {
         spec.aggregates = {
             Aggregated("quantile", "value"), Aggregated("quantile", "value", "q2", 1.5),
             Aggregated("sum", "value", "s", 0.5), Aggregated("stddev", "flag")};
       }),
       {{"aggregates[0].q", "required: a number from 0 to 1"},
        {"aggregates[1].q", "expected a number from 0 to 1"},
        {"aggregates[2].q", "only 'quantile' takes q"},
        {"aggregates[3].column", "'stddev' needs a numeric or decimal column"}}},
      {"result names",
       with([](QuerySpec& spec) {
         spec.group_by = {"category"};
         spec.aggregates = {Aggregated("sum", "value"), Aggregated("sum", "value"),
                            Aggregated("max", "value", "CATEGORY"),
                            Aggregated("min", "value", "bad name"),
                            Aggregated("mean", "value", "rowid")};
       }),
       {{"aggregates[1].as",
         "the result name 'sum_value' is taken by aggregates[0].as; name the result"},
        {"aggregates[2].as", "taken by group_by[0]"},
        {"aggregates[3].as", "' ' at position 3"},
        {"aggregates[4].as", "reserved"}}},
      {"order_by terms",
       with([](QuerySpec& spec) {
         spec.order_by = {"", "-", "nope", "-value", "VALUE", "--value"};
       }),
       {{"order_by[0]", "expected a column name"},
        {"order_by[1]", "expected a column name"},
        {"order_by[2]", "no column named 'nope'"},
        {"order_by[4]", "repeats order_by[3]"},
        {"order_by[5]", "does not name a column"}}},
      {"order_by of an aggregating query",
       with([](QuerySpec& spec) {
         spec.group_by = {"category"};
         spec.aggregates = {Aggregated("count", std::nullopt)};
         spec.order_by = {"count", "value"};
       }),
       {{"order_by[1]", "'value' is neither a group_by column nor an aggregate"}}},
      {"order_by of a distinct query",
       with([](QuerySpec& spec) {
         spec.select = {"category"};
         spec.distinct = true;
         spec.order_by = {"value"};
       }),
       {{"order_by[0]", "with distinct, sort by selected columns only"}}},
      {"page",
       with([](QuerySpec& spec) {
         spec.limit = -1;
         spec.offset = -5;
       }),
       {{"limit", "must be 0 or more"}, {"offset", "must be 0 or more"}}},
      {"distinct groups",
       with([](QuerySpec& spec) {
         spec.group_by = {"category"};
         spec.distinct = true;
       }),
       {{"distinct", "cannot be combined with group_by or aggregates"}}},
      {"problems from every part, in request order",
       with([](QuerySpec& spec) {
         spec.select = {"nope"};
         spec.filter = Compare("=", "id", std::string("x"));
         spec.order_by = {"nope"};
         spec.limit = -1;
       }),
       {{"select[0]", "nope"},
        {"filter.value", "expected an integer"},
        {"order_by[0]", "nope"},
        {"limit", "0 or more"}}},
  };
  const Schema schema = TestSchema();
  for (const auto& test_case : cases) {
    SCOPED_TRACE(test_case.description);
    ExpectViolations(Query::Make(test_case.spec, schema).status(), test_case.violations);
  }

  QuerySpec too_long;
  too_long.aggregates = {Aggregated("count_distinct", long_name)};
  ExpectViolations(Query::Make(too_long, *wide_schema).status(),
                   {{"aggregates[0].as", "the default name 'count_distinct_xxx"}});
}

/// A chain of `depth` nested not nodes around one comparison.
FilterSpec NestedNots(int depth) {
  FilterSpec spec = Compare("=", "id", int64_t{1});
  for (int level = 1; level < depth; ++level) spec = Not(std::move(spec));
  return spec;
}

TEST(QueryTest, FiltersHaveLimits) {
  const Schema schema = TestSchema();
  ASSERT_OK(Filter::Make(NestedNots(Filter::kMaxDepth), schema).status());
  std::string deepest = "filter";
  for (int level = 1; level < Filter::kMaxDepth + 1; ++level) deepest += ".arg";
  ExpectViolations(Filter::Make(NestedNots(Filter::kMaxDepth + 1), schema).status(),
                   {{deepest, "nests deeper than 32 levels"}});

  std::vector<FilterSpec> many(Filter::kMaxNodes - 1, IsNull("label"));
  ASSERT_OK(Filter::Make(Or(many), schema).status());
  many.push_back(IsNull("label"));
  ExpectViolations(Filter::Make(Or(many), schema).status(),
                   {{"filter", "has more than 10000 nodes"}});

  std::vector<Value> candidates(Filter::kMaxInValues, Value{int64_t{1}});
  ASSERT_OK(Filter::Make(In("id", candidates), schema).status());
  candidates.push_back(int64_t{1});
  ExpectViolations(Filter::Make(In("id", candidates), schema).status(),
                   {{"filter.values", "1 to 10000 values"}});

  std::vector<FilterSpec> wide(11, In("id", std::vector<Value>(10'000, int64_t{1})));
  ExpectViolations(Filter::Make(Or(wide), schema).status(),
                   {{"filter", "has more than 100000 values in all"}});
}

TEST(QueryTest, ReportsAtMostOneHundredProblemsButCountsThemAll) {
  QuerySpec spec;
  spec.select.assign(150, "nope");
  auto query = Query::Make(spec, TestSchema());
  ASSERT_FALSE(query.ok());
  EXPECT_EQ(query.status().message(),
            "the query has 150 problems; the first 100 are listed");
  const ProblemDetail* detail = FindProblemDetail(query.status());
  ASSERT_NE(detail, nullptr);
  EXPECT_EQ(detail->violations().size(), Query::kMaxReportedProblems);

  auto filter = Filter::Make(IsNull("nope"), TestSchema());
  ASSERT_FALSE(filter.ok());
  EXPECT_EQ(filter.status().message(), "the filter has 1 problem");
}

TEST(QueryTest, OperatorsKeepTheirShape) {
  const Schema schema = TestSchema();
  ASSERT_OK_AND_ASSIGN(
      const Filter filter,
      Filter::Make(And({Between("value", int64_t{1}, 2.5), IsNull("label"),
                        Not(In("category", {std::string("A"), std::string("B")}))}),
                   schema));
  EXPECT_EQ(filter.op(), FilterOperator::kAnd);
  ASSERT_EQ(filter.operands().size(), 3U);
  EXPECT_EQ(filter.operands()[0].op(), FilterOperator::kBetween);
  EXPECT_EQ(filter.operands()[0].values(), (std::vector<Value>{int64_t{1}, 2.5}));
  EXPECT_EQ(filter.operands()[1].op(), FilterOperator::kIsNull);
  EXPECT_TRUE(filter.operands()[1].values().empty());
  const Filter& negation = filter.operands()[2];
  EXPECT_EQ(negation.op(), FilterOperator::kNot);
  ASSERT_EQ(negation.operands().size(), 1U);
  EXPECT_EQ(negation.operands()[0].values().size(), 2U);
  EXPECT_EQ(OperatorName(FilterOperator::kStartsWith), "starts_with");
  EXPECT_EQ(OperatorName(FilterOperator::kNotEqual), "!=");
}

TEST(QueryTest, SplitsTheQueryStringFormOfOrderBy) {
  const std::vector<std::pair<std::string, std::vector<std::string>>> cases = {
      {"", {}},
      {"   ", {}},
      {"value", {"value"}},
      {"-value,category", {"-value", "category"}},
      {" -value , category ", {"-value", "category"}},
      {"a,,b", {"a", "", "b"}},
      {"a,", {"a", ""}},
  };
  for (const auto& [text, terms] : cases) {
    SCOPED_TRACE(text);
    EXPECT_EQ(SplitOrderBy(text), terms);
  }
}

}  // namespace
}  // namespace quiver::domain

namespace quiver::domain {
namespace {

std::vector<std::string> PageOrderNames(const Query& query) {
  std::vector<std::string> names;
  for (const auto& key : query.page_order()) {
    names.push_back((key.descending ? "-" : "") +
                    (key.column ? key.column->name.value() : std::string("#row")));
  }
  return names;
}

TEST(QueryPagingTest, ALimitWithoutOffsetIsAPageInAUniqueOrder) {
  const Schema schema = TestSchema();
  QuerySpec spec;
  spec.limit = 10;
  ASSERT_OK_AND_ASSIGN(Query plain, Query::Make(spec, schema));
  EXPECT_TRUE(plain.paged());
  EXPECT_FALSE(plain.cursor_requested());
  EXPECT_EQ(PageOrderNames(plain), (std::vector<std::string>{"#row"}))
      << "the insertion order, which reads without order_by follow too";

  spec.order_by = {"-value", "category"};
  ASSERT_OK_AND_ASSIGN(Query ordered, Query::Make(spec, schema));
  EXPECT_EQ(PageOrderNames(ordered),
            (std::vector<std::string>{"-value", "category", "#row"}));

  spec.order_by = {"-ID"};
  ASSERT_OK_AND_ASSIGN(Query by_key, Query::Make(spec, schema));
  EXPECT_EQ(PageOrderNames(by_key), (std::vector<std::string>{"-id", "#row"}));
}

TEST(QueryPagingTest, TheInsertionOrderBreaksTiesWithOrWithoutAPrimaryKey) {
  ASSERT_OK_AND_ASSIGN(auto schema, Schema::Make({{"a", "int32"}, {"b", "string"}}, {}));
  QuerySpec spec;
  spec.limit = 5;
  spec.order_by = {"b"};
  ASSERT_OK_AND_ASSIGN(Query query, Query::Make(spec, schema));
  EXPECT_EQ(PageOrderNames(query), (std::vector<std::string>{"b", "#row"}));
  EXPECT_FALSE(Schema::Make({{"rowid", "int64"}}, {}).ok())
      << "no column can hide the insertion order";
}

TEST(QueryPagingTest, OnlyRowQueriesWithALimitAndNoOffsetArePages) {
  const Schema schema = TestSchema();
  QuerySpec offset;
  offset.limit = 10;
  offset.offset = 20;
  ASSERT_OK_AND_ASSIGN(Query by_offset, Query::Make(offset, schema));
  EXPECT_FALSE(by_offset.paged());
  offset.cursor = "";
  ExpectViolations(Query::Make(offset, schema).status(), {{"cursor", "not both"}});

  QuerySpec unlimited;
  unlimited.cursor = "";
  ExpectViolations(Query::Make(unlimited, schema).status(), {{"cursor", "need a limit"}});

  QuerySpec grouped;
  grouped.group_by = {"category"};
  grouped.aggregates = {Aggregated("count", std::nullopt)};
  grouped.limit = 10;
  ASSERT_OK_AND_ASSIGN(Query groups, Query::Make(grouped, schema));
  EXPECT_FALSE(groups.paged());
  grouped.cursor = "";
  ExpectViolations(Query::Make(grouped, schema).status(), {{"cursor", "for rows"}});

  QuerySpec sampled;
  sampled.limit = 10;
  sampled.sample = SampleSpec{5, std::nullopt, 1};
  ASSERT_OK_AND_ASSIGN(Query sample, Query::Make(sampled, schema));
  EXPECT_FALSE(sample.paged());

  QuerySpec empty;
  empty.limit = 0;
  ASSERT_OK_AND_ASSIGN(Query none, Query::Make(empty, schema));
  EXPECT_FALSE(none.paged());

  QuerySpec huge;
  huge.limit = Query::kMaxImplicitPageRows + 1;
  ASSERT_OK_AND_ASSIGN(Query plain_limit, Query::Make(huge, schema));
  EXPECT_FALSE(plain_limit.paged()) << "a huge limit is not a page unless asked";
  huge.cursor = "";
  ASSERT_OK_AND_ASSIGN(Query asked, Query::Make(huge, schema));
  EXPECT_TRUE(asked.paged());
}

TEST(QueryPagingTest, ACursorMustFitThePageOrder) {
  const Schema schema = TestSchema();
  QuerySpec spec;
  spec.limit = 10;
  spec.order_by = {"value"};
  spec.cursor = "token";
  spec.after = KeyValues{"1.5", "7"};
  ASSERT_OK_AND_ASSIGN(Query query, Query::Make(spec, schema));
  ASSERT_TRUE(query.after().has_value());
  EXPECT_EQ(*query.after(), (KeyValues{"1.5", "7"}));
  EXPECT_FALSE(query.through().has_value());
  Query page = query.EndingAt({std::nullopt, "9"});
  ASSERT_TRUE(page.through().has_value());
  EXPECT_EQ(*page.through(), (KeyValues{std::nullopt, "9"}));

  spec.after = KeyValues{"1.5"};
  ExpectViolations(Query::Make(spec, schema).status(), {{"cursor", "another query"}});
}

TEST(QueryPagingTest, TheFingerprintFollowsFilterAndOrderOnly) {
  const Schema schema = TestSchema();
  auto fingerprint = [&schema](const QuerySpec& spec) {
    auto query = Query::Make(spec, schema);
    EXPECT_TRUE(query.ok()) << query.status().ToString();
    return query.ok() ? query->PageFingerprint() : std::string();
  };
  QuerySpec base = Where(Compare("=", "category", std::string("A")));
  base.limit = 10;
  base.order_by = {"value"};
  const std::string original = fingerprint(base);
  EXPECT_EQ(original.size(), 16U);

  QuerySpec other_columns = base;
  other_columns.select = {"id", "value"};
  other_columns.limit = 50;
  EXPECT_EQ(fingerprint(other_columns), original) << "columns and page size may change";

  QuerySpec other_value = base;
  other_value.filter = Compare("=", "category", std::string("B"));
  EXPECT_NE(fingerprint(other_value), original);
  QuerySpec other_operator = base;
  other_operator.filter = Compare("!=", "category", std::string("A"));
  EXPECT_NE(fingerprint(other_operator), original);
  QuerySpec other_direction = base;
  other_direction.order_by = {"-value"};
  EXPECT_NE(fingerprint(other_direction), original);
  QuerySpec no_filter = base;
  no_filter.filter.reset();
  EXPECT_NE(fingerprint(no_filter), original);
  QuerySpec number_not_text = base;
  number_not_text.filter = Compare("=", "label", std::string("1"));
  QuerySpec text_one = base;
  text_one.filter = Compare("=", "label", std::string("1 "));
  EXPECT_NE(fingerprint(number_not_text), fingerprint(text_one));
}

QuerySpec Bucketed(BucketSpec bucket) {
  QuerySpec spec;
  spec.bucket = std::move(bucket);
  return spec;
}

TEST(QueryBucketTest, TimeBucketsAndNumericBinsAreTheFirstGroupKey) {
  const Schema schema = TestSchema();
  ASSERT_OK_AND_ASSIGN(Query hourly,
                       Query::Make(Bucketed({"ts", std::string("15m"), std::nullopt,
                                             std::nullopt, std::nullopt}),
                                   schema));
  ASSERT_TRUE(hourly.bucket().has_value());
  EXPECT_EQ(hourly.bucket()->kind, BucketKind::kTime);
  EXPECT_EQ(hourly.bucket()->interval, "15 minutes");
  EXPECT_EQ(hourly.bucket()->alias.value(), "bucket");
  EXPECT_TRUE(hourly.aggregating());
  ASSERT_EQ(hourly.aggregates().size(), 1U) << "counts by default";
  EXPECT_EQ(hourly.aggregates()[0].alias.value(), "count");
  ASSERT_EQ(hourly.order_by().size(), 1U) << "ordered by bucket by default";
  EXPECT_EQ(hourly.order_by()[0].name.value(), "bucket");

  QuerySpec bins = Bucketed({"price", std::nullopt, 2.5, -1.0, std::string("bin")});
  bins.group_by = {"category"};
  bins.aggregates = {{"sum", std::string("value"), std::nullopt, std::nullopt}};
  bins.order_by = {"-bin"};
  ASSERT_OK_AND_ASSIGN(Query histogram, Query::Make(bins, schema));
  EXPECT_EQ(histogram.bucket()->kind, BucketKind::kNumeric);
  EXPECT_EQ(histogram.bucket()->width, 2.5);
  EXPECT_EQ(histogram.bucket()->origin, -1.0);
  ASSERT_EQ(histogram.aggregates().size(), 1U);
  EXPECT_EQ(histogram.aggregates()[0].alias.value(), "sum_value");
  EXPECT_TRUE(histogram.order_by()[0].descending);

  for (const auto& [every, interval] :
       std::vector<std::pair<std::string, std::string>>{{"1s", "1 seconds"},
                                                        {"2h", "2 hours"},
                                                        {"7d", "7 days"},
                                                        {"1w", "1 weeks"},
                                                        {"3mo", "3 months"},
                                                        {"1y", "1 years"}}) {
    ASSERT_OK_AND_ASSIGN(
        Query query, Query::Make(Bucketed({"local_ts", every, std::nullopt, std::nullopt,
                                           std::nullopt}),
                                 schema));
    EXPECT_EQ(query.bucket()->interval, interval);
  }
}

TEST(QueryBucketTest, BadBucketsNameTheirPart) {
  const Schema schema = TestSchema();
  auto problems = [&schema](BucketSpec bucket) {
    return Query::Make(Bucketed(std::move(bucket)), schema).status();
  };
  ExpectViolations(
      problems({"nope", std::string("1h"), std::nullopt, std::nullopt, std::nullopt}),
      {{"bucket.column", "nope"}});
  ExpectViolations(
      problems({"label", std::string("1h"), std::nullopt, std::nullopt, std::nullopt}),
      {{"bucket.column", "timestamp or date"}});
  ExpectViolations(problems({"label", std::nullopt, 1.0, std::nullopt, std::nullopt}),
                   {{"bucket.column", "numeric"}});
  ExpectViolations(problems({"ts", std::string("1h"), 1.0, std::nullopt, std::nullopt}),
                   {{"bucket", "either every"}});
  ExpectViolations(
      problems({"ts", std::nullopt, std::nullopt, std::nullopt, std::nullopt}),
      {{"bucket", "either every"}});
  for (const std::string every : {"h", "0h", "1 h", "1hour", "-1h", "1H", "99999999d"}) {
    ExpectViolations(problems({"ts", every, std::nullopt, std::nullopt, std::nullopt}),
                     {{"bucket.every", "count and a unit"}});
  }
  ExpectViolations(
      problems({"day", std::string("6h"), std::nullopt, std::nullopt, std::nullopt}),
      {{"bucket.every", "d, w, mo or y"}});
  ExpectViolations(problems({"value", std::nullopt, 0.0, std::nullopt, std::nullopt}),
                   {{"bucket.width", "above 0"}});
  ExpectViolations(problems({"value", std::nullopt, 1.0, std::nullopt, std::string("")}),
                   {{"bucket.as", ""}});

  QuerySpec clash = Bucketed({"value", std::nullopt, 1.0, std::nullopt, std::nullopt});
  clash.aggregates = {{"sum", std::string("value"), std::string("bucket"), std::nullopt}};
  ExpectViolations(Query::Make(clash, schema).status(),
                   {{"aggregates[0].as", "taken by bucket.as"}});
}

}  // namespace
}  // namespace quiver::domain

// The JSON forms of a query and a filter: what they read into, and every shape
// problem with its path.
#include "interfaces/http/query_json.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "domain/problem.h"
#include "domain/query.h"
#include "domain/schema.h"
#include "test_helpers.h"

namespace quiver::http {
namespace {

using domain::FilterSpec;
using domain::QuerySpec;
using domain::Value;

struct ExpectedViolation {
  std::string field;
  std::string message_part;
};

void ExpectViolations(const arrow::Status& status,
                      const std::vector<ExpectedViolation>& expected) {
  ASSERT_FALSE(status.ok());
  const domain::ProblemDetail* detail = domain::FindProblemDetail(status);
  ASSERT_NE(detail, nullptr) << status.ToString();
  EXPECT_EQ(detail->kind(), domain::ProblemKind::kInvalidInput);
  ASSERT_EQ(detail->violations().size(), expected.size()) << status.ToString();
  for (std::size_t index = 0; index < expected.size(); ++index) {
    const auto& violation = detail->violations()[index];
    EXPECT_EQ(violation.field, expected[index].field) << status.ToString();
    EXPECT_NE(violation.message.find(expected[index].message_part), std::string::npos)
        << violation.field << ": " << violation.message;
  }
}

TEST(QueryJsonTest, ReadsAWholeQuery) {
  ASSERT_OK_AND_ASSIGN(const QuerySpec spec, ParseQueryJson(R"({
    "select": [],
    "filter": {"op": "and", "args": [
      {"op": "=", "column": "category", "value": "A"},
      {"op": "not", "arg": {"op": "is_null", "column": "label"}},
      {"op": "in", "column": "region", "values": ["north", 2, 2.5, true, null]},
      {"op": "between", "column": "value", "low": 10, "high": 20.5},
      {"op": "or", "args": [{"op": "starts_with", "column": "label", "value": "item-1"},
                            {"op": "contains", "column": "label", "value": "%"}]}
    ]},
    "group_by": ["category"],
    "aggregates": [{"function": "sum", "column": "value", "as": "total"},
                   {"function": "quantile", "column": "value", "q": 0.9},
                   {"function": "count"},
                   {"function": "quantile", "column": "value", "q": 1, "as": null}],
    "order_by": ["-total", "category"],
    "limit": 100,
    "offset": 20,
    "distinct": false
  })"));
  EXPECT_TRUE(spec.select.empty());
  ASSERT_TRUE(spec.filter.has_value());
  const FilterSpec& root = *spec.filter;
  EXPECT_EQ(root.op, "and");
  ASSERT_TRUE(root.args.has_value());
  ASSERT_EQ(root.args->size(), 5U);
  const auto& args = *root.args;
  EXPECT_EQ(args[0].op, "=");
  EXPECT_EQ(args[0].column, "category");
  EXPECT_EQ(args[0].value, Value{std::string("A")});
  EXPECT_FALSE(args[0].values.has_value());
  ASSERT_NE(args[1].arg, nullptr);
  EXPECT_EQ(args[1].arg->op, "is_null");
  EXPECT_EQ(args[1].arg->column, "label");
  EXPECT_FALSE(args[1].column.has_value());
  EXPECT_EQ(args[2].values, (std::vector<Value>{std::string("north"), int64_t{2}, 2.5,
                                                true, std::monostate{}}));
  EXPECT_EQ(args[3].low, Value{int64_t{10}});
  EXPECT_EQ(args[3].high, Value{20.5});
  ASSERT_TRUE(args[4].args.has_value());
  EXPECT_EQ((*args[4].args)[1].value, Value{std::string("%")});
  EXPECT_EQ(spec.group_by, std::vector<std::string>{"category"});
  ASSERT_EQ(spec.aggregates.size(), 4U);
  EXPECT_EQ(spec.aggregates[0].function, "sum");
  EXPECT_EQ(spec.aggregates[0].column, "value");
  EXPECT_EQ(spec.aggregates[0].alias, "total");
  EXPECT_EQ(spec.aggregates[1].q, 0.9);
  EXPECT_FALSE(spec.aggregates[1].alias.has_value());
  EXPECT_FALSE(spec.aggregates[2].column.has_value());
  EXPECT_EQ(spec.aggregates[3].q, 1.0);
  EXPECT_EQ(spec.order_by, (std::vector<std::string>{"-total", "category"}));
  EXPECT_EQ(spec.limit, 100);
  EXPECT_EQ(spec.offset, 20);
  EXPECT_FALSE(spec.distinct);
}

TEST(QueryJsonTest, ReadsNumbersAndTheOtherForms) {
  struct ScalarCase {
    std::string json;
    Value value;
  };
  const std::vector<ScalarCase> cases = {
      {"1", int64_t{1}},
      {"-9223372036854775808", int64_t{-9223372036854775807 - 1}},
      {"18446744073709551615", 18446744073709551615.0},
      {"1.0", 1.0},
      {"1e2", 100.0},
      {"\"2024-01-01T00:00Z\"", std::string("2024-01-01T00:00Z")},
      {"\"\"", std::string()},
      {"false", false},
      {"null", std::monostate{}},
  };
  for (const auto& test_case : cases) {
    SCOPED_TRACE(test_case.json);
    ASSERT_OK_AND_ASSIGN(const FilterSpec filter,
                         ParseFilterJson(R"({"op": "=", "column": "c", "value": )" +
                                         test_case.json + "}"));
    ASSERT_TRUE(filter.value.has_value());
    EXPECT_EQ(*filter.value, test_case.value);
  }

  ASSERT_OK_AND_ASSIGN(const QuerySpec text_order,
                       ParseQueryJson(R"({"order_by": "-value, category"})"));
  EXPECT_EQ(text_order.order_by, (std::vector<std::string>{"-value", "category"}));

  ASSERT_OK_AND_ASSIGN(const QuerySpec nulls,
                       ParseQueryJson(R"({"select": null, "filter": null, "limit": null,
                                          "offset": null, "distinct": null,
                                          "aggregates": null, "group_by": null,
                                          "order_by": null})"));
  EXPECT_FALSE(nulls.filter.has_value());
  EXPECT_FALSE(nulls.limit.has_value());
  EXPECT_EQ(nulls.offset, 0);

  ASSERT_OK_AND_ASSIGN(const QuerySpec empty, ParseQueryJson("{}"));
  EXPECT_TRUE(empty.select.empty());
  ASSERT_OK_AND_ASSIGN(const QuerySpec distinct,
                       ParseQueryJson(R"({"distinct": true, "select": ["a", "b"]})"));
  EXPECT_TRUE(distinct.distinct);
  EXPECT_EQ(distinct.select, (std::vector<std::string>{"a", "b"}));
}

struct InvalidCase {
  std::string json;
  std::vector<ExpectedViolation> violations;
};

TEST(QueryJsonTest, ShapeProblemsNameTheirPath) {
  const std::vector<InvalidCase> cases = {
      {R"({"buckets": {"every": "1h"}})",
       {{"buckets", "unknown member; expected select"}}},
      {R"({"bucket": "ts"})", {{"bucket", "must be an object"}}},
      {R"({"bucket": {"column": 1, "every": 2, "width": "3", "origin": "0", "as": 4,
                      "size": 5}})",
       {{"bucket.column", "must be a string"},
        {"bucket.every", "must be a string"},
        {"bucket.width", "must be a number"},
        {"bucket.origin", "must be a number"},
        {"bucket.as", "must be a string"},
        {"bucket.size", "unknown member"}}},
      {R"({"cursor": 5})", {{"cursor", "must be a string"}}},
      {R"({"sample": {"rows": 10, "size": 3}})",
       {{"sample.size", "unknown member; expected rows"}}},
      {R"({"sample": 5})", {{"sample", "must be an object"}}},
      {R"({"select": "a,b"})", {{"select", "must be an array of strings"}}},
      {R"({"select": ["a", 1, null]})",
       {{"select[1]", "must be a string"}, {"select[2]", "must be a string"}}},
      {R"({"filter": []})", {{"filter", "must be a filter object"}}},
      {R"({"filter": {"op": "=", "colum": "a", "value": 1}})",
       {{"filter.colum", "unknown member; expected op, column, value"}}},
      {R"({"filter": {"op": 1}})", {{"filter.op", "must be a string"}}},
      {R"({"filter": {"op": "=", "column": ["a"], "value": {"x": 1}}})",
       {{"filter.column", "must be a string"},
        {"filter.value", "must be a string, number, boolean or null"}}},
      {R"({"filter": {"op": "in", "column": "a", "values": [1, [2], {}]}})",
       {{"filter.values[1]", "must be a string, number"},
        {"filter.values[2]", "must be a string, number"}}},
      {R"({"filter": {"op": "in", "column": "a", "values": 1}})",
       {{"filter.values", "must be an array of values"}}},
      {R"({"filter": {"op": "between", "column": "a", "low": [], "high": {}}})",
       {{"filter.low", "must be a string"}, {"filter.high", "must be a string"}}},
      {R"({"filter": {"op": "and", "args": {"op": "is_null"}}})",
       {{"filter.args", "must be an array of filters"}}},
      {R"({"filter": {"op": "or", "args": [{"op": "is_null", "column": "a"}, 3]}})",
       {{"filter.args[1]", "must be a filter object"}}},
      {R"({"filter": {"op": "not", "arg": {"op": "=", "column": "a", "value": [1]}}})",
       {{"filter.arg.value", "must be a string, number"}}},
      {R"({"filter": {"op": "and", "args": [{"op": "not", "arg": {"x": 1}}]}})",
       {{"filter.args[0].arg.x", "unknown member"}}},
      {R"({"aggregates": {"function": "count"}})",
       {{"aggregates", "must be an array of aggregates"}}},
      {R"({"aggregates": [{"function": "sum", "column": 1}, "count"]})",
       {{"aggregates[0].column", "must be a string"},
        {"aggregates[1]", "must be an object"}}},
      {R"({"aggregates": [{"fn": "sum", "function": null, "q": "0.5", "as": 3}]})",
       {{"aggregates[0].fn", "unknown member; expected function, column, as or q"},
        {"aggregates[0].function", "must be a string"},
        {"aggregates[0].q", "must be a number"},
        {"aggregates[0].as", "must be a string"}}},
      {R"({"group_by": "category"})", {{"group_by", "must be an array of strings"}}},
      {R"({"order_by": 5})", {{"order_by", "must be an array of strings"}}},
      {R"({"order_by": ["a", 5]})", {{"order_by[1]", "must be a string"}}},
      {R"({"limit": 1.5, "offset": "2"})",
       {{"limit", "must be an integer"}, {"offset", "must be an integer"}}},
      {R"({"limit": 18446744073709551615})", {{"limit", "must be an integer"}}},
      {R"({"distinct": "yes"})", {{"distinct", "must be true or false"}}},
  };
  for (const auto& test_case : cases) {
    SCOPED_TRACE(test_case.json);
    ExpectViolations(ParseQueryJson(test_case.json).status(), test_case.violations);
  }
}

TEST(QueryJsonTest, TextThatIsNotAQueryObjectHasNoViolations) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "the query is not valid JSON"},
      {"{\"select\": [}", "the query is not valid JSON"},
      {"[]", "the query must be a JSON object"},
      {"null", "the query must be a JSON object"},
      {std::string(200, '[') + std::string(200, ']'), "nests deeper than"},
  };
  for (const auto& [text, message] : cases) {
    SCOPED_TRACE(text);
    auto spec = ParseQueryJson(text);
    ASSERT_FALSE(spec.ok());
    EXPECT_NE(spec.status().message().find(message), std::string::npos)
        << spec.status().message();
    const auto* detail = domain::FindProblemDetail(spec.status());
    ASSERT_NE(detail, nullptr);
    EXPECT_EQ(detail->kind(), domain::ProblemKind::kInvalidInput);
    EXPECT_TRUE(detail->violations().empty());
  }
}

/// A filter of `depth` nested not nodes, as JSON.
std::string NestedNotJson(int depth) {
  std::string json = R"({"op": "is_null", "column": "label"})";
  for (int level = 1; level < depth; ++level) {
    json.insert(0, R"({"op": "not", "arg": )");
    json += "}";
  }
  return json;
}

TEST(QueryJsonTest, FiltersOneLevelTooDeepReachTheDomainWithTheirPath) {
  ASSERT_OK_AND_ASSIGN(
      const domain::Schema schema,
      domain::Schema::Make({{"label", "string"}, {"value", "float64"}}, {}));
  const int deepest = domain::Filter::kMaxDepth;
  ASSERT_OK_AND_ASSIGN(const QuerySpec fits,
                       ParseQueryJson(R"({"filter": )" + NestedNotJson(deepest) + "}"));
  ASSERT_OK(domain::Query::Make(fits, schema).status());

  ASSERT_OK_AND_ASSIGN(
      const QuerySpec too_deep,
      ParseQueryJson(R"({"filter": )" + NestedNotJson(deepest + 1) + "}"));
  std::string path = "filter";
  for (int level = 0; level < deepest; ++level) path += ".arg";
  ExpectViolations(domain::Query::Make(too_deep, schema).status(),
                   {{path, "nests deeper than 32 levels"}});
}

TEST(QueryJsonTest, DomainProblemsUseTheJsonPaths) {
  ASSERT_OK_AND_ASSIGN(
      const domain::Schema schema,
      domain::Schema::Make({{"category", "string"}, {"value", "float64"}}, {}));
  ASSERT_OK_AND_ASSIGN(const QuerySpec spec, ParseQueryJson(R"({
    "filter": {"op": "or", "args": [{"op": "=", "column": "category", "value": "A"},
                                    {"op": "=", "column": "value", "value": "high"}]},
    "group_by": ["category"],
    "aggregates": [{"function": "sum", "column": "category"},
                   {"function": "quantile", "column": "value", "q": 2}],
    "order_by": "-nope"
  })"));
  ExpectViolations(domain::Query::Make(spec, schema).status(),
                   {{"filter.args[1].value", "expected a number, got a string"},
                    {"aggregates[0].column", "'sum' needs a numeric or decimal column"},
                    {"aggregates[1].q", "from 0 to 1"},
                    {"order_by[0]", "'nope' is neither a group_by column"}});
}

TEST(QueryJsonTest, ReadsAFilterOnItsOwn) {
  ASSERT_OK_AND_ASSIGN(const FilterSpec filter,
                       ParseFilterJson(R"({"op": "in", "column": "region",
                                           "values": ["north", "east"]})"));
  EXPECT_EQ(filter.op, "in");
  EXPECT_EQ(filter.values,
            (std::vector<Value>{std::string("north"), std::string("east")}));
  ExpectViolations(
      ParseFilterJson(R"({"op": "=", "column": "a", "value": 1, "x": 2})").status(),
      {{"filter.x", "unknown member"}});
  ExpectViolations(ParseFilterJson("[1]").status(),
                   {{"filter", "must be a filter object"}});
  auto bad = ParseFilterJson("{");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("the filter is not valid JSON"),
            std::string::npos);
}

}  // namespace
}  // namespace quiver::http

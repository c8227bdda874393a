// BuildSelectSql and BuildCountSql, run on an in-memory DuckDB with 20 known rows:
// every operator, nesting, order, page, distinct and aggregate returns what a plain
// C++ oracle computes over the same rows.
#include "infrastructure/duckdb/query_sql.h"

#include <arrow/api.h>
#include <arrow/compute/cast.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "domain/query.h"
#include "domain/schema.h"
#include "infrastructure/duckdb/database.h"
#include "infrastructure/types/type_mapping.h"
#include "test_helpers.h"
#include "unit/domain/query_spec_builders.h"

namespace quiver::duckdb_adapter {
namespace {

using domain::FilterSpec;
using domain::Query;
using domain::QuerySpec;
using domain::Schema;
using domain::Value;
using domain::testing::Aggregated;
using domain::testing::And;
using domain::testing::Between;
using domain::testing::Compare;
using domain::testing::In;
using domain::testing::IsNull;
using domain::testing::Not;
using domain::testing::Or;
using domain::testing::Where;

constexpr std::string_view kTable = "quiver_data.\"t\"";
/// 2024-01-01T00:00:00Z in microseconds since the epoch.
constexpr int64_t kFirstHourMicros = int64_t{1'704'067'200} * 1'000'000;
constexpr int64_t kMicrosPerHour = int64_t{3'600} * 1'000'000;

/// One row of the test table, as the oracle sees it.
struct Row {
  int64_t id = 0;
  std::optional<int64_t> qty;
  std::optional<double> value;
  /// price in thousandths (the column is decimal(12, 3)).
  std::optional<int64_t> price_milli;
  std::optional<std::string> category;
  std::optional<std::string> label;
  /// ts in hours after 2024-01-01T00:00:00Z.
  std::optional<int64_t> ts_hour;
  /// day of February 2024.
  std::optional<int> day;
  /// at is HH:30:00 with this hour.
  std::optional<int> at_hour;
  std::optional<bool> flag;
  std::optional<std::string> payload;
  bool has_tags = false;
};

/// Labels with quotes, LIKE wildcards, a backslash, unicode, an empty string and null.
const std::vector<std::optional<std::string>> kLabels = {
    "item-1",  "item-2",   "item-10",     "it's",         "100%",      "a_b",
    "a%b",     "x'); --",  "ITEM-1",      "item_1",       "itemX1",    std::nullopt,
    "",        "quote\"d", "back\\slash", "na\xC3\xAFve", "percent%%", "under__score",
    "item-20", "a_bc",
};

std::vector<Row> MakeRows() {
  std::vector<Row> rows;
  for (int64_t id = 1; id <= 20; ++id) {
    Row row;
    row.id = id;
    if (id % 7 != 0) row.qty = id * 10;
    if (id % 6 != 0) row.value = static_cast<double>(id) * 1.25 - 5;
    if (id % 9 != 0) row.price_milli = id * 1234;
    if (id % 10 != 0) row.category = std::string(1, "ABC"[id % 3]);
    row.label = kLabels[static_cast<std::size_t>(id - 1)];
    if (id != 13) row.ts_hour = id * 5;
    if (id % 11 != 0) row.day = static_cast<int>(id);
    row.at_hour = static_cast<int>(id % 24);
    if (id % 5 != 0) row.flag = id % 2 == 0;
    if (id % 8 != 0) row.payload = "p" + std::to_string(id % 4);
    row.has_tags = id % 4 != 0;
    rows.push_back(row);
  }
  return rows;
}

Schema TestSchema() {
  auto schema = Schema::Make(
      {
          {"id", "int64", true},
          {"qty", "int32"},
          {"value", "float64"},
          {"price", "decimal(12, 3)"},
          {"category", "string"},
          {"label", "string"},
          {"ts", "timestamp(us, UTC)"},
          {"day", "date"},
          {"at", "time"},
          {"flag", "bool"},
          {"payload", "binary"},
          {"tags", "list<string>"},
      },
      {"id"});
  EXPECT_TRUE(schema.ok()) << schema.status().ToString();
  return std::move(schema).ValueOrDie();
}

std::string Quote(const std::string& text) {
  std::string quoted = "'";
  for (char character : text) {
    quoted += character;
    if (character == '\'') quoted += '\'';
  }
  return quoted + "'";
}

template <typename T, typename Format>
std::string Literal(const std::optional<T>& value, Format format) {
  return value ? format(*value) : "NULL";
}

std::string TwoDigits(int64_t number) {
  return (number < 10 ? "0" : "") + std::to_string(number);
}

std::string InsertSql(const Row& row) {
  auto text = [](const std::string& value) { return Quote(value); };
  auto integer = [](int64_t value) { return std::to_string(value); };
  auto number = [](double value) {
    return "CAST(" + std::to_string(value) + " AS DOUBLE)";
  };
  auto price = [](int64_t milli) {
    return "CAST(" + std::to_string(milli) + " AS DECIMAL(12,3)) / 1000";
  };
  auto timestamp = [](int64_t hour) {
    return "TIMESTAMPTZ '2024-01-" + TwoDigits(1 + hour / 24) + " " +
           TwoDigits(hour % 24) + ":00:00+00'";
  };
  auto day = [](int value) { return "DATE '2024-02-" + TwoDigits(value) + "'"; };
  auto time = [](int hour) { return "TIME '" + TwoDigits(hour) + ":30:00'"; };
  auto boolean = [](bool value) { return std::string(value ? "true" : "false"); };
  auto blob = [](const std::string& value) {
    return "CAST(" + Quote(value) + " AS BLOB)";
  };
  return "INSERT INTO quiver_data.\"t\" VALUES (" + std::to_string(row.id) + ", " +
         Literal(row.qty, integer) + ", " + Literal(row.value, number) + ", " +
         Literal(row.price_milli, price) + ", " + Literal(row.category, text) + ", " +
         Literal(row.label, text) + ", " + Literal(row.ts_hour, timestamp) + ", " +
         Literal(row.day, day) + ", " + Literal(row.at_hour, time) + ", " +
         Literal(row.flag, boolean) + ", " + Literal(row.payload, blob) + ", " +
         (row.has_tags ? "['t" + std::to_string(row.id) + "']" : "NULL") +
         // The row's position, numbered on as the store numbers appended rows.
         ", (SELECT count(*) FROM quiver_data.\"t\"))";
}

arrow::Result<std::shared_ptr<Connection>> OpenTable(const Schema& schema,
                                                     const std::vector<Row>& rows) {
  DatabaseOptions options;
  options.path = ":memory:";
  ARROW_ASSIGN_OR_RAISE(auto database, Database::Open(options));
  ARROW_ASSIGN_OR_RAISE(auto connection, database->Connect());
  ARROW_RETURN_NOT_OK(connection->Execute("CREATE SCHEMA quiver_data"));
  std::string create = "CREATE TABLE quiver_data.\"t\" (";
  for (std::size_t index = 0; index < schema.columns().size(); ++index) {
    const auto& column = schema.columns()[index];
    if (index > 0) create += ", ";
    create += types::QuoteIdentifier(column.name.value()) + " " +
              types::ToDuckDbType(column.type);
  }
  create += ", " + types::QuoteIdentifier(kRowColumn) + " BIGINT NOT NULL";
  ARROW_RETURN_NOT_OK(connection->Execute(create + ")"));
  for (const auto& row : rows) ARROW_RETURN_NOT_OK(connection->Execute(InsertSql(row)));
  return connection;
}

class QuerySqlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto connection = OpenTable(schema_, rows_);
    ASSERT_OK(connection.status());
    connection_ = *connection;
  }

  arrow::Result<std::shared_ptr<arrow::Table>> Run(const QuerySpec& spec) {
    ARROW_ASSIGN_OR_RAISE(const Query query, Query::Make(spec, schema_));
    ARROW_ASSIGN_OR_RAISE(auto statement, BuildSelectSql(kTable, schema_, query));
    return connection_->Fetch(statement.sql, statement.parameters);
  }

  arrow::Result<int64_t> Count(const QuerySpec& spec) {
    ARROW_ASSIGN_OR_RAISE(const Query query, Query::Make(spec, schema_));
    ARROW_ASSIGN_OR_RAISE(auto statement, BuildCountSql(kTable, schema_, query));
    ARROW_ASSIGN_OR_RAISE(auto table,
                          connection_->Fetch(statement.sql, statement.parameters));
    if (table->num_rows() != 1 || table->schema()->field(0)->name() != "count") {
      return arrow::Status::Invalid("the count query returned ", table->ToString());
    }
    ARROW_ASSIGN_OR_RAISE(auto scalar, table->column(0)->GetScalar(0));
    return static_cast<const arrow::Int64Scalar&>(*scalar).value;
  }

  /// The ids of the rows the oracle keeps, in id order.
  std::vector<int64_t> Expected(const std::function<bool(const Row&)>& keep) const {
    std::vector<int64_t> ids;
    for (const auto& row : rows_) {
      if (keep(row)) ids.push_back(row.id);
    }
    return ids;
  }

  const Row& RowWithId(int64_t id) const {
    return rows_[static_cast<std::size_t>(id - 1)];
  }

  Schema schema_ = TestSchema();
  std::vector<Row> rows_ = MakeRows();
  std::shared_ptr<Connection> connection_;
};

/// The cells of a column as scalars, across chunks.
std::vector<std::shared_ptr<arrow::Scalar>> Cells(const arrow::Table& table,
                                                  const std::string& name) {
  std::vector<std::shared_ptr<arrow::Scalar>> cells;
  auto column = table.GetColumnByName(name);
  EXPECT_NE(column, nullptr) << "no column " << name << " in "
                             << table.schema()->ToString();
  if (column == nullptr) return cells;
  for (int64_t row = 0; row < column->length(); ++row) {
    auto scalar = column->GetScalar(row);
    EXPECT_TRUE(scalar.ok()) << scalar.status().ToString();
    cells.push_back(scalar.ValueOr(nullptr));
  }
  return cells;
}

std::vector<int64_t> Int64s(const arrow::Table& table, const std::string& name) {
  std::vector<int64_t> values;
  for (const auto& cell : Cells(table, name)) {
    auto as_int64 = cell->CastTo(arrow::int64());
    EXPECT_TRUE(as_int64.ok()) << as_int64.status().ToString();
    if (!as_int64.ok()) continue;
    values.push_back(static_cast<const arrow::Int64Scalar&>(**as_int64).value);
  }
  return values;
}

/// Numbers (any numeric or decimal type) as doubles; nulls as nothing.
std::vector<std::optional<double>> Numbers(const arrow::Table& table,
                                           const std::string& name) {
  std::vector<std::optional<double>> values;
  auto column = table.GetColumnByName(name);
  EXPECT_NE(column, nullptr) << "no column " << name;
  if (column == nullptr) return values;
  // Scalar::CastTo cannot cast decimals; the compute kernel can.
  auto as_double = arrow::compute::Cast(arrow::Datum(column), arrow::float64());
  EXPECT_TRUE(as_double.ok()) << column->type()->ToString() << ": "
                              << as_double.status().ToString();
  if (!as_double.ok()) return values;
  const auto doubles = as_double->chunked_array();
  for (int64_t row = 0; row < doubles->length(); ++row) {
    auto cell = doubles->GetScalar(row);
    EXPECT_TRUE(cell.ok()) << cell.status().ToString();
    if (!cell.ok() || !(*cell)->is_valid) {
      values.emplace_back();
      continue;
    }
    values.emplace_back(static_cast<const arrow::DoubleScalar&>(**cell).value);
  }
  return values;
}

std::vector<std::optional<std::string>> Strings(const arrow::Table& table,
                                                const std::string& name) {
  std::vector<std::optional<std::string>> values;
  for (const auto& cell : Cells(table, name)) {
    if (!cell->is_valid) {
      values.emplace_back();
      continue;
    }
    values.emplace_back(static_cast<const arrow::StringScalar&>(*cell).value->ToString());
  }
  return values;
}

QuerySpec Ids(FilterSpec filter) {
  QuerySpec spec = Where(std::move(filter));
  spec.select = {"id"};
  spec.order_by = {"id"};
  return spec;
}

bool Has(const std::optional<std::string>& text, std::string_view part) {
  return text && text->find(part) != std::string::npos;
}

bool StartsWith(const std::optional<std::string>& text, std::string_view prefix) {
  return text && text->compare(0, prefix.size(), prefix) == 0;
}

bool OneOf(const std::optional<int64_t>& value,
           std::initializer_list<int64_t> candidates) {
  return value &&
         std::find(candidates.begin(), candidates.end(), *value) != candidates.end();
}

struct FilterCase {
  std::string description;
  FilterSpec filter;
  std::function<bool(const Row&)> oracle;
};

std::vector<FilterCase> FilterCases() {
  const std::string injection = "x'); DROP TABLE quiver_data.\"t\"; --";
  return {
      {"= on an integer", Compare("=", "qty", int64_t{30}),
       [](const Row& row) { return row.qty == 30; }},
      {"= on a column named in another case", Compare("=", "QTY", int64_t{30}),
       [](const Row& row) { return row.qty == 30; }},
      {"!= on a string (nulls never match)", Compare("!=", "category", std::string("A")),
       [](const Row& row) { return row.category && *row.category != "A"; }},
      {"< on a double", Compare("<", "value", int64_t{0}),
       [](const Row& row) { return row.value && *row.value < 0; }},
      {"<= with an integral double", Compare("<=", "value", 5.0),
       [](const Row& row) { return row.value && *row.value <= 5; }},
      {"> on a decimal from text", Compare(">", "price", std::string("12.340")),
       [](const Row& row) { return row.price_milli && *row.price_milli > 12340; }},
      {">= on a decimal from a number", Compare(">=", "price", 5.5),
       [](const Row& row) { return row.price_milli && *row.price_milli >= 5500; }},
      {"= on a timestamp given with an offset",
       Compare("=", "ts", std::string("2024-01-01T10:00:00+05:00")),
       [](const Row& row) { return row.ts_hour == 5; }},
      {"< on a timestamp in UTC", Compare("<", "ts", std::string("2024-01-02T00:00Z")),
       [](const Row& row) { return row.ts_hour && *row.ts_hour < 24; }},
      {"> on a timestamp without an offset (UTC)",
       Compare(">", "ts", std::string("2024-01-04 12:00")),
       [](const Row& row) { return row.ts_hour && *row.ts_hour > 84; }},
      {"> on a date", Compare(">", "day", std::string("2024-02-15")),
       [](const Row& row) { return row.day && *row.day > 15; }},
      {"= on a time", Compare("=", "at", std::string("07:30")),
       [](const Row& row) { return row.at_hour == 7; }},
      {"= on a boolean", Compare("=", "flag", true),
       [](const Row& row) { return row.flag == true; }},
      {"!= on a boolean", Compare("!=", "flag", true),
       [](const Row& row) { return row.flag == false; }},
      {"= on binary", Compare("=", "payload", std::string("p1")),
       [](const Row& row) { return row.payload == "p1"; }},
      {"= on binary with hex escapes", Compare("=", "payload", std::string("\\x70\\x31")),
       [](const Row& row) { return row.payload == "p1"; }},
      {"in strings", In("category", {std::string("A"), std::string("C")}),
       [](const Row& row) { return row.category == "A" || row.category == "C"; }},
      {"in integers given as mixed numbers", In("qty", {int64_t{10}, 20.0, int64_t{999}}),
       [](const Row& row) {
         return OneOf(row.qty, {10, 20});
       }},
      {"in timestamps",
       In("ts", {std::string("2024-01-01T05:00:00Z"), std::string("2024-01-01 15:00")}),
       [](const Row& row) {
         return OneOf(row.ts_hour, {5, 15});
       }},
      {"in binary", In("payload", {std::string("p0"), std::string("p2")}),
       [](const Row& row) { return row.payload == "p0" || row.payload == "p2"; }},
      {"between integers", Between("qty", int64_t{40}, int64_t{80}),
       [](const Row& row) { return row.qty && *row.qty >= 40 && *row.qty <= 80; }},
      {"between decimals", Between("price", std::string("2.468"), 9.872),
       [](const Row& row) {
         return row.price_milli && *row.price_milli >= 2468 && *row.price_milli <= 9872;
       }},
      {"between dates",
       Between("day", std::string("2024-02-03"), std::string("2024-02-12")),
       [](const Row& row) { return row.day && *row.day >= 3 && *row.day <= 12; }},
      {"is_null on a string", IsNull("label"), [](const Row& row) { return !row.label; }},
      {"is_null on a list", IsNull("tags"), [](const Row& row) { return !row.has_tags; }},
      {"not is_null", Not(IsNull("value")),
       [](const Row& row) { return row.value.has_value(); }},
      {"starts_with", Compare("starts_with", "label", std::string("item-1")),
       [](const Row& row) { return StartsWith(row.label, "item-1"); }},
      {"starts_with an underscore matches it literally",
       Compare("starts_with", "label", std::string("item_")),
       [](const Row& row) { return StartsWith(row.label, "item_"); }},
      {"starts_with is case sensitive",
       Compare("starts_with", "label", std::string("ITEM")),
       [](const Row& row) { return StartsWith(row.label, "ITEM"); }},
      {"contains a percent sign literally",
       Compare("contains", "label", std::string("%")),
       [](const Row& row) { return Has(row.label, "%"); }},
      {"contains two percent signs", Compare("contains", "label", std::string("%%")),
       [](const Row& row) { return Has(row.label, "%%"); }},
      {"contains an underscore literally", Compare("contains", "label", std::string("_")),
       [](const Row& row) { return Has(row.label, "_"); }},
      {"contains a single quote", Compare("contains", "label", std::string("'")),
       [](const Row& row) { return Has(row.label, "'"); }},
      {"contains a double quote", Compare("contains", "label", std::string("\"")),
       [](const Row& row) { return Has(row.label, "\""); }},
      {"contains a backslash", Compare("contains", "label", std::string("\\")),
       [](const Row& row) { return Has(row.label, "\\"); }},
      {"contains unicode", Compare("contains", "label", std::string("\xC3\xAF")),
       [](const Row& row) { return Has(row.label, "\xC3\xAF"); }},
      {"contains the empty string", Compare("contains", "label", std::string("")),
       [](const Row& row) { return row.label.has_value(); }},
      {"and",
       And({Compare(">", "value", int64_t{0}),
            Compare("=", "category", std::string("B"))}),
       [](const Row& row) { return row.value > 0 && row.category == "B"; }},
      {"or with a null test", Or({Compare("<", "qty", int64_t{30}), IsNull("label")}),
       [](const Row& row) { return (row.qty && *row.qty < 30) || !row.label; }},
      {"not", Not(Compare("=", "category", std::string("A"))),
       [](const Row& row) { return row.category && *row.category != "A"; }},
      {"not of or: unknown stays unknown",
       Not(Or({Compare(">", "value", int64_t{8}),
               Compare("=", "category", std::string("A"))})),
       [](const Row& row) {
         return row.value && !(*row.value > 8) && row.category && *row.category != "A";
       }},
      {"and of or and not of and",
       And({Or({Compare("=", "category", std::string("A")),
                Compare("=", "category", std::string("B"))}),
            Not(And({Compare("=", "flag", true), Compare(">", "qty", int64_t{100})})),
            Not(IsNull("ts"))}),
       [](const Row& row) {
         const bool category = row.category == "A" || row.category == "B";
         // NOT (a AND b) is true when a or b is false, unknown when neither is false.
         const bool flag_false = row.flag == false;
         const bool qty_false = row.qty && *row.qty <= 100;
         return category && (flag_false || qty_false) && row.ts_hour.has_value();
       }},
      {"a single operand and", And({Compare("=", "id", int64_t{4})}),
       [](const Row& row) { return row.id == 4; }},
      {"an injection attempt is only a value", Compare("=", "label", injection),
       [](const Row&) { return false; }},
      {"an injection attempt in contains is only a value",
       Compare("contains", "label", std::string("'); DROP")),
       [](const Row&) { return false; }},
  };
}

TEST_F(QuerySqlTest, EveryOperatorMatchesTheOracle) {
  for (const auto& test_case : FilterCases()) {
    SCOPED_TRACE(test_case.description);
    const std::vector<int64_t> expected = Expected(test_case.oracle);
    ASSERT_OK_AND_ASSIGN(auto table, Run(Ids(test_case.filter)));
    EXPECT_EQ(Int64s(*table, "id"), expected);
    ASSERT_OK_AND_ASSIGN(const int64_t count, Count(Ids(test_case.filter)));
    EXPECT_EQ(count, static_cast<int64_t>(expected.size()));
  }
  // Not every case may match nothing or everything, or the oracle proves little.
  std::set<std::size_t> sizes;
  for (const auto& test_case : FilterCases())
    sizes.insert(Expected(test_case.oracle).size());
  EXPECT_GT(sizes.size(), 10U);
}

TEST_F(QuerySqlTest, ValuesNeverBecomeSqlText) {
  const std::string injection = "x'); DROP TABLE quiver_data.\"t\"; --";
  ASSERT_OK_AND_ASSIGN(const Query query,
                       Query::Make(Ids(Or({Compare("=", "label", injection),
                                           Compare("contains", "category", injection)})),
                                   schema_));
  ASSERT_OK_AND_ASSIGN(auto statement, BuildSelectSql(kTable, schema_, query));
  EXPECT_EQ(statement.sql.find("DROP"), std::string::npos) << statement.sql;
  EXPECT_EQ(statement.parameters,
            (Parameters{Parameter{injection}, Parameter{injection}}));
  ASSERT_OK_AND_ASSIGN(auto table,
                       connection_->Fetch(statement.sql, statement.parameters));
  EXPECT_EQ(table->num_rows(), 0);
  ASSERT_OK_AND_ASSIGN(const int64_t all, Count(QuerySpec{}));
  EXPECT_EQ(all, 20);
}

TEST_F(QuerySqlTest, WritesQuotedIdentifiersAndTypedParameters) {
  QuerySpec spec = Where(And({Compare(">=", "price", std::string("1.5")),
                              Compare("<", "ts", std::string("2024-01-02T00:00Z")),
                              Not(In("category", {std::string("A"), std::string("B")})),
                              Compare("starts_with", "label", std::string("it"))}));
  spec.select = {"ID", "price"};
  spec.order_by = {"-price", "id"};
  spec.limit = 5;
  spec.offset = 2;
  ASSERT_OK_AND_ASSIGN(const Query query, Query::Make(spec, schema_));
  ASSERT_OK_AND_ASSIGN(auto statement, BuildSelectSql(kTable, schema_, query));
  EXPECT_EQ(
      statement.sql,
      "SELECT \"id\", \"price\" FROM quiver_data.\"t\" WHERE (\"price\" >= CAST(? AS "
      "DECIMAL(12,3)) AND \"ts\" < CAST(? AS TIMESTAMPTZ) AND NOT (\"category\" IN "
      "(CAST(? AS VARCHAR), CAST(? AS VARCHAR))) AND starts_with(\"label\", CAST(? "
      "AS VARCHAR))) ORDER BY \"price\" DESC NULLS LAST, \"id\" ASC NULLS LAST, "
      "\"_quiver_row\" ASC NULLS LAST LIMIT 5 OFFSET 2");
  EXPECT_EQ(statement.parameters,
            (Parameters{std::string("1.5"), std::string("2024-01-02 00:00:00+00:00"),
                        std::string("A"), std::string("B"), std::string("it")}));
  ASSERT_OK_AND_ASSIGN(auto count, BuildCountSql(kTable, schema_, query));
  EXPECT_EQ(
      count.sql.rfind("SELECT count(*) AS \"count\" FROM quiver_data.\"t\" WHERE (", 0),
      0U)
      << count.sql;
  EXPECT_EQ(count.parameters.size(), 5U);

  QuerySpec grouped;
  grouped.group_by = {"category"};
  grouped.aggregates = {Aggregated("quantile", "value", "p90", 0.9),
                        Aggregated("count_distinct", "flag"),
                        Aggregated("count", std::nullopt)};
  ASSERT_OK_AND_ASSIGN(const Query aggregate, Query::Make(grouped, schema_));
  ASSERT_OK_AND_ASSIGN(auto aggregate_sql, BuildSelectSql(kTable, schema_, aggregate));
  EXPECT_EQ(
      aggregate_sql.sql,
      "SELECT \"category\", quantile_cont(\"value\", CAST(? AS DOUBLE)) AS \"p90\", "
      "count(DISTINCT \"flag\") AS \"count_distinct_flag\", count(*) AS \"count\" "
      "FROM quiver_data.\"t\" GROUP BY \"category\"");
  EXPECT_EQ(aggregate_sql.parameters, (Parameters{0.9}));
}

std::vector<int64_t> SortedIds(
    std::vector<Row> rows, const std::function<bool(const Row&, const Row&)>& before) {
  std::stable_sort(rows.begin(), rows.end(), before);
  std::vector<int64_t> ids;
  ids.reserve(rows.size());
  for (const auto& row : rows) ids.push_back(row.id);
  return ids;
}

TEST_F(QuerySqlTest, OrdersAscendingAndDescendingWithNullsLast) {
  QuerySpec by_value;
  by_value.select = {"id"};
  by_value.order_by = {"-value"};
  ASSERT_OK_AND_ASSIGN(auto descending, Run(by_value));
  EXPECT_EQ(Int64s(*descending, "id"),
            SortedIds(rows_, [](const Row& left, const Row& right) {
              if (!left.value || !right.value)
                return left.value.has_value() && !right.value;
              return *left.value > *right.value;
            }));

  QuerySpec by_two;
  by_two.select = {"id", "category"};
  by_two.order_by = domain::SplitOrderBy("category, -id");
  ASSERT_OK_AND_ASSIGN(auto two_keys, Run(by_two));
  EXPECT_EQ(Int64s(*two_keys, "id"),
            SortedIds(rows_, [](const Row& left, const Row& right) {
              if (left.category != right.category) {
                if (!left.category || !right.category) return left.category.has_value();
                return *left.category < *right.category;
              }
              return left.id > right.id;
            }));
}

TEST_F(QuerySqlTest, PagesWithLimitAndOffset) {
  struct PageCase {
    std::optional<int64_t> limit;
    int64_t offset;
    std::vector<int64_t> ids;
  };
  const std::vector<PageCase> cases = {
      {5, 0, {1, 2, 3, 4, 5}},
      {5, 3, {4, 5, 6, 7, 8}},
      {0, 0, {}},
      {3, 19, {20}},
      {10, 25, {}},
      {std::nullopt, 17, {18, 19, 20}},
  };
  for (const auto& test_case : cases) {
    SCOPED_TRACE(std::to_string(test_case.limit.value_or(-1)) + " " +
                 std::to_string(test_case.offset));
    QuerySpec spec;
    spec.select = {"id"};
    spec.order_by = {"id"};
    spec.limit = test_case.limit;
    spec.offset = test_case.offset;
    ASSERT_OK_AND_ASSIGN(auto table, Run(spec));
    EXPECT_EQ(Int64s(*table, "id"), test_case.ids);
    ASSERT_OK_AND_ASSIGN(const int64_t count, Count(spec));
    EXPECT_EQ(count, 20) << "the count ignores the page";
  }
}

TEST_F(QuerySqlTest, WindowsInInsertionOrderAreFoundByPosition) {
  std::vector<int64_t> inserted;
  for (const auto& row : rows_) inserted.push_back(row.id);
  for (const auto& [limit, offset] :
       std::vector<std::pair<std::optional<int64_t>, int64_t>>{
           {5, 3},
           {3, 19},
           {10, 25},
           {std::nullopt, 17},
           {1, 1},
           {std::numeric_limits<int64_t>::max(), 18}}) {
    SCOPED_TRACE(std::to_string(limit.value_or(-1)) + " " + std::to_string(offset));
    QuerySpec spec;
    spec.select = {"id"};
    spec.limit = limit;
    spec.offset = offset;
    ASSERT_OK_AND_ASSIGN(const Query query, Query::Make(spec, schema_));
    ASSERT_OK_AND_ASSIGN(auto statement, BuildSelectSql(kTable, schema_, query));
    EXPECT_EQ(statement.sql.find("OFFSET"), std::string::npos) << statement.sql;
    EXPECT_NE(statement.sql.find("\"_quiver_row\" >= " + std::to_string(offset)),
              std::string::npos)
        << statement.sql;
    ASSERT_OK_AND_ASSIGN(auto count, BuildCountSql(kTable, schema_, query));
    EXPECT_EQ(count.sql.find("_quiver_row"), std::string::npos)
        << "the count ignores the window: " << count.sql;
    ASSERT_OK_AND_ASSIGN(auto table, Run(spec));
    const auto begin =
        std::min<std::size_t>(static_cast<std::size_t>(offset), inserted.size());
    const auto end =
        limit ? std::min(begin + static_cast<std::size_t>(*limit), inserted.size())
              : inserted.size();
    EXPECT_EQ(Int64s(*table, "id"),
              std::vector<int64_t>(inserted.begin() + static_cast<std::ptrdiff_t>(begin),
                                   inserted.begin() + static_cast<std::ptrdiff_t>(end)));
  }
  // With a filter the position is not the offset: DuckDB counts the matching rows.
  QuerySpec filtered = Where(Compare(">", "id", int64_t{4}));
  filtered.select = {"id"};
  filtered.limit = 2;
  filtered.offset = 3;
  ASSERT_OK_AND_ASSIGN(auto table, Run(filtered));
  std::vector<int64_t> matching;
  for (int64_t id : inserted) {
    if (id > 4) matching.push_back(id);
  }
  EXPECT_EQ(Int64s(*table, "id"),
            std::vector<int64_t>(matching.begin() + 3, matching.begin() + 5));
}

TEST_F(QuerySqlTest, SelectsDistinctRows) {
  QuerySpec spec;
  spec.select = {"category"};
  spec.distinct = true;
  spec.order_by = {"category"};
  ASSERT_OK_AND_ASSIGN(auto table, Run(spec));
  EXPECT_EQ(Strings(*table, "category"),
            (std::vector<std::optional<std::string>>{"A", "B", "C", std::nullopt}));
  ASSERT_OK_AND_ASSIGN(const int64_t count, Count(spec));
  EXPECT_EQ(count, 4);

  spec.select = {"category", "flag"};
  spec.filter = Compare("=", "category", std::string("A"));
  ASSERT_OK_AND_ASSIGN(auto pairs, Run(spec));
  std::set<std::optional<bool>> flags;
  for (const auto& row : rows_) {
    if (row.category == "A") flags.insert(row.flag);
  }
  EXPECT_EQ(pairs->num_rows(), static_cast<int64_t>(flags.size()));
  ASSERT_OK_AND_ASSIGN(const int64_t pair_count, Count(spec));
  EXPECT_EQ(pair_count, static_cast<int64_t>(flags.size()));
}

/// What the oracle computes for one group.
struct GroupOracle {
  int64_t rows = 0;
  std::vector<double> values;
  std::set<bool> flags;
  std::optional<double> qty_sum;
  std::optional<int64_t> min_price_milli;
  std::optional<int64_t> max_ts_hour;
  std::optional<std::string> max_label;
  int64_t price_sum_milli = 0;
  bool has_price = false;

  void Add(const Row& row) {
    ++rows;
    if (row.value) values.push_back(*row.value);
    if (row.flag) flags.insert(*row.flag);
    if (row.qty) qty_sum = qty_sum.value_or(0) + static_cast<double>(*row.qty);
    if (row.price_milli) {
      min_price_milli =
          std::min(min_price_milli.value_or(*row.price_milli), *row.price_milli);
      price_sum_milli += *row.price_milli;
      has_price = true;
    }
    if (row.ts_hour)
      max_ts_hour = std::max(max_ts_hour.value_or(*row.ts_hour), *row.ts_hour);
    if (row.label && (!max_label || *row.label > *max_label)) max_label = row.label;
  }

  std::optional<double> Mean() const {
    if (values.empty()) return std::nullopt;
    double sum = 0;
    for (double value : values) sum += value;
    return sum / static_cast<double>(values.size());
  }

  std::optional<double> SampleStddev() const {
    if (values.size() < 2) return std::nullopt;
    const double mean = *Mean();
    double squares = 0;
    for (double value : values) squares += (value - mean) * (value - mean);
    return std::sqrt(squares / static_cast<double>(values.size() - 1));
  }

  /// Linear interpolation between the closest ranks, as quantile_cont does.
  std::optional<double> Quantile(double q) const {
    if (values.empty()) return std::nullopt;
    std::vector<double> sorted = values;
    std::sort(sorted.begin(), sorted.end());
    const double position = q * static_cast<double>(sorted.size() - 1);
    const auto lower = static_cast<std::size_t>(std::floor(position));
    const auto upper = static_cast<std::size_t>(std::ceil(position));
    return sorted[lower] +
           (position - static_cast<double>(lower)) * (sorted[upper] - sorted[lower]);
  }
};

void ExpectNear(const std::optional<double>& actual,
                const std::optional<double>& expected, const std::string& what) {
  ASSERT_EQ(actual.has_value(), expected.has_value()) << what;
  if (!expected) return;
  EXPECT_NEAR(*actual, *expected, 1e-9 * std::max(1.0, std::fabs(*expected))) << what;
}

TEST_F(QuerySqlTest, AggregatesEveryFunctionPerGroup) {
  QuerySpec spec;
  spec.filter = Compare("!=", "id", int64_t{1});
  spec.group_by = {"category"};
  spec.aggregates = {
      Aggregated("count", std::nullopt),
      Aggregated("count", "value"),
      Aggregated("count_distinct", "flag"),
      Aggregated("sum", "qty"),
      Aggregated("sum", "price"),
      Aggregated("mean", "value"),
      Aggregated("min", "price"),
      Aggregated("max", "ts"),
      Aggregated("max", "label"),
      Aggregated("stddev", "value"),
      Aggregated("quantile", "value", "median", 0.5),
      Aggregated("quantile", "value", "p90", 0.9),
  };
  spec.order_by = {"category"};
  ASSERT_OK_AND_ASSIGN(auto table, Run(spec));

  std::map<std::optional<std::string>, GroupOracle> groups;
  for (const auto& row : rows_) {
    if (row.id != 1) groups[row.category].Add(row);
  }
  // std::map orders nullopt first; the query sorts nulls last.
  std::vector<std::pair<std::optional<std::string>, GroupOracle>> expected(
      std::next(groups.begin()), groups.end());
  expected.emplace_back(*groups.begin());
  ASSERT_EQ(table->num_rows(), static_cast<int64_t>(expected.size()));

  const auto categories = Strings(*table, "category");
  const auto counts = Int64s(*table, "count");
  const auto value_counts = Int64s(*table, "count_value");
  const auto distinct_flags = Int64s(*table, "count_distinct_flag");
  const auto qty_sums = Numbers(*table, "sum_qty");
  const auto price_sums = Numbers(*table, "sum_price");
  const auto means = Numbers(*table, "mean_value");
  const auto min_prices = Numbers(*table, "min_price");
  const auto max_ts = Int64s(*table, "max_ts");
  const auto max_labels = Strings(*table, "max_label");
  const auto stddevs = Numbers(*table, "stddev_value");
  const auto medians = Numbers(*table, "median");
  const auto p90s = Numbers(*table, "p90");
  for (std::size_t index = 0; index < expected.size(); ++index) {
    const auto& [category, oracle] = expected[index];
    SCOPED_TRACE(category.value_or("null"));
    EXPECT_EQ(categories[index], category);
    EXPECT_EQ(counts[index], oracle.rows);
    EXPECT_EQ(value_counts[index], static_cast<int64_t>(oracle.values.size()));
    EXPECT_EQ(distinct_flags[index], static_cast<int64_t>(oracle.flags.size()));
    ExpectNear(qty_sums[index], oracle.qty_sum, "sum_qty");
    ExpectNear(price_sums[index],
               oracle.has_price ? std::optional<double>(
                                      static_cast<double>(oracle.price_sum_milli) / 1000)
                                : std::nullopt,
               "sum_price");
    ExpectNear(means[index], oracle.Mean(), "mean_value");
    ExpectNear(
        min_prices[index],
        oracle.min_price_milli
            ? std::optional<double>(static_cast<double>(*oracle.min_price_milli) / 1000)
            : std::nullopt,
        "min_price");
    ASSERT_TRUE(oracle.max_ts_hour.has_value());
    EXPECT_EQ(max_ts[index], kFirstHourMicros + *oracle.max_ts_hour * kMicrosPerHour);
    EXPECT_EQ(max_labels[index], oracle.max_label);
    ExpectNear(stddevs[index], oracle.SampleStddev(), "stddev_value");
    ExpectNear(medians[index], oracle.Quantile(0.5), "median");
    ExpectNear(p90s[index], oracle.Quantile(0.9), "p90");
  }
  ASSERT_OK_AND_ASSIGN(const int64_t group_count, Count(spec));
  EXPECT_EQ(group_count, static_cast<int64_t>(expected.size()));
}

TEST_F(QuerySqlTest, AggregatesWithoutGroupsAndGroupsWithoutAggregates) {
  QuerySpec totals;
  totals.aggregates = {Aggregated("count", std::nullopt),
                       Aggregated("max", "qty", "top")};
  ASSERT_OK_AND_ASSIGN(auto table, Run(totals));
  EXPECT_EQ(Int64s(*table, "count"), std::vector<int64_t>{20});
  EXPECT_EQ(Int64s(*table, "top"), std::vector<int64_t>{200});
  ASSERT_OK_AND_ASSIGN(const int64_t one, Count(totals));
  EXPECT_EQ(one, 1);

  QuerySpec groups;
  groups.group_by = {"flag", "category"};
  groups.order_by = {"-flag", "category"};
  groups.limit = 3;
  ASSERT_OK_AND_ASSIGN(auto grouped, Run(groups));
  EXPECT_EQ(grouped->num_columns(), 2);
  EXPECT_EQ(grouped->num_rows(), 3);
  EXPECT_EQ(Strings(*grouped, "category"),
            (std::vector<std::optional<std::string>>{"A", "B", "C"}));
  std::set<std::pair<std::optional<bool>, std::optional<std::string>>> distinct;
  for (const auto& row : rows_) distinct.insert({row.flag, row.category});
  ASSERT_OK_AND_ASSIGN(const int64_t count, Count(groups));
  EXPECT_EQ(count, static_cast<int64_t>(distinct.size()));
}

TEST_F(QuerySqlTest, SortsByAnAggregateWhoseNameIsAlsoAColumn) {
  // "value" names both a table column and the result; ORDER BY must mean the result.
  QuerySpec spec;
  spec.group_by = {"category"};
  spec.aggregates = {Aggregated("count", std::nullopt, "value")};
  spec.filter = Not(IsNull("category"));
  spec.order_by = {"-value", "category"};
  ASSERT_OK_AND_ASSIGN(auto table, Run(spec));
  std::map<std::string, int64_t> counts;
  for (const auto& row : rows_) {
    if (row.category) ++counts[*row.category];
  }
  std::vector<std::pair<int64_t, std::string>> expected;
  expected.reserve(counts.size());
  for (const auto& [category, count] : counts) expected.emplace_back(-count, category);
  std::sort(expected.begin(), expected.end());
  std::vector<std::optional<std::string>> categories;
  categories.reserve(expected.size());
  for (const auto& entry : expected) categories.emplace_back(entry.second);
  EXPECT_EQ(Strings(*table, "category"), categories);
}

TEST_F(QuerySqlTest, SelectsEveryColumnInSchemaOrderByDefault) {
  QuerySpec spec;
  spec.filter = Compare("=", "id", int64_t{4});
  ASSERT_OK_AND_ASSIGN(auto table, Run(spec));
  ASSERT_EQ(table->num_columns(), static_cast<int>(schema_.size()));
  for (std::size_t index = 0; index < schema_.size(); ++index) {
    EXPECT_EQ(table->schema()->field(static_cast<int>(index))->name(),
              schema_.columns()[index].name.value());
  }
  EXPECT_EQ(Strings(*table, "label"), std::vector<std::optional<std::string>>{"it's"});
}

TEST_F(QuerySqlTest, RefusesAQueryMadeForAnotherSchema) {
  ASSERT_OK_AND_ASSIGN(const Query query, Query::Make(Ids(IsNull("label")), schema_));
  ASSERT_OK_AND_ASSIGN(const Schema other,
                       Schema::Make({{"id", "int64"}, {"label", "int32"}}, {}));
  auto statement = BuildSelectSql(kTable, other, query);
  ASSERT_FALSE(statement.ok());
  EXPECT_TRUE(statement.status().IsInvalid());
  EXPECT_NE(statement.status().message().find("label"), std::string::npos);
  EXPECT_FALSE(BuildCountSql(kTable, other, query).ok());
}

/// Walks every cursor page of `spec` (its limit is the page size) the way ReadRows
/// does: the page's last row first, then the rows up to it. `between` runs after
/// each page (to add rows mid-walk). Returns the ids in the order they came.
arrow::Result<std::vector<int64_t>> Walk(
    Connection& connection, const Schema& schema, QuerySpec spec,
    const std::function<arrow::Status(int)>& between = {}) {
  std::vector<int64_t> ids;
  for (int page = 0; page < 200; ++page) {
    ARROW_ASSIGN_OR_RAISE(Query query, Query::Make(spec, schema));
    if (!query.paged()) return arrow::Status::Invalid("not a cursor page");
    ARROW_ASSIGN_OR_RAISE(auto end_sql, BuildPageEndSql(kTable, schema, query));
    ARROW_ASSIGN_OR_RAISE(auto end, connection.Fetch(end_sql.sql, end_sql.parameters));
    std::optional<domain::KeyValues> last;
    if (end->num_rows() == 1) {
      last.emplace();
      for (int column = 0; column < end->num_columns(); ++column) {
        ARROW_ASSIGN_OR_RAISE(auto cell, end->column(column)->GetScalar(0));
        if (!cell->is_valid) {
          last->emplace_back(std::nullopt);
        } else {
          last->emplace_back(
              static_cast<const arrow::StringScalar&>(*cell).value->ToString());
        }
      }
    }
    const Query bounded = last ? query.EndingAt(*last) : query;
    ARROW_ASSIGN_OR_RAISE(auto sql, BuildSelectSql(kTable, schema, bounded));
    ARROW_ASSIGN_OR_RAISE(auto rows, connection.Fetch(sql.sql, sql.parameters));
    for (int64_t id : Int64s(*rows, "id")) ids.push_back(id);
    if (!last) return ids;
    spec.after = std::move(last);
    if (between) ARROW_RETURN_NOT_OK(between(page));
  }
  return arrow::Status::Invalid("the walk did not end");
}

/// Every row in the order of `order_by` with id as the last key, in one query.
arrow::Result<std::vector<int64_t>> AllInOrder(Connection& connection,
                                               const Schema& schema,
                                               std::vector<std::string> order_by,
                                               std::optional<FilterSpec> filter = {}) {
  QuerySpec spec;
  spec.select = {"id"};
  spec.filter = std::move(filter);
  bool has_id = false;
  for (const auto& term : order_by) has_id = has_id || term == "id" || term == "-id";
  if (!has_id) order_by.emplace_back("id");
  spec.order_by = std::move(order_by);
  ARROW_ASSIGN_OR_RAISE(Query query, Query::Make(spec, schema));
  ARROW_ASSIGN_OR_RAISE(auto sql, BuildSelectSql(kTable, schema, query));
  ARROW_ASSIGN_OR_RAISE(auto rows, connection.Fetch(sql.sql, sql.parameters));
  return Int64s(*rows, "id");
}

TEST_F(QuerySqlTest, CursorPagesWalkEveryOrderOnceWithNullsLast) {
  const std::vector<std::string> orders = {
      "id",         "-id",   "value",         "-value",  "category,-value", "label",
      "-ts",        "price", "day,-category", "flag,at", "-flag,-at",       "payload",
      "-label,qty", "qty"};
  for (const auto& order : orders) {
    for (int64_t page_size : {1, 3, 7, 20, 50}) {
      SCOPED_TRACE(order + " by " + std::to_string(page_size));
      QuerySpec spec;
      spec.select = {"id"};
      spec.order_by = domain::SplitOrderBy(order);
      spec.limit = page_size;
      ASSERT_OK_AND_ASSIGN(auto walked, Walk(*connection_, schema_, spec));
      ASSERT_OK_AND_ASSIGN(auto expected,
                           AllInOrder(*connection_, schema_, spec.order_by));
      EXPECT_EQ(walked, expected);
    }
  }
}

TEST_F(QuerySqlTest, CursorPagesKeepTheirFilter) {
  QuerySpec spec;
  spec.select = {"id"};
  spec.filter = Or({Compare("=", "category", std::string("A")), IsNull("value")});
  spec.order_by = {"-value"};
  spec.limit = 2;
  ASSERT_OK_AND_ASSIGN(auto walked, Walk(*connection_, schema_, spec));
  ASSERT_OK_AND_ASSIGN(auto expected,
                       AllInOrder(*connection_, schema_, {"-value"}, spec.filter));
  EXPECT_EQ(walked, expected);
  EXPECT_FALSE(expected.empty());
}

TEST_F(QuerySqlTest, CursorPagesSeeEveryRowOnceWhileRowsAreAdded) {
  QuerySpec spec;
  spec.select = {"id"};
  spec.order_by = {"value"};
  spec.limit = 4;
  ASSERT_OK_AND_ASSIGN(auto before, AllInOrder(*connection_, schema_, {"value"}));
  // Rows land before, inside and after the walk's position.
  auto add_rows = [this](int page) -> arrow::Status {
    for (int64_t step = 0; step < 3; ++step) {
      Row row;
      row.id = 100 + page * 3 + step;
      row.value = static_cast<double>(step * 10 - 5 + page);
      ARROW_RETURN_NOT_OK(connection_->Execute(InsertSql(row)));
    }
    return arrow::Status::OK();
  };
  ASSERT_OK_AND_ASSIGN(auto walked, Walk(*connection_, schema_, spec, add_rows));
  std::vector<int64_t> original;
  std::set<int64_t> seen;
  for (int64_t id : walked) {
    EXPECT_TRUE(seen.insert(id).second) << "row " << id << " came twice";
    if (id <= 20) original.push_back(id);
  }
  EXPECT_EQ(original, before) << "every row from before the walk, once, in order";
}

TEST_F(QuerySqlTest, CursorPagesUseTheInsertionOrderWithoutAPrimaryKey) {
  ASSERT_OK_AND_ASSIGN(const Schema keyless,
                       Schema::Make({{"id", "int64"}, {"category", "string"}}, {}));
  DatabaseOptions options;
  options.path = ":memory:";
  ASSERT_OK_AND_ASSIGN(auto database, Database::Open(options));
  ASSERT_OK_AND_ASSIGN(auto connection, database->Connect());
  ASSERT_OK(connection->Execute("CREATE SCHEMA quiver_data"));
  ASSERT_OK(connection->Execute(
      "CREATE TABLE quiver_data.\"t\" AS SELECT (37 * range) % 101 AS id, "
      "['A', 'B', NULL][1 + range % 3] AS category, range AS _quiver_row FROM "
      "range(101)"));
  for (const std::string order : {"", "category", "-category"}) {
    SCOPED_TRACE(order);
    QuerySpec spec;
    spec.order_by = domain::SplitOrderBy(order);
    spec.limit = 8;
    ASSERT_OK_AND_ASSIGN(auto walked, Walk(*connection, keyless, spec));
    QuerySpec all;
    all.order_by = spec.order_by;
    ASSERT_OK_AND_ASSIGN(Query query, Query::Make(all, keyless));
    ASSERT_OK_AND_ASSIGN(auto sql, BuildSelectSql(kTable, keyless, query));
    ASSERT_OK_AND_ASSIGN(
        auto sorted,
        connection->Fetch(sql.sql + (order.empty() ? " ORDER BY _quiver_row" : ""),
                          sql.parameters));
    EXPECT_EQ(walked, Int64s(*sorted, "id"));
    EXPECT_EQ(walked.size(), 101U);
  }
}

TEST_F(QuerySqlTest, NumericBinsCountLikeTheOracle) {
  QuerySpec spec;
  spec.bucket = domain::BucketSpec{"value", std::nullopt, 4.0, 1.0, std::nullopt};
  ASSERT_OK_AND_ASSIGN(auto table, Run(spec));
  std::map<double, int64_t> expected;
  int64_t nulls = 0;
  for (const auto& row : rows_) {
    if (!row.value) {
      ++nulls;
      continue;
    }
    ++expected[std::floor((*row.value - 1.0) / 4.0) * 4.0 + 1.0];
  }
  const auto bins = Numbers(*table, "bucket");
  const auto counts = Int64s(*table, "count");
  ASSERT_EQ(bins.size(), expected.size() + 1);
  std::size_t index = 0;
  for (const auto& [bin, count] : expected) {
    EXPECT_EQ(bins[index], bin);
    EXPECT_EQ(counts[index], count);
    ++index;
  }
  EXPECT_FALSE(bins.back().has_value()) << "null values form the last bin";
  EXPECT_EQ(counts.back(), nulls);
}

TEST_F(QuerySqlTest, TimeBucketsGroupWithOtherKeysAndAggregates) {
  QuerySpec spec;
  spec.bucket = domain::BucketSpec{"ts", std::string("1d"), std::nullopt, std::nullopt,
                                   std::string("day_start")};
  spec.group_by = {"flag"};
  spec.aggregates = {Aggregated("count", std::nullopt), Aggregated("sum", "qty")};
  spec.order_by = {"day_start", "flag"};
  ASSERT_OK_AND_ASSIGN(auto table, Run(spec));
  std::map<std::pair<std::optional<int64_t>, std::optional<bool>>,
           std::pair<int64_t, double>>
      expected;
  for (const auto& row : rows_) {
    std::optional<int64_t> day;
    if (row.ts_hour) day = *row.ts_hour / 24;
    auto& [count, qty] = expected[{day, row.flag}];
    ++count;
    qty += static_cast<double>(row.qty.value_or(0));
  }
  ASSERT_EQ(table->num_rows(), static_cast<int64_t>(expected.size()));
  EXPECT_EQ(table->schema()->field(0)->name(), "day_start");
  EXPECT_EQ(table->schema()->field(0)->type()->id(), arrow::Type::TIMESTAMP);
  const auto starts = Cells(*table, "day_start");
  const auto counts = Int64s(*table, "count");
  int64_t total = 0;
  for (int64_t row = 0; row < table->num_rows(); ++row) {
    total += counts[static_cast<std::size_t>(row)];
    const auto& start = starts[static_cast<std::size_t>(row)];
    if (!start->is_valid) continue;
    const int64_t micros = static_cast<const arrow::TimestampScalar&>(*start).value;
    EXPECT_EQ((micros - kFirstHourMicros) % (24 * kMicrosPerHour), 0)
        << "buckets start at midnight UTC";
  }
  EXPECT_EQ(total, 20);
}

}  // namespace
}  // namespace quiver::duckdb_adapter

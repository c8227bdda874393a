// Pins down what DuckDB really hands back through its Arrow export for every column
// type we declare: create a one-column table, insert a sample and a NULL, stream it
// back and compare the Arrow type to ArrowTypeDuckDbReturns. Then check that casting
// the result to the declared type (ToArrowType) restores the sample, or that it does
// not, for the differences the read path has to handle itself.
#include <arrow/api.h>
#include <arrow/compute/cast.h>
#include <arrow/json/from_string.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "domain/column_type.h"
#include "infrastructure/duckdb/database.h"
#include "infrastructure/types/type_mapping.h"
#include "test_helpers.h"

namespace quiver::types {
namespace {

using domain::ColumnType;
using domain::TimeUnit;
using domain::TypeKind;

struct DiscoveryCase {
  /// The declared type, as API text.
  std::string type;
  /// Whether arrow::compute::Cast turns what DuckDB returns into the declared type.
  bool casts_back = true;
};

std::string DecimalSample(const ColumnType& type) {
  // The smallest positive value of the type, which always fits: 0.01 for scale 2.
  if (type.scale() == 0) return "1";
  return "0." + std::string(static_cast<std::size_t>(type.scale() - 1), '0') + "1";
}

/// 90 seconds in the unit of a duration.
std::string DurationSample(const ColumnType& type) {
  switch (type.unit()) {
    case TimeUnit::kSecond:
      return "90";
    case TimeUnit::kMillisecond:
      return "90000";
    case TimeUnit::kMicrosecond:
      return "90000000";
    case TimeUnit::kNanosecond:
      return "90000000000";
  }
  return "0";
}

/// A DuckDB SQL expression for one sample value of `type`.
std::string SampleSql(const ColumnType& type) {
  switch (type.kind()) {
    case TypeKind::kBoolean:
      return "true";
    case TypeKind::kFloat32:
    case TypeKind::kFloat64:
      return "1.5";
    case TypeKind::kDecimal:
      return "'" + DecimalSample(type) + "'";
    case TypeKind::kString:
      return "'héllo'";
    case TypeKind::kBinary:
      return R"('\x01ab'::BLOB)";
    case TypeKind::kDate:
      return "DATE '2024-02-29'";
    case TypeKind::kTime:
      return "TIME '12:34:56.789012'";
    case TypeKind::kTimestamp:
      if (!type.time_zone().empty()) return "TIMESTAMPTZ '2024-02-29 12:34:56+00'";
      return "TIMESTAMP '2024-02-29 12:34:56'";
    case TypeKind::kDuration:
      return "INTERVAL 90 SECOND";
    case TypeKind::kList:
      return "[" + SampleSql(type.element()) + ", NULL]";
    case TypeKind::kStruct: {
      std::string text = "{";
      const char* separator = "";
      for (const auto& field : type.fields()) {
        text += separator + ("'" + field.name + "': ") + SampleSql(field.type);
        separator = ", ";
      }
      return text + "}";
    }
    default:
      return "42";
  }
}

/// The same sample as Arrow JSON in the declared Arrow type.
std::string SampleJson(const ColumnType& type) {
  switch (type.kind()) {
    case TypeKind::kBoolean:
      return "true";
    case TypeKind::kFloat32:
    case TypeKind::kFloat64:
      return "1.5";
    case TypeKind::kDecimal:
      return "\"" + DecimalSample(type) + "\"";
    case TypeKind::kString:
      return "\"héllo\"";
    case TypeKind::kBinary:
      return R"("\u0001ab")";
    case TypeKind::kDate:
      return "19782";
    case TypeKind::kTime:
      return "45296789012";
    case TypeKind::kTimestamp:
      return "\"2024-02-29 12:34:56\"";
    case TypeKind::kDuration:
      return DurationSample(type);
    case TypeKind::kList:
      return "[" + SampleJson(type.element()) + ", null]";
    case TypeKind::kStruct: {
      std::string text = "{";
      const char* separator = "";
      for (const auto& field : type.fields()) {
        text += separator + ("\"" + field.name + "\": ") + SampleJson(field.type);
        separator = ", ";
      }
      return text + "}";
    }
    default:
      return "42";
  }
}

std::shared_ptr<duckdb_adapter::Connection> OpenInMemory() {
  duckdb_adapter::DatabaseOptions options;
  options.path = ":memory:";
  auto database = duckdb_adapter::Database::Open(options);
  EXPECT_TRUE(database.ok()) << database.status().ToString();
  auto connection = (*database)->Connect();
  EXPECT_TRUE(connection.ok()) << connection.status().ToString();
  return *connection;
}

class DuckDbTypeDiscoveryTest : public ::testing::TestWithParam<DiscoveryCase> {};

TEST_P(DuckDbTypeDiscoveryTest, DuckDbReturnsTheDocumentedArrowType) {
  ASSERT_OK_AND_ASSIGN(const ColumnType type, ColumnType::Parse(GetParam().type));
  auto connection = OpenInMemory();
  ASSERT_OK(connection->Execute("CREATE TABLE t (c " + ToDuckDbType(type) + ")"));
  ASSERT_OK(connection->Execute("INSERT INTO t VALUES (CAST(" + SampleSql(type) + " AS " +
                                ToDuckDbType(type) + ")), (NULL)"));
  ASSERT_OK_AND_ASSIGN(auto reader, connection->Stream("SELECT c FROM t ORDER BY rowid"));
  ASSERT_OK_AND_ASSIGN(auto table, reader->ToTable());
  ASSERT_EQ(table->num_rows(), 2);

  const auto& field = table->schema()->field(0);
  const auto& returned = field->type();
  // Equals ignores list child names; ToString shows them (DuckDB calls them "l").
  EXPECT_TRUE(returned->Equals(*ArrowTypeDuckDbReturns(type)));
  EXPECT_EQ(returned->ToString(), ArrowTypeDuckDbReturns(type)->ToString());
  EXPECT_TRUE(field->nullable());
  ASSERT_OK_AND_ASSIGN(auto column, arrow::Concatenate(table->column(0)->chunks()));
  EXPECT_TRUE(column->IsValid(0));
  EXPECT_TRUE(column->IsNull(1));

  const auto declared = ToArrowType(type);
  auto cast = arrow::compute::Cast(*column, declared);
  if (!GetParam().casts_back) {
    EXPECT_FALSE(cast.ok()) << "Arrow now casts " << returned->ToString() << " to "
                            << declared->ToString() << ": update the test and the notes";
    return;
  }
  ASSERT_OK(cast.status());
  ASSERT_OK_AND_ASSIGN(auto expected, arrow::json::ArrayFromJSONString(
                                          declared, "[" + SampleJson(type) + ", null]"));
  EXPECT_TRUE((*cast)->Equals(*expected))
      << "read back " << (*cast)->ToString() << "\nexpected " << expected->ToString();
}

std::vector<DiscoveryCase> Cases() {
  return {
      {"boolean"},
      {"int8"},
      {"int16"},
      {"int32"},
      {"int64"},
      {"uint8"},
      {"uint16"},
      {"uint32"},
      {"uint64"},
      {"float32"},
      {"float64"},
      {"decimal(1, 0)"},
      {"decimal(4, 4)"},
      {"decimal(10, 2)"},
      {"decimal(18, 3)"},
      {"decimal(38, 10)"},
      {"string"},
      {"binary"},
      {"date"},
      {"time"},
      {"timestamp(s)"},
      {"timestamp(ms)"},
      {"timestamp(us)"},
      {"timestamp(ns)"},
      {"timestamp(us, UTC)"},
      {"timestamp(us, Europe/Paris)"},
      {"duration(s)", false},
      {"duration(ms)", false},
      {"duration(us)", false},
      {"duration(ns)", false},
      {"list<int32>"},
      {"list<string>"},
      {"list<list<int64>>"},
      {"list<timestamp(us, Europe/Paris)>"},
      {"list<duration(ms)>", false},
      {"struct<a: int32, b: string>"},
      {"struct<x: float64, tags: list<string>>"},
      {"struct<at: timestamp(ms), inner: struct<d: decimal(10, 2)>>"},
      {"list<struct<a: int32, b: string>>"},
  };
}

std::string CaseName(const ::testing::TestParamInfo<DiscoveryCase>& info) {
  std::string name;
  for (char character : info.param.type) {
    const bool plain = (character >= 'a' && character <= 'z') ||
                       (character >= 'A' && character <= 'Z') ||
                       (character >= '0' && character <= '9');
    if (plain) name += character;
    if (!plain && !name.empty() && name.back() != '_') name += '_';
  }
  while (!name.empty() && name.back() == '_') name.pop_back();
  return name;
}

INSTANTIATE_TEST_SUITE_P(EveryType, DuckDbTypeDiscoveryTest, ::testing::ValuesIn(Cases()),
                         CaseName);

TEST(DuckDbNullabilityTest, NotNullAndKeyColumnsStillComeBackNullable) {
  auto connection = OpenInMemory();
  ASSERT_OK(connection->Execute(
      "CREATE TABLE t (k INTEGER PRIMARY KEY, c VARCHAR NOT NULL, s STRUCT(a INTEGER))"));
  ASSERT_OK_AND_ASSIGN(auto reader, connection->Stream("SELECT * FROM t"));
  for (const auto& field : reader->schema()->fields()) {
    EXPECT_TRUE(field->nullable()) << field->ToString();
  }
}

TEST(DuckDbIntervalTest, IntervalsArriveAsMonthsDaysAndNanosecondsUnnormalised) {
  auto connection = OpenInMemory();
  ASSERT_OK_AND_ASSIGN(
      auto reader, connection->Stream(
                       "SELECT INTERVAL 90 SECOND AS seconds, INTERVAL 36 HOUR AS hours, "
                       "INTERVAL '1 month 2 days 3 seconds' AS mixed"));
  ASSERT_OK_AND_ASSIGN(auto table, reader->ToTable());
  ASSERT_OK_AND_ASSIGN(auto batch, table->CombineChunksToBatch());
  using Value = arrow::MonthDayNanoIntervalType::MonthDayNanos;
  auto value_of = [&batch](int column) {
    return std::static_pointer_cast<arrow::MonthDayNanoIntervalArray>(
               batch->column(column))
        ->GetValue(0);
  };
  // Hours stay nanoseconds (not folded into days), and months stay months: turning an
  // interval into a duration is the read path's job, and fails for months.
  EXPECT_EQ(value_of(0), (Value{0, 0, int64_t{90} * 1000000000}));
  EXPECT_EQ(value_of(1), (Value{0, 0, int64_t{36} * 3600 * 1000000000}));
  EXPECT_EQ(value_of(2), (Value{1, 2, int64_t{3} * 1000000000}));
}

}  // namespace
}  // namespace quiver::types

#include "infrastructure/types/type_mapping.h"

#include <arrow/api.h>
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "domain/column_type.h"
#include "domain/schema.h"
#include "test_helpers.h"

namespace quiver::types {
namespace {

using domain::ColumnType;
using domain::TypeKind;

struct MappingCase {
  std::string type;
  std::shared_ptr<arrow::DataType> arrow_type;
  std::string duckdb_type;
  /// What DuckDB hands back for the column; null when it is arrow_type itself.
  std::shared_ptr<arrow::DataType> returned_type = nullptr;
};

std::shared_ptr<arrow::DataType> DuckDbList(std::shared_ptr<arrow::DataType> element) {
  return arrow::list(arrow::field("l", std::move(element)));
}

std::vector<MappingCase> MappingCases() {
  using arrow::TimeUnit;
  const auto utc_micro = arrow::timestamp(TimeUnit::MICRO, "UTC");
  const auto interval = arrow::month_day_nano_interval();
  return {
      {"boolean", arrow::boolean(), "BOOLEAN"},
      {"int8", arrow::int8(), "TINYINT"},
      {"int16", arrow::int16(), "SMALLINT"},
      {"int32", arrow::int32(), "INTEGER"},
      {"int64", arrow::int64(), "BIGINT"},
      {"uint8", arrow::uint8(), "UTINYINT"},
      {"uint16", arrow::uint16(), "USMALLINT"},
      {"uint32", arrow::uint32(), "UINTEGER"},
      {"uint64", arrow::uint64(), "UBIGINT"},
      {"float32", arrow::float32(), "FLOAT"},
      {"float64", arrow::float64(), "DOUBLE"},
      {"decimal(10, 2)", arrow::decimal128(10, 2), "DECIMAL(10,2)"},
      {"decimal(38, 0)", arrow::decimal128(38, 0), "DECIMAL(38,0)"},
      {"string", arrow::utf8(), "VARCHAR"},
      {"binary", arrow::binary(), "BLOB"},
      {"date", arrow::date32(), "DATE"},
      {"time", arrow::time64(TimeUnit::MICRO), "TIME"},
      {"timestamp(s)", arrow::timestamp(TimeUnit::SECOND), "TIMESTAMP_S"},
      {"timestamp(ms)", arrow::timestamp(TimeUnit::MILLI), "TIMESTAMP_MS"},
      {"timestamp(us)", arrow::timestamp(TimeUnit::MICRO), "TIMESTAMP"},
      {"timestamp(ns)", arrow::timestamp(TimeUnit::NANO), "TIMESTAMP_NS"},
      {"timestamp(us, UTC)", utc_micro, "TIMESTAMPTZ"},
      {"timestamp(us, Europe/Paris)", arrow::timestamp(TimeUnit::MICRO, "Europe/Paris"),
       "TIMESTAMPTZ", utc_micro},
      {"duration(s)", arrow::duration(TimeUnit::SECOND), "INTERVAL", interval},
      {"duration(ms)", arrow::duration(TimeUnit::MILLI), "INTERVAL", interval},
      {"duration(us)", arrow::duration(TimeUnit::MICRO), "INTERVAL", interval},
      {"duration(ns)", arrow::duration(TimeUnit::NANO), "INTERVAL", interval},
      {"list<int32>", arrow::list(arrow::int32()), "INTEGER[]",
       DuckDbList(arrow::int32())},
      {"list<list<string>>", arrow::list(arrow::list(arrow::utf8())), "VARCHAR[][]",
       DuckDbList(DuckDbList(arrow::utf8()))},
      {"list<duration(ms)>", arrow::list(arrow::duration(TimeUnit::MILLI)), "INTERVAL[]",
       DuckDbList(interval)},
      {"struct<a: int32, b: string>",
       arrow::struct_(
           {arrow::field("a", arrow::int32()), arrow::field("b", arrow::utf8())}),
       R"(STRUCT("a" INTEGER, "b" VARCHAR))"},
      {"struct<x: float64, tags: list<string>>",
       arrow::struct_({arrow::field("x", arrow::float64()),
                       arrow::field("tags", arrow::list(arrow::utf8()))}),
       R"(STRUCT("x" DOUBLE, "tags" VARCHAR[]))",
       arrow::struct_({arrow::field("x", arrow::float64()),
                       arrow::field("tags", DuckDbList(arrow::utf8()))})},
      {"list<struct<Id: int64, at: timestamp(us, Asia/Tokyo)>>",
       arrow::list(arrow::struct_(
           {arrow::field("Id", arrow::int64()),
            arrow::field("at", arrow::timestamp(TimeUnit::MICRO, "Asia/Tokyo"))})),
       R"(STRUCT("Id" BIGINT, "at" TIMESTAMPTZ)[])",
       DuckDbList(arrow::struct_(
           {arrow::field("Id", arrow::int64()), arrow::field("at", utc_micro)}))},
  };
}

TEST(TypeMappingTest, MapsEveryKindToArrowAndDuckDb) {
  std::set<TypeKind> covered;
  for (const auto& test_case : MappingCases()) {
    SCOPED_TRACE(test_case.type);
    ASSERT_OK_AND_ASSIGN(const ColumnType type, ColumnType::Parse(test_case.type));
    covered.insert(type.kind());
    // ToString also compares list child names, which Equals ignores.
    EXPECT_EQ(ToArrowType(type)->ToString(), test_case.arrow_type->ToString());
    EXPECT_TRUE(ToArrowType(type)->Equals(*test_case.arrow_type));
    EXPECT_EQ(ToDuckDbType(type), test_case.duckdb_type);
    const auto returned =
        test_case.returned_type ? test_case.returned_type : test_case.arrow_type;
    EXPECT_EQ(ArrowTypeDuckDbReturns(type)->ToString(), returned->ToString());
  }
  EXPECT_EQ(covered.size(), domain::AllTypeKinds().size());
}

TEST(TypeMappingTest, ArrowSchemaFieldsAreNullableUnlessRequired) {
  ASSERT_OK_AND_ASSIGN(
      const domain::Schema schema,
      domain::Schema::Make(
          {{"Id", "int64"}, {"label", "string", true}, {"score", "float64"}}, {"id"}));
  const auto expected = arrow::schema({arrow::field("Id", arrow::int64(), false),
                                       arrow::field("label", arrow::utf8(), false),
                                       arrow::field("score", arrow::float64(), true)});
  const auto actual = ToArrowSchema(schema);
  EXPECT_TRUE(actual->Equals(*expected)) << actual->ToString();
}

TEST(TypeMappingTest, QuotesIdentifiers) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"a", R"("a")"},     {"Mixed_Case", R"("Mixed_Case")"},
      {"", R"("")"},       {R"(a"b)", R"("a""b")"},
      {R"(")", R"("""")"}, {"semi; DROP TABLE t; --", R"("semi; DROP TABLE t; --")"},
  };
  for (const auto& [identifier, quoted] : cases) {
    EXPECT_EQ(QuoteIdentifier(identifier), quoted);
  }
}

}  // namespace
}  // namespace quiver::types

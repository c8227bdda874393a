#include "domain/column_type.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "domain/problem.h"
#include "test_helpers.h"

namespace quiver::domain {
namespace {

struct CanonicalCase {
  std::string input;
  std::string canonical;
};

TEST(ColumnTypeTest, ParsesEveryKindAndPrintsTheCanonicalForm) {
  const std::vector<CanonicalCase> cases = {
      {"boolean", "boolean"},
      {"int8", "int8"},
      {"int16", "int16"},
      {"int32", "int32"},
      {"int64", "int64"},
      {"uint8", "uint8"},
      {"uint16", "uint16"},
      {"uint32", "uint32"},
      {"uint64", "uint64"},
      {"float32", "float32"},
      {"float64", "float64"},
      {"decimal(10, 2)", "decimal(10, 2)"},
      {"decimal(10,2)", "decimal(10, 2)"},
      {"decimal( 38 , 38 )", "decimal(38, 38)"},
      {"decimal(1, 0)", "decimal(1, 0)"},
      {"decimal(7)", "decimal(7, 0)"},
      {"string", "string"},
      {"binary", "binary"},
      {"date", "date"},
      {"time", "time"},
      {"timestamp", "timestamp(us)"},
      {"timestamp(s)", "timestamp(s)"},
      {"timestamp(ms)", "timestamp(ms)"},
      {"timestamp(us)", "timestamp(us)"},
      {"timestamp(ns)", "timestamp(ns)"},
      {"timestamp(us, UTC)", "timestamp(us, UTC)"},
      {"timestamp(us,Europe/Paris)", "timestamp(us, Europe/Paris)"},
      {"timestamp(us, America/Argentina/Buenos_Aires)",
       "timestamp(us, America/Argentina/Buenos_Aires)"},
      {"timestamp(us, +05:30)", "timestamp(us, +05:30)"},
      {"timestamp(us, Etc/GMT-3)", "timestamp(us, Etc/GMT-3)"},
      {"duration", "duration(us)"},
      {"duration(s)", "duration(s)"},
      {"duration(ms)", "duration(ms)"},
      {"duration(ns)", "duration(ns)"},
      {"list<int32>", "list<int32>"},
      {"list<list<string>>", "list<list<string>>"},
      {"list<struct<a: int32, b: string>>", "list<struct<a: int32, b: string>>"},
      {"struct<x: float64, tags: list<string>>",
       "struct<x: float64, tags: list<string>>"},
      {"struct<a:int32,b:string>", "struct<a: int32, b: string>"},
      {"struct<Mixed_Case: date, _under: time>",
       "struct<Mixed_Case: date, _under: time>"},
      {"struct<_quiver: int8, rowid: int8>", "struct<_quiver: int8, rowid: int8>"},
      {"struct<list: list<decimal(5, 1)>, struct: struct<timestamp: timestamp(ms)>>",
       "struct<list: list<decimal(5, 1)>, struct: struct<timestamp: timestamp(ms)>>"},
      // Aliases and case are accepted on input only.
      {"bool", "boolean"},
      {"double", "float64"},
      {"float", "float32"},
      {"utf8", "string"},
      {"text", "string"},
      {"int", "int32"},
      {"bigint", "int64"},
      {"BIGINT", "int64"},
      {"Int32", "int32"},
      {"TIMESTAMP(MS)", "timestamp(ms)"},
      {"List<Text>", "list<string>"},
      // Whitespace is free between tokens.
      {"  int64  ", "int64"},
      {"\tlist <\n int32 >\r\n", "list<int32>"},
      {"struct < a : int32 , b : list < bool > >", "struct<a: int32, b: list<boolean>>"},
      {"timestamp ( us , UTC )", "timestamp(us, UTC)"},
  };
  for (const auto& test_case : cases) {
    SCOPED_TRACE(test_case.input);
    ASSERT_OK_AND_ASSIGN(const ColumnType type, ColumnType::Parse(test_case.input));
    EXPECT_EQ(type.ToString(), test_case.canonical);
    ASSERT_OK_AND_ASSIGN(const ColumnType reparsed, ColumnType::Parse(type.ToString()));
    EXPECT_EQ(reparsed, type);
  }
}

TEST(ColumnTypeTest, FactoriesBuildWhatParsingReads) {
  ASSERT_OK_AND_ASSIGN(const ColumnType decimal, ColumnType::Decimal(10, 2));
  ASSERT_OK_AND_ASSIGN(const ColumnType zoned,
                       ColumnType::TimestampWithZone(TimeUnit::kMicrosecond, "UTC"));
  ASSERT_OK_AND_ASSIGN(const ColumnType list, ColumnType::List(ColumnType::String()));
  ASSERT_OK_AND_ASSIGN(
      const ColumnType structure,
      ColumnType::Struct({{"x", ColumnType::Float64()}, {"tags", list}}));
  const std::vector<std::pair<ColumnType, std::string>> cases = {
      {ColumnType::Boolean(), "boolean"},
      {ColumnType::Int8(), "int8"},
      {ColumnType::Int16(), "int16"},
      {ColumnType::Int32(), "int32"},
      {ColumnType::Int64(), "int64"},
      {ColumnType::UInt8(), "uint8"},
      {ColumnType::UInt16(), "uint16"},
      {ColumnType::UInt32(), "uint32"},
      {ColumnType::UInt64(), "uint64"},
      {ColumnType::Float32(), "float32"},
      {ColumnType::Float64(), "float64"},
      {ColumnType::String(), "string"},
      {ColumnType::Binary(), "binary"},
      {ColumnType::Date(), "date"},
      {ColumnType::Time(), "time"},
      {decimal, "decimal(10, 2)"},
      {ColumnType::Timestamp(), "timestamp(us)"},
      {ColumnType::Timestamp(TimeUnit::kNanosecond), "timestamp(ns)"},
      {zoned, "timestamp(us, UTC)"},
      {ColumnType::Duration(TimeUnit::kMillisecond), "duration(ms)"},
      {list, "list<string>"},
      {structure, "struct<x: float64, tags: list<string>>"},
  };
  for (const auto& [type, text] : cases) {
    SCOPED_TRACE(text);
    EXPECT_EQ(type.ToString(), text);
    ASSERT_OK_AND_ASSIGN(const ColumnType parsed, ColumnType::Parse(text));
    EXPECT_EQ(parsed, type);
  }
}

TEST(ColumnTypeTest, AccessorsDescribeTheParameters) {
  ASSERT_OK_AND_ASSIGN(const ColumnType decimal, ColumnType::Parse("decimal(12, 4)"));
  EXPECT_EQ(decimal.kind(), TypeKind::kDecimal);
  EXPECT_EQ(decimal.precision(), 12);
  EXPECT_EQ(decimal.scale(), 4);
  EXPECT_EQ(decimal.nesting_depth(), 0);

  ASSERT_OK_AND_ASSIGN(const ColumnType zoned,
                       ColumnType::Parse("timestamp(us, Europe/Paris)"));
  EXPECT_EQ(zoned.kind(), TypeKind::kTimestamp);
  EXPECT_EQ(zoned.unit(), TimeUnit::kMicrosecond);
  EXPECT_EQ(zoned.time_zone(), "Europe/Paris");
  EXPECT_TRUE(ColumnType::Timestamp().time_zone().empty());

  ASSERT_OK_AND_ASSIGN(const ColumnType list, ColumnType::Parse("list<list<int16>>"));
  EXPECT_EQ(list.kind(), TypeKind::kList);
  EXPECT_EQ(list.nesting_depth(), 2);
  EXPECT_EQ(list.element().kind(), TypeKind::kList);
  EXPECT_EQ(list.element().element(), ColumnType::Int16());
  EXPECT_TRUE(list.fields().empty());

  ASSERT_OK_AND_ASSIGN(const ColumnType structure,
                       ColumnType::Parse("struct<a: int32, b: list<string>>"));
  EXPECT_EQ(structure.kind(), TypeKind::kStruct);
  EXPECT_EQ(structure.nesting_depth(), 2);
  ASSERT_EQ(structure.fields().size(), 2U);
  EXPECT_EQ(structure.fields()[0].name, "a");
  EXPECT_EQ(structure.fields()[0].type, ColumnType::Int32());
  EXPECT_EQ(structure.fields()[1].name, "b");
  EXPECT_EQ(structure.fields()[1].type.kind(), TypeKind::kList);
}

TEST(ColumnTypeTest, EqualityLooksAtEveryParameter) {
  const std::vector<std::string> distinct = {
      "int32",
      "int64",
      "decimal(10, 2)",
      "decimal(10, 3)",
      "decimal(11, 2)",
      "timestamp(us)",
      "timestamp(ms)",
      "timestamp(us, UTC)",
      "timestamp(us, Europe/Paris)",
      "duration(us)",
      "list<int32>",
      "list<int64>",
      "list<list<int32>>",
      "struct<a: int32>",
      "struct<A: int32>",
      "struct<a: int64>",
      "struct<a: int32, b: int32>",
      "struct<b: int32, a: int32>",
  };
  for (std::size_t left = 0; left < distinct.size(); ++left) {
    for (std::size_t right = 0; right < distinct.size(); ++right) {
      ASSERT_OK_AND_ASSIGN(const ColumnType one, ColumnType::Parse(distinct[left]));
      ASSERT_OK_AND_ASSIGN(const ColumnType other, ColumnType::Parse(distinct[right]));
      EXPECT_EQ(one == other, left == right)
          << distinct[left] << " vs " << distinct[right];
    }
  }
}

struct InvalidCase {
  std::string input;
  std::string message_part;
};

TEST(ColumnTypeTest, RejectsBadTextSayingWhereAndWhatWasExpected) {
  const std::vector<InvalidCase> cases = {
      {"int65",
       "unknown type 'int65' at position 0; expected one of boolean, int8, int16, "
       "int32, int64, uint8, uint16, uint32, uint64, float32, float64, decimal, "
       "string, binary, date, time, timestamp, duration, list, struct"},
      {"", "expected a type at position 0; found the end of the text"},
      {"   ", "expected a type at position 3; found the end of the text"},
      {"<int32>", "expected a type at position 0; found '<'"},
      {"list<int32", "expected '>' to close list< at position 10; found the end"},
      {"list<>", "expected a type at position 5; found '>'"},
      {"list int32", "expected '<' after list at position 5; found 'i'"},
      {"list<int65>", "unknown type 'int65' at position 5"},
      {"int32 int32", "unexpected 'i' at position 6; the type 'int32' ends before it"},
      {"list<int32>>", "unexpected '>' at position 11"},
      {"decimal", "expected '(' after decimal at position 7; found the end"},
      {"decimal()", "expected a decimal precision at position 8; found ')'"},
      {"decimal(10, )", "expected a decimal scale at position 12; found ')'"},
      {"decimal(10 2)", "expected ')' to close decimal( at position 11; found '2'"},
      {"decimal(-1, 0)", "expected a decimal precision at position 8; found '-'"},
      {"decimal(0, 0)", "decimal precision must be 1 to 38, got 0"},
      {"decimal(39, 2)",
       "invalid decimal at position 0; decimal precision must be 1 to 38, got 39"},
      {"decimal(5, 6)", "decimal scale must be 0 to the precision (5), got 6"},
      {"decimal(1000, 2)", "a decimal precision that is too large at position 8"},
      {"decimal(99999999999999999999, 2)", "a decimal precision that is too large"},
      {"timestamp(xs)", "unknown time unit 'xs' at position 10; expected one of s, ms"},
      {"timestamp()", "expected a time unit at position 10; found ')'"},
      {"timestamp(ms, UTC)",
       "invalid time unit at position 10; a timestamp with a time zone must have unit us "
       "(the storage engine keeps "
       "zoned timestamps in microseconds), got ms"},
      {"timestamp(ns, UTC)", "must have unit us"},
      {"timestamp(us, )", "expected a time zone at position 14; found ')'"},
      {"timestamp(us, Europe/Paris!)",
       "invalid time zone at position 14; the time zone has '!'; a time zone uses "
       "letters, digits and / _ + - : only"},
      {"timestamp(us, Europe Paris)", "expected ')' to close timestamp("},
      {"timestamp(us, 'UTC')", "the time zone has '''"},
      {"timestamp(us, UTC", "expected ')' to close timestamp( at position 17"},
      {"timestamp(us, " + std::string(65, 'A') + ")", "at most 64 characters"},
      {"duration(d)", "unknown time unit 'd'"},
      {"duration(us", "expected ')' to close duration("},
      {"struct<>", "expected a struct field name at position 7; found '>'"},
      {"struct", "expected '<' after struct at position 6"},
      {"struct<a int32>", "expected ':' after the struct field name at position 9"},
      {"struct<a: int32 b: string>", "expected '>' or ',' in struct< at position 16"},
      {"struct<a: int32,>", "expected a struct field name at position 16; found '>'"},
      {"struct<1a: int32>",
       "invalid struct field name '1a' at position 7; the name must not start with '1'"},
      {"struct<" + std::string(64, 'f') + ": int32>", "is 64 characters long"},
      {std::string(100000, 'x'), "unknown type '" + std::string(64, 'x') + "...' at"},
      {"struct<a: int32, A: string>",
       "invalid struct at position 0; struct field name 'A' repeats 'a' (field names "
       "ignore case)"},
      {"struct<a: int32, b: struct<c: int8, C: int8>>",
       "invalid struct at position 20; struct field name 'C' repeats 'c'"},
      {"struct<\"a\": int32>", "expected a struct field name at position 7; found '\"'"},
      {"int\xC3\xA9", "unexpected byte 0xC3 at position 3"},
  };
  for (const auto& test_case : cases) {
    SCOPED_TRACE(test_case.input);
    auto type = ColumnType::Parse(test_case.input);
    ASSERT_FALSE(type.ok()) << type->ToString();
    const ProblemDetail* detail = FindProblemDetail(type.status());
    ASSERT_NE(detail, nullptr);
    EXPECT_EQ(detail->kind(), ProblemKind::kValidationFailed);
    ASSERT_EQ(detail->violations().size(), 1U);
    EXPECT_EQ(detail->violations().front().field, "type");
    EXPECT_NE(detail->violations().front().message.find(test_case.message_part),
              std::string::npos)
        << detail->violations().front().message;
  }
}

std::string Nested(const std::string& open, const std::string& inner,
                   const std::string& close, int depth) {
  std::string text;
  for (int level = 0; level < depth; ++level) text += open;
  text += inner;
  for (int level = 0; level < depth; ++level) text += close;
  return text;
}

TEST(ColumnTypeTest, NestsAtMostSixteenLevelsDeep) {
  ASSERT_OK_AND_ASSIGN(const ColumnType deepest,
                       ColumnType::Parse(Nested("list<", "int8", ">", 16)));
  EXPECT_EQ(deepest.nesting_depth(), 16);
  ASSERT_OK_AND_ASSIGN(const ColumnType deepest_struct,
                       ColumnType::Parse(Nested("struct<a: ", "int8", ">", 16)));
  EXPECT_EQ(deepest_struct.nesting_depth(), 16);

  const std::vector<std::string> too_deep = {
      Nested("list<", "int8", ">", 17),
      Nested("struct<a: ", "int8", ">", 17),
      Nested("list<struct<a: ", "int8", ">>", 9),
      // Hostile input must fail fast rather than exhaust the stack.
      Nested("list<", "int8", ">", 100000),
      std::string(100000, '<'),
  };
  for (const auto& text : too_deep) {
    SCOPED_TRACE(text.substr(0, 40));
    auto type = ColumnType::Parse(text);
    ASSERT_FALSE(type.ok());
  }
  auto type = ColumnType::Parse(Nested("list<", "int8", ">", 17));
  EXPECT_NE(type.status().message().find(
                "too deep a type at position 80; lists and structs nest at most 16"),
            std::string::npos)
      << type.status().message();

  EXPECT_FALSE(ColumnType::List(deepest).ok());
  EXPECT_FALSE(ColumnType::Struct({{"a", deepest}}).ok());
  ASSERT_OK(ColumnType::List(deepest.element()));
}

TEST(ColumnTypeTest, FactoriesRejectInvalidParameters) {
  EXPECT_FALSE(ColumnType::Decimal(0, 0).ok());
  EXPECT_FALSE(ColumnType::Decimal(39, 0).ok());
  EXPECT_FALSE(ColumnType::Decimal(10, -1).ok());
  EXPECT_FALSE(ColumnType::Decimal(10, 11).ok());
  ASSERT_OK(ColumnType::Decimal(38, 38));
  EXPECT_FALSE(ColumnType::TimestampWithZone(TimeUnit::kSecond, "UTC").ok());
  EXPECT_FALSE(ColumnType::TimestampWithZone(TimeUnit::kMicrosecond, "").ok());
  EXPECT_FALSE(ColumnType::TimestampWithZone(TimeUnit::kMicrosecond, "UTC;").ok());
  EXPECT_FALSE(ColumnType::Struct({}).ok());
  EXPECT_FALSE(
      ColumnType::Struct({{"a", ColumnType::Int8()}, {"A", ColumnType::Int8()}}).ok());
  EXPECT_FALSE(ColumnType::Struct({{"", ColumnType::Int8()}}).ok());
  auto bad_name =
      ColumnType::Struct({{"ok", ColumnType::Int8()}, {"a b", ColumnType::Int8()}});
  ASSERT_FALSE(bad_name.ok());
  EXPECT_NE(bad_name.status().message().find(
                "the name of struct field 1 has ' ' at position 1"),
            std::string::npos)
      << bad_name.status().message();
}

TEST(ColumnTypeTest, EveryKindHasADistinctNameThatParses) {
  std::set<std::string> names;
  for (TypeKind kind : AllTypeKinds()) {
    const std::string name(KindName(kind));
    EXPECT_TRUE(names.insert(name).second) << name;
  }
  EXPECT_EQ(names.size(), 20U);
  EXPECT_EQ(TimeUnitName(TimeUnit::kSecond), "s");
  EXPECT_EQ(TimeUnitName(TimeUnit::kMillisecond), "ms");
  EXPECT_EQ(TimeUnitName(TimeUnit::kMicrosecond), "us");
  EXPECT_EQ(TimeUnitName(TimeUnit::kNanosecond), "ns");
}

}  // namespace
}  // namespace quiver::domain

#include "infrastructure/types/type_mapping.h"

#include <arrow/type.h>

#include <array>
#include <string>
#include <utility>
#include <vector>

namespace quiver::types {
namespace {

using domain::ColumnType;
using domain::TimeUnit;
using domain::TypeKind;

/// One scalar kind: its Arrow type and its DuckDB type name.
struct ScalarMapping {
  TypeKind kind;
  std::shared_ptr<arrow::DataType> (*arrow_type)();
  std::string_view duckdb_name;
};

/// The one table of scalar kinds. Kinds with parameters (decimal, timestamp,
/// duration) and nested kinds (list, struct) are built by the functions below.
constexpr std::array<ScalarMapping, 15> kScalars = {{
    {TypeKind::kBoolean, [] { return arrow::boolean(); }, "BOOLEAN"},
    {TypeKind::kInt8, [] { return arrow::int8(); }, "TINYINT"},
    {TypeKind::kInt16, [] { return arrow::int16(); }, "SMALLINT"},
    {TypeKind::kInt32, [] { return arrow::int32(); }, "INTEGER"},
    {TypeKind::kInt64, [] { return arrow::int64(); }, "BIGINT"},
    {TypeKind::kUInt8, [] { return arrow::uint8(); }, "UTINYINT"},
    {TypeKind::kUInt16, [] { return arrow::uint16(); }, "USMALLINT"},
    {TypeKind::kUInt32, [] { return arrow::uint32(); }, "UINTEGER"},
    {TypeKind::kUInt64, [] { return arrow::uint64(); }, "UBIGINT"},
    {TypeKind::kFloat32, [] { return arrow::float32(); }, "FLOAT"},
    {TypeKind::kFloat64, [] { return arrow::float64(); }, "DOUBLE"},
    {TypeKind::kString, [] { return arrow::utf8(); }, "VARCHAR"},
    {TypeKind::kBinary, [] { return arrow::binary(); }, "BLOB"},
    {TypeKind::kDate, [] { return arrow::date32(); }, "DATE"},
    {TypeKind::kTime, [] { return arrow::time64(arrow::TimeUnit::MICRO); }, "TIME"},
}};

const ScalarMapping* FindScalar(TypeKind kind) {
  for (const auto& mapping : kScalars) {
    if (mapping.kind == kind) return &mapping;
  }
  return nullptr;
}

arrow::TimeUnit::type ToArrowUnit(TimeUnit unit) {
  switch (unit) {
    case TimeUnit::kSecond:
      return arrow::TimeUnit::SECOND;
    case TimeUnit::kMillisecond:
      return arrow::TimeUnit::MILLI;
    case TimeUnit::kMicrosecond:
      return arrow::TimeUnit::MICRO;
    case TimeUnit::kNanosecond:
      return arrow::TimeUnit::NANO;
  }
  return arrow::TimeUnit::MICRO;
}

std::string_view DuckDbTimestampName(const ColumnType& type) {
  if (!type.time_zone().empty()) return "TIMESTAMPTZ";
  switch (type.unit()) {
    case TimeUnit::kSecond:
      return "TIMESTAMP_S";
    case TimeUnit::kMillisecond:
      return "TIMESTAMP_MS";
    case TimeUnit::kMicrosecond:
      return "TIMESTAMP";
    case TimeUnit::kNanosecond:
      return "TIMESTAMP_NS";
  }
  return "TIMESTAMP";
}

/// The child field name of Arrow lists we produce (Arrow's default).
constexpr std::string_view kListItemName = "item";
/// The child field name of Arrow lists DuckDB produces.
constexpr std::string_view kDuckDbListItemName = "l";

/// Builds the Arrow type of `type`, with `leaf` deciding every non-nested kind and
/// `list_item_name` naming list children; used both for the declared types and for
/// what DuckDB hands back.
template <typename LeafFunction>
std::shared_ptr<arrow::DataType> BuildArrowType(const ColumnType& type,
                                                const LeafFunction& leaf,
                                                std::string_view list_item_name) {
  if (type.kind() == TypeKind::kList) {
    return arrow::list(
        arrow::field(std::string(list_item_name),
                     BuildArrowType(type.element(), leaf, list_item_name)));
  }
  if (type.kind() == TypeKind::kStruct) {
    std::vector<std::shared_ptr<arrow::Field>> fields;
    fields.reserve(type.fields().size());
    for (const auto& field : type.fields()) {
      fields.push_back(
          arrow::field(field.name, BuildArrowType(field.type, leaf, list_item_name)));
    }
    return arrow::struct_(fields);
  }
  return leaf(type);
}

std::shared_ptr<arrow::DataType> DeclaredLeaf(const ColumnType& type) {
  switch (type.kind()) {
    case TypeKind::kDecimal:
      return arrow::decimal128(type.precision(), type.scale());
    case TypeKind::kTimestamp:
      return arrow::timestamp(ToArrowUnit(type.unit()), type.time_zone());
    case TypeKind::kDuration:
      return arrow::duration(ToArrowUnit(type.unit()));
    default:
      break;
  }
  const ScalarMapping* mapping = FindScalar(type.kind());
  return mapping != nullptr ? mapping->arrow_type() : arrow::null();
}

std::shared_ptr<arrow::DataType> DuckDbLeaf(const ColumnType& type) {
  switch (type.kind()) {
    case TypeKind::kTimestamp:
      if (!type.time_zone().empty()) {
        return arrow::timestamp(arrow::TimeUnit::MICRO,
                                std::string(kDuckDbSessionTimeZone));
      }
      return DeclaredLeaf(type);
    case TypeKind::kDuration:
      return arrow::month_day_nano_interval();
    default:
      return DeclaredLeaf(type);
  }
}

}  // namespace

std::shared_ptr<arrow::DataType> ToArrowType(const domain::ColumnType& type) {
  return BuildArrowType(type, DeclaredLeaf, kListItemName);
}

std::shared_ptr<arrow::DataType> ArrowTypeDuckDbReturns(const domain::ColumnType& type) {
  return BuildArrowType(type, DuckDbLeaf, kDuckDbListItemName);
}

std::shared_ptr<arrow::Schema> ToArrowSchema(const domain::Schema& schema) {
  std::vector<std::shared_ptr<arrow::Field>> fields;
  fields.reserve(schema.size());
  for (const auto& column : schema.columns()) {
    fields.push_back(
        arrow::field(column.name.value(), ToArrowType(column.type), !column.required));
  }
  return arrow::schema(std::move(fields));
}

std::string ToDuckDbType(const domain::ColumnType& type) {
  switch (type.kind()) {
    case TypeKind::kDecimal:
      return "DECIMAL(" + std::to_string(type.precision()) + "," +
             std::to_string(type.scale()) + ")";
    case TypeKind::kTimestamp:
      return std::string(DuckDbTimestampName(type));
    case TypeKind::kDuration:
      return "INTERVAL";
    case TypeKind::kList:
      return ToDuckDbType(type.element()) + "[]";
    case TypeKind::kStruct: {
      std::string text = "STRUCT(";
      const char* separator = "";
      for (const auto& field : type.fields()) {
        text += separator + QuoteIdentifier(field.name) + " " + ToDuckDbType(field.type);
        separator = ", ";
      }
      return text + ")";
    }
    default:
      break;
  }
  const ScalarMapping* mapping = FindScalar(type.kind());
  return mapping != nullptr ? std::string(mapping->duckdb_name) : "NULL";
}

std::string QuoteIdentifier(std::string_view identifier) {
  std::string quoted = "\"";
  quoted.reserve(identifier.size() + 2);
  for (char character : identifier) {
    if (character == '"') quoted += '"';
    quoted += character;
  }
  return quoted + "\"";
}

}  // namespace quiver::types

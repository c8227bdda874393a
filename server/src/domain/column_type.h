#pragma once

#include <arrow/result.h>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace quiver::domain {

/// Every kind of column type the server stores.
enum class TypeKind {
  kBoolean,
  kInt8,
  kInt16,
  kInt32,
  kInt64,
  kUInt8,
  kUInt16,
  kUInt32,
  kUInt64,
  kFloat32,
  kFloat64,
  kDecimal,    ///< exact decimal with precision and scale
  kString,     ///< UTF-8 text
  kBinary,     ///< raw bytes
  kDate,       ///< calendar date
  kTime,       ///< time of day in microseconds
  kTimestamp,  ///< instant with a unit, optionally in a time zone
  kDuration,   ///< elapsed time with a unit
  kList,       ///< variable-length list of one element type
  kStruct,     ///< named fields, each with its own type
};

/// Every TypeKind, in declaration order (for table-driven code and tests).
const std::vector<TypeKind>& AllTypeKinds();

/// The canonical name of a kind as it appears in type text: "int64", "decimal", ...
std::string_view KindName(TypeKind kind);

/// The resolution of a timestamp or duration.
enum class TimeUnit { kSecond, kMillisecond, kMicrosecond, kNanosecond };

/// The unit as written in type text: "s", "ms", "us" or "ns".
std::string_view TimeUnitName(TimeUnit unit);

struct StructField;

/// The type of a column: a recursive value type (lists and structs hold other types).
/// The text form is the API's "type" string; ToString() prints the canonical form and
/// Parse(ToString(type)) == type for every type. An instance is always valid: kinds
/// with rules are made only through factories that return a Result.
class ColumnType {
 public:
  /// Lists and structs nest at most this deep (list<list<int32>> nests 2 deep).
  static constexpr int kMaxNestingDepth = 16;
  /// The largest decimal precision (Arrow decimal128 and DuckDB DECIMAL).
  static constexpr int kMaxDecimalPrecision = 38;
  /// The longest time zone text accepted.
  static constexpr std::size_t kMaxTimeZoneLength = 64;

  /// Reads type text such as "int64", "decimal(10, 2)", "timestamp(us, UTC)" or
  /// "list<struct<a: int32, b: string>>". Whitespace between tokens is free and
  /// keywords ignore case. Input-only aliases: bool, double, float, utf8, text, int,
  /// bigint. Errors are kValidationFailed problems on field "type" that say at which
  /// position what was expected.
  [[nodiscard]] static arrow::Result<ColumnType> Parse(std::string_view text);

  /// Scalar types, which have no rules of their own.
  static ColumnType Boolean();
  static ColumnType Int8();
  static ColumnType Int16();
  static ColumnType Int32();
  static ColumnType Int64();
  static ColumnType UInt8();
  static ColumnType UInt16();
  static ColumnType UInt32();
  static ColumnType UInt64();
  static ColumnType Float32();
  static ColumnType Float64();
  static ColumnType String();
  static ColumnType Binary();
  static ColumnType Date();
  /// Time of day in microseconds.
  static ColumnType Time();

  /// decimal(precision, scale): precision 1 to 38, scale 0 to precision.
  [[nodiscard]] static arrow::Result<ColumnType> Decimal(int precision, int scale);

  /// A timestamp without a time zone ("wall clock" time).
  static ColumnType Timestamp(TimeUnit unit = TimeUnit::kMicrosecond);

  /// A timestamp in a time zone, an instant. The unit must be microseconds (DuckDB's
  /// TIMESTAMPTZ is microseconds); the zone is a name or offset made of letters,
  /// digits and / _ + - : only. It is not checked against a zone database.
  [[nodiscard]] static arrow::Result<ColumnType> TimestampWithZone(
      TimeUnit unit, std::string_view time_zone);

  /// An elapsed time in the given unit.
  static ColumnType Duration(TimeUnit unit);

  /// A list of `element`; fails when the result would nest too deep.
  [[nodiscard]] static arrow::Result<ColumnType> List(ColumnType element);

  /// A struct of at least one field. Field names follow column name rules (without
  /// the reserved names) and are unique ignoring case. Fails when a name is invalid,
  /// repeated, or the result would nest too deep.
  [[nodiscard]] static arrow::Result<ColumnType> Struct(std::vector<StructField> fields);

  /// What kind of type this is.
  TypeKind kind() const { return kind_; }
  /// Decimal precision; 0 for other kinds.
  int precision() const { return precision_; }
  /// Decimal scale; 0 for other kinds.
  int scale() const { return scale_; }
  /// The unit of a timestamp or duration; microseconds for time and other kinds.
  TimeUnit unit() const { return unit_; }
  /// The time zone of a timestamp; empty when it has none (and for other kinds).
  const std::string& time_zone() const { return time_zone_; }
  /// The element type of a list. Precondition: kind() == TypeKind::kList.
  const ColumnType& element() const;
  /// The fields of a struct; empty for other kinds.
  const std::vector<StructField>& fields() const;
  /// How many lists and structs nest in this type: 0 for scalars.
  int nesting_depth() const { return nesting_depth_; }

  /// The canonical text form, e.g. "decimal(10, 2)" or "struct<a: int32, b: string>".
  std::string ToString() const;

  /// Structural equality: same kind, parameters, and (recursively) same children with
  /// field names spelled the same.
  friend bool operator==(const ColumnType& left, const ColumnType& right);

 private:
  explicit ColumnType(TypeKind kind) : kind_(kind) {}

  TypeKind kind_;
  int precision_ = 0;
  int scale_ = 0;
  TimeUnit unit_ = TimeUnit::kMicrosecond;
  std::string time_zone_;
  int nesting_depth_ = 0;
  /// Children are immutable, so copies share them.
  std::shared_ptr<const ColumnType> element_;
  std::shared_ptr<const std::vector<StructField>> fields_;
};

/// One named field of a struct type.
struct StructField {
  std::string name;
  ColumnType type;

  friend bool operator==(const StructField& left, const StructField& right) = default;
};

}  // namespace quiver::domain

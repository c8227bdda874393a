#include "domain/column_type.h"

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include "domain/column_type_internal.h"
#include "domain/problem.h"
#include "domain/text_internal.h"

namespace quiver::domain {
namespace {

struct KindEntry {
  TypeKind kind;
  std::string_view name;
};

/// The domain's one table of kind names; the infrastructure maps the same kinds to
/// Arrow and DuckDB types in its own table.
constexpr std::array<KindEntry, 20> kKinds = {{
    {TypeKind::kBoolean, "boolean"},     {TypeKind::kInt8, "int8"},
    {TypeKind::kInt16, "int16"},         {TypeKind::kInt32, "int32"},
    {TypeKind::kInt64, "int64"},         {TypeKind::kUInt8, "uint8"},
    {TypeKind::kUInt16, "uint16"},       {TypeKind::kUInt32, "uint32"},
    {TypeKind::kUInt64, "uint64"},       {TypeKind::kFloat32, "float32"},
    {TypeKind::kFloat64, "float64"},     {TypeKind::kDecimal, "decimal"},
    {TypeKind::kString, "string"},       {TypeKind::kBinary, "binary"},
    {TypeKind::kDate, "date"},           {TypeKind::kTime, "time"},
    {TypeKind::kTimestamp, "timestamp"}, {TypeKind::kDuration, "duration"},
    {TypeKind::kList, "list"},           {TypeKind::kStruct, "struct"},
}};

/// Accepted on input only; ToString never prints them.
constexpr std::array<KindEntry, 7> kAliases = {{
    {TypeKind::kBoolean, "bool"},
    {TypeKind::kFloat64, "double"},
    {TypeKind::kFloat32, "float"},
    {TypeKind::kString, "utf8"},
    {TypeKind::kString, "text"},
    {TypeKind::kInt32, "int"},
    {TypeKind::kInt64, "bigint"},
}};

struct UnitEntry {
  TimeUnit unit;
  std::string_view name;
};

constexpr std::array<UnitEntry, 4> kUnits = {{
    {TimeUnit::kSecond, "s"},
    {TimeUnit::kMillisecond, "ms"},
    {TimeUnit::kMicrosecond, "us"},
    {TimeUnit::kNanosecond, "ns"},
}};

bool IsTimeZoneCharacter(char character) {
  constexpr std::string_view kPunctuation = "/_+-:";
  return internal::IsAsciiLetter(character) || internal::IsAsciiDigit(character) ||
         kPunctuation.find(character) != std::string_view::npos;
}

std::optional<std::string> FindTimeZoneProblem(std::string_view time_zone) {
  if (time_zone.empty()) return "a time zone must not be empty";
  if (time_zone.size() > ColumnType::kMaxTimeZoneLength) {
    return "a time zone is at most " + std::to_string(ColumnType::kMaxTimeZoneLength) +
           " characters long";
  }
  for (std::size_t position = 0; position < time_zone.size(); ++position) {
    if (IsTimeZoneCharacter(time_zone[position])) continue;
    return "the time zone has " + internal::DescribeCharacter(time_zone[position]) +
           "; a time zone uses letters, digits and / _ + - : only";
  }
  return std::nullopt;
}

std::optional<std::string> FindStructFieldsProblem(
    const std::vector<StructField>& fields) {
  if (fields.empty()) return "a struct needs at least one field";
  std::unordered_map<std::string, std::string_view> seen;
  for (std::size_t index = 0; index < fields.size(); ++index) {
    const StructField& field = fields[index];
    // The name is not echoed: it may hold any bytes.
    if (auto problem = internal::FindIdentifierProblem(field.name)) {
      return "the name of struct field " + std::to_string(index) + " " + *problem;
    }
    std::string folded = field.name;
    std::transform(folded.begin(), folded.end(), folded.begin(), internal::ToAsciiLower);
    auto [existing, inserted] = seen.emplace(std::move(folded), field.name);
    if (!inserted) {
      return "struct field name '" + field.name + "' repeats '" +
             std::string(existing->second) + "' (field names ignore case)";
    }
  }
  return std::nullopt;
}

std::string NestingProblem() {
  return "types nest more than " + std::to_string(ColumnType::kMaxNestingDepth) +
         " levels deep";
}

}  // namespace

namespace internal {

arrow::Status MakeTypeProblem(const std::string& message) {
  return MakeProblem(ProblemKind::kValidationFailed, "invalid column type: " + message,
                     {{"type", std::nullopt, message}});
}

std::string TypeProblemMessage(const arrow::Status& status) {
  const ProblemDetail* detail = FindProblemDetail(status);
  if (detail != nullptr && !detail->violations().empty()) {
    return detail->violations().front().message;
  }
  return status.message();
}

std::optional<TypeKind> FindKindByKeyword(std::string_view keyword) {
  for (const auto& entry : kKinds) {
    if (EqualsIgnoringCase(entry.name, keyword)) return entry.kind;
  }
  for (const auto& entry : kAliases) {
    if (EqualsIgnoringCase(entry.name, keyword)) return entry.kind;
  }
  return std::nullopt;
}

std::optional<TimeUnit> FindTimeUnit(std::string_view keyword) {
  for (const auto& entry : kUnits) {
    if (EqualsIgnoringCase(entry.name, keyword)) return entry.unit;
  }
  return std::nullopt;
}

const std::string& KindNameList() {
  static const std::string kList = [] {
    std::string list;
    for (const auto& entry : kKinds) {
      if (!list.empty()) list += ", ";
      list += entry.name;
    }
    return list;
  }();
  return kList;
}

}  // namespace internal

const std::vector<TypeKind>& AllTypeKinds() {
  static const std::vector<TypeKind> kAll = [] {
    std::vector<TypeKind> all;
    all.reserve(kKinds.size());
    for (const auto& entry : kKinds) all.push_back(entry.kind);
    return all;
  }();
  return kAll;
}

std::string_view KindName(TypeKind kind) {
  for (const auto& entry : kKinds) {
    if (entry.kind == kind) return entry.name;
  }
  return "unknown";
}

std::string_view TimeUnitName(TimeUnit unit) {
  for (const auto& entry : kUnits) {
    if (entry.unit == unit) return entry.name;
  }
  return "unknown";
}

ColumnType ColumnType::Boolean() { return ColumnType(TypeKind::kBoolean); }
ColumnType ColumnType::Int8() { return ColumnType(TypeKind::kInt8); }
ColumnType ColumnType::Int16() { return ColumnType(TypeKind::kInt16); }
ColumnType ColumnType::Int32() { return ColumnType(TypeKind::kInt32); }
ColumnType ColumnType::Int64() { return ColumnType(TypeKind::kInt64); }
ColumnType ColumnType::UInt8() { return ColumnType(TypeKind::kUInt8); }
ColumnType ColumnType::UInt16() { return ColumnType(TypeKind::kUInt16); }
ColumnType ColumnType::UInt32() { return ColumnType(TypeKind::kUInt32); }
ColumnType ColumnType::UInt64() { return ColumnType(TypeKind::kUInt64); }
ColumnType ColumnType::Float32() { return ColumnType(TypeKind::kFloat32); }
ColumnType ColumnType::Float64() { return ColumnType(TypeKind::kFloat64); }
ColumnType ColumnType::String() { return ColumnType(TypeKind::kString); }
ColumnType ColumnType::Binary() { return ColumnType(TypeKind::kBinary); }
ColumnType ColumnType::Date() { return ColumnType(TypeKind::kDate); }
ColumnType ColumnType::Time() { return ColumnType(TypeKind::kTime); }

arrow::Result<ColumnType> ColumnType::Decimal(int precision, int scale) {
  if (precision < 1 || precision > kMaxDecimalPrecision) {
    return internal::MakeTypeProblem("decimal precision must be 1 to " +
                                     std::to_string(kMaxDecimalPrecision) + ", got " +
                                     std::to_string(precision));
  }
  if (scale < 0 || scale > precision) {
    return internal::MakeTypeProblem("decimal scale must be 0 to the precision (" +
                                     std::to_string(precision) + "), got " +
                                     std::to_string(scale));
  }
  ColumnType type(TypeKind::kDecimal);
  type.precision_ = precision;
  type.scale_ = scale;
  return type;
}

ColumnType ColumnType::Timestamp(TimeUnit unit) {
  ColumnType type(TypeKind::kTimestamp);
  type.unit_ = unit;
  return type;
}

arrow::Result<ColumnType> ColumnType::TimestampWithZone(TimeUnit unit,
                                                        std::string_view time_zone) {
  if (unit != TimeUnit::kMicrosecond) {
    return internal::MakeTypeProblem(
        "a timestamp with a time zone must have unit us (the storage engine keeps "
        "zoned timestamps in microseconds), got " +
        std::string(TimeUnitName(unit)));
  }
  if (auto problem = FindTimeZoneProblem(time_zone)) {
    return internal::MakeTypeProblem(*problem);
  }
  ColumnType type = Timestamp(unit);
  type.time_zone_ = std::string(time_zone);
  return type;
}

ColumnType ColumnType::Duration(TimeUnit unit) {
  ColumnType type(TypeKind::kDuration);
  type.unit_ = unit;
  return type;
}

arrow::Result<ColumnType> ColumnType::List(ColumnType element) {
  if (element.nesting_depth_ >= kMaxNestingDepth) {
    return internal::MakeTypeProblem(NestingProblem());
  }
  ColumnType type(TypeKind::kList);
  type.nesting_depth_ = element.nesting_depth_ + 1;
  type.element_ = std::make_shared<const ColumnType>(std::move(element));
  return type;
}

arrow::Result<ColumnType> ColumnType::Struct(std::vector<StructField> fields) {
  if (auto problem = FindStructFieldsProblem(fields)) {
    return internal::MakeTypeProblem(*problem);
  }
  int deepest_field = 0;
  for (const auto& field : fields) {
    deepest_field = std::max(deepest_field, field.type.nesting_depth_);
  }
  if (deepest_field >= kMaxNestingDepth) {
    return internal::MakeTypeProblem(NestingProblem());
  }
  ColumnType type(TypeKind::kStruct);
  type.nesting_depth_ = deepest_field + 1;
  type.fields_ = std::make_shared<const std::vector<StructField>>(std::move(fields));
  return type;
}

const ColumnType& ColumnType::element() const { return *element_; }

const std::vector<StructField>& ColumnType::fields() const {
  static const std::vector<StructField> kNoFields;
  return fields_ ? *fields_ : kNoFields;
}

std::string ColumnType::ToString() const {
  std::string text(KindName(kind_));
  switch (kind_) {
    case TypeKind::kDecimal:
      return text + "(" + std::to_string(precision_) + ", " + std::to_string(scale_) +
             ")";
    case TypeKind::kTimestamp:
      text += "(" + std::string(TimeUnitName(unit_));
      if (!time_zone_.empty()) text += ", " + time_zone_;
      return text + ")";
    case TypeKind::kDuration:
      return text + "(" + std::string(TimeUnitName(unit_)) + ")";
    case TypeKind::kList:
      return text + "<" + element_->ToString() + ">";
    case TypeKind::kStruct: {
      text += "<";
      const char* separator = "";
      for (const auto& field : *fields_) {
        text += separator + field.name + ": " + field.type.ToString();
        separator = ", ";
      }
      return text + ">";
    }
    default:
      return text;
  }
}

bool operator==(const ColumnType& left, const ColumnType& right) {
  if (left.kind_ != right.kind_ || left.precision_ != right.precision_ ||
      left.scale_ != right.scale_ || left.unit_ != right.unit_ ||
      left.time_zone_ != right.time_zone_) {
    return false;
  }
  if (left.kind_ == TypeKind::kList) return *left.element_ == *right.element_;
  if (left.kind_ == TypeKind::kStruct) return *left.fields_ == *right.fields_;
  return true;
}

}  // namespace quiver::domain

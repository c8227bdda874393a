// ColumnType::Parse: a recursive-descent reader of the API's type text. Recursion is
// bounded by ColumnType::kMaxNestingDepth, checked before descending, so hostile input
// cannot exhaust the stack.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/column_type.h"
#include "domain/column_type_internal.h"
#include "domain/text_internal.h"

namespace quiver::domain {
namespace {

/// Reads one type from text, tracking the position for error messages.
class TypeParser {
 public:
  explicit TypeParser(std::string_view text) : text_(text) {}

  arrow::Result<ColumnType> ParseWhole() {
    ARROW_ASSIGN_OR_RAISE(ColumnType type, ParseType(0));
    SkipWhitespace();
    if (!AtEnd()) {
      return Fail("unexpected " + internal::DescribeCharacter(Peek()),
                  "the type '" + type.ToString() + "' ends before it");
    }
    return type;
  }

 private:
  /// The largest number read in a type (a decimal precision or scale).
  static constexpr int64_t kLargestNumber = 999;

  arrow::Result<ColumnType> ParseType(int depth) {
    SkipWhitespace();
    const std::size_t start = position_;
    const std::string_view keyword = ReadWord();
    if (keyword.empty()) return Fail("expected a type", "found " + DescribeNext());
    const std::optional<TypeKind> kind = internal::FindKindByKeyword(keyword);
    if (!kind) {
      return FailAt(start, "unknown type " + Quoted(keyword),
                    "expected one of " + internal::KindNameList());
    }
    return ParseRest(*kind, start, depth);
  }

  /// Reads what follows the keyword of `kind`, which started at `start`.
  arrow::Result<ColumnType> ParseRest(TypeKind kind, std::size_t start, int depth) {
    switch (kind) {
      case TypeKind::kDecimal:
        return ParseDecimal(start);
      case TypeKind::kTimestamp:
        return ParseTimestamp();
      case TypeKind::kDuration:
        return ParseDuration();
      case TypeKind::kList:
        return ParseList(start, depth);
      case TypeKind::kStruct:
        return ParseStruct(start, depth);
      default:
        return ScalarOf(kind);
    }
  }

  static ColumnType ScalarOf(TypeKind kind) {
    switch (kind) {
      case TypeKind::kBoolean:
        return ColumnType::Boolean();
      case TypeKind::kInt8:
        return ColumnType::Int8();
      case TypeKind::kInt16:
        return ColumnType::Int16();
      case TypeKind::kInt32:
        return ColumnType::Int32();
      case TypeKind::kInt64:
        return ColumnType::Int64();
      case TypeKind::kUInt8:
        return ColumnType::UInt8();
      case TypeKind::kUInt16:
        return ColumnType::UInt16();
      case TypeKind::kUInt32:
        return ColumnType::UInt32();
      case TypeKind::kUInt64:
        return ColumnType::UInt64();
      case TypeKind::kFloat32:
        return ColumnType::Float32();
      case TypeKind::kFloat64:
        return ColumnType::Float64();
      case TypeKind::kString:
        return ColumnType::String();
      case TypeKind::kBinary:
        return ColumnType::Binary();
      case TypeKind::kDate:
        return ColumnType::Date();
      default:
        return ColumnType::Time();
    }
  }

  /// decimal(precision) or decimal(precision, scale).
  arrow::Result<ColumnType> ParseDecimal(std::size_t start) {
    ARROW_RETURN_NOT_OK(Expect('(', "after decimal"));
    ARROW_ASSIGN_OR_RAISE(const int precision, ReadNumber("a decimal precision"));
    int scale = 0;
    if (TryConsume(',')) {
      ARROW_ASSIGN_OR_RAISE(scale, ReadNumber("a decimal scale"));
    }
    ARROW_RETURN_NOT_OK(Expect(')', "to close decimal("));
    return Located(ColumnType::Decimal(precision, scale), start, "invalid decimal");
  }

  /// timestamp, timestamp(unit) or timestamp(unit, zone).
  arrow::Result<ColumnType> ParseTimestamp() {
    if (!TryConsume('(')) return ColumnType::Timestamp();
    SkipWhitespace();
    const std::size_t unit_start = position_;
    ARROW_ASSIGN_OR_RAISE(const TimeUnit unit, ReadUnit());
    if (!TryConsume(',')) {
      ARROW_RETURN_NOT_OK(Expect(')', "to close timestamp("));
      return ColumnType::Timestamp(unit);
    }
    SkipWhitespace();
    const std::size_t zone_start = position_;
    const std::string_view time_zone = ReadTimeZone();
    if (time_zone.empty()) return Fail("expected a time zone", "found " + DescribeNext());
    ARROW_RETURN_NOT_OK(Expect(')', "to close timestamp("));
    if (unit != TimeUnit::kMicrosecond) {
      return Located(ColumnType::TimestampWithZone(unit, time_zone), unit_start,
                     "invalid time unit");
    }
    return Located(ColumnType::TimestampWithZone(unit, time_zone), zone_start,
                   "invalid time zone");
  }

  /// duration (microseconds) or duration(unit).
  arrow::Result<ColumnType> ParseDuration() {
    if (!TryConsume('(')) return ColumnType::Duration(TimeUnit::kMicrosecond);
    ARROW_ASSIGN_OR_RAISE(const TimeUnit unit, ReadUnit());
    ARROW_RETURN_NOT_OK(Expect(')', "to close duration("));
    return ColumnType::Duration(unit);
  }

  /// list<element>.
  arrow::Result<ColumnType> ParseList(std::size_t start, int depth) {
    ARROW_RETURN_NOT_OK(Expect('<', "after list"));
    ARROW_RETURN_NOT_OK(CheckDepth(start, depth));
    ARROW_ASSIGN_OR_RAISE(ColumnType element, ParseType(depth + 1));
    ARROW_RETURN_NOT_OK(Expect('>', "to close list<"));
    return Located(ColumnType::List(std::move(element)), start, "invalid list");
  }

  /// struct<name: type, ...>.
  arrow::Result<ColumnType> ParseStruct(std::size_t start, int depth) {
    ARROW_RETURN_NOT_OK(Expect('<', "after struct"));
    ARROW_RETURN_NOT_OK(CheckDepth(start, depth));
    std::vector<StructField> fields;
    do {
      ARROW_ASSIGN_OR_RAISE(StructField field, ParseField(depth));
      fields.push_back(std::move(field));
    } while (TryConsume(','));
    ARROW_RETURN_NOT_OK(Expect('>', "or ',' in struct<"));
    return Located(ColumnType::Struct(std::move(fields)), start, "invalid struct");
  }

  arrow::Result<StructField> ParseField(int depth) {
    SkipWhitespace();
    const std::size_t start = position_;
    const std::string_view name = ReadWord();
    if (name.empty()) {
      return Fail("expected a struct field name", "found " + DescribeNext());
    }
    if (auto problem = internal::FindIdentifierProblem(name)) {
      return FailAt(start, "invalid struct field name " + Quoted(name),
                    "the name " + *problem);
    }
    ARROW_RETURN_NOT_OK(Expect(':', "after the struct field name"));
    ARROW_ASSIGN_OR_RAISE(ColumnType type, ParseType(depth + 1));
    return StructField{std::string(name), std::move(type)};
  }

  arrow::Status CheckDepth(std::size_t start, int depth) const {
    if (depth < ColumnType::kMaxNestingDepth) return arrow::Status::OK();
    return FailAt(start, "too deep a type",
                  "lists and structs nest at most " +
                      std::to_string(ColumnType::kMaxNestingDepth) + " levels deep");
  }

  arrow::Result<TimeUnit> ReadUnit() {
    SkipWhitespace();
    const std::size_t start = position_;
    const std::string_view word = ReadWord();
    if (auto unit = internal::FindTimeUnit(word)) return *unit;
    if (word.empty()) {
      return Fail("expected a time unit",
                  "found " + DescribeNext() + "; expected one of s, ms, us, ns");
    }
    return FailAt(start, "unknown time unit " + Quoted(word),
                  "expected one of s, ms, us, ns");
  }

  arrow::Result<int> ReadNumber(const std::string& what) {
    SkipWhitespace();
    const std::size_t start = position_;
    int64_t number = 0;
    while (!AtEnd() && internal::IsAsciiDigit(Peek())) {
      number = number * 10 + (Peek() - '0');
      ++position_;
      if (number > kLargestNumber) {
        return FailAt(start, what + " that is too large",
                      "at most " + std::to_string(kLargestNumber) + " is read");
      }
    }
    if (position_ == start) return Fail("expected " + what, "found " + DescribeNext());
    return static_cast<int>(number);
  }

  /// Letters, digits and underscores: a keyword, unit or field name.
  std::string_view ReadWord() {
    const std::size_t start = position_;
    while (!AtEnd() && (internal::IsAsciiLetter(Peek()) ||
                        internal::IsAsciiDigit(Peek()) || Peek() == '_')) {
      ++position_;
    }
    return text_.substr(start, position_ - start);
  }

  /// Everything up to the closing parenthesis or whitespace; its characters are
  /// checked by ColumnType::TimestampWithZone.
  std::string_view ReadTimeZone() {
    const std::size_t start = position_;
    while (!AtEnd() && Peek() != ')' && !IsWhitespace(Peek())) ++position_;
    return text_.substr(start, position_ - start);
  }

  /// Adds what failed, and where (`start`), to a factory's problem.
  static arrow::Result<ColumnType> Located(arrow::Result<ColumnType> result,
                                           std::size_t start, const std::string& what) {
    if (result.ok()) return result;
    return FailAt(start, what, internal::TypeProblemMessage(result.status()));
  }

  arrow::Status Expect(char expected, const std::string& context) {
    if (TryConsume(expected)) return arrow::Status::OK();
    return Fail("expected '" + std::string(1, expected) + "' " + context,
                "found " + DescribeNext());
  }

  bool TryConsume(char expected) {
    SkipWhitespace();
    if (AtEnd() || Peek() != expected) return false;
    ++position_;
    return true;
  }

  void SkipWhitespace() {
    while (!AtEnd() && IsWhitespace(Peek())) ++position_;
  }

  static bool IsWhitespace(char character) {
    return character == ' ' || character == '\t' || character == '\n' ||
           character == '\r';
  }

  /// A word read from the input, in quotes, cut short so that a huge input does not
  /// make a huge message. Words hold letters, digits and underscores only.
  static std::string Quoted(std::string_view word) {
    constexpr std::size_t kLongestQuoted = 64;
    if (word.size() <= kLongestQuoted) return "'" + std::string(word) + "'";
    return "'" + std::string(word.substr(0, kLongestQuoted)) + "...'";
  }

  std::string DescribeNext() const {
    if (AtEnd()) return "the end of the text";
    return internal::DescribeCharacter(Peek());
  }

  /// A problem at the current position; see FailAt.
  arrow::Status Fail(const std::string& what, const std::string& detail = {}) const {
    return FailAt(position_, what, detail);
  }

  /// "<what> at position <position>[; <detail>]", positions counting bytes from 0.
  static arrow::Status FailAt(std::size_t position, const std::string& what,
                              const std::string& detail = {}) {
    std::string message = what + " at position " + std::to_string(position);
    if (!detail.empty()) message += "; " + detail;
    return internal::MakeTypeProblem(message);
  }

  bool AtEnd() const { return position_ >= text_.size(); }
  char Peek() const { return text_[position_]; }

  std::string_view text_;
  std::size_t position_ = 0;
};

}  // namespace

arrow::Result<ColumnType> ColumnType::Parse(std::string_view text) {
  return TypeParser(text).ParseWhole();
}

}  // namespace quiver::domain

#include <charconv>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <variant>

#include "domain/filter_value_internal.h"
#include "domain/text_internal.h"

namespace quiver::domain::internal {
namespace {

/// The inclusive range of an integer kind, as doubles that bound it exactly: the
/// upper bound is exclusive (2^63 and 2^64 are exact doubles, their predecessors as
/// integers are not).
struct IntegerRange {
  TypeKind kind;
  int64_t minimum;
  uint64_t maximum;
  double exclusive_upper_bound;
};

constexpr double kTwoToThe63 = 9223372036854775808.0;
constexpr double kTwoToThe64 = 18446744073709551616.0;

constexpr IntegerRange kIntegerRanges[] = {
    {TypeKind::kInt8, -128, 127, 128.0},
    {TypeKind::kInt16, -32768, 32767, 32768.0},
    {TypeKind::kInt32, -2147483648LL, 2147483647ULL, 2147483648.0},
    {TypeKind::kInt64, std::numeric_limits<int64_t>::min(),
     static_cast<uint64_t>(std::numeric_limits<int64_t>::max()), kTwoToThe63},
    {TypeKind::kUInt8, 0, 255, 256.0},
    {TypeKind::kUInt16, 0, 65535, 65536.0},
    {TypeKind::kUInt32, 0, 4294967295ULL, 4294967296.0},
    {TypeKind::kUInt64, 0, std::numeric_limits<uint64_t>::max(), kTwoToThe64},
};

const IntegerRange* FindIntegerRange(TypeKind kind) {
  for (const auto& range : kIntegerRanges) {
    if (range.kind == kind) return &range;
  }
  return nullptr;
}

std::string RangeText(const IntegerRange& range) {
  return std::to_string(range.minimum) + " to " + std::to_string(range.maximum);
}

std::optional<std::string> CheckInteger(const IntegerRange& range, Value& value) {
  const std::string expected = "expected an integer from " + RangeText(range);
  if (const auto* integer = std::get_if<int64_t>(&value)) {
    const bool fits = *integer >= range.minimum &&
                      (*integer < 0 || static_cast<uint64_t>(*integer) <= range.maximum);
    if (fits) return std::nullopt;
    return expected + ", got " + std::to_string(*integer);
  }
  if (const auto* number = std::get_if<double>(&value)) {
    if (!std::isfinite(*number) || std::trunc(*number) != *number) {
      return expected + ", got a number with a fraction";
    }
    if (*number < static_cast<double>(range.minimum) ||
        *number >= range.exclusive_upper_bound) {
      return expected + ", got a number out of that range";
    }
    // Integral and in range: bind it as an integer when int64 holds it.
    if (*number >= -kTwoToThe63 && *number < kTwoToThe63) {
      value = static_cast<int64_t>(*number);
    }
    return std::nullopt;
  }
  return expected + ", got " + DescribeValueKind(value);
}

std::optional<std::string> CheckFloat(TypeKind kind, const Value& value) {
  double number = 0;
  if (const auto* integer = std::get_if<int64_t>(&value)) {
    number = static_cast<double>(*integer);
  } else if (const auto* floating = std::get_if<double>(&value)) {
    number = *floating;
  } else {
    return "expected a number, got " + DescribeValueKind(value);
  }
  if (!std::isfinite(number)) return "expected a finite number";
  if (kind == TypeKind::kFloat32 &&
      std::fabs(number) > static_cast<double>(std::numeric_limits<float>::max())) {
    return "expected a number in the range of float32";
  }
  return std::nullopt;
}

/// The digits of decimal text "[+-]digits[.digits]" (at least one digit in all),
/// without leading zeros before the point and trailing zeros after it.
struct DecimalDigits {
  std::size_t integer = 0;
  std::size_t fraction = 0;
};

std::optional<DecimalDigits> ReadDecimalText(std::string_view text) {
  std::size_t position = 0;
  if (position < text.size() && (text[position] == '+' || text[position] == '-')) {
    ++position;
  }
  const std::size_t integer_start = position;
  while (position < text.size() && IsAsciiDigit(text[position])) ++position;
  std::string_view integer = text.substr(integer_start, position - integer_start);
  std::string_view fraction;
  if (position < text.size() && text[position] == '.') {
    const std::size_t fraction_start = ++position;
    while (position < text.size() && IsAsciiDigit(text[position])) ++position;
    fraction = text.substr(fraction_start, position - fraction_start);
  }
  if (position != text.size() || (integer.empty() && fraction.empty())) {
    return std::nullopt;
  }
  while (!integer.empty() && integer.front() == '0') integer.remove_prefix(1);
  while (!fraction.empty() && fraction.back() == '0') fraction.remove_suffix(1);
  return DecimalDigits{integer.size(), fraction.size()};
}

/// The shortest decimal text that reads back as `number` (never in exponent form).
std::string DecimalTextOf(double number) {
  char buffer[400];
  const auto [end, error] = std::to_chars(std::begin(buffer), std::end(buffer), number,
                                          std::chars_format::fixed);
  if (error != std::errc()) return "";
  return std::string(buffer, end);
}

std::optional<std::string> CheckDecimal(const ColumnType& type, Value& value) {
  const std::string expected = "expected a number or decimal text for decimal(" +
                               std::to_string(type.precision()) + ", " +
                               std::to_string(type.scale()) + ")";
  if (const auto* integer = std::get_if<int64_t>(&value)) {
    value = std::to_string(*integer);
  } else if (const auto* number = std::get_if<double>(&value)) {
    if (!std::isfinite(*number)) return expected + ", got a number that is not finite";
    value = DecimalTextOf(*number);
  } else if (!std::holds_alternative<std::string>(value)) {
    return expected + ", got " + DescribeValueKind(value);
  }
  const auto digits = ReadDecimalText(std::get<std::string>(value));
  if (!digits) return expected + " such as \"-12.50\"";
  const auto integer_digits = static_cast<std::size_t>(type.precision() - type.scale());
  if (digits->integer > integer_digits) {
    return expected + ": at most " + std::to_string(integer_digits) +
           " digits before the point";
  }
  if (digits->fraction > static_cast<std::size_t>(type.scale())) {
    return expected + ": at most " + std::to_string(type.scale()) +
           " digits after the point (the value would be rounded)";
  }
  return std::nullopt;
}

/// Reads ISO 8601 text one piece at a time.
class IsoReader {
 public:
  explicit IsoReader(std::string_view text) : text_(text) {}

  bool AtEnd() const { return position_ == text_.size(); }
  bool Peek(char character) const {
    return position_ < text_.size() && text_[position_] == character;
  }
  bool Skip(char character) {
    if (!Peek(character)) return false;
    ++position_;
    return true;
  }
  /// Exactly `count` digits as a number, or nothing.
  std::optional<int> Digits(std::size_t count) {
    if (text_.size() - position_ < count) return std::nullopt;
    int number = 0;
    for (std::size_t index = 0; index < count; ++index) {
      const char character = text_[position_ + index];
      if (!IsAsciiDigit(character)) return std::nullopt;
      number = number * 10 + (character - '0');
    }
    position_ += count;
    return number;
  }
  /// One or more digits, returned as text.
  std::string_view DigitRun() {
    const std::size_t start = position_;
    while (position_ < text_.size() && IsAsciiDigit(text_[position_])) ++position_;
    return text_.substr(start, position_ - start);
  }

 private:
  std::string_view text_;
  std::size_t position_ = 0;
};

bool IsLeapYear(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int DaysInMonth(int year, int month) {
  constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && IsLeapYear(year)) return 29;
  return kDays[month - 1];
}

std::string TwoDigits(int number) {
  return std::string{static_cast<char>('0' + number / 10),
                     static_cast<char>('0' + number % 10)};
}

/// YYYY-MM-DD, year 0001 to 9999; the canonical text when valid.
std::optional<std::string> ReadDate(IsoReader& reader) {
  const auto year = reader.Digits(4);
  if (!year || !reader.Skip('-')) return std::nullopt;
  const auto month = reader.Digits(2);
  if (!month || !reader.Skip('-')) return std::nullopt;
  const auto day = reader.Digits(2);
  if (!day || *year < 1 || *month < 1 || *month > 12 || *day < 1 ||
      *day > DaysInMonth(*year, *month)) {
    return std::nullopt;
  }
  return TwoDigits(*year / 100) + TwoDigits(*year % 100) + "-" + TwoDigits(*month) + "-" +
         TwoDigits(*day);
}

/// HH:MM[:SS[.fraction]] with at most `fraction_digits` significant fractional digits
/// (trailing zeros do not count); the canonical HH:MM:SS[.fraction] when valid.
std::optional<std::string> ReadTime(IsoReader& reader, std::size_t fraction_digits) {
  const auto hour = reader.Digits(2);
  if (!hour || !reader.Skip(':')) return std::nullopt;
  const auto minute = reader.Digits(2);
  if (!minute || *hour > 23 || *minute > 59) return std::nullopt;
  int second = 0;
  std::string_view fraction;
  if (reader.Skip(':')) {
    const auto seconds = reader.Digits(2);
    if (!seconds || *seconds > 59) return std::nullopt;
    second = *seconds;
    if (reader.Skip('.')) {
      fraction = reader.DigitRun();
      if (fraction.empty()) return std::nullopt;
    }
  }
  while (!fraction.empty() && fraction.back() == '0') fraction.remove_suffix(1);
  if (fraction.size() > fraction_digits) return std::nullopt;
  std::string text =
      TwoDigits(*hour) + ":" + TwoDigits(*minute) + ":" + TwoDigits(second);
  if (!fraction.empty()) text += "." + std::string(fraction);
  return text;
}

/// Z, +HH, +HHMM or +HH:MM (or with '-'); the canonical +HH:MM when valid.
std::optional<std::string> ReadOffset(IsoReader& reader) {
  if (reader.Skip('Z')) return "+00:00";
  char sign = '+';
  if (reader.Skip('-')) {
    sign = '-';
  } else if (!reader.Skip('+')) {
    return std::nullopt;
  }
  const auto hours = reader.Digits(2);
  if (!hours || *hours > 23) return std::nullopt;
  int minutes = 0;
  if (!reader.AtEnd()) {
    reader.Skip(':');
    const auto read_minutes = reader.Digits(2);
    if (!read_minutes || *read_minutes > 59) return std::nullopt;
    minutes = *read_minutes;
  }
  return std::string(1, sign) + TwoDigits(*hours) + ":" + TwoDigits(minutes);
}

std::size_t FractionDigits(TimeUnit unit) {
  switch (unit) {
    case TimeUnit::kSecond:
      return 0;
    case TimeUnit::kMillisecond:
      return 3;
    case TimeUnit::kMicrosecond:
      return 6;
    case TimeUnit::kNanosecond:
      return 9;
  }
  return 6;
}

const std::string* StringOf(const Value& value) {
  return std::get_if<std::string>(&value);
}

std::optional<std::string> CheckDate(Value& value) {
  const std::string expected = "expected a date as text YYYY-MM-DD";
  const std::string* text = StringOf(value);
  if (text == nullptr) return expected + ", got " + DescribeValueKind(value);
  IsoReader reader(*text);
  auto date = ReadDate(reader);
  if (!date || !reader.AtEnd()) return expected + " (a valid calendar date)";
  value = std::move(*date);
  return std::nullopt;
}

std::optional<std::string> CheckTime(Value& value) {
  const std::string expected =
      "expected a time of day as text HH:MM[:SS[.ffffff]] (at most microseconds)";
  const std::string* text = StringOf(value);
  if (text == nullptr) return expected + ", got " + DescribeValueKind(value);
  IsoReader reader(*text);
  auto time = ReadTime(reader, FractionDigits(TimeUnit::kMicrosecond));
  if (!time || !reader.AtEnd()) return expected;
  value = std::move(*time);
  return std::nullopt;
}

std::optional<std::string> CheckTimestamp(const ColumnType& type, Value& value) {
  const bool zoned = !type.time_zone().empty();
  const std::size_t fraction_digits = FractionDigits(type.unit());
  std::string expected = "expected a timestamp as ISO 8601 text YYYY-MM-DD[THH:MM[:SS";
  if (fraction_digits > 0) expected += "[." + std::string(fraction_digits, 'f') + "]";
  expected += "]]";
  expected += zoned ? " with an optional Z or +HH:MM offset (UTC without one)"
                    : " without an offset (the column has no time zone)";
  const std::string* text = StringOf(value);
  if (text == nullptr) return expected + ", got " + DescribeValueKind(value);
  IsoReader reader(*text);
  auto date = ReadDate(reader);
  if (!date) return expected;
  std::string canonical = *date + " 00:00:00";
  if (reader.Skip('T') || reader.Skip(' ')) {
    auto time = ReadTime(reader, fraction_digits);
    if (!time) return expected;
    canonical = *date + " " + *time;
    if (!reader.AtEnd()) {
      if (!zoned) return expected;
      auto offset = ReadOffset(reader);
      if (!offset) return expected;
      canonical += *offset;
    }
  }
  if (!reader.AtEnd()) return expected;
  value = std::move(canonical);
  return std::nullopt;
}

bool IsHexDigit(char character) {
  const char lower = ToAsciiLower(character);
  return IsAsciiDigit(character) || (lower >= 'a' && lower <= 'f');
}

/// DuckDB's blob text: printable ASCII as is, any byte as \xHH.
std::optional<std::string> CheckBlobText(const Value& value) {
  const std::string expected =
      "expected blob text: ASCII characters, and \\xHH (two hex digits) for any byte";
  const std::string* text = StringOf(value);
  if (text == nullptr) return expected + ", got " + DescribeValueKind(value);
  for (std::size_t index = 0; index < text->size(); ++index) {
    const auto byte = static_cast<unsigned char>((*text)[index]);
    if (byte >= 0x80) return expected;
    if (byte != '\\') continue;
    if (index + 3 >= text->size()) return expected;
    if ((*text)[index + 1] != 'x' || !IsHexDigit((*text)[index + 2]) ||
        !IsHexDigit((*text)[index + 3])) {
      return expected;
    }
    index += 3;
  }
  return std::nullopt;
}

}  // namespace

bool IsNumeric(TypeKind kind) {
  switch (kind) {
    case TypeKind::kInt8:
    case TypeKind::kInt16:
    case TypeKind::kInt32:
    case TypeKind::kInt64:
    case TypeKind::kUInt8:
    case TypeKind::kUInt16:
    case TypeKind::kUInt32:
    case TypeKind::kUInt64:
    case TypeKind::kFloat32:
    case TypeKind::kFloat64:
      return true;
    default:
      return false;
  }
}

bool IsSummable(TypeKind kind) { return IsNumeric(kind) || kind == TypeKind::kDecimal; }

bool HasComparableValues(TypeKind kind) {
  return kind != TypeKind::kList && kind != TypeKind::kStruct &&
         kind != TypeKind::kDuration;
}

bool IsOrdered(TypeKind kind) {
  return HasComparableValues(kind) && kind != TypeKind::kBoolean &&
         kind != TypeKind::kBinary;
}

std::optional<std::string> CheckValue(const ColumnType& type, Value& value) {
  if (const IntegerRange* range = FindIntegerRange(type.kind())) {
    return CheckInteger(*range, value);
  }
  switch (type.kind()) {
    case TypeKind::kFloat32:
    case TypeKind::kFloat64:
      return CheckFloat(type.kind(), value);
    case TypeKind::kBoolean:
      if (std::holds_alternative<bool>(value)) return std::nullopt;
      return "expected true or false, got " + DescribeValueKind(value);
    case TypeKind::kString:
      if (std::holds_alternative<std::string>(value)) return std::nullopt;
      return "expected a string, got " + DescribeValueKind(value);
    case TypeKind::kDecimal:
      return CheckDecimal(type, value);
    case TypeKind::kDate:
      return CheckDate(value);
    case TypeKind::kTime:
      return CheckTime(value);
    case TypeKind::kTimestamp:
      return CheckTimestamp(type, value);
    case TypeKind::kBinary:
      return CheckBlobText(value);
    default:
      return "a " + std::string(KindName(type.kind())) + " column takes no values";
  }
}

std::string DescribeValueKind(const Value& value) {
  switch (value.index()) {
    case 0:
      return "null";
    case 1:
      return std::get<bool>(value) ? "true" : "false";
    case 2:
    case 3:
      return "a number";
    default:
      return "a string";
  }
}

}  // namespace quiver::domain::internal

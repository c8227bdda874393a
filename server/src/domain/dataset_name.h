#pragma once

#include <arrow/result.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

namespace quiver::domain {

/// The name of a dataset: a lower-case ASCII letter first, then lower-case letters,
/// digits or underscores, 1 to 63 characters. Safe to use in URLs, file names and
/// (quoted) SQL identifiers; an instance is always valid.
class DatasetName {
 public:
  /// The longest name accepted.
  static constexpr std::size_t kMaxLength = 63;

  /// Checks `text` against the rules; a kValidationFailed problem on field "name"
  /// says what is wrong and what is allowed.
  [[nodiscard]] static arrow::Result<DatasetName> Make(std::string_view text);

  /// The name as given.
  const std::string& value() const { return value_; }

  /// Names are equal when they are spelled the same (they are all lower case).
  friend bool operator==(const DatasetName& left, const DatasetName& right) = default;

 private:
  explicit DatasetName(std::string value) : value_(std::move(value)) {}
  std::string value_;
};

}  // namespace quiver::domain

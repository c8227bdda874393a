#include "domain/text_internal.h"

#include <algorithm>
#include <array>
#include <cstdint>

namespace quiver::domain::internal {

bool IsAsciiLetter(char character) {
  return (character >= 'a' && character <= 'z') || (character >= 'A' && character <= 'Z');
}

bool IsAsciiDigit(char character) { return character >= '0' && character <= '9'; }

char ToAsciiLower(char character) {
  if (character >= 'A' && character <= 'Z')
    return static_cast<char>(character - 'A' + 'a');
  return character;
}

bool EqualsIgnoringCase(std::string_view left, std::string_view right) {
  return left.size() == right.size() &&
         std::equal(left.begin(), left.end(), right.begin(), [](char one, char other) {
           return ToAsciiLower(one) == ToAsciiLower(other);
         });
}

bool StartsWithIgnoringCase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() &&
         EqualsIgnoringCase(text.substr(0, prefix.size()), prefix);
}

std::string DescribeCharacter(char character) {
  if (character >= ' ' && character <= '~') return std::string{'\'', character, '\''};
  constexpr std::array<char, 16> kHexDigits = {'0', '1', '2', '3', '4', '5', '6', '7',
                                               '8', '9', 'A', 'B', 'C', 'D', 'E', 'F'};
  const auto byte = static_cast<uint8_t>(character);
  return std::string("byte 0x") + kHexDigits[byte >> 4U] + kHexDigits[byte & 0x0FU];
}

std::optional<std::string> FindIdentifierProblem(std::string_view name) {
  constexpr std::string_view kAllowed =
      "use an ASCII letter or underscore first, then letters, digits or underscores, "
      "1 to 63 characters";
  if (name.empty()) return "must not be empty; " + std::string(kAllowed);
  if (name.size() > kMaxIdentifierLength) {
    return "is " + std::to_string(name.size()) + " characters long; " +
           std::string(kAllowed);
  }
  if (!IsAsciiLetter(name.front()) && name.front() != '_') {
    return "must not start with " + DescribeCharacter(name.front()) + "; " +
           std::string(kAllowed);
  }
  for (std::size_t position = 1; position < name.size(); ++position) {
    const char character = name[position];
    if (IsAsciiLetter(character) || IsAsciiDigit(character) || character == '_') continue;
    return "has " + DescribeCharacter(character) + " at position " +
           std::to_string(position) + "; " + std::string(kAllowed);
  }
  return std::nullopt;
}

}  // namespace quiver::domain::internal

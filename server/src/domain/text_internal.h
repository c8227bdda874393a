#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

/// Helpers shared by the domain's name and type rules; not part of the public API.
namespace quiver::domain::internal {

/// True for A-Z and a-z only (never locale dependent).
bool IsAsciiLetter(char character);

/// True for 0-9.
bool IsAsciiDigit(char character);

/// The ASCII lower-case form of `character`; other bytes are returned as they are.
char ToAsciiLower(char character);

/// Compares two texts ignoring ASCII case, as DuckDB compares identifiers.
bool EqualsIgnoringCase(std::string_view left, std::string_view right);

/// True when `text` starts with `prefix`, ignoring ASCII case.
bool StartsWithIgnoringCase(std::string_view text, std::string_view prefix);

/// A readable form of one byte for error messages: 'x' for printable ASCII, the byte
/// in hex otherwise, so that control characters never reach a message raw.
std::string DescribeCharacter(char character);

/// The problem with `name` as an identifier (an ASCII letter or underscore first, then
/// letters, digits or underscores, 1 to 63 characters), or nothing when it is fine.
/// Shared by column names and struct field names.
std::optional<std::string> FindIdentifierProblem(std::string_view name);

/// The longest identifier DuckDB keeps without truncation in our catalog.
inline constexpr std::size_t kMaxIdentifierLength = 63;

}  // namespace quiver::domain::internal

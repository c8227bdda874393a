#pragma once

#include <arrow/result.h>

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "application/cursor.h"

namespace quiver::crypto {

/// Cursor tokens as base64url(JSON) "." base64url(HMAC-SHA-256 of the JSON, first 16
/// bytes). The key is the server's: a client can read a token but not forge or alter
/// one. Tokens outlive restarts because the key is kept in the data dir.
class HmacCursorCodec final : public application::CursorCodec {
 public:
  static constexpr std::size_t kKeyBytes = 32;
  /// Tokens longer than this are refused before any work.
  static constexpr std::size_t kMaxTokenBytes = std::size_t{16} * 1024;
  using Key = std::array<uint8_t, kKeyBytes>;

  explicit HmacCursorCodec(const Key& key) : key_(key) {}

  /// The key in `file`, made (random, owner-only) when the file does not exist.
  [[nodiscard]] static arrow::Result<Key> LoadOrCreateKey(
      const std::filesystem::path& file);

  std::string Seal(const application::Cursor& cursor) const override;
  arrow::Result<application::Cursor> Open(std::string_view token) const override;

 private:
  Key key_;
};

}  // namespace quiver::crypto

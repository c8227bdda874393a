#include "infrastructure/crypto/hmac_cursor_codec.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <fstream>
#include <optional>
#include <vector>

#include "domain/problem.h"

namespace quiver::crypto {
namespace {

namespace json = boost::json;

constexpr std::size_t kTagBytes = 16;
constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Base64url without padding (RFC 4648 section 5).
std::string Base64Url(const uint8_t* data, std::size_t size) {
  std::string text;
  text.reserve((size * 4 + 2) / 3);
  uint32_t bits = 0;
  int pending = 0;
  for (std::size_t index = 0; index < size; ++index) {
    bits = (bits << 8) | data[index];
    pending += 8;
    while (pending >= 6) {
      pending -= 6;
      text += kAlphabet[(bits >> pending) & 0x3F];
    }
  }
  if (pending > 0) text += kAlphabet[(bits << (6 - pending)) & 0x3F];
  return text;
}

std::optional<std::string> FromBase64Url(std::string_view text) {
  std::string bytes;
  uint32_t bits = 0;
  int pending = 0;
  for (char character : text) {
    auto position = kAlphabet.find(character);
    if (position == std::string_view::npos) return std::nullopt;
    bits = (bits << 6) | static_cast<uint32_t>(position);
    pending += 6;
    if (pending >= 8) {
      pending -= 8;
      bytes += static_cast<char>((bits >> pending) & 0xFF);
    }
  }
  // Leftover bits must be zero padding of the last character, no more.
  if (pending >= 6 || (bits & ((1U << pending) - 1)) != 0) return std::nullopt;
  return bytes;
}

std::array<uint8_t, EVP_MAX_MD_SIZE> Tag(const HmacCursorCodec::Key& key,
                                         std::string_view payload) {
  std::array<uint8_t, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(payload.data()), payload.size(),
       digest.data(), &length);
  return digest;
}

arrow::Status Refused() {
  return domain::MakeProblem(
      domain::ProblemKind::kInvalidInput, "the cursor is not valid",
      {{"cursor", std::nullopt,
        "not a cursor this server issued, or it was altered; use the value of the "
        "Quiver-Next-Cursor header as it came"}});
}

}  // namespace

arrow::Result<HmacCursorCodec::Key> HmacCursorCodec::LoadOrCreateKey(
    const std::filesystem::path& file) {
  Key key{};
  std::ifstream existing(file, std::ios::binary);
  if (existing) {
    existing.read(reinterpret_cast<char*>(key.data()), key.size());
    if (existing.gcount() == static_cast<std::streamsize>(key.size())) return key;
    return arrow::Status::IOError("the cursor key file ", file.string(),
                                  " is shorter than ", key.size(), " bytes");
  }
  if (RAND_bytes(key.data(), static_cast<int>(key.size())) != 1) {
    return arrow::Status::IOError("no random bytes for the cursor key");
  }
  int descriptor = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (descriptor < 0) {
    return arrow::Status::IOError("cannot create the cursor key file ", file.string());
  }
  auto written = ::write(descriptor, key.data(), key.size());
  bool synced = ::fsync(descriptor) == 0;
  ::close(descriptor);
  if (written != static_cast<ssize_t>(key.size()) || !synced) {
    std::filesystem::remove(file);
    return arrow::Status::IOError("cannot write the cursor key file ", file.string());
  }
  return key;
}

std::string HmacCursorCodec::Seal(const application::Cursor& cursor) const {
  json::array keys;
  for (const auto& value : cursor.keys) {
    if (value) {
      keys.emplace_back(json::string(*value));
    } else {
      keys.emplace_back(nullptr);
    }
  }
  json::object payload{{"d", cursor.dataset},
                       {"g", cursor.generation},
                       {"f", cursor.fingerprint},
                       {"k", std::move(keys)}};
  std::string text = json::serialize(payload);
  auto tag = Tag(key_, text);
  return Base64Url(reinterpret_cast<const uint8_t*>(text.data()), text.size()) + "." +
         Base64Url(tag.data(), kTagBytes);
}

arrow::Result<application::Cursor> HmacCursorCodec::Open(std::string_view token) const {
  if (token.size() > kMaxTokenBytes) return Refused();
  auto dot = token.find('.');
  if (dot == std::string_view::npos) return Refused();
  auto payload = FromBase64Url(token.substr(0, dot));
  auto tag = FromBase64Url(token.substr(dot + 1));
  if (!payload || !tag || tag->size() != kTagBytes) return Refused();
  auto expected = Tag(key_, *payload);
  if (CRYPTO_memcmp(expected.data(), tag->data(), kTagBytes) != 0) return Refused();
  // Sealed by us, so well formed; still, never trust a shape blindly.
  boost::system::error_code error;
  json::value parsed = json::parse(*payload, error);
  const json::object* object = error ? nullptr : parsed.if_object();
  if (object == nullptr) return Refused();
  const auto* dataset = object->if_contains("d");
  const auto* generation = object->if_contains("g");
  const auto* fingerprint = object->if_contains("f");
  const auto* keys = object->if_contains("k");
  if (dataset == nullptr || !dataset->is_string() || generation == nullptr ||
      !generation->is_int64() || fingerprint == nullptr || !fingerprint->is_string() ||
      keys == nullptr || !keys->is_array()) {
    return Refused();
  }
  application::Cursor cursor{std::string(dataset->get_string()),
                             generation->get_int64(),
                             std::string(fingerprint->get_string()),
                             {}};
  for (const auto& key : keys->get_array()) {
    if (key.is_null()) {
      cursor.keys.emplace_back(std::nullopt);
    } else if (key.is_string()) {
      cursor.keys.emplace_back(std::string(key.get_string()));
    } else {
      return Refused();
    }
  }
  return cursor;
}

}  // namespace quiver::crypto

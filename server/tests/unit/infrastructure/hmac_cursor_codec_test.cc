// Cursor tokens: what is sealed opens unchanged; anything altered, forged or
// malformed is refused as a problem on field "cursor"; keys persist in a file.
#include "infrastructure/crypto/hmac_cursor_codec.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <string>
#include <vector>

#include "domain/problem.h"
#include "test_helpers.h"

namespace quiver::crypto {
namespace {

HmacCursorCodec::Key KeyOf(uint8_t fill) {
  HmacCursorCodec::Key key{};
  key.fill(fill);
  return key;
}

application::Cursor Sample() {
  return {"sales", 3, "00ff00ff00ff00ff", {"2024-01-01 00:00:00+00", std::nullopt, "42"}};
}

void ExpectRefused(const arrow::Result<application::Cursor>& opened) {
  ASSERT_FALSE(opened.ok());
  const auto* detail = domain::FindProblemDetail(opened.status());
  ASSERT_NE(detail, nullptr) << opened.status().ToString();
  EXPECT_EQ(detail->kind(), domain::ProblemKind::kInvalidInput);
  ASSERT_EQ(detail->violations().size(), 1U);
  EXPECT_EQ(detail->violations()[0].field, "cursor");
}

TEST(HmacCursorCodecTest, OpensWhatItSealed) {
  const HmacCursorCodec codec(KeyOf(7));
  const std::string token = codec.Seal(Sample());
  EXPECT_EQ(token.find_first_not_of(
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_."),
            std::string::npos)
      << "tokens are URL-safe: " << token;
  ASSERT_OK_AND_ASSIGN(auto cursor, codec.Open(token));
  EXPECT_EQ(cursor.dataset, "sales");
  EXPECT_EQ(cursor.generation, 3);
  EXPECT_EQ(cursor.fingerprint, "00ff00ff00ff00ff");
  EXPECT_EQ(cursor.keys, Sample().keys);
}

TEST(HmacCursorCodecTest, RefusesEveryAlteredCharacter) {
  const HmacCursorCodec codec(KeyOf(7));
  const std::string token = codec.Seal(Sample());
  for (std::size_t index = 0; index < token.size(); ++index) {
    std::string altered = token;
    altered[index] = altered[index] == 'A' ? 'B' : 'A';
    SCOPED_TRACE(altered);
    ExpectRefused(codec.Open(altered));
  }
}

TEST(HmacCursorCodecTest, RefusesTokensOfAnotherKeyAndGarbage) {
  const HmacCursorCodec codec(KeyOf(7));
  const HmacCursorCodec other(KeyOf(8));
  ExpectRefused(codec.Open(other.Seal(Sample())));
  const std::vector<std::string> garbages = {
      "",
      ".",
      "abc",
      "abc.def",
      "eyJkIjoiYSJ9",
      "!!!.###",
      "a.b.c",
      std::string(HmacCursorCodec::kMaxTokenBytes + 1, 'A')};
  for (const auto& garbage : garbages) {
    SCOPED_TRACE(garbage.substr(0, 40));
    ExpectRefused(codec.Open(garbage));
  }
  const std::string token = codec.Seal(Sample());
  ExpectRefused(codec.Open(token.substr(0, token.size() - 1)));
  ExpectRefused(codec.Open(token + "A"));
}

TEST(HmacCursorCodecTest, KeepsItsKeyInAnOwnerOnlyFile) {
  const auto folder = std::filesystem::temp_directory_path() /
                      ("quiver-cursor-key-" + std::to_string(::getpid()));
  std::filesystem::remove_all(folder);
  std::filesystem::create_directories(folder);
  const auto file = folder / "cursor.key";
  ASSERT_OK_AND_ASSIGN(auto made, HmacCursorCodec::LoadOrCreateKey(file));
  struct stat status {};
  ASSERT_EQ(::stat(file.c_str(), &status), 0);
  EXPECT_EQ(status.st_mode & 0777, 0600U);
  ASSERT_OK_AND_ASSIGN(auto loaded, HmacCursorCodec::LoadOrCreateKey(file));
  EXPECT_EQ(made, loaded) << "a restart keeps the key, so cursors stay valid";
  const HmacCursorCodec before(made);
  const HmacCursorCodec after(loaded);
  EXPECT_TRUE(after.Open(before.Seal(Sample())).ok());

  std::filesystem::resize_file(file, 5);
  EXPECT_FALSE(HmacCursorCodec::LoadOrCreateKey(file).ok()) << "a short key is an error";
  std::filesystem::remove_all(folder);
}

}  // namespace
}  // namespace quiver::crypto

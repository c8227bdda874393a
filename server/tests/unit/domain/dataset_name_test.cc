#include "domain/dataset_name.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "domain/problem.h"
#include "test_helpers.h"

namespace quiver::domain {
namespace {

TEST(DatasetNameTest, AcceptsLowerCaseIdentifiers) {
  const std::vector<std::string> valid = {"a",   "sales", "sales_2024",
                                          "a1_", "x__y",  std::string(63, 'q')};
  for (const auto& text : valid) {
    SCOPED_TRACE(text);
    ASSERT_OK_AND_ASSIGN(const DatasetName name, DatasetName::Make(text));
    EXPECT_EQ(name.value(), text);
  }
}

struct InvalidCase {
  std::string text;
  std::string message_part;
};

TEST(DatasetNameTest, RejectsWithAMessageSayingWhatIsWrongAndWhatIsAllowed) {
  const std::vector<InvalidCase> cases = {
      {"", "must not be empty"},
      {"Sales", "must not start with 'S'"},
      {"1abc", "must not start with '1'"},
      {"_abc", "must not start with '_'"},
      {"sa-les", "has '-' at position 2"},
      {"sa les", "has ' ' at position 2"},
      {"salesQ", "has 'Q' at position 5"},
      {"a\n", "has byte 0x0A at position 1"},
      {"caf\xC3\xA9", "has byte 0xC3 at position 3"},
      {std::string(64, 'q'), "is 64 characters long"},
  };
  for (const auto& test_case : cases) {
    SCOPED_TRACE(test_case.text);
    auto name = DatasetName::Make(test_case.text);
    ASSERT_FALSE(name.ok());
    const ProblemDetail* detail = FindProblemDetail(name.status());
    ASSERT_NE(detail, nullptr);
    EXPECT_EQ(detail->kind(), ProblemKind::kValidationFailed);
    ASSERT_EQ(detail->violations().size(), 1U);
    const Violation& violation = detail->violations().front();
    EXPECT_EQ(violation.field, "name");
    EXPECT_FALSE(violation.row.has_value());
    EXPECT_NE(violation.message.find(test_case.message_part), std::string::npos)
        << violation.message;
    EXPECT_NE(violation.message.find("use a lower-case letter a-z first"),
              std::string::npos)
        << violation.message;
  }
}

TEST(DatasetNameTest, ComparesBySpelling) {
  ASSERT_OK_AND_ASSIGN(const DatasetName one, DatasetName::Make("sales"));
  ASSERT_OK_AND_ASSIGN(const DatasetName same, DatasetName::Make("sales"));
  ASSERT_OK_AND_ASSIGN(const DatasetName other, DatasetName::Make("orders"));
  EXPECT_EQ(one, same);
  EXPECT_FALSE(one == other);
}

}  // namespace
}  // namespace quiver::domain

#include "domain/column_name.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "domain/problem.h"
#include "test_helpers.h"

namespace quiver::domain {
namespace {

TEST(ColumnNameTest, AcceptsIdentifiers) {
  const std::vector<std::string> valid = {
      "a",       "A",      "_x",       "Price_2", "quiver_id", "_quive",
      "_qu1ver", "rowid2", "my_rowid", "rowid_x", "__",        std::string(63, 'Z')};
  for (const auto& text : valid) {
    SCOPED_TRACE(text);
    ASSERT_OK_AND_ASSIGN(const ColumnName name, ColumnName::Make(text));
    EXPECT_EQ(name.value(), text);
  }
}

struct InvalidCase {
  std::string text;
  std::string message_part;
};

TEST(ColumnNameTest, RejectsBadAndReservedNames) {
  const std::vector<InvalidCase> cases = {
      {"", "must not be empty"},
      {"1a", "must not start with '1'"},
      {"a-b", "has '-' at position 1"},
      {"a b", "has ' ' at position 1"},
      {"a\"b", "has '\"' at position 1"},
      {std::string(64, 'a'), "is 64 characters long"},
      {"_quiver", "reserved"},
      {"_quiver_row", "reserved"},
      {"_QUIVER", "reserved"},
      {"_Quiver_x", "reserved"},
      {"rowid", "reserved"},
      {"ROWID", "reserved"},
      {"RowId", "reserved"},
  };
  for (const auto& test_case : cases) {
    SCOPED_TRACE(test_case.text);
    auto name = ColumnName::Make(test_case.text);
    ASSERT_FALSE(name.ok());
    const ProblemDetail* detail = FindProblemDetail(name.status());
    ASSERT_NE(detail, nullptr);
    EXPECT_EQ(detail->kind(), ProblemKind::kValidationFailed);
    ASSERT_EQ(detail->violations().size(), 1U);
    EXPECT_EQ(detail->violations().front().field, "name");
    EXPECT_NE(detail->violations().front().message.find(test_case.message_part),
              std::string::npos)
        << detail->violations().front().message;
  }
}

struct SameAsCase {
  std::string left;
  std::string right;
  bool same;
};

TEST(ColumnNameTest, SameAsIgnoresCaseLikeDuckDb) {
  const std::vector<SameAsCase> cases = {
      {"price", "price", true},  {"Price", "pRICE", true}, {"price", "prices", false},
      {"price", "prize", false}, {"_a1", "_A1", true},     {"a", "b", false},
  };
  for (const auto& test_case : cases) {
    SCOPED_TRACE(test_case.left + " vs " + test_case.right);
    ASSERT_OK_AND_ASSIGN(const ColumnName left, ColumnName::Make(test_case.left));
    ASSERT_OK_AND_ASSIGN(const ColumnName right, ColumnName::Make(test_case.right));
    EXPECT_EQ(left.SameAs(right), test_case.same);
    EXPECT_EQ(left.SameAs(test_case.right), test_case.same);
  }
}

}  // namespace
}  // namespace quiver::domain

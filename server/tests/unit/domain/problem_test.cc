#include "domain/problem.h"

#include <gtest/gtest.h>

namespace quiver::domain {
namespace {

TEST(ProblemTest, CarriesKindAndViolationsThroughStatus) {
  arrow::Status status =
      MakeProblem(ProblemKind::kValidationFailed, "2 rows are invalid",
                  {{"price", 7, "must not be null"}, {"name", std::nullopt, "unknown"}});
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.message(), "2 rows are invalid");
  const ProblemDetail* detail = FindProblemDetail(status);
  ASSERT_NE(detail, nullptr);
  EXPECT_EQ(detail->kind(), ProblemKind::kValidationFailed);
  ASSERT_EQ(detail->violations().size(), 2u);
  EXPECT_EQ(detail->violations()[0].field, "price");
  EXPECT_EQ(detail->violations()[0].row, 7);
  EXPECT_FALSE(detail->violations()[1].row.has_value());
}

TEST(ProblemTest, PlainStatusHasNoProblemDetail) {
  EXPECT_EQ(FindProblemDetail(arrow::Status::IOError("disk")), nullptr);
  EXPECT_EQ(FindProblemDetail(arrow::Status::OK()), nullptr);
}

}  // namespace
}  // namespace quiver::domain

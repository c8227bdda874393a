#include "interfaces/http/responses.h"

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

#include "domain/problem.h"

namespace quiver::http {
namespace {

using domain::ProblemKind;

struct StatusCase {
  ProblemKind kind;
  int http_status;
};

class ProblemMappingTest : public ::testing::TestWithParam<StatusCase> {};

TEST_P(ProblemMappingTest, MapsKindToStatus) {
  Reply reply =
      ProblemFromStatus(domain::MakeProblem(GetParam().kind, "why"), "/x", "id1");
  EXPECT_EQ(static_cast<int>(reply.response.result()), GetParam().http_status);
  EXPECT_EQ(reply.response[beast_http::field::content_type], "application/problem+json");
  auto body = boost::json::parse(reply.response.body()).as_object();
  EXPECT_EQ(body["status"].as_int64(), GetParam().http_status);
  EXPECT_EQ(body["detail"].as_string(), "why");
  EXPECT_EQ(body["instance"].as_string(), "/x");
}

INSTANTIATE_TEST_SUITE_P(
    Kinds, ProblemMappingTest,
    ::testing::Values(StatusCase{ProblemKind::kInvalidInput, 400},
                      StatusCase{ProblemKind::kValidationFailed, 422},
                      StatusCase{ProblemKind::kNotFound, 404},
                      StatusCase{ProblemKind::kConflict, 409},
                      StatusCase{ProblemKind::kPayloadTooLarge, 413},
                      StatusCase{ProblemKind::kUnsupportedMediaType, 415},
                      StatusCase{ProblemKind::kNotAcceptable, 406},
                      StatusCase{ProblemKind::kUnavailable, 503}));

TEST(ProblemFromStatusTest, ListsViolationsWithFieldAndRow) {
  Reply reply =
      ProblemFromStatus(domain::MakeProblem(ProblemKind::kValidationFailed, "bad rows",
                                            {{"price", 700000, "null"}}),
                        "/api/v1/datasets/s/rows", "id2");
  auto body = boost::json::parse(reply.response.body()).as_object();
  auto& error = body["errors"].as_array().at(0).as_object();
  EXPECT_EQ(error["field"].as_string(), "price");
  EXPECT_EQ(error["row"].as_int64(), 700000);
  EXPECT_EQ(error["message"].as_string(), "null");
}

TEST(ProblemFromStatusTest, InternalErrorsHideTheirText) {
  Reply reply =
      ProblemFromStatus(arrow::Status::IOError("secret path /etc/x"), "/y", "abc");
  EXPECT_EQ(static_cast<int>(reply.response.result()), 500);
  EXPECT_EQ(reply.response.body().find("secret"), std::string::npos);
  EXPECT_NE(reply.response.body().find("abc"), std::string::npos);
}

}  // namespace
}  // namespace quiver::http

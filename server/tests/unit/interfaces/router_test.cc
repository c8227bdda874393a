#include "interfaces/http/router.h"

#include <gtest/gtest.h>

namespace quiver::http {
namespace {

Handler Named(const std::string& name) {
  return [name](Request&) -> arrow::Result<Reply> {
    Reply reply;
    reply.response.body() = name;
    return reply;
  };
}

struct MatchCase {
  beast_http::verb method;
  std::string path;
  RouteMatch::Outcome outcome;
  std::string name_parameter;
  std::string allowed;
};

class RouterTest : public ::testing::TestWithParam<MatchCase> {
 protected:
  RouterTest() {
    router_.Add(beast_http::verb::get, "/api/v1/health", Named("health"));
    router_.Add(beast_http::verb::get, "/api/v1/datasets/{name}", Named("get"));
    router_.Add(beast_http::verb::delete_, "/api/v1/datasets/{name}", Named("delete"));
    router_.Add(beast_http::verb::post, "/api/v1/datasets/{name}/rows", Named("ingest"));
  }
  Router router_;
};

TEST_P(RouterTest, Matches) {
  const auto& parameter = GetParam();
  RouteMatch match = router_.Match(parameter.method, parameter.path);
  EXPECT_EQ(match.outcome, parameter.outcome);
  if (!parameter.name_parameter.empty()) {
    EXPECT_EQ(match.parameters["name"], parameter.name_parameter);
  }
  EXPECT_EQ(match.allowed_methods, parameter.allowed);
}

using Outcome = RouteMatch::Outcome;
INSTANTIATE_TEST_SUITE_P(
    Cases, RouterTest,
    ::testing::Values(
        MatchCase{beast_http::verb::get, "/api/v1/health", Outcome::kFound, "", ""},
        MatchCase{beast_http::verb::get, "/api/v1/health/", Outcome::kFound, "", ""},
        MatchCase{beast_http::verb::post, "/api/v1/health", Outcome::kMethodNotAllowed,
                  "", "GET"},
        MatchCase{beast_http::verb::get, "/api/v1/datasets/sales", Outcome::kFound,
                  "sales", ""},
        MatchCase{beast_http::verb::put, "/api/v1/datasets/sales",
                  Outcome::kMethodNotAllowed, "", "GET, DELETE"},
        MatchCase{beast_http::verb::post, "/api/v1/datasets/sales/rows", Outcome::kFound,
                  "sales", ""},
        MatchCase{beast_http::verb::get, "/api/v1/nothing", Outcome::kNotFound, "", ""},
        MatchCase{beast_http::verb::get, "/", Outcome::kNotFound, "", ""}));

}  // namespace
}  // namespace quiver::http

#include "infrastructure/config/config.h"

#include <gtest/gtest.h>

#include <map>

namespace quiver::config {
namespace {

EnvironmentLookup FakeEnvironment(std::map<std::string, std::string> values) {
  return
      [values = std::move(values)](std::string_view name) -> std::optional<std::string> {
        auto found = values.find(std::string(name));
        if (found == values.end()) return std::nullopt;
        return found->second;
      };
}

TEST(ConfigTest, DefaultsWhenNothingIsSet) {
  auto loaded = Load(FakeEnvironment({}), {});
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->config.host, "127.0.0.1");
  EXPECT_EQ(loaded->config.port, 8080);
  EXPECT_EQ(loaded->config.data_dir, "data");
  EXPECT_EQ(loaded->config.log_level, "info");
  EXPECT_EQ(loaded->action, Action::kRun);
}

TEST(ConfigTest, EnvironmentSetsAndFlagsOverride) {
  auto loaded = Load(FakeEnvironment({{"QUIVER_PORT", "9000"},
                                      {"QUIVER_DATA_DIR", "/srv/q"},
                                      {"QUIVER_THREADS", "3"}}),
                     {"--port", "9001", "--log-level=debug"});
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->config.port, 9001);
  EXPECT_EQ(loaded->config.data_dir, "/srv/q");
  EXPECT_EQ(loaded->config.threads, 3);
  EXPECT_EQ(loaded->config.log_level, "debug");
}

struct BadValueCase {
  std::map<std::string, std::string> environment;
  std::vector<std::string> arguments;
  std::string named;  // what the one-line error must name
};

class BadValueTest : public ::testing::TestWithParam<BadValueCase> {};

TEST_P(BadValueTest, OneLineErrorNamesTheSetting) {
  const auto& parameter = GetParam();
  auto loaded = Load(FakeEnvironment(parameter.environment), parameter.arguments);
  ASSERT_FALSE(loaded.ok());
  const std::string& message = loaded.status().message();
  EXPECT_NE(message.find(parameter.named), std::string::npos) << message;
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, BadValueTest,
    ::testing::Values(BadValueCase{{{"QUIVER_PORT", "eighty"}}, {}, "QUIVER_PORT"},
                      BadValueCase{{{"QUIVER_PORT", "70000"}}, {}, "QUIVER_PORT"},
                      BadValueCase{{{"QUIVER_PORT", "-1"}}, {}, "QUIVER_PORT"},
                      BadValueCase{{{"QUIVER_HOST", "not a host"}}, {}, "QUIVER_HOST"},
                      BadValueCase{
                          {{"QUIVER_LOG_LEVEL", "loud"}}, {}, "QUIVER_LOG_LEVEL"},
                      BadValueCase{{{"QUIVER_THREADS", "2x"}}, {}, "QUIVER_THREADS"},
                      BadValueCase{{{"QUIVER_DATA_DIR", ""}}, {}, "QUIVER_DATA_DIR"},
                      BadValueCase{{}, {"--port=abc"}, "--port"},
                      BadValueCase{{}, {"--colour"}, "--colour"},
                      BadValueCase{{}, {"--port"}, "--port"},
                      BadValueCase{{}, {"stray"}, "stray"}));

TEST(ConfigTest, HelpIsAnAction) {
  auto loaded = Load(FakeEnvironment({}), {"--help"});
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->action, Action::kPrintHelp);
  EXPECT_NE(HelpText().find("QUIVER_DATA_DIR"), std::string::npos);
}

}  // namespace
}  // namespace quiver::config

#include "infrastructure/log/log.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <boost/json/serialize.hpp>

#include <array>
#include <utility>

namespace quiver::log {
namespace {

struct LevelName {
  std::string_view name;
  spdlog::level::level_enum level;
};

constexpr std::array<LevelName, 6> kLevels{{{"trace", spdlog::level::trace},
                                            {"debug", spdlog::level::debug},
                                            {"info", spdlog::level::info},
                                            {"warn", spdlog::level::warn},
                                            {"error", spdlog::level::err},
                                            {"off", spdlog::level::off}}};

std::shared_ptr<spdlog::logger>& Logger() {
  static std::shared_ptr<spdlog::logger> logger = [] {
    auto made = spdlog::stdout_logger_mt("quiver");
    made->set_pattern(R"({"ts":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l",%v})",
                      spdlog::pattern_time_type::utc);
    made->flush_on(spdlog::level::trace);
    return made;
  }();
  return logger;
}

void Write(spdlog::level::level_enum level, std::string_view event,
           const Fields& fields) {
  auto& logger = Logger();
  if (!logger->should_log(level)) return;
  Fields line;
  line.Add("event", event);
  std::string members = line.ToMembers();
  std::string extra = fields.ToMembers();
  if (!extra.empty()) members += "," + extra;
  logger->log(level, "{}", members);
}

}  // namespace

Fields& Fields::Add(std::string_view key, std::string_view value) {
  object_[key] = value;
  return *this;
}
Fields& Fields::Add(std::string_view key, const char* value) {
  return Add(key, std::string_view(value));
}
Fields& Fields::Add(std::string_view key, int64_t value) {
  object_[key] = value;
  return *this;
}
Fields& Fields::Add(std::string_view key, uint64_t value) {
  object_[key] = value;
  return *this;
}
Fields& Fields::Add(std::string_view key, int value) {
  return Add(key, static_cast<int64_t>(value));
}
Fields& Fields::Add(std::string_view key, double value) {
  object_[key] = value;
  return *this;
}
Fields& Fields::Add(std::string_view key, bool value) {
  object_[key] = value;
  return *this;
}

std::string Fields::ToMembers() const {
  std::string text = boost::json::serialize(object_);
  return text.substr(1, text.size() - 2);
}

bool IsLevelName(std::string_view level) {
  for (const auto& entry : kLevels) {
    if (entry.name == level) return true;
  }
  return false;
}

arrow::Status Init(std::string_view level) {
  for (const auto& entry : kLevels) {
    if (entry.name != level) continue;
    Logger()->set_level(entry.level);
    return arrow::Status::OK();
  }
  return arrow::Status::Invalid("unknown log level '", level, "'");
}

void Debug(std::string_view event, const Fields& fields) {
  Write(spdlog::level::debug, event, fields);
}
void Info(std::string_view event, const Fields& fields) {
  Write(spdlog::level::info, event, fields);
}
void Warn(std::string_view event, const Fields& fields) {
  Write(spdlog::level::warn, event, fields);
}
void Error(std::string_view event, const Fields& fields) {
  Write(spdlog::level::err, event, fields);
}

}  // namespace quiver::log

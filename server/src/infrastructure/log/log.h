#pragma once

#include <arrow/status.h>
#include <boost/json/object.hpp>

#include <cstdint>
#include <string>
#include <string_view>

/// JSON-lines logging: every line is one JSON object with "ts", "level", "event"
/// and the event's fields, written to stdout.
namespace quiver::log {

/// The fields of one log line.
class Fields {
 public:
  Fields& Add(std::string_view key, std::string_view value);
  Fields& Add(std::string_view key, const char* value);
  Fields& Add(std::string_view key, int64_t value);
  Fields& Add(std::string_view key, uint64_t value);
  Fields& Add(std::string_view key, int value);
  Fields& Add(std::string_view key, double value);
  Fields& Add(std::string_view key, bool value);

  /// The fields as JSON members without the surrounding braces.
  std::string ToMembers() const;

 private:
  boost::json::object object_;
};

/// Sets up the process logger; `level` is one of trace, debug, info, warn, error, off.
[[nodiscard]] arrow::Status Init(std::string_view level);

/// True when `level` names a log level Init accepts.
bool IsLevelName(std::string_view level);

void Debug(std::string_view event, const Fields& fields = {});
void Info(std::string_view event, const Fields& fields = {});
void Warn(std::string_view event, const Fields& fields = {});
void Error(std::string_view event, const Fields& fields = {});

}  // namespace quiver::log

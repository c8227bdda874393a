#include "infrastructure/config/config.h"

#include <boost/asio/ip/address.hpp>

#include <cctype>
#include <charconv>
#include <cstdlib>
#include <limits>
#include <string>

#include "infrastructure/log/log.h"

namespace quiver::config {
namespace {

/// Parses one textual value into the config, or returns what was expected.
using Parser = std::function<std::optional<std::string>(std::string_view, Config&)>;

struct Setting {
  std::string_view name;  ///< flag name; the variable is QUIVER_ + upper case
  std::string_view help;
  Parser parse;
};

template <typename Integer>
std::optional<Integer> ParseInteger(std::string_view text, Integer minimum,
                                    Integer maximum) {
  Integer value{};
  const char* end = text.data() + text.size();
  auto [position, error] = std::from_chars(text.data(), end, value);
  if (error != std::errc() || position != end || text.empty()) return std::nullopt;
  if (value < minimum || value > maximum) return std::nullopt;
  return value;
}

template <typename Integer, typename Store>
Parser IntegerSetting(Integer minimum, Integer maximum, Store store) {
  return [=](std::string_view text, Config& config) -> std::optional<std::string> {
    auto value = ParseInteger<Integer>(text, minimum, maximum);
    if (value) {
      store(config, *value);
      return std::nullopt;
    }
    return "expected an integer from " + std::to_string(minimum) + " to " +
           std::to_string(maximum);
  };
}

std::optional<std::string> ParseHost(std::string_view text, Config& config) {
  if (text == "localhost") {
    config.host = "127.0.0.1";
    return std::nullopt;
  }
  boost::system::error_code error;
  boost::asio::ip::make_address(std::string(text), error);
  if (error) return "expected an IPv4 or IPv6 address such as 127.0.0.1, ::1 or 0.0.0.0";
  config.host = std::string(text);
  return std::nullopt;
}

std::optional<std::string> ParseNonEmptyPath(std::string_view text, std::string& path) {
  if (text.empty()) return "expected a folder path";
  path = std::string(text);
  return std::nullopt;
}

std::optional<std::string> ParseLogLevel(std::string_view text, Config& config) {
  if (!log::IsLevelName(text))
    return "expected one of trace, debug, info, warn, error, off";
  config.log_level = std::string(text);
  return std::nullopt;
}

const std::vector<Setting>& Settings() {
  static const std::vector<Setting> settings{
      {"host", "address to listen on (default 127.0.0.1)", ParseHost},
      {"port", "TCP port, 0 picks a free one (default 8080)",
       IntegerSetting<int>(0, 65535,
                           [](Config& c, int v) { c.port = static_cast<uint16_t>(v); })},
      {"data-dir", "folder holding the DuckDB file (default ./data)",
       [](std::string_view text, Config& c) {
         return ParseNonEmptyPath(text, c.data_dir);
       }},
      {"log-level", "trace, debug, info, warn, error or off (default info)",
       ParseLogLevel},
      {"threads", "socket threads, 0 = one per core (default 0)",
       IntegerSetting<int>(0, 1024, [](Config& c, int v) { c.threads = v; })},
      {"worker-threads", "threads for queries and decoding, 0 = one per core (default 0)",
       IntegerSetting<int>(0, 1024, [](Config& c, int v) { c.worker_threads = v; })},
      {"max-header-bytes", "largest request header accepted (default 16384)",
       IntegerSetting<uint64_t>(1024, uint64_t{1024} * 1024,
                                [](Config& c, uint64_t v) { c.max_header_bytes = v; })},
      {"max-body-bytes", "largest request body accepted (default 16 GiB)",
       IntegerSetting<uint64_t>(1, std::numeric_limits<int64_t>::max(),
                                [](Config& c, uint64_t v) { c.max_body_bytes = v; })},
      {"max-upload-memory-bytes",
       "most memory one upload may use while decoding (default 1 GiB)",
       IntegerSetting<int64_t>(
           int64_t{1} << 20, std::numeric_limits<int64_t>::max(),
           [](Config& c, int64_t v) { c.max_upload_memory_bytes = v; })},
      {"max-text-rows", "most rows in one JSON, NDJSON or CSV response (default 1000000)",
       IntegerSetting<int64_t>(1, std::numeric_limits<int64_t>::max(),
                               [](Config& c, int64_t v) { c.max_text_rows = v; })},
      {"read-timeout-seconds", "longest wait for a client's next bytes (default 30)",
       IntegerSetting<int>(
           1, 3600, [](Config& c, int v) { c.read_timeout = std::chrono::seconds(v); })},
      {"shutdown-grace-seconds",
       "how long in-flight requests may finish on stop (default 10)",
       IntegerSetting<int>(
           0, 3600,
           [](Config& c, int v) { c.shutdown_grace = std::chrono::seconds(v); })},
      {"demo-rows",
       "rows of the demo dataset made at first start, 0 for none (default 0)",
       IntegerSetting<int64_t>(0, int64_t{10'000'000'000},
                               [](Config& c, int64_t v) { c.demo_rows = v; })},
      {"web-root", "folder of the web app's built files (default: none)",
       [](std::string_view text, Config& c) {
         return ParseNonEmptyPath(text, c.web_root);
       }},
      {"http-compression",
       "zstd/br/gzip for clients that ask: auto (not on loopback), always or off "
       "(default auto)",
       [](std::string_view text, Config& c) -> std::optional<std::string> {
         if (text != "auto" && text != "always" && text != "off") {
           return "expected auto, always or off";
         }
         c.http_compression = std::string(text);
         return std::nullopt;
       }},
  };
  return settings;
}

std::string VariableName(std::string_view flag_name) {
  std::string name = "QUIVER_";
  for (char character : flag_name) {
    name += character == '-' ? '_' : static_cast<char>(std::toupper(character));
  }
  return name;
}

arrow::Status Apply(const Setting& setting, std::string_view source,
                    std::string_view text, Config& config) {
  auto expected = setting.parse(text, config);
  if (!expected) return arrow::Status::OK();
  return arrow::Status::Invalid(source, "=\"", text, "\" is not valid: ", *expected);
}

const Setting* FindSetting(std::string_view flag_name) {
  for (const auto& setting : Settings()) {
    if (setting.name == flag_name) return &setting;
  }
  return nullptr;
}

}  // namespace

EnvironmentLookup ProcessEnvironment() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* value = std::getenv(std::string(name).c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

arrow::Result<Loaded> Load(const EnvironmentLookup& environment,
                           const std::vector<std::string>& arguments) {
  Loaded loaded;
  for (const auto& setting : Settings()) {
    std::string variable = VariableName(setting.name);
    auto value = environment(variable);
    if (!value) continue;
    ARROW_RETURN_NOT_OK(Apply(setting, variable, *value, loaded.config));
  }
  for (size_t index = 0; index < arguments.size(); ++index) {
    std::string_view argument = arguments[index];
    if (argument == "--help" || argument == "-h") {
      loaded.action = Action::kPrintHelp;
      return loaded;
    }
    if (!argument.starts_with("--")) {
      return arrow::Status::Invalid("unexpected argument \"", argument,
                                    "\" (see --help)");
    }
    std::string_view body = argument.substr(2);
    auto equals = body.find('=');
    std::string_view name = body.substr(0, equals);
    const Setting* setting = FindSetting(name);
    if (setting == nullptr) {
      return arrow::Status::Invalid("unknown flag --", name, " (see --help)");
    }
    std::string value;
    if (equals != std::string_view::npos) {
      value = std::string(body.substr(equals + 1));
    } else if (index + 1 < arguments.size()) {
      value = arguments[++index];
    } else {
      return arrow::Status::Invalid("flag --", name, " needs a value");
    }
    ARROW_RETURN_NOT_OK(Apply(*setting, "--" + std::string(name), value, loaded.config));
  }
  return loaded;
}

std::string HelpText() {
  std::string text =
      "Usage: quiverd [--name value]...\n"
      "Every flag may also be set by an environment variable; the flag wins.\n\n";
  for (const auto& setting : Settings()) {
    std::string flag = "  --" + std::string(setting.name);
    std::string variable = VariableName(setting.name);
    text += flag;
    text.append(flag.size() < 28 ? 28 - flag.size() : 1, ' ');
    text += variable;
    text += "\n      ";
    text += setting.help;
    text += "\n";
  }
  return text;
}

}  // namespace quiver::config

#pragma once

#include <arrow/result.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace quiver::config {

/// Every setting of quiverd, with its default. Each comes from an environment
/// variable QUIVER_<NAME>, overridden by a flag --<name> (see kSettings in config.cc).
struct Config {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;
  std::string data_dir = "data";
  std::string log_level = "info";
  /// Threads serving sockets; 0 means one per core.
  int threads = 0;
  /// Threads running blocking work (queries, decoding); 0 means one per core.
  int worker_threads = 0;
  uint64_t max_header_bytes = 16ULL * 1024;
  uint64_t max_body_bytes = 16ULL * 1024 * 1024 * 1024;
  /// The most memory decoding one upload may hold at once.
  int64_t max_upload_memory_bytes = int64_t{1} << 30;
  /// The most rows a JSON, NDJSON or CSV response may carry.
  int64_t max_text_rows = 1'000'000;
  std::chrono::seconds read_timeout{30};
  std::chrono::seconds shutdown_grace{10};
  /// Rows of the demo dataset created at first start; 0 creates none.
  int64_t demo_rows = 0;
  /// Folder of the web app's built files; empty when none is served.
  std::string web_root;
  /// Content-Encoding of streamed reads when the client's Accept-Encoding asks:
  /// "auto" (not to loopback clients, where it only costs CPU), "always" or "off".
  std::string http_compression = "auto";
};

/// Looks up an environment variable; returns nullopt when it is not set.
using EnvironmentLookup = std::function<std::optional<std::string>(std::string_view)>;

/// The process environment as an EnvironmentLookup.
EnvironmentLookup ProcessEnvironment();

/// What the command line asked for besides a configuration.
enum class Action { kRun, kPrintHelp };

struct Loaded {
  Config config;
  Action action = Action::kRun;
};

/// Reads the environment, then the flags (`--name value` or `--name=value`), and
/// validates every value. The error names the variable or flag and says what it
/// expected, in one line.
[[nodiscard]] arrow::Result<Loaded> Load(const EnvironmentLookup& environment,
                                         const std::vector<std::string>& arguments);

/// The help text listing every setting.
std::string HelpText();

}  // namespace quiver::config

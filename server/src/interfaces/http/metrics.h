#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

namespace quiver::http {

/// How a streamed read ended.
enum class ReadOutcome { kDone, kFailed, kCancelled };

/// The server's counters, rendered in the Prometheus text format at /metrics.
/// Thread-safe; recording costs an atomic add or a short lock.
class Metrics {
 public:
  /// Upper bounds (seconds) of the request duration histogram's buckets.
  static constexpr std::array<double, 12> kDurationBuckets = {
      0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10, 60};

  void CountRequest(std::string_view method, int status, double seconds);
  void ReadStarted();
  void ReadEnded(ReadOutcome outcome);
  void CountReadProgress(int64_t rows, int64_t bytes);
  void CountIngested(int64_t rows);

  /// Every metric, with HELP and TYPE lines, plus the process's own figures.
  std::string Render() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, uint64_t> requests_;
  std::array<uint64_t, kDurationBuckets.size()> duration_counts_{};
  uint64_t duration_count_ = 0;
  double duration_sum_ = 0;

  std::atomic<int64_t> reads_active_{0};
  std::atomic<uint64_t> reads_done_{0};
  std::atomic<uint64_t> reads_failed_{0};
  std::atomic<uint64_t> reads_cancelled_{0};
  std::atomic<uint64_t> read_rows_{0};
  std::atomic<uint64_t> read_bytes_{0};
  std::atomic<uint64_t> ingested_rows_{0};
};

}  // namespace quiver::http

#pragma once

#include <boost/json/value.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "interfaces/http/metrics.h"

namespace quiver::http {

/// One streamed read as others see it: its progress, its state, and a way to stop
/// it. Counters are written by the stream and read by anyone.
class ReadActivity {
 public:
  enum class State { kRunning, kDone, kFailed, kCancelled };

  ReadActivity(std::string id, std::string dataset, std::string format,
               std::function<void()> cancel)
      : id_(std::move(id)),
        dataset_(std::move(dataset)),
        format_(std::move(format)),
        cancel_(std::move(cancel)) {}

  const std::string& id() const { return id_; }
  void AddProgress(int64_t rows, int64_t bytes) {
    rows_.fetch_add(rows);
    bytes_.fetch_add(bytes);
  }
  State state() const { return state_.load(); }
  /// The progress as JSON: id, dataset, format, state, rows_sent, bytes_sent,
  /// elapsed_ms.
  boost::json::value ToJson() const;

 private:
  friend class ReadRegistry;

  std::string id_;
  std::string dataset_;
  std::string format_;
  std::function<void()> cancel_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  std::atomic<int64_t> rows_{0};
  std::atomic<int64_t> bytes_{0};
  std::atomic<State> state_{State::kRunning};
  std::atomic<int64_t> elapsed_us_{-1};  ///< set once it ends
  std::atomic<bool> cancel_requested_{false};
};

/// The reads in flight, and the last ones that ended (so that a client polling its
/// progress sees how it ended), by id.
class ReadRegistry {
 public:
  static constexpr std::size_t kRecentKept = 256;

  explicit ReadRegistry(Metrics& metrics) : metrics_(metrics) {}

  /// Registers a running read. `cancel` stops it from any thread.
  std::shared_ptr<ReadActivity> Start(std::string dataset, std::string format,
                                      std::function<void()> cancel);
  /// Records how `activity` ended (once; later calls are ignored).
  void End(const std::shared_ptr<ReadActivity>& activity, ReadActivity::State state);
  /// Asks a running read to stop; false when no such read is running.
  bool Cancel(const std::string& id);
  /// True when Cancel was called for it (so its end counts as cancelled).
  static bool CancelRequested(const ReadActivity& activity) {
    return activity.cancel_requested_.load();
  }

  std::shared_ptr<ReadActivity> Find(const std::string& id) const;
  std::vector<std::shared_ptr<ReadActivity>> Running() const;
  Metrics& metrics() { return metrics_; }

 private:
  Metrics& metrics_;
  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<ReadActivity>, std::less<>> running_;
  std::deque<std::shared_ptr<ReadActivity>> recent_;
};

}  // namespace quiver::http

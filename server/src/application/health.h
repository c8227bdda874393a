#pragma once

#include <atomic>

namespace quiver::application {

/// Whether Quiver can take work: live while the process runs, ready once its
/// storage is open and until shutdown begins.
class Health {
 public:
  void MarkStorageReady() { storage_ready_.store(true); }
  void MarkShuttingDown() { shutting_down_.store(true); }
  bool IsReady() const { return storage_ready_.load() && !shutting_down_.load(); }

 private:
  std::atomic<bool> storage_ready_{false};
  std::atomic<bool> shutting_down_{false};
};

}  // namespace quiver::application

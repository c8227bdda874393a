#include "interfaces/http/read_activity.h"

#include <boost/json/object.hpp>

#include "interfaces/http/random_id.h"

namespace quiver::http {
namespace {

std::string_view StateName(ReadActivity::State state) {
  switch (state) {
    case ReadActivity::State::kRunning:
      return "running";
    case ReadActivity::State::kDone:
      return "done";
    case ReadActivity::State::kFailed:
      return "failed";
    case ReadActivity::State::kCancelled:
      return "cancelled";
  }
  return "running";
}

}  // namespace

boost::json::value ReadActivity::ToJson() const {
  int64_t elapsed_us = elapsed_us_.load();
  if (elapsed_us < 0) {
    elapsed_us = std::chrono::duration_cast<std::chrono::microseconds>(
                     std::chrono::steady_clock::now() - started_)
                     .count();
  }
  return boost::json::object{{"id", id_},
                             {"dataset", dataset_},
                             {"format", format_},
                             {"state", StateName(state_.load())},
                             {"rows_sent", rows_.load()},
                             {"bytes_sent", bytes_.load()},
                             {"elapsed_ms", elapsed_us / 1000}};
}

std::shared_ptr<ReadActivity> ReadRegistry::Start(std::string dataset, std::string format,
                                                  std::function<void()> cancel) {
  auto activity = std::make_shared<ReadActivity>(NewRandomId(), std::move(dataset),
                                                 std::move(format), std::move(cancel));
  {
    std::lock_guard lock(mutex_);
    running_[activity->id()] = activity;
  }
  metrics_.ReadStarted();
  return activity;
}

void ReadRegistry::End(const std::shared_ptr<ReadActivity>& activity,
                       ReadActivity::State state) {
  auto expected = ReadActivity::State::kRunning;
  if (!activity->state_.compare_exchange_strong(expected, state)) return;
  activity->elapsed_us_ = std::chrono::duration_cast<std::chrono::microseconds>(
                              std::chrono::steady_clock::now() - activity->started_)
                              .count();
  {
    std::lock_guard lock(mutex_);
    running_.erase(activity->id());
    recent_.push_back(activity);
    if (recent_.size() > kRecentKept) recent_.pop_front();
  }
  metrics_.ReadEnded(state == ReadActivity::State::kDone     ? ReadOutcome::kDone
                     : state == ReadActivity::State::kFailed ? ReadOutcome::kFailed
                                                             : ReadOutcome::kCancelled);
}

bool ReadRegistry::Cancel(const std::string& id) {
  std::shared_ptr<ReadActivity> activity;
  {
    std::lock_guard lock(mutex_);
    auto found = running_.find(id);
    if (found == running_.end()) return false;
    activity = found->second;
  }
  activity->cancel_requested_ = true;
  if (activity->cancel_) activity->cancel_();
  return true;
}

std::shared_ptr<ReadActivity> ReadRegistry::Find(const std::string& id) const {
  std::lock_guard lock(mutex_);
  if (auto found = running_.find(id); found != running_.end()) return found->second;
  for (auto it = recent_.rbegin(); it != recent_.rend(); ++it) {
    if ((*it)->id() == id) return *it;
  }
  return nullptr;
}

std::vector<std::shared_ptr<ReadActivity>> ReadRegistry::Running() const {
  std::lock_guard lock(mutex_);
  std::vector<std::shared_ptr<ReadActivity>> running;
  running.reserve(running_.size());
  for (const auto& [id, activity] : running_) running.push_back(activity);
  return running;
}

}  // namespace quiver::http

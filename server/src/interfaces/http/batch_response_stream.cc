#include "interfaces/http/batch_response_stream.h"

#include <string>

#include "infrastructure/log/log.h"

namespace quiver::http {

BatchResponseStream::BatchResponseStream(
    std::shared_ptr<application::RowStream> rows,
    std::unique_ptr<arrow_adapter::BatchEncoder> encoder, std::optional<int64_t> row_cap,
    ReadRegistry& registry, std::shared_ptr<ReadActivity> activity)
    : rows_(std::move(rows)),
      encoder_(std::move(encoder)),
      row_cap_(row_cap),
      registry_(registry),
      activity_(std::move(activity)) {}

BatchResponseStream::~BatchResponseStream() {
  // Leaving without finishing (the session ended early) counts as cancelled.
  registry_.End(activity_, ReadActivity::State::kCancelled);
  rows_.reset();  // frees the DuckDB query and its buffers now
  auto fields = log::Fields()
                    .Add("query_id", activity_->id())
                    .Add("rows", rows_sent_)
                    .Add("bytes", bytes_sent_);
  if (activity_->state() != ReadActivity::State::kCancelled) return;
  if (cancelled_at_) {
    // The client left: how long until its query and buffers were gone.
    auto released = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::steady_clock::now() - *cancelled_at_);
    fields.Add("cancel_to_release_us", static_cast<int64_t>(released.count()));
  }
  log::Info("read_cancelled", fields);
}

arrow::Result<std::shared_ptr<arrow::Buffer>> BatchResponseStream::Next() {
  auto piece = Produce();
  if (!piece.ok()) {
    registry_.End(activity_, ReadRegistry::CancelRequested(*activity_)
                                 ? ReadActivity::State::kCancelled
                                 : ReadActivity::State::kFailed);
    return piece;
  }
  if (*piece == nullptr) {
    registry_.End(activity_, ReadActivity::State::kDone);
    return piece;
  }
  bytes_sent_ += (*piece)->size();
  activity_->AddProgress(0, (*piece)->size());
  registry_.metrics().CountReadProgress(0, (*piece)->size());
  return piece;
}

arrow::Result<std::shared_ptr<arrow::Buffer>> BatchResponseStream::Produce() {
  if (finished_) return nullptr;
  auto cancelled = [this] {
    return arrow::Status::Cancelled("the read was cancelled by DELETE /api/v1/queries/",
                                    activity_->id());
  };
  if (ReadRegistry::CancelRequested(*activity_)) return cancelled();
  std::shared_ptr<arrow::RecordBatch> batch;
  auto read = rows_->ReadNext(&batch);
  if (!read.ok()) {
    // An interrupted query reports its own error; say why it was interrupted.
    return ReadRegistry::CancelRequested(*activity_) ? cancelled() : read;
  }
  if (batch == nullptr) {
    finished_ = true;
    return encoder_->Finish();
  }
  rows_sent_ += batch->num_rows();
  if (row_cap_ && rows_sent_ > *row_cap_) {
    rows_->Cancel();
    return arrow::Status::CapacityError("the result has more than ", *row_cap_,
                                        " rows, the most a JSON or CSV response carries; "
                                        "add a limit, page with a cursor, "
                                        "or ask for Arrow or Parquet");
  }
  activity_->AddProgress(batch->num_rows(), 0);
  registry_.metrics().CountReadProgress(batch->num_rows(), 0);
  return encoder_->Encode(*batch);
}

void BatchResponseStream::Cancel() {
  cancelled_at_ = std::chrono::steady_clock::now();
  rows_->Cancel();
  registry_.End(activity_, ReadActivity::State::kCancelled);
}

std::vector<std::pair<std::string, std::string>> BatchResponseStream::Trailers() const {
  return {{"Quiver-Rows", std::to_string(rows_sent_)}};
}

}  // namespace quiver::http

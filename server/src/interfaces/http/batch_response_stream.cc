#include "interfaces/http/batch_response_stream.h"

#include <string>

namespace quiver::http {

BatchResponseStream::BatchResponseStream(
    std::shared_ptr<application::RowStream> rows,
    std::unique_ptr<arrow_adapter::BatchEncoder> encoder, std::optional<int64_t> row_cap)
    : rows_(std::move(rows)), encoder_(std::move(encoder)), row_cap_(row_cap) {}

arrow::Result<std::shared_ptr<arrow::Buffer>> BatchResponseStream::Next() {
  if (finished_) return nullptr;
  std::shared_ptr<arrow::RecordBatch> batch;
  ARROW_RETURN_NOT_OK(rows_->ReadNext(&batch));
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
  return encoder_->Encode(*batch);
}

void BatchResponseStream::Cancel() { rows_->Cancel(); }

std::vector<std::pair<std::string, std::string>> BatchResponseStream::Trailers() const {
  return {{"Quiver-Rows", std::to_string(rows_sent_)}};
}

}  // namespace quiver::http

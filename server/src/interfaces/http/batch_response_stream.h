#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>

#include "application/ports.h"
#include "infrastructure/arrow/encoders.h"
#include "interfaces/http/read_activity.h"
#include "interfaces/http/request.h"

namespace quiver::http {

/// A streamed response body: the next batch of a running query, encoded, each time
/// the socket has taken the previous piece. Its progress and end are recorded in
/// the read registry (GET /api/v1/queries/{id}, /metrics).
class BatchResponseStream final : public ResponseStream {
 public:
  /// `row_cap`: the most rows this response may carry (JSON and CSV reads); one
  /// more ends the transfer with an error instead of silently cutting it short.
  BatchResponseStream(std::shared_ptr<application::RowStream> rows,
                      std::unique_ptr<arrow_adapter::BatchEncoder> encoder,
                      std::optional<int64_t> row_cap, ReadRegistry& registry,
                      std::shared_ptr<ReadActivity> activity);
  ~BatchResponseStream() override;
  BatchResponseStream(const BatchResponseStream&) = delete;
  BatchResponseStream& operator=(const BatchResponseStream&) = delete;

  arrow::Result<std::shared_ptr<arrow::Buffer>> Next() override;
  void Cancel() override;
  std::vector<std::pair<std::string, std::string>> Trailers() const override;

 private:
  arrow::Result<std::shared_ptr<arrow::Buffer>> Produce();

  std::shared_ptr<application::RowStream> rows_;
  std::unique_ptr<arrow_adapter::BatchEncoder> encoder_;
  std::optional<int64_t> row_cap_;
  ReadRegistry& registry_;
  std::shared_ptr<ReadActivity> activity_;
  int64_t rows_sent_ = 0;
  int64_t bytes_sent_ = 0;
  bool finished_ = false;
  std::optional<std::chrono::steady_clock::time_point> cancelled_at_;
};

}  // namespace quiver::http

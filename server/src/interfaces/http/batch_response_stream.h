#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>

#include "application/ports.h"
#include "infrastructure/arrow/encoders.h"
#include "interfaces/http/request.h"

namespace quiver::http {

/// A streamed response body: the next batch of a running query, encoded, each time
/// the socket has taken the previous piece.
class BatchResponseStream final : public ResponseStream {
 public:
  /// `row_cap`: the most rows this response may carry (JSON and CSV reads); one
  /// more ends the transfer with an error instead of silently cutting it short.
  BatchResponseStream(std::shared_ptr<application::RowStream> rows,
                      std::unique_ptr<arrow_adapter::BatchEncoder> encoder,
                      std::optional<int64_t> row_cap);

  arrow::Result<std::shared_ptr<arrow::Buffer>> Next() override;
  void Cancel() override;
  std::vector<std::pair<std::string, std::string>> Trailers() const override;

 private:
  std::shared_ptr<application::RowStream> rows_;
  std::unique_ptr<arrow_adapter::BatchEncoder> encoder_;
  std::optional<int64_t> row_cap_;
  int64_t rows_sent_ = 0;
  bool finished_ = false;
};

}  // namespace quiver::http

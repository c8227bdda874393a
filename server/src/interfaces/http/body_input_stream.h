#pragma once

#include <arrow/io/interfaces.h>

#include "interfaces/http/request.h"

namespace quiver::http {

/// A request body as an arrow::io::InputStream, so Arrow's streaming readers
/// (IPC, CSV, JSON) decode it as it arrives. Reads block on the socket.
class BodyInputStream final : public arrow::io::InputStream {
 public:
  explicit BodyInputStream(BodySource& body) : body_(body) {}

  arrow::Status Close() override;
  bool closed() const override { return closed_; }
  arrow::Result<int64_t> Tell() const override { return position_; }
  arrow::Result<int64_t> Read(int64_t nbytes, void* out) override;
  arrow::Result<std::shared_ptr<arrow::Buffer>> Read(int64_t nbytes) override;

 private:
  BodySource& body_;
  int64_t position_ = 0;
  bool closed_ = false;
};

}  // namespace quiver::http

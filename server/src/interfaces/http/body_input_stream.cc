#include "interfaces/http/body_input_stream.h"

#include <arrow/buffer.h>

namespace quiver::http {

arrow::Status BodyInputStream::Close() {
  closed_ = true;
  return arrow::Status::OK();
}

arrow::Result<int64_t> BodyInputStream::Read(int64_t nbytes, void* out) {
  if (closed_) return arrow::Status::Invalid("the request body stream is closed");
  auto* destination = static_cast<uint8_t*>(out);
  int64_t total = 0;
  // Arrow's readers treat a short read as the end of the stream, so fill the
  // request unless the body really ends.
  while (total < nbytes) {
    ARROW_ASSIGN_OR_RAISE(int64_t got, body_.Read(destination + total, nbytes - total));
    if (got == 0) break;
    total += got;
  }
  position_ += total;
  return total;
}

arrow::Result<std::shared_ptr<arrow::Buffer>> BodyInputStream::Read(int64_t nbytes) {
  ARROW_ASSIGN_OR_RAISE(auto buffer, arrow::AllocateResizableBuffer(nbytes));
  ARROW_ASSIGN_OR_RAISE(int64_t got, Read(nbytes, buffer->mutable_data()));
  ARROW_RETURN_NOT_OK(buffer->Resize(got, /*shrink_to_fit=*/false));
  return std::shared_ptr<arrow::Buffer>(std::move(buffer));
}

}  // namespace quiver::http

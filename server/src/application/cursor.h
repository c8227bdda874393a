#pragma once

#include <arrow/result.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "domain/query.h"

namespace quiver::application {

/// Where a cursor walk stands: after the row with these sort keys, in a dataset's
/// generation, for the query with this page fingerprint.
struct Cursor {
  std::string dataset;
  int64_t generation = 0;
  std::string fingerprint;
  domain::KeyValues keys;
};

/// Port: turns cursors into opaque, tamper-evident tokens and back.
class CursorCodec {
 public:
  virtual ~CursorCodec() = default;
  [[nodiscard]] virtual std::string Seal(const Cursor& cursor) const = 0;
  /// Fails with a kInvalidInput problem on field "cursor" for any token this codec
  /// did not seal, or sealed and then altered.
  [[nodiscard]] virtual arrow::Result<Cursor> Open(std::string_view token) const = 0;
};

}  // namespace quiver::application

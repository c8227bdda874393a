#pragma once

#include <cstdint>

#include "application/read_rows.h"
#include "interfaces/http/content_encoding.h"
#include "interfaces/http/read_activity.h"
#include "interfaces/http/router.h"

namespace quiver::http {

struct ReadOptions {
  /// The most rows a JSON, NDJSON or CSV response may carry.
  int64_t max_text_rows = 1'000'000;
  /// When streamed reads get a Content-Encoding the client asked for.
  CompressionPolicy compression = CompressionPolicy::kAuto;
};

/// GET /api/v1/datasets/{name}/rows and POST /api/v1/datasets/{name}/query; each
/// read is registered in `reads` while it streams.
void AddReadRoutes(Router& router, application::ReadRows& read, ReadRegistry& reads,
                   ReadOptions options);

/// GET /api/v1/queries (reads in flight), GET /api/v1/queries/{id} (one read's
/// progress), DELETE /api/v1/queries/{id} (cancel it), GET /metrics.
void AddActivityRoutes(Router& router, ReadRegistry& reads);

}  // namespace quiver::http

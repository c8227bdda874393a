#pragma once

#include <cstdint>

#include "application/read_rows.h"
#include "interfaces/http/router.h"

namespace quiver::http {

struct ReadOptions {
  /// The most rows a JSON, NDJSON or CSV response may carry.
  int64_t max_text_rows = 1'000'000;
};

/// GET /api/v1/datasets/{name}/rows and POST /api/v1/datasets/{name}/query.
void AddReadRoutes(Router& router, application::ReadRows& read, ReadOptions options);

}  // namespace quiver::http

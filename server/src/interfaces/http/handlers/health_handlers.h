#pragma once

#include "application/health.h"
#include "interfaces/http/router.h"

namespace quiver::http {

/// GET /api/v1/health (the process is alive) and GET /api/v1/ready (storage is
/// open and the server is not shutting down).
void AddHealthRoutes(Router& router, const application::Health& health);

}  // namespace quiver::http

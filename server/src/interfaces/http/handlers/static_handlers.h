#pragma once

#include <filesystem>

#include "interfaces/http/router.h"

namespace quiver::http {

/// Serves the web app's built files from `root` for GET requests that match no API
/// route: the file at the path when there is one, else index.html (the app routes
/// on the client). Paths outside /api/ only; nothing outside `root` is ever read.
void AddStaticRoutes(Router& router, const std::filesystem::path& root);

}  // namespace quiver::http

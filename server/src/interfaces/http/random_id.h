#pragma once

#include <string>

namespace quiver::http {

/// 16 random hex digits: ids for requests and reads (unique enough to tell them
/// apart in logs and in /api/v1/queries; not secrets).
std::string NewRandomId();

}  // namespace quiver::http

#pragma once

#include <arrow/status.h>
#include <duckdb.h>

#include <string_view>

namespace quiver::duckdb_adapter {

/// Turns a duckdb_error_data into a Status (OK when it holds no error) and
/// destroys it. `context` says what Quiver was doing.
[[nodiscard]] arrow::Status ConsumeErrorData(duckdb_error_data error_data,
                                             std::string_view context);

/// Turns a failed duckdb_state plus the handle's error text into a Status.
[[nodiscard]] arrow::Status StatusFromState(duckdb_state state, const char* error_text,
                                            std::string_view context);

}  // namespace quiver::duckdb_adapter

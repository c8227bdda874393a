#include "infrastructure/duckdb/duckdb_status.h"

#include <string>

namespace quiver::duckdb_adapter {

arrow::Status ConsumeErrorData(duckdb_error_data error_data, std::string_view context) {
  if (error_data == nullptr) return arrow::Status::OK();
  if (!duckdb_error_data_has_error(error_data)) {
    duckdb_destroy_error_data(&error_data);
    return arrow::Status::OK();
  }
  std::string message = duckdb_error_data_message(error_data);
  duckdb_destroy_error_data(&error_data);
  return arrow::Status::IOError(context, ": ", message);
}

arrow::Status StatusFromState(duckdb_state state, const char* error_text,
                              std::string_view context) {
  if (state == DuckDBSuccess) return arrow::Status::OK();
  std::string message = error_text != nullptr ? error_text : "unknown DuckDB error";
  return arrow::Status::IOError(context, ": ", message);
}

}  // namespace quiver::duckdb_adapter

# DuckDB 1.4.4 C API as DuckDB::duckdb, from third_party/duckdb (scripts/setup
# fetches libduckdb.so and duckdb.h from npm and checks their sha256; docs/adr/0003).
set(QUIVER_DUCKDB_DIR "${CMAKE_CURRENT_SOURCE_DIR}/../third_party/duckdb"
    CACHE PATH "Folder holding lib/libduckdb.so and include/duckdb.h")
if(NOT EXISTS "${QUIVER_DUCKDB_DIR}/lib/libduckdb.so" OR
   NOT EXISTS "${QUIVER_DUCKDB_DIR}/include/duckdb.h")
  message(FATAL_ERROR "DuckDB not found in ${QUIVER_DUCKDB_DIR}; run scripts/setup")
endif()
add_library(DuckDB::duckdb SHARED IMPORTED GLOBAL)
set_target_properties(DuckDB::duckdb PROPERTIES
  IMPORTED_LOCATION "${QUIVER_DUCKDB_DIR}/lib/libduckdb.so"
  INTERFACE_INCLUDE_DIRECTORIES "${QUIVER_DUCKDB_DIR}/include")

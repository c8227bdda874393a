#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "infrastructure/duckdb/database.h"

namespace quiver::duckdb_adapter {

/// A connection to a fresh in-memory DuckDB (the test fails if it cannot open).
inline std::shared_ptr<Connection> OpenInMemory() {
  DatabaseOptions options;
  options.path = ":memory:";
  auto database = Database::Open(options);
  EXPECT_TRUE(database.ok()) << database.status().ToString();
  auto connection = (*database)->Connect();
  EXPECT_TRUE(connection.ok()) << connection.status().ToString();
  return *connection;
}

}  // namespace quiver::duckdb_adapter

// Database's idle connections: reused when clean, never after an interrupt or a
// transaction, and at most kMaxIdleConnections kept.
#include "infrastructure/duckdb/database.h"

#include <arrow/api.h>
#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "test_helpers.h"

namespace quiver::duckdb_adapter {
namespace {

std::shared_ptr<Database> InMemory() {
  DatabaseOptions options;
  options.path = ":memory:";
  auto database = Database::Open(options);
  EXPECT_TRUE(database.ok()) << database.status().ToString();
  return *database;
}

/// DuckDB's number for the connection (current_connection_id()), which tells two
/// connections apart even when the allocator hands out the same address.
int64_t ConnectionId(Connection& connection) {
  auto table = connection.Fetch("SELECT current_connection_id()::BIGINT AS id");
  EXPECT_TRUE(table.ok()) << table.status().ToString();
  auto chunk = (*table)->column(0)->chunk(0);
  return static_cast<const arrow::Int64Array&>(*chunk).Value(0);
}

/// Connects, does `use` with the connection, releases it, and returns its id.
template <typename Use>
int64_t IdOfReleased(Database& database, Use use) {
  auto connection = database.Connect();
  EXPECT_TRUE(connection.ok()) << connection.status().ToString();
  if (!connection.ok()) return -1;
  const int64_t id = ConnectionId(**connection);
  use(**connection);
  return id;
}

TEST(DatabaseTest, AReleasedConnectionIsReusedWithItsSettings) {
  auto database = InMemory();
  // A setting a request might change must not leak: only TimeZone is ours.
  const int64_t first = IdOfReleased(*database, [](Connection& connection) {
    ASSERT_OK(connection.Execute("SET TimeZone = 'UTC'"));
  });
  ASSERT_OK_AND_ASSIGN(auto again, database->Connect());
  EXPECT_EQ(ConnectionId(*again), first);
  ASSERT_OK_AND_ASSIGN(auto zone,
                       again->Fetch("SELECT current_setting('TimeZone') AS z"));
  EXPECT_NE(zone->column(0)->chunk(0)->ToString().find("UTC"), std::string::npos);
}

TEST(DatabaseTest, ConnectionsInUseAreNeverShared) {
  auto database = InMemory();
  ASSERT_OK_AND_ASSIGN(auto one, database->Connect());
  ASSERT_OK_AND_ASSIGN(auto two, database->Connect());
  EXPECT_NE(ConnectionId(*one), ConnectionId(*two));
}

TEST(DatabaseTest, AnInterruptedConnectionIsClosedNotReused) {
  auto database = InMemory();
  const int64_t interrupted =
      IdOfReleased(*database, [](Connection& connection) { connection.Interrupt(); });
  ASSERT_OK_AND_ASSIGN(auto next, database->Connect());
  EXPECT_NE(ConnectionId(*next), interrupted);
  ASSERT_OK(next->Execute("SELECT 1"));
}

TEST(DatabaseTest, AConnectionRetiredForATransactionIsNotReused) {
  auto database = InMemory();
  const int64_t retired = IdOfReleased(*database, [](Connection& connection) {
    ASSERT_OK(connection.Execute("BEGIN TRANSACTION"));
    connection.Retire();
  });
  ASSERT_OK_AND_ASSIGN(auto next, database->Connect());
  EXPECT_NE(ConnectionId(*next), retired);
  // The next connection is not inside the abandoned transaction.
  ASSERT_OK(next->Execute("BEGIN TRANSACTION"));
  ASSERT_OK(next->Execute("COMMIT"));
}

TEST(DatabaseTest, AtMostTheIdleLimitIsKept) {
  auto database = InMemory();
  std::vector<std::shared_ptr<Connection>> open;
  std::vector<int64_t> ids;
  for (std::size_t index = 0; index < Database::kMaxIdleConnections + 4; ++index) {
    ASSERT_OK_AND_ASSIGN(auto connection, database->Connect());
    ids.push_back(ConnectionId(*connection));
    open.push_back(std::move(connection));
  }
  open.clear();  // all released: the limit is kept, the rest closed
  std::vector<std::shared_ptr<Connection>> again;
  int reused = 0;
  for (std::size_t index = 0; index < Database::kMaxIdleConnections + 4; ++index) {
    ASSERT_OK_AND_ASSIGN(auto connection, database->Connect());
    const int64_t id = ConnectionId(*connection);
    if (std::find(ids.begin(), ids.end(), id) != ids.end()) ++reused;
    again.push_back(std::move(connection));
  }
  EXPECT_EQ(reused, static_cast<int>(Database::kMaxIdleConnections));
}

}  // namespace
}  // namespace quiver::duckdb_adapter

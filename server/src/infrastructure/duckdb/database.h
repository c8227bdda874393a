#pragma once

#include <arrow/record_batch.h>
#include <arrow/result.h>
#include <arrow/table.h>
#include <duckdb.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace quiver::duckdb_adapter {

/// A value bound to a `?` or `$n` placeholder: client values never become SQL text.
using Parameter = std::variant<std::monostate, bool, int64_t, double, std::string>;
using Parameters = std::vector<Parameter>;

struct DatabaseOptions {
  /// The DuckDB file; ":memory:" for an in-memory database.
  std::string path;
  /// DuckDB worker threads; 0 leaves DuckDB's default (one per core).
  int threads = 0;
  /// DuckDB's memory_limit setting, e.g. "4GB"; empty leaves DuckDB's default.
  std::string memory_limit;
};

/// How query results are cut into record batches.
struct StreamOptions {
  /// A batch is emitted once it holds this many rows (DuckDB chunks hold 2,048).
  int64_t target_rows = int64_t{64} * 1024;
};

class Connection;

/// One open DuckDB database (a file), shared by all connections.
class Database : public std::enable_shared_from_this<Database> {
 public:
  [[nodiscard]] static arrow::Result<std::shared_ptr<Database>> Open(
      const DatabaseOptions& options);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  /// A connection for one request at a time: an idle one when there is one
  /// (connecting and setting it up costs about as much as a small query), else a new
  /// one. It goes back to the idle ones when released, unless it was interrupted or
  /// ran a transaction (Connection::Retire).
  [[nodiscard]] arrow::Result<std::shared_ptr<Connection>> Connect();

  /// Idle connections kept for reuse at most; more are closed when released.
  static constexpr std::size_t kMaxIdleConnections = 16;

 private:
  friend class Connection;
  explicit Database(duckdb_database handle) : handle_(handle) {}
  /// Takes back a released connection's handle: kept idle or disconnected.
  void Release(duckdb_connection handle, bool reusable);

  duckdb_database handle_;
  std::mutex idle_mutex_;
  std::vector<duckdb_connection> idle_;
};

/// One DuckDB connection. Keeps its database alive.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  /// Runs SQL whose result is not needed (DDL, SET, INSERT, ...).
  [[nodiscard]] arrow::Status Execute(std::string_view sql,
                                      const Parameters& parameters = {});

  /// Runs a query as a streaming result and returns its rows as record batches,
  /// chunk by chunk: nothing beyond one batch is held in memory.
  [[nodiscard]] arrow::Result<std::shared_ptr<arrow::RecordBatchReader>> Stream(
      std::string_view sql, const Parameters& parameters = {},
      const StreamOptions& options = {});

  /// Runs a query and collects its (small) result as one table.
  [[nodiscard]] arrow::Result<std::shared_ptr<arrow::Table>> Fetch(
      std::string_view sql, const Parameters& parameters = {});

  /// Asks the running query to stop; safe from any thread. The connection is then
  /// closed when released, never reused.
  void Interrupt();

  /// Closes the connection when released instead of reusing it: for connections
  /// whose session state a later request must not inherit (transactions).
  void Retire() { reusable_.store(false); }

  duckdb_connection handle() const { return handle_; }

 private:
  friend class Database;
  Connection(std::shared_ptr<Database> database, duckdb_connection handle)
      : database_(std::move(database)), handle_(handle) {}
  std::shared_ptr<Database> database_;
  duckdb_connection handle_;
  std::atomic<bool> reusable_{true};
};

}  // namespace quiver::duckdb_adapter

#include "infrastructure/duckdb/database.h"

#include <string>

#include "infrastructure/duckdb/duckdb_status.h"
#include "infrastructure/duckdb/streaming_result_reader.h"

namespace quiver::duckdb_adapter {
namespace {

/// Owns a duckdb_config until it is handed to duckdb_open_ext.
class ConfigGuard {
 public:
  ConfigGuard() { duckdb_create_config(&config_); }
  ~ConfigGuard() { duckdb_destroy_config(&config_); }
  ConfigGuard(const ConfigGuard&) = delete;
  ConfigGuard& operator=(const ConfigGuard&) = delete;

  arrow::Status Set(const char* name, const std::string& value) {
    if (duckdb_set_config(config_, name, value.c_str()) == DuckDBSuccess) {
      return arrow::Status::OK();
    }
    return arrow::Status::Invalid("DuckDB rejected setting ", name, "=", value);
  }
  duckdb_config get() const { return config_; }

 private:
  duckdb_config config_ = nullptr;
};

}  // namespace

arrow::Result<std::shared_ptr<Database>> Database::Open(const DatabaseOptions& options) {
  ConfigGuard config;
  if (options.threads > 0) {
    ARROW_RETURN_NOT_OK(config.Set("threads", std::to_string(options.threads)));
  }
  if (!options.memory_limit.empty()) {
    ARROW_RETURN_NOT_OK(config.Set("memory_limit", options.memory_limit));
  }
  duckdb_database handle = nullptr;
  char* error_text = nullptr;
  duckdb_state state =
      duckdb_open_ext(options.path.c_str(), &handle, config.get(), &error_text);
  if (state != DuckDBSuccess) {
    arrow::Status status =
        StatusFromState(state, error_text, "cannot open DuckDB file " + options.path);
    duckdb_free(error_text);
    return status;
  }
  return std::shared_ptr<Database>(new Database(handle));
}

Database::~Database() {
  for (auto& handle : idle_) duckdb_disconnect(&handle);
  duckdb_close(&handle_);
}

arrow::Result<std::shared_ptr<Connection>> Database::Connect() {
  {
    std::lock_guard guard(idle_mutex_);
    if (!idle_.empty()) {
      duckdb_connection handle = idle_.back();
      idle_.pop_back();
      return std::shared_ptr<Connection>(new Connection(shared_from_this(), handle));
    }
  }
  duckdb_connection handle = nullptr;
  if (duckdb_connect(handle_, &handle) != DuckDBSuccess) {
    return arrow::Status::IOError("cannot open a DuckDB connection");
  }
  auto connection =
      std::shared_ptr<Connection>(new Connection(shared_from_this(), handle));
  // Timestamps with time zones reach clients in UTC, whatever the host's zone.
  auto zoned = connection->Execute("SET TimeZone = 'UTC'");
  if (!zoned.ok()) {
    connection->Retire();  // never reused without its zone
    return zoned;
  }
  return connection;
}

void Database::Release(duckdb_connection handle, bool reusable) {
  if (reusable) {
    std::lock_guard guard(idle_mutex_);
    if (idle_.size() < kMaxIdleConnections) {
      idle_.push_back(handle);
      return;
    }
  }
  duckdb_disconnect(&handle);
}

Connection::~Connection() { database_->Release(handle_, reusable_.load()); }

arrow::Status Connection::Execute(std::string_view sql, const Parameters& parameters) {
  if (parameters.empty()) {
    duckdb_result result;
    std::string text(sql);
    duckdb_state state = duckdb_query(handle_, text.c_str(), &result);
    arrow::Status status =
        StatusFromState(state, duckdb_result_error(&result), "query failed");
    duckdb_destroy_result(&result);
    return status;
  }
  ARROW_ASSIGN_OR_RAISE(auto reader, Stream(sql, parameters));
  std::shared_ptr<arrow::RecordBatch> batch;
  do {
    ARROW_RETURN_NOT_OK(reader->ReadNext(&batch));
  } while (batch != nullptr);
  return arrow::Status::OK();
}

arrow::Result<std::shared_ptr<arrow::RecordBatchReader>> Connection::Stream(
    std::string_view sql, const Parameters& parameters, const StreamOptions& options) {
  return StreamingResultReader::Make(shared_from_this(), sql, parameters, options);
}

arrow::Result<std::shared_ptr<arrow::Table>> Connection::Fetch(
    std::string_view sql, const Parameters& parameters) {
  ARROW_ASSIGN_OR_RAISE(auto reader, Stream(sql, parameters));
  return reader->ToTable();
}

void Connection::Interrupt() {
  reusable_.store(false);
  duckdb_interrupt(handle_);
}

}  // namespace quiver::duckdb_adapter

#include "infrastructure/duckdb/streaming_result_reader.h"

#include <arrow/c/bridge.h>

#include <string>
#include <utility>

#include "infrastructure/duckdb/duckdb_status.h"

namespace quiver::duckdb_adapter {
namespace {

/// Owns the logical types of a result's columns.
struct LogicalTypes {
  std::vector<duckdb_logical_type> types;
  ~LogicalTypes() {
    for (auto& type : types) duckdb_destroy_logical_type(&type);
  }
};

arrow::Status Bind(duckdb_prepared_statement statement, idx_t index,
                   const Parameter& value) {
  duckdb_state state = std::visit(
      [&](const auto& held) -> duckdb_state {
        using Held = std::decay_t<decltype(held)>;
        if constexpr (std::is_same_v<Held, std::monostate>) {
          return duckdb_bind_null(statement, index);
        } else if constexpr (std::is_same_v<Held, bool>) {
          return duckdb_bind_boolean(statement, index, held);
        } else if constexpr (std::is_same_v<Held, int64_t>) {
          return duckdb_bind_int64(statement, index, held);
        } else if constexpr (std::is_same_v<Held, double>) {
          return duckdb_bind_double(statement, index, held);
        } else {
          return duckdb_bind_varchar_length(statement, index, held.data(), held.size());
        }
      },
      value);
  if (state == DuckDBSuccess) return arrow::Status::OK();
  return StatusFromState(state, duckdb_prepare_error(statement), "cannot bind parameter");
}

}  // namespace

StreamingResultReader::StreamingResultReader(std::shared_ptr<Connection> connection,
                                             const StreamOptions& options)
    : connection_(std::move(connection)), options_(options) {}

arrow::Result<std::shared_ptr<StreamingResultReader>> StreamingResultReader::Make(
    std::shared_ptr<Connection> connection, std::string_view sql,
    const Parameters& parameters, const StreamOptions& options) {
  auto reader = std::shared_ptr<StreamingResultReader>(
      new StreamingResultReader(std::move(connection), options));
  ARROW_RETURN_NOT_OK(reader->Start(sql, parameters));
  if (!reader->ImportSchema().ok()) {
    // Some statements only know their result types once run (DDL, some functions
    // of parameters): run them now and describe the result instead.
    ARROW_RETURN_NOT_OK(reader->Execute());
  }
  return reader;
}

StreamingResultReader::~StreamingResultReader() { (void)Close(); }

arrow::Status StreamingResultReader::Start(std::string_view sql,
                                           const Parameters& parameters) {
  duckdb_connection handle = connection_->handle();
  std::string text(sql);
  if (duckdb_prepare(handle, text.c_str(), &prepared_) != DuckDBSuccess) {
    return StatusFromState(DuckDBError, duckdb_prepare_error(prepared_),
                           "cannot prepare query");
  }
  for (size_t index = 0; index < parameters.size(); ++index) {
    ARROW_RETURN_NOT_OK(Bind(prepared_, index + 1, parameters[index]));
  }
  if (duckdb_pending_prepared_streaming(prepared_, &pending_) != DuckDBSuccess) {
    return StatusFromState(DuckDBError, duckdb_pending_error(pending_),
                           "cannot start query");
  }
  return arrow::Status::OK();
}

arrow::Status StreamingResultReader::Execute() {
  if (has_result_ || pending_ == nullptr) return arrow::Status::OK();
  duckdb_state state = duckdb_execute_pending(pending_, &result_);
  has_result_ = true;
  duckdb_destroy_pending(&pending_);
  duckdb_destroy_prepare(&prepared_);
  ARROW_RETURN_NOT_OK(
      StatusFromState(state, duckdb_result_error(&result_), "query failed"));
  // Statements whose result types are only known once run describe themselves now.
  idx_t column_count = duckdb_column_count(&result_);
  bool same =
      schema_ != nullptr && column_count == static_cast<idx_t>(schema_->num_fields());
  for (idx_t column = 0; same && column < column_count; ++column) {
    same = schema_->field(static_cast<int>(column))->name() ==
           duckdb_column_name(&result_, column);
  }
  if (same) return arrow::Status::OK();
  LogicalTypes types;
  std::vector<const char*> names;
  for (idx_t column = 0; column < column_count; ++column) {
    types.types.push_back(duckdb_column_logical_type(&result_, column));
    names.push_back(duckdb_column_name(&result_, column));
  }
  return ImportSchemaOf(types.types, names);
}

arrow::Status StreamingResultReader::ImportSchemaOf(
    std::vector<duckdb_logical_type>& types, std::vector<const char*>& names) {
  if (arrow_options_ == nullptr) {
    duckdb_connection_get_arrow_options(connection_->handle(), &arrow_options_);
  }
  ArrowSchema c_schema{};
  ARROW_RETURN_NOT_OK(ConsumeErrorData(
      duckdb_to_arrow_schema(arrow_options_, types.data(), names.data(),
                             static_cast<idx_t>(types.size()), &c_schema),
      "cannot describe the result as Arrow"));
  ARROW_ASSIGN_OR_RAISE(schema_, arrow::ImportSchema(&c_schema));
  return arrow::Status::OK();
}

arrow::Status StreamingResultReader::ImportSchema() {
  // From the prepared statement: the query has not run yet (it runs on the first
  // ReadNext, where a client that leaves can still interrupt it).
  idx_t column_count = duckdb_prepared_statement_column_count(prepared_);
  LogicalTypes types;
  std::vector<std::string> names;
  for (idx_t column = 0; column < column_count; ++column) {
    types.types.push_back(
        duckdb_prepared_statement_column_logical_type(prepared_, column));
    const char* name = duckdb_prepared_statement_column_name(prepared_, column);
    names.emplace_back(name == nullptr ? "" : name);
    duckdb_free(const_cast<char*>(name));
  }
  std::vector<const char*> name_pointers;
  name_pointers.reserve(names.size());
  for (const auto& name : names) name_pointers.push_back(name.c_str());
  return ImportSchemaOf(types.types, name_pointers);
}

arrow::Result<std::shared_ptr<arrow::RecordBatch>> StreamingResultReader::NextChunk() {
  if (finished_) return nullptr;
  ARROW_RETURN_NOT_OK(Execute());
  duckdb_data_chunk chunk = duckdb_fetch_chunk(result_);
  if (chunk == nullptr) {
    finished_ = true;
    const char* error_text = duckdb_result_error(&result_);
    if (error_text != nullptr)
      return StatusFromState(DuckDBError, error_text, "query failed");
    return nullptr;
  }
  ArrowArray c_array{};
  arrow::Status converted =
      ConsumeErrorData(duckdb_data_chunk_to_arrow(arrow_options_, chunk, &c_array),
                       "cannot convert to Arrow");
  duckdb_destroy_data_chunk(&chunk);
  ARROW_RETURN_NOT_OK(converted);
  return arrow::ImportRecordBatch(&c_array, schema_);
}

arrow::Status StreamingResultReader::ReadNext(
    std::shared_ptr<arrow::RecordBatch>* batch) {
  std::vector<std::shared_ptr<arrow::RecordBatch>> pieces;
  int64_t rows = 0;
  while (rows < options_.target_rows) {
    ARROW_ASSIGN_OR_RAISE(auto piece, NextChunk());
    if (piece == nullptr) break;
    rows += piece->num_rows();
    pieces.push_back(std::move(piece));
  }
  if (pieces.empty()) {
    *batch = nullptr;
    return arrow::Status::OK();
  }
  if (pieces.size() == 1) {
    *batch = std::move(pieces.front());
    return arrow::Status::OK();
  }
  ARROW_ASSIGN_OR_RAISE(*batch, arrow::ConcatenateRecordBatches(pieces));
  return arrow::Status::OK();
}

arrow::Status StreamingResultReader::Close() {
  // A result left before its end may keep the connection's query (and its snapshot)
  // open inside DuckDB: such a connection is closed when released, never reused.
  if (!finished_ && (has_result_ || pending_ != nullptr)) connection_->Retire();
  if (pending_ != nullptr) duckdb_destroy_pending(&pending_);
  if (prepared_ != nullptr) duckdb_destroy_prepare(&prepared_);
  if (arrow_options_ != nullptr) duckdb_destroy_arrow_options(&arrow_options_);
  if (has_result_) duckdb_destroy_result(&result_);
  has_result_ = false;
  finished_ = true;
  return arrow::Status::OK();
}

}  // namespace quiver::duckdb_adapter

#include "infrastructure/duckdb/row_stream.h"

#include <arrow/compute/cast.h>

#include "domain/problem.h"

namespace quiver::duckdb_adapter {
namespace {

/// The schema to answer with: declared fields where they can be cast to, DuckDB's
/// own elsewhere (e.g. INTERVAL for durations, which Arrow cannot cast).
std::shared_ptr<arrow::Schema> AnswerSchema(
    const arrow::Schema& returned, const std::shared_ptr<arrow::Schema>& declared) {
  if (declared == nullptr) return std::make_shared<arrow::Schema>(returned.fields());
  arrow::FieldVector fields;
  for (const auto& field : returned.fields()) {
    auto wanted = declared->GetFieldByName(field->name());
    bool castable =
        wanted != nullptr && arrow::compute::CanCast(*field->type(), *wanted->type());
    fields.push_back(castable ? wanted : field);
  }
  return arrow::schema(std::move(fields));
}

}  // namespace

arrow::Result<std::shared_ptr<DuckDbRowStream>> DuckDbRowStream::Open(
    std::shared_ptr<Connection> connection, std::string_view sql,
    const Parameters& parameters, const std::shared_ptr<arrow::Schema>& declared,
    const StreamOptions& options) {
  ARROW_ASSIGN_OR_RAISE(auto reader, connection->Stream(sql, parameters, options));
  auto schema = AnswerSchema(*reader->schema(), declared);
  return std::shared_ptr<DuckDbRowStream>(
      new DuckDbRowStream(std::move(connection), std::move(reader), std::move(schema)));
}

arrow::Status DuckDbRowStream::ReadNext(std::shared_ptr<arrow::RecordBatch>* batch) {
  if (cancelled_.load()) {
    return domain::MakeProblem(domain::ProblemKind::kUnavailable,
                               "the read was cancelled");
  }
  std::shared_ptr<arrow::RecordBatch> raw;
  ARROW_RETURN_NOT_OK(reader_->ReadNext(&raw));
  if (raw == nullptr) {
    *batch = nullptr;
    return arrow::Status::OK();
  }
  std::vector<std::shared_ptr<arrow::Array>> columns;
  for (int index = 0; index < raw->num_columns(); ++index) {
    const auto& wanted = schema_->field(index)->type();
    auto column = raw->column(index);
    if (!column->type()->Equals(*wanted) ||
        column->type()->ToString() != wanted->ToString()) {
      ARROW_ASSIGN_OR_RAISE(auto cast, arrow::compute::Cast(*column, wanted));
      column = std::move(cast);
    }
    columns.push_back(std::move(column));
  }
  *batch = arrow::RecordBatch::Make(schema_, raw->num_rows(), std::move(columns));
  return arrow::Status::OK();
}

arrow::Status DuckDbRowStream::Close() { return reader_->Close(); }

void DuckDbRowStream::Cancel() {
  cancelled_.store(true);
  connection_->Interrupt();
}

}  // namespace quiver::duckdb_adapter

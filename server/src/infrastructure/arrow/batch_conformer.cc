#include "infrastructure/arrow/batch_conformer.h"

#include <arrow/api.h>
#include <arrow/compute/cast.h>
#include <boost/beast/core/string.hpp>

#include <utility>

namespace quiver::arrow_adapter {
namespace {

/// The incoming column for a target field: same name, else same name ignoring case
/// (DuckDB identifiers ignore case).
int FindColumn(const arrow::Schema& incoming, const std::string& name) {
  int exact = incoming.GetFieldIndex(name);
  if (exact >= 0) return exact;
  for (int index = 0; index < incoming.num_fields(); ++index) {
    if (boost::beast::iequals(incoming.field(index)->name(), name)) return index;
  }
  return -1;
}

/// Arrow casts strings to timestamps but not to times: read "12:30:00.5" as the
/// timestamp 1970-01-01T12:30:00.5 and keep its microseconds since midnight.
arrow::Result<std::shared_ptr<arrow::Array>> StringsToTime(
    const arrow::Array& values, const std::shared_ptr<arrow::DataType>& type) {
  const auto& strings = static_cast<const arrow::StringArray&>(values);
  arrow::StringBuilder builder;
  ARROW_RETURN_NOT_OK(builder.Reserve(strings.length()));
  for (int64_t index = 0; index < strings.length(); ++index) {
    if (strings.IsNull(index)) {
      ARROW_RETURN_NOT_OK(builder.AppendNull());
      continue;
    }
    ARROW_RETURN_NOT_OK(
        builder.Append("1970-01-01T" + std::string(strings.GetView(index))));
  }
  ARROW_ASSIGN_OR_RAISE(auto prefixed, builder.Finish());
  const auto& time_type = static_cast<const arrow::TimeType&>(*type);
  auto options = arrow::compute::CastOptions::Safe(arrow::timestamp(time_type.unit()));
  ARROW_ASSIGN_OR_RAISE(auto stamps,
                        arrow::compute::Cast(arrow::Datum(prefixed), options));
  auto data = stamps.array()->Copy();
  data->type = type;
  return arrow::MakeArray(data);
}

arrow::Result<std::shared_ptr<arrow::Array>> SafeCast(
    const std::shared_ptr<arrow::Array>& values,
    const std::shared_ptr<arrow::DataType>& type) {
  if (values->type_id() == arrow::Type::STRING && type->id() == arrow::Type::TIME64) {
    return StringsToTime(*values, type);
  }
  if (values->type_id() == arrow::Type::STRING && type->id() == arrow::Type::TIMESTAMP) {
    // Arrow parses only as many fractional digits as the unit has; parse at
    // microseconds, then narrow safely (non-zero digits that would be lost fail).
    const auto& timestamp = static_cast<const arrow::TimestampType&>(*type);
    if (timestamp.unit() == arrow::TimeUnit::SECOND ||
        timestamp.unit() == arrow::TimeUnit::MILLI) {
      auto fine = arrow::timestamp(arrow::TimeUnit::MICRO, timestamp.timezone());
      ARROW_ASSIGN_OR_RAISE(auto parsed, SafeCast(values, fine));
      return SafeCast(parsed, type);
    }
  }
  auto options = arrow::compute::CastOptions::Safe(type);
  ARROW_ASSIGN_OR_RAISE(auto datum, arrow::compute::Cast(arrow::Datum(values), options));
  return datum.make_array();
}

/// The first row of `values` that does not cast to `type`, found by halving.
int64_t FirstFailingRow(const std::shared_ptr<arrow::Array>& values,
                        const std::shared_ptr<arrow::DataType>& type) {
  int64_t begin = 0;
  int64_t end = values->length();
  while (end - begin > 1) {
    int64_t middle = begin + (end - begin) / 2;
    if (!SafeCast(values->Slice(begin, middle - begin), type).ok()) {
      end = middle;
      continue;
    }
    begin = middle;
  }
  return begin;
}

}  // namespace

BatchConformer::BatchConformer(std::shared_ptr<arrow::Schema> target,
                               ConformOptions options)
    : target_(std::move(target)), options_(options) {}

void BatchConformer::Add(std::string field, std::optional<int64_t> row,
                         std::string message) {
  broke_rule_ = true;
  if (full()) return;
  violations_.push_back({std::move(field), row, std::move(message)});
}

bool BatchConformer::CheckColumnNames(const arrow::Schema& incoming) {
  broke_rule_ = false;
  for (const auto& field : incoming.fields()) {
    if (FindColumn(*target_, field->name()) >= 0) continue;
    if (options_.ignore_unknown_columns) continue;
    Add(field->name(), std::nullopt,
        "not a column of this dataset (send ?on_unknown=ignore to drop unknown columns)");
  }
  for (const auto& field : target_->fields()) {
    if (field->nullable() || FindColumn(incoming, field->name()) >= 0) continue;
    Add(field->name(), std::nullopt, "required column is missing");
  }
  return !broke_rule_;
}

void BatchConformer::CheckRequired(const arrow::Field& field, const arrow::Array& values,
                                   int64_t first_row) {
  if (field.nullable() || values.null_count() == 0) return;
  broke_rule_ = true;
  for (int64_t index = 0; index < values.length() && !full(); ++index) {
    if (values.IsNull(index))
      Add(field.name(), first_row + index, "required value is null");
  }
}

arrow::Result<std::shared_ptr<arrow::Array>> BatchConformer::ConformColumn(
    const arrow::Field& field, const std::shared_ptr<arrow::Array>& incoming,
    int64_t length, int64_t first_row) {
  if (incoming == nullptr) return arrow::MakeArrayOfNull(field.type(), length);
  if (incoming->type()->Equals(*field.type())) return incoming;
  auto cast = SafeCast(incoming, field.type());
  if (cast.ok()) return cast;
  if (cast.status().IsNotImplemented()) {
    Add(field.name(), std::nullopt,
        "values of type " + incoming->type()->ToString() + " cannot become " +
            field.type()->ToString());
    return nullptr;
  }
  int64_t row = FirstFailingRow(incoming, field.type());
  auto scalar = incoming->GetScalar(row);
  std::string value = scalar.ok() ? (*scalar)->ToString() : "?";
  Add(field.name(), first_row + row,
      "value " + value + " does not fit " + field.type()->ToString() + ": " +
          cast.status().message());
  return nullptr;
}

arrow::Result<std::shared_ptr<arrow::RecordBatch>> BatchConformer::Conform(
    const arrow::RecordBatch& batch, int64_t first_row) {
  const arrow::Schema& incoming = *batch.schema();
  if (!names_checked_) {
    names_checked_ = true;
    names_ok_ = CheckColumnNames(incoming);
  }
  if (!names_ok_) return nullptr;
  std::vector<std::shared_ptr<arrow::Array>> columns;
  broke_rule_ = false;
  for (const auto& field : target_->fields()) {
    int index = FindColumn(incoming, field->name());
    auto source = index >= 0 ? batch.column(index) : nullptr;
    ARROW_ASSIGN_OR_RAISE(auto column,
                          ConformColumn(*field, source, batch.num_rows(), first_row));
    if (column == nullptr) continue;
    CheckRequired(*field, *column, first_row);
    columns.push_back(std::move(column));
  }
  if (broke_rule_) return nullptr;
  return arrow::RecordBatch::Make(target_, batch.num_rows(), std::move(columns));
}

}  // namespace quiver::arrow_adapter

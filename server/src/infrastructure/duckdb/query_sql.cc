#include "infrastructure/duckdb/query_sql.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "infrastructure/types/type_mapping.h"

namespace quiver::duckdb_adapter {
namespace {

using domain::Aggregate;
using domain::AggregateFunction;
using domain::Column;
using domain::Filter;
using domain::FilterOperator;
using domain::Query;
using domain::Schema;
using types::QuoteIdentifier;

/// The SQL comparison operator of a comparison node.
std::string_view ComparisonSql(FilterOperator op) {
  switch (op) {
    case FilterOperator::kEqual:
      return "=";
    case FilterOperator::kNotEqual:
      return "<>";
    case FilterOperator::kLess:
      return "<";
    case FilterOperator::kLessOrEqual:
      return "<=";
    case FilterOperator::kGreater:
      return ">";
    case FilterOperator::kGreaterOrEqual:
      return ">=";
    default:
      return "";
  }
}

Parameter ToParameter(const domain::Value& value) {
  return std::visit([](const auto& held) -> Parameter { return held; }, value);
}

/// A query made against another schema (or another version of it) must not run.
arrow::Status CheckColumn(const Schema& schema, const Column& column) {
  const Column* current = schema.Find(column.name.value());
  if (current != nullptr && current->type == column.type) return arrow::Status::OK();
  return arrow::Status::Invalid("the query's column ", column.name.value(),
                                " does not match the dataset's schema");
}

/// Appends SQL text and its bound parameters side by side, so that the parameters
/// stay in the order of their placeholders.
class SqlWriter {
 public:
  explicit SqlWriter(const Schema& schema) : schema_(schema) {}

  void Text(std::string_view text) { sql_ += text; }

  void Identifier(std::string_view name) { sql_ += QuoteIdentifier(name); }

  /// A placeholder for `value`, cast to the DuckDB type `duckdb_type`.
  void Bind(Parameter value, std::string_view duckdb_type) {
    sql_ += "CAST(? AS ";
    sql_ += duckdb_type;
    sql_ += ")";
    parameters_.push_back(std::move(value));
  }

  /// A placeholder without a cast, for LIMIT and OFFSET.
  void BindCount(int64_t count) {
    sql_ += "?";
    parameters_.emplace_back(count);
  }

  arrow::Status Condition(const Filter& filter) {
    switch (filter.op()) {
      case FilterOperator::kAnd:
        return Junction(filter, " AND ");
      case FilterOperator::kOr:
        return Junction(filter, " OR ");
      case FilterOperator::kNot:
        Text("NOT (");
        ARROW_RETURN_NOT_OK(Condition(filter.operands().front()));
        Text(")");
        return arrow::Status::OK();
      default:
        return Test(filter);
    }
  }

  SqlStatement Finish() && { return {std::move(sql_), std::move(parameters_)}; }

 private:
  arrow::Status Junction(const Filter& filter, std::string_view separator) {
    Text("(");
    for (std::size_t index = 0; index < filter.operands().size(); ++index) {
      if (index > 0) Text(separator);
      ARROW_RETURN_NOT_OK(Condition(filter.operands()[index]));
    }
    Text(")");
    return arrow::Status::OK();
  }

  arrow::Status Test(const Filter& filter) {
    const Column& column = filter.column();
    ARROW_RETURN_NOT_OK(CheckColumn(schema_, column));
    const std::string type = types::ToDuckDbType(column.type);
    const auto& values = filter.values();
    switch (filter.op()) {
      case FilterOperator::kIsNull:
        Identifier(column.name.value());
        Text(" IS NULL");
        return arrow::Status::OK();
      case FilterOperator::kStartsWith:
      case FilterOperator::kContains:
        // Functions, not LIKE: '%' and '_' in the value match themselves.
        Text(filter.op() == FilterOperator::kStartsWith ? "starts_with(" : "contains(");
        Identifier(column.name.value());
        Text(", ");
        Bind(ToParameter(values.front()), "VARCHAR");
        Text(")");
        return arrow::Status::OK();
      case FilterOperator::kIn:
        Identifier(column.name.value());
        Text(" IN (");
        for (std::size_t index = 0; index < values.size(); ++index) {
          if (index > 0) Text(", ");
          Bind(ToParameter(values[index]), type);
        }
        Text(")");
        return arrow::Status::OK();
      case FilterOperator::kBetween:
        Identifier(column.name.value());
        Text(" BETWEEN ");
        Bind(ToParameter(values[0]), type);
        Text(" AND ");
        Bind(ToParameter(values[1]), type);
        return arrow::Status::OK();
      default:
        Identifier(column.name.value());
        Text(" ");
        Text(ComparisonSql(filter.op()));
        Text(" ");
        Bind(ToParameter(values.front()), type);
        return arrow::Status::OK();
    }
  }

  const Schema& schema_;
  std::string sql_;
  Parameters parameters_;
};

void WriteAggregate(SqlWriter& writer, const Aggregate& aggregate) {
  const std::string column =
      aggregate.column ? QuoteIdentifier(aggregate.column->name.value()) : "*";
  switch (aggregate.function) {
    case AggregateFunction::kCount:
      writer.Text("count(" + column + ")");
      break;
    case AggregateFunction::kCountDistinct:
      writer.Text("count(DISTINCT " + column + ")");
      break;
    case AggregateFunction::kSum:
      writer.Text("sum(" + column + ")");
      break;
    case AggregateFunction::kMean:
      writer.Text("avg(" + column + ")");
      break;
    case AggregateFunction::kMin:
      writer.Text("min(" + column + ")");
      break;
    case AggregateFunction::kMax:
      writer.Text("max(" + column + ")");
      break;
    case AggregateFunction::kStddev:
      writer.Text("stddev_samp(" + column + ")");
      break;
    case AggregateFunction::kQuantile:
      writer.Text("quantile_cont(" + column + ", ");
      writer.Bind(aggregate.quantile, "DOUBLE");
      writer.Text(")");
      break;
  }
  writer.Text(" AS ");
  writer.Identifier(aggregate.alias.value());
}

arrow::Status WriteColumnList(SqlWriter& writer, const Schema& schema,
                              const std::vector<Column>& columns) {
  for (std::size_t index = 0; index < columns.size(); ++index) {
    ARROW_RETURN_NOT_OK(CheckColumn(schema, columns[index]));
    if (index > 0) writer.Text(", ");
    writer.Identifier(columns[index].name.value());
  }
  return arrow::Status::OK();
}

/// The filtered rows: the table with its WHERE clause, or, when sampling, a
/// subquery keeping the rows whose hash of (rowid, seed) is smallest (rows) or
/// under a threshold (fraction). The hash makes samples reproducible whatever
/// DuckDB's thread count, unlike its own sampling clauses.
arrow::Status WriteSource(SqlWriter& writer, std::string_view qualified_table,
                          const Query& query) {
  const auto& sample = query.sample();
  if (sample) writer.Text("(SELECT * FROM ");
  writer.Text(qualified_table);
  if (query.filter()) {
    writer.Text(" WHERE ");
    ARROW_RETURN_NOT_OK(writer.Condition(*query.filter()));
  }
  if (!sample) return arrow::Status::OK();
  constexpr int64_t kBuckets = 1'000'000'000;
  if (sample->fraction) {
    writer.Text(query.filter() ? " AND " : " WHERE ");
    writer.Text("hash(rowid, ");
    writer.Bind(sample->seed, "BIGINT");
    writer.Text(") % 1000000000 < ");
    writer.BindCount(static_cast<int64_t>(*sample->fraction * kBuckets));
  } else {
    writer.Text(" ORDER BY hash(rowid, ");
    writer.Bind(sample->seed, "BIGINT");
    writer.Text("), rowid LIMIT ");
    writer.BindCount(*sample->rows);
  }
  writer.Text(") AS sampled");
  return arrow::Status::OK();
}

/// SELECT ... FROM ... WHERE ... GROUP BY ...: everything but order and page.
arrow::Status WriteSelectCore(SqlWriter& writer, std::string_view qualified_table,
                              const Schema& schema, const Query& query) {
  writer.Text("SELECT ");
  if (query.distinct()) writer.Text("DISTINCT ");
  if (query.aggregating()) {
    ARROW_RETURN_NOT_OK(WriteColumnList(writer, schema, query.group_by()));
    for (std::size_t index = 0; index < query.aggregates().size(); ++index) {
      const Aggregate& aggregate = query.aggregates()[index];
      if (aggregate.column) ARROW_RETURN_NOT_OK(CheckColumn(schema, *aggregate.column));
      if (index > 0 || !query.group_by().empty()) writer.Text(", ");
      WriteAggregate(writer, aggregate);
    }
  } else {
    ARROW_RETURN_NOT_OK(WriteColumnList(writer, schema, query.select()));
  }
  writer.Text(" FROM ");
  ARROW_RETURN_NOT_OK(WriteSource(writer, qualified_table, query));
  if (!query.group_by().empty()) {
    writer.Text(" GROUP BY ");
    ARROW_RETURN_NOT_OK(WriteColumnList(writer, schema, query.group_by()));
  }
  return arrow::Status::OK();
}

void WriteOrderAndPage(SqlWriter& writer, const Query& query) {
  for (std::size_t index = 0; index < query.order_by().size(); ++index) {
    const auto& key = query.order_by()[index];
    writer.Text(index == 0 ? " ORDER BY " : ", ");
    writer.Identifier(key.name.value());
    // Explicit, so that the order never depends on a DuckDB setting.
    writer.Text(key.descending ? " DESC NULLS LAST" : " ASC NULLS LAST");
  }
  if (query.limit()) {
    writer.Text(" LIMIT ");
    writer.BindCount(*query.limit());
  }
  if (query.offset() > 0) {
    writer.Text(" OFFSET ");
    writer.BindCount(query.offset());
  }
}

}  // namespace

arrow::Result<SqlStatement> BuildSelectSql(std::string_view qualified_table,
                                           const Schema& schema, const Query& query) {
  SqlWriter writer(schema);
  ARROW_RETURN_NOT_OK(WriteSelectCore(writer, qualified_table, schema, query));
  WriteOrderAndPage(writer, query);
  return std::move(writer).Finish();
}

arrow::Result<SqlStatement> BuildCountSql(std::string_view qualified_table,
                                          const Schema& schema, const Query& query) {
  SqlWriter writer(schema);
  if (query.aggregating() || query.distinct()) {
    writer.Text("SELECT count(*) AS \"count\" FROM (");
    ARROW_RETURN_NOT_OK(WriteSelectCore(writer, qualified_table, schema, query));
    writer.Text(") AS counted");
    return std::move(writer).Finish();
  }
  writer.Text("SELECT count(*) AS \"count\" FROM ");
  ARROW_RETURN_NOT_OK(WriteSource(writer, qualified_table, query));
  return std::move(writer).Finish();
}

}  // namespace quiver::duckdb_adapter

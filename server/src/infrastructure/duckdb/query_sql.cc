#include "infrastructure/duckdb/query_sql.h"

#include <cstddef>
#include <cstdint>
#include <limits>
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
using domain::KeyValues;
using domain::PageKey;
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

std::string RowColumnSql() { return QuoteIdentifier(kRowColumn); }

/// A page key as SQL: its column, or the row's position for the insertion order.
std::string KeySql(const PageKey& key) {
  return QuoteIdentifier(key.column ? key.column->name.value() : kRowColumn);
}

/// True for a window of all rows in insertion order from an offset (no filter,
/// order, groups or sample): rows offset .. offset + limit - 1 are exactly the rows
/// at those positions, found by the row column instead of by counting.
bool InsertionWindow(const Query& query) {
  return query.offset() > 0 && !query.filter() && query.order_by().empty() &&
         !query.aggregating() && !query.distinct() && !query.sample() && !query.paged();
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

  /// A count written as a number, for LIMIT and OFFSET: DuckDB plans a literal
  /// offset as a skip over row ids, a bound one as a scan of every column up to it
  /// (1M rows, offset 500k: 1.5 ms against 14 ms). The count is an int64 the domain
  /// checked, printed here: no client text.
  void Count(int64_t count) { sql_ += std::to_string(count); }

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

  /// Rows strictly after the row whose keys are `values`, in the page order `keys`
  /// (ascending or descending, nulls last): the lexicographic comparison spelled
  /// out, so that nulls and mixed directions compare as ORDER BY sorts them.
  void After(const std::vector<PageKey>& keys, const KeyValues& values) {
    Lexicographic(keys, values, 0, /*after=*/true);
  }

  /// Rows up to and including the row whose keys are `values`.
  void AtOrBefore(const std::vector<PageKey>& keys, const KeyValues& values) {
    Lexicographic(keys, values, 0, /*after=*/false);
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

  void Lexicographic(const std::vector<PageKey>& keys, const KeyValues& values,
                     std::size_t index, bool after) {
    const PageKey& key = keys[index];
    const std::optional<std::string>& value = values[index];
    const std::string name = KeySql(key);
    // Nulls sort last in both directions: a null is after every value. Past the
    // row (after) or before it, ascending or descending: which way is "greater".
    const bool greater = after != key.descending;
    const std::string strict = greater ? " > " : " < ";
    if (index + 1 == keys.size() && value) {
      // The last key is unique and never null (the row's position); one plain
      // comparison lets DuckDB skip row groups by their min/max.
      Text(name + (after ? strict : (greater ? " >= " : " <= ")));
      BindKey(key, *value);
      return;
    }
    const bool nullable = key.column && !key.column->required;
    Text("(");
    if (after) {
      if (!value) {
        Text("FALSE");
      } else {
        Text("(" + name + strict);
        BindKey(key, *value);
        if (nullable) Text(" OR " + name + " IS NULL");
        Text(")");
      }
    } else if (!value) {
      Text(name + " IS NOT NULL");
    } else {
      Text(name + strict);
      BindKey(key, *value);
    }
    Text(" OR (");
    if (!value) {
      Text(name + " IS NULL");
    } else {
      Text(name + " = ");
      BindKey(key, *value);
    }
    if (index + 1 < keys.size()) {
      Text(" AND ");
      Lexicographic(keys, values, index + 1, after);
    } else if (after) {
      Text(" AND FALSE");  // equal in every key is the row itself: not after it
    }
    Text("))");
  }

  void BindKey(const PageKey& key, const std::string& value) {
    Bind(value, key.column ? types::ToDuckDbType(key.column->type) : "BIGINT");
  }

  const Schema& schema_;
  std::string sql_;
  Parameters parameters_;
};

/// The bucket of each row, for SELECT and GROUP BY ALL.
void WriteBucket(SqlWriter& writer, const domain::Bucket& bucket) {
  const std::string column = QuoteIdentifier(bucket.column.name.value());
  if (bucket.kind == domain::BucketKind::kTime) {
    // Instants are bucketed by the UTC calendar, whatever the server's zone: as UTC
    // wall-clock times and back, which is ~20x faster than time_bucket's own zone
    // argument (a calendar computation per row for day and longer buckets).
    const bool instant = !bucket.column.type.time_zone().empty();
    writer.Text(instant ? "timezone('UTC', time_bucket(" : "time_bucket(");
    writer.Bind(bucket.interval, "INTERVAL");
    writer.Text(instant ? ", timezone('UTC', " + column + ")))" : ", " + column + ")");
  } else {
    writer.Text("floor((CAST(" + column + " AS DOUBLE) - ");
    writer.Bind(bucket.origin, "DOUBLE");
    writer.Text(") / ");
    writer.Bind(bucket.width, "DOUBLE");
    writer.Text(") * ");
    writer.Bind(bucket.width, "DOUBLE");
    writer.Text(" + ");
    writer.Bind(bucket.origin, "DOUBLE");
  }
  writer.Text(" AS ");
  writer.Identifier(bucket.alias.value());
}

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
/// subquery keeping the rows whose hash of (row position, seed) is smallest (rows) or
/// under a threshold (fraction). The hash makes samples reproducible whatever
/// DuckDB's thread count, unlike its own sampling clauses.
arrow::Status WriteSource(SqlWriter& writer, std::string_view qualified_table,
                          const Query& query, bool with_window = false) {
  const auto& sample = query.sample();
  if (sample) writer.Text("(SELECT * FROM ");
  writer.Text(qualified_table);
  bool where = false;
  auto conjunction = [&writer, &where] {
    writer.Text(where ? " AND " : " WHERE ");
    where = true;
  };
  if (query.filter()) {
    conjunction();
    ARROW_RETURN_NOT_OK(writer.Condition(*query.filter()));
  }
  if (query.after()) {
    conjunction();
    writer.After(query.page_order(), *query.after());
  } else if (with_window && InsertionWindow(query)) {
    // Rows in insertion order from a position: the position is the row column, so
    // DuckDB skips every row group before it by its min/max instead of counting rows.
    conjunction();
    writer.Identifier(kRowColumn);
    writer.Text(" >= ");
    writer.Count(query.offset());
    if (query.limit() &&
        *query.limit() <= std::numeric_limits<int64_t>::max() - query.offset()) {
      writer.Text(" AND ");
      writer.Identifier(kRowColumn);
      writer.Text(" < ");
      writer.Count(query.offset() + *query.limit());
    }
  }
  if (query.through()) {
    conjunction();
    writer.AtOrBefore(query.page_order(), *query.through());
  }
  if (!sample) return arrow::Status::OK();
  constexpr int64_t kBuckets = 1'000'000'000;
  if (sample->fraction) {
    conjunction();
    writer.Text("hash(" + RowColumnSql() + ", ");
    writer.Bind(sample->seed, "BIGINT");
    writer.Text(") % 1000000000 < ");
    writer.Count(static_cast<int64_t>(*sample->fraction * kBuckets));
  } else {
    writer.Text(" ORDER BY hash(" + RowColumnSql() + ", ");
    writer.Bind(sample->seed, "BIGINT");
    writer.Text("), " + RowColumnSql() + " LIMIT ");
    writer.Count(*sample->rows);
  }
  writer.Text(") AS sampled");
  return arrow::Status::OK();
}

/// SELECT ... FROM ... WHERE ... GROUP BY ...: everything but order and page.
arrow::Status WriteSelectCore(SqlWriter& writer, std::string_view qualified_table,
                              const Schema& schema, const Query& query,
                              bool with_window = false) {
  writer.Text("SELECT ");
  if (query.distinct()) writer.Text("DISTINCT ");
  if (query.aggregating()) {
    const auto& bucket = query.bucket();
    if (bucket) {
      ARROW_RETURN_NOT_OK(CheckColumn(schema, bucket->column));
      WriteBucket(writer, *bucket);
      if (!query.group_by().empty()) writer.Text(", ");
    }
    ARROW_RETURN_NOT_OK(WriteColumnList(writer, schema, query.group_by()));
    for (std::size_t index = 0; index < query.aggregates().size(); ++index) {
      const Aggregate& aggregate = query.aggregates()[index];
      if (aggregate.column) ARROW_RETURN_NOT_OK(CheckColumn(schema, *aggregate.column));
      if (index > 0 || !query.group_by().empty() || bucket) writer.Text(", ");
      WriteAggregate(writer, aggregate);
    }
  } else {
    ARROW_RETURN_NOT_OK(WriteColumnList(writer, schema, query.select()));
  }
  writer.Text(" FROM ");
  ARROW_RETURN_NOT_OK(WriteSource(writer, qualified_table, query, with_window));
  if (query.bucket()) {
    writer.Text(" GROUP BY ALL");
  } else if (!query.group_by().empty()) {
    writer.Text(" GROUP BY ");
    ARROW_RETURN_NOT_OK(WriteColumnList(writer, schema, query.group_by()));
  }
  return arrow::Status::OK();
}

void WriteOrder(SqlWriter& writer, const Query& query) {
  // Explicit nulls last, so that the order never depends on a DuckDB setting.
  if (query.paged()) {
    for (std::size_t index = 0; index < query.page_order().size(); ++index) {
      const auto& key = query.page_order()[index];
      writer.Text(index == 0 ? " ORDER BY " : ", ");
      writer.Text(KeySql(key));
      writer.Text(key.descending ? " DESC NULLS LAST" : " ASC NULLS LAST");
    }
    return;
  }
  for (std::size_t index = 0; index < query.order_by().size(); ++index) {
    const auto& key = query.order_by()[index];
    writer.Text(index == 0 ? " ORDER BY " : ", ");
    writer.Identifier(key.name.value());
    writer.Text(key.descending ? " DESC NULLS LAST" : " ASC NULLS LAST");
  }
  // Rows ordered by values that repeat keep their insertion order among equals, as
  // cursor pages do: offset windows over the same order never overlap or skip.
  if (query.aggregating() || query.distinct()) return;
  if (!query.order_by().empty()) {
    writer.Text(", " + RowColumnSql() + " ASC NULLS LAST");
  } else if (query.sample() && query.sample()->rows) {
    // A sample of n rows is chosen in hash order; it is shown in insertion order, as
    // fraction samples (a filter on the scan) and all other unordered reads are.
    writer.Text(" ORDER BY " + RowColumnSql());
  }
}

void WriteOrderAndPage(SqlWriter& writer, const Query& query) {
  WriteOrder(writer, query);
  // A page that knows its last row is bounded by it, not by a count: rows added
  // while it is read would otherwise push rows out of it unseen.
  if (query.limit() && !query.through()) {
    writer.Text(" LIMIT ");
    writer.Count(*query.limit());
  }
  if (query.offset() > 0 && !InsertionWindow(query)) {
    writer.Text(" OFFSET ");
    writer.Count(query.offset());
  }
}

}  // namespace

arrow::Result<SqlStatement> BuildSelectSql(std::string_view qualified_table,
                                           const Schema& schema, const Query& query) {
  SqlWriter writer(schema);
  ARROW_RETURN_NOT_OK(
      WriteSelectCore(writer, qualified_table, schema, query, /*with_window=*/true));
  WriteOrderAndPage(writer, query);
  return std::move(writer).Finish();
}

arrow::Result<SqlStatement> BuildPageEndSql(std::string_view qualified_table,
                                            const Schema& schema, const Query& query) {
  if (!query.paged() || query.through() || !query.limit() || *query.limit() <= 0) {
    return arrow::Status::Invalid("the query is not a cursor page still to be bounded");
  }
  // The page's keys, then the last of them: a top-N of the page (or, in insertion
  // order, the first rows as scanned), never an ORDER BY ... OFFSET, which DuckDB
  // answers with a whole sort (100M rows: 8 s against 0.65 s, or 17 ms against
  // 0.6 ms in insertion order).
  std::vector<std::string> keys;
  for (const auto& key : query.page_order()) {
    if (key.column) ARROW_RETURN_NOT_OK(CheckColumn(schema, *key.column));
    keys.push_back(KeySql(key));
  }
  SqlWriter writer(schema);
  writer.Text("SELECT ");
  for (std::size_t index = 0; index < keys.size(); ++index) {
    writer.Text((index > 0 ? ", CAST(" : "CAST(") + keys[index] + " AS VARCHAR)");
  }
  writer.Text(" FROM (SELECT ");
  for (std::size_t index = 0; index < keys.size(); ++index) {
    writer.Text((index > 0 ? ", " : "") + keys[index]);
  }
  writer.Text(" FROM ");
  ARROW_RETURN_NOT_OK(WriteSource(writer, qualified_table, query));
  // Rows are stored in insertion order, and DuckDB keeps it for a LIMIT without
  // ORDER BY (preserve_insertion_order): the first rows scanned are the page.
  if (query.page_order().size() > 1) WriteOrder(writer, query);
  writer.Text(" LIMIT ");
  writer.Count(*query.limit());
  // Only a full page has a next one: fewer rows is the last page, and no row here.
  writer.Text(") AS page QUALIFY count(*) OVER () = ");
  writer.Count(*query.limit());
  for (std::size_t index = 0; index < keys.size(); ++index) {
    writer.Text((index > 0 ? ", " : " ORDER BY ") + keys[index]);
    writer.Text(query.page_order()[index].descending ? " ASC NULLS FIRST"
                                                     : " DESC NULLS FIRST");
  }
  writer.Text(" LIMIT 1");
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

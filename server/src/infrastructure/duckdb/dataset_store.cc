#include "infrastructure/duckdb/dataset_store.h"

#include <arrow/api.h>
#include <boost/json.hpp>

#include <charconv>
#include <chrono>
#include <ctime>

#include "domain/problem.h"
#include "infrastructure/duckdb/arrow_appender.h"
#include "infrastructure/duckdb/query_sql.h"
#include "infrastructure/duckdb/row_stream.h"
#include "infrastructure/types/type_mapping.h"

namespace quiver::duckdb_adapter {
namespace {

using application::DatasetRecord;
using domain::MakeProblem;
using domain::ProblemKind;

constexpr const char* kDataSchema = "quiver_data";
/// Loads in replace mode fill this table first; '_' cannot start a dataset name.
constexpr const char* kReplacingPrefix = "_replacing_";

std::string NowIso8601() {
  auto now = std::chrono::system_clock::now();
  std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch())
          .count() %
      1000000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[40];
  std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%S", &utc);
  char fraction[16];
  std::snprintf(fraction, sizeof(fraction), ".%06lldZ", static_cast<long long>(micros));
  return std::string(text) + fraction;
}

std::string TableSql(std::string_view table) {
  return std::string(kDataSchema) + "." + types::QuoteIdentifier(table);
}

std::string CreateTableSql(std::string_view table, const domain::Schema& schema) {
  std::string sql = "CREATE TABLE " + TableSql(table) + " (";
  bool first = true;
  for (const auto& column : schema.columns()) {
    if (!first) sql += ", ";
    first = false;
    sql += types::QuoteIdentifier(column.name.value()) + " " +
           types::ToDuckDbType(column.type);
    if (column.required) sql += " NOT NULL";
  }
  sql += ", " + types::QuoteIdentifier(kRowColumn) + " BIGINT NOT NULL";
  if (!schema.primary_key().empty()) {
    sql += ", PRIMARY KEY (";
    for (size_t index = 0; index < schema.primary_key().size(); ++index) {
      if (index > 0) sql += ", ";
      sql += types::QuoteIdentifier(schema.primary_key()[index].value());
    }
    sql += ")";
  }
  return sql + ")";
}

std::string ColumnsJson(const domain::Schema& schema) {
  boost::json::array columns;
  for (const auto& column : schema.columns()) {
    columns.push_back(boost::json::object{{"name", column.name.value()},
                                          {"type", column.type.ToString()},
                                          {"required", column.required}});
  }
  return boost::json::serialize(columns);
}

std::string PrimaryKeyJson(const domain::Schema& schema) {
  boost::json::array key;
  for (const auto& name : schema.primary_key())
    key.push_back(boost::json::string(name.value()));
  return boost::json::serialize(key);
}

arrow::Result<domain::Schema> SchemaFromJson(std::string_view columns_json,
                                             std::string_view primary_key_json) {
  boost::system::error_code error;
  auto columns = boost::json::parse(columns_json, error);
  if (error || !columns.is_array())
    return arrow::Status::IOError("corrupt catalog columns");
  std::vector<domain::ColumnSpec> specs;
  for (const auto& value : columns.as_array()) {
    const auto& object = value.as_object();
    specs.push_back({std::string(object.at("name").as_string()),
                     std::string(object.at("type").as_string()),
                     object.at("required").as_bool()});
  }
  auto key = boost::json::parse(primary_key_json, error);
  if (error || !key.is_array())
    return arrow::Status::IOError("corrupt catalog primary key");
  std::vector<std::string> primary_key;
  for (const auto& value : key.as_array()) primary_key.emplace_back(value.as_string());
  return domain::Schema::Make(specs, primary_key);
}

/// DuckDB's constraint errors (duplicate keys, NOT NULL) are the client's problem.
arrow::Status TranslateStorageError(const arrow::Status& status,
                                    const domain::Schema& schema) {
  if (status.ok() || domain::FindProblemDetail(status) != nullptr) return status;
  const std::string& message = status.message();
  std::string lowered = message;
  for (auto& character : lowered) character = static_cast<char>(std::tolower(character));
  if (lowered.find("conflict") != std::string::npos ||
      lowered.find("by a different transaction") != std::string::npos) {
    return MakeProblem(ProblemKind::kConflict,
                       "another change to this dataset ran at the same time; nothing was "
                       "stored, retry");
  }
  if (lowered.find("constraint") == std::string::npos) return status;
  std::string field;
  for (const auto& name : schema.primary_key()) {
    if (!field.empty()) field += ",";
    field += name.value();
  }
  // Keep DuckDB's own sentence ("Duplicate key "id: 7" violates ..."), not our context.
  auto cut = message.rfind(": ", message.find("onstraint"));
  std::string reason = cut == std::string::npos ? message : message.substr(cut + 2);
  return MakeProblem(ProblemKind::kValidationFailed,
                     "the upload breaks a constraint of the dataset; nothing was stored",
                     {{field.empty() ? "row" : field, std::nullopt, reason}});
}

template <typename ArrayType>
const ArrayType& Column(const arrow::Table& table, int index) {
  return static_cast<const ArrayType&>(*table.column(index)->chunk(0));
}

/// The last position of an unfiltered page in insertion order when it is certainly
/// full: positions are 0, 1, 2, ... without gaps, so the page after position p is
/// p + 1 .. p + limit, and it is full when the catalog counts more rows than that
/// (rows only grow; a replace changes the generation, which the cursor checks). No
/// answer otherwise (a filter, another order, the end of the rows): ask DuckDB.
std::optional<std::string> KnownPageEnd(const DatasetRecord& dataset,
                                        const domain::Query& query) {
  const auto& order = query.page_order();
  if (order.size() != 1 || order.front().column || query.filter() || !query.limit()) {
    return std::nullopt;
  }
  int64_t first = 0;
  if (query.after()) {
    const auto& key = query.after()->front();
    if (!key) return std::nullopt;
    int64_t after = 0;
    auto [end, error] = std::from_chars(key->data(), key->data() + key->size(), after);
    if (error != std::errc() || end != key->data() + key->size() || after < 0 ||
        after >= dataset.row_count) {
      return std::nullopt;
    }
    first = after + 1;
  }
  // Full only when rows first .. first + limit - 1 all exist (no overflow: limit is
  // compared with what is left, not added to first).
  const int64_t limit = *query.limit();
  if (limit <= 0 || limit > dataset.row_count - first) return std::nullopt;
  return std::to_string(first + limit - 1);
}

arrow::Status SetRowColumnNotNull(const std::shared_ptr<Connection>& connection,
                                  std::string_view table_name) {
  return connection->Execute("ALTER TABLE " + TableSql(table_name) + " ALTER COLUMN " +
                             types::QuoteIdentifier(kRowColumn) + " SET NOT NULL");
}

/// Gives a table made before rows had positions its position column, numbered in its
/// insertion order (DuckDB's rowid: rows were only ever appended to it).
arrow::Status NumberRows(const std::shared_ptr<Connection>& connection,
                         std::string_view table_name) {
  const std::string table = TableSql(table_name);
  const std::string column = types::QuoteIdentifier(kRowColumn);
  ARROW_ASSIGN_OR_RAISE(auto transaction, Transaction::Begin(connection));
  ARROW_RETURN_NOT_OK(
      connection->Execute("ALTER TABLE " + table + " ADD COLUMN " + column + " BIGINT"));
  ARROW_RETURN_NOT_OK(
      connection->Execute("UPDATE " + table + " SET " + column + " = rowid"));
  // NOT NULL comes after the commit (NumberRowsOfOlderTables): DuckDB refuses the
  // constraint while the table has uncommitted updates.
  return transaction->Commit();
}

/// The names of the first column of `sql`'s rows (table names).
arrow::Result<std::vector<std::string>> TableNames(
    const std::shared_ptr<Connection>& connection, std::string_view sql) {
  ARROW_ASSIGN_OR_RAISE(auto table, connection->Fetch(sql, {std::string(kRowColumn)}));
  std::vector<std::string> names;
  for (const auto& chunk : table->column(0)->chunks()) {
    const auto& values = static_cast<const arrow::StringArray&>(*chunk);
    for (int64_t row = 0; row < values.length(); ++row) {
      names.emplace_back(values.GetView(row));
    }
  }
  return names;
}

/// Numbers the rows of every table still without positions, once, at open, and makes
/// every position column NOT NULL (also one left nullable by an open cut short).
arrow::Status NumberRowsOfOlderTables(const std::shared_ptr<Connection>& connection) {
  ARROW_ASSIGN_OR_RAISE(
      auto unnumbered,
      TableNames(connection,
                 "SELECT t.table_name FROM duckdb_tables() t WHERE t.schema_name = "
                 "'quiver_data' AND NOT EXISTS (SELECT 1 FROM duckdb_columns() c WHERE "
                 "c.schema_name = t.schema_name AND c.table_name = t.table_name AND "
                 "c.column_name = ?)"));
  for (const auto& name : unnumbered) ARROW_RETURN_NOT_OK(NumberRows(connection, name));
  ARROW_ASSIGN_OR_RAISE(
      auto nullable,
      TableNames(connection,
                 "SELECT table_name FROM duckdb_columns() WHERE schema_name = "
                 "'quiver_data' AND column_name = ? AND is_nullable"));
  for (const auto& name : nullable) {
    ARROW_RETURN_NOT_OK(SetRowColumnNotNull(connection, name));
  }
  return arrow::Status::OK();
}

}  // namespace

arrow::Result<std::unique_ptr<DuckDbDatasetStore>> DuckDbDatasetStore::Open(
    std::shared_ptr<Database> database) {
  ARROW_ASSIGN_OR_RAISE(auto connection, database->Connect());
  ARROW_RETURN_NOT_OK(connection->Execute("CREATE SCHEMA IF NOT EXISTS quiver_meta"));
  ARROW_RETURN_NOT_OK(connection->Execute("CREATE SCHEMA IF NOT EXISTS quiver_data"));
  ARROW_RETURN_NOT_OK(connection->Execute(
      "CREATE TABLE IF NOT EXISTS quiver_meta.datasets (name VARCHAR NOT NULL, "
      "columns_json VARCHAR NOT NULL, primary_key_json VARCHAR NOT NULL, "
      "row_count BIGINT NOT NULL, created_at VARCHAR NOT NULL, updated_at VARCHAR NOT "
      "NULL, generation BIGINT NOT NULL DEFAULT 0)"));
  // Catalogs made before generations existed gain the column.
  ARROW_RETURN_NOT_OK(connection->Execute(
      "ALTER TABLE quiver_meta.datasets ADD COLUMN IF NOT EXISTS generation BIGINT "
      "DEFAULT 0"));
  ARROW_RETURN_NOT_OK(NumberRowsOfOlderTables(connection));
  return std::unique_ptr<DuckDbDatasetStore>(new DuckDbDatasetStore(std::move(database)));
}

arrow::Result<std::vector<DatasetRecord>> DuckDbDatasetStore::Select(
    const std::string& where, const Parameters& parameters, bool with_bytes) {
  ARROW_ASSIGN_OR_RAISE(auto connection, database_->Connect());
  ARROW_ASSIGN_OR_RAISE(
      auto table,
      connection->Fetch("SELECT d.name, d.columns_json, d.primary_key_json, d.row_count, "
                        "d.created_at, d.updated_at, "
                        "coalesce(d.generation, 0)::BIGINT AS generation, "
                        "coalesce(t.estimated_size, 0)::BIGINT AS estimated_rows "
                        "FROM quiver_meta.datasets d LEFT JOIN duckdb_tables() t "
                        "ON t.schema_name = 'quiver_data' AND t.table_name = d.name " +
                            where + " ORDER BY d.name",
                        parameters));
  ARROW_ASSIGN_OR_RAISE(table, table->CombineChunks());
  std::vector<DatasetRecord> records;
  if (table->num_rows() == 0) return records;
  const auto& names = Column<arrow::StringArray>(*table, 0);
  const auto& columns = Column<arrow::StringArray>(*table, 1);
  const auto& keys = Column<arrow::StringArray>(*table, 2);
  const auto& row_counts = Column<arrow::Int64Array>(*table, 3);
  const auto& created = Column<arrow::StringArray>(*table, 4);
  const auto& updated = Column<arrow::StringArray>(*table, 5);
  const auto& generations = Column<arrow::Int64Array>(*table, 6);
  for (int64_t row = 0; row < table->num_rows(); ++row) {
    ARROW_ASSIGN_OR_RAISE(auto name, domain::DatasetName::Make(names.GetView(row)));
    ARROW_ASSIGN_OR_RAISE(auto schema,
                          SchemaFromJson(columns.GetView(row), keys.GetView(row)));
    DatasetRecord record{std::move(name),
                         std::move(schema),
                         row_counts.Value(row),
                         0,
                         std::string(created.GetView(row)),
                         std::string(updated.GetView(row)),
                         generations.Value(row)};
    records.push_back(std::move(record));
  }
  if (!with_bytes) return records;
  for (auto& record : records) {
    auto size = connection->Fetch(
        "SELECT (count(DISTINCT block_id) * (SELECT any_value(block_size) FROM "
        "pragma_database_size()))::BIGINT FROM pragma_storage_info('quiver_data.\"" +
        record.name.value() + "\"') WHERE block_id >= 0");
    if (!size.ok() || (*size)->num_rows() == 0) continue;
    auto chunk = (*size)->column(0)->chunk(0);
    if (chunk->IsValid(0))
      record.bytes = static_cast<const arrow::Int64Array&>(*chunk).Value(0);
  }
  return records;
}

arrow::Result<DatasetRecord> DuckDbDatasetStore::Create(const domain::DatasetName& name,
                                                        const domain::Schema& schema) {
  std::lock_guard guard(catalog_mutex_);
  ARROW_ASSIGN_OR_RAISE(auto existing, Select("WHERE d.name = ?", {name.value()}, false));
  if (!existing.empty()) {
    return MakeProblem(ProblemKind::kConflict,
                       "dataset '" + name.value() + "' already exists");
  }
  ARROW_ASSIGN_OR_RAISE(auto connection, database_->Connect());
  ARROW_ASSIGN_OR_RAISE(auto transaction, Transaction::Begin(connection));
  ARROW_RETURN_NOT_OK(connection->Execute(CreateTableSql(name.value(), schema)));
  std::string now = NowIso8601();
  ARROW_RETURN_NOT_OK(connection->Execute(
      "INSERT INTO quiver_meta.datasets (name, columns_json, primary_key_json, "
      "row_count, created_at, updated_at, generation) VALUES (?, ?, ?, 0, ?, ?, 0)",
      {name.value(), ColumnsJson(schema), PrimaryKeyJson(schema), now, now}));
  ARROW_RETURN_NOT_OK(CommitAndForget(*transaction, name));
  return DatasetRecord{name, schema, 0, 0, now, now};
}

arrow::Result<std::vector<DatasetRecord>> DuckDbDatasetStore::List() {
  return Select("", {});
}

arrow::Result<DatasetRecord> DuckDbDatasetStore::Get(const domain::DatasetName& name) {
  return One(name, /*with_bytes=*/true);
}

arrow::Result<DatasetRecord> DuckDbDatasetStore::Lookup(const domain::DatasetName& name) {
  uint64_t version = 0;
  {
    std::lock_guard guard(cache_mutex_);
    auto found = cache_.find(name.value());
    if (found != cache_.end()) return found->second;
    version = cache_version_;
  }
  ARROW_ASSIGN_OR_RAISE(auto record, One(name, /*with_bytes=*/false));
  std::lock_guard guard(cache_mutex_);
  if (version == cache_version_) cache_.insert_or_assign(name.value(), record);
  return record;
}

void DuckDbDatasetStore::Forget(const domain::DatasetName& name) {
  std::lock_guard guard(cache_mutex_);
  cache_.erase(name.value());
  ++cache_version_;
}

arrow::Status DuckDbDatasetStore::CommitAndForget(Transaction& transaction,
                                                  const domain::DatasetName& name) {
  Forget(name);
  auto committed = transaction.Commit();
  Forget(name);
  return committed;
}

arrow::Result<DatasetRecord> DuckDbDatasetStore::One(const domain::DatasetName& name,
                                                     bool with_bytes) {
  ARROW_ASSIGN_OR_RAISE(auto records,
                        Select("WHERE d.name = ?", {name.value()}, with_bytes));
  if (records.empty()) {
    return MakeProblem(ProblemKind::kNotFound, "no dataset named '" + name.value() + "'");
  }
  return std::move(records.front());
}

arrow::Status DuckDbDatasetStore::Drop(const domain::DatasetName& name) {
  std::lock_guard guard(catalog_mutex_);
  ARROW_RETURN_NOT_OK(Lookup(name).status());
  ARROW_ASSIGN_OR_RAISE(auto connection, database_->Connect());
  ARROW_ASSIGN_OR_RAISE(auto transaction, Transaction::Begin(connection));
  ARROW_RETURN_NOT_OK(connection->Execute("DROP TABLE " + TableSql(name.value())));
  ARROW_RETURN_NOT_OK(connection->Execute(
      "DELETE FROM quiver_meta.datasets WHERE name = ?", {name.value()}));
  return CommitAndForget(*transaction, name);
}

arrow::Result<int64_t> DuckDbDatasetStore::AppendAll(
    const std::shared_ptr<Connection>& connection, const std::string& table,
    const domain::Schema& schema, int64_t first_row, arrow::RecordBatchReader& rows) {
  ARROW_ASSIGN_OR_RAISE(
      auto appender, ArrowAppender::Make(connection, kDataSchema, table, rows.schema(),
                                         RowNumbers{std::string(kRowColumn), first_row}));
  for (;;) {
    std::shared_ptr<arrow::RecordBatch> batch;
    ARROW_RETURN_NOT_OK(rows.ReadNext(&batch));
    if (batch == nullptr) break;
    ARROW_RETURN_NOT_OK(TranslateStorageError(appender->Append(batch), schema));
  }
  ARROW_RETURN_NOT_OK(TranslateStorageError(appender->Finish(), schema));
  return appender->appended_rows();
}

arrow::Result<int64_t> DuckDbDatasetStore::Load(const DatasetRecord& dataset,
                                                application::LoadMode mode,
                                                arrow::RecordBatchReader& rows) {
  // Forgotten before (a lookup meanwhile is then not cached) and after the change.
  Forget(dataset.name);
  auto loaded = LoadInTransaction(dataset, mode, rows);
  Forget(dataset.name);
  if (loaded.ok()) return loaded;
  return TranslateStorageError(loaded.status(), dataset.schema);
}

arrow::Result<int64_t> DuckDbDatasetStore::LoadInTransaction(
    const DatasetRecord& dataset, application::LoadMode mode,
    arrow::RecordBatchReader& rows) {
  const std::string& name = dataset.name.value();
  ARROW_ASSIGN_OR_RAISE(auto connection, database_->Connect());
  ARROW_ASSIGN_OR_RAISE(auto transaction, Transaction::Begin(connection));
  const bool replace = mode == application::LoadMode::kReplace;
  std::string target = replace ? kReplacingPrefix + name : name;
  // New rows continue the positions: the catalog's count, read in this transaction
  // (a load committed meanwhile makes this one conflict on the catalog row).
  int64_t first_row = 0;
  if (replace) {
    ARROW_RETURN_NOT_OK(connection->Execute(CreateTableSql(target, dataset.schema)));
  } else {
    ARROW_ASSIGN_OR_RAISE(
        auto counted,
        connection->Fetch("SELECT row_count FROM quiver_meta.datasets WHERE name = ?",
                          {name}));
    ARROW_ASSIGN_OR_RAISE(counted, counted->CombineChunks());
    if (counted->num_rows() != 1) {
      return MakeProblem(ProblemKind::kNotFound, "no dataset named '" + name + "'");
    }
    first_row = Column<arrow::Int64Array>(*counted, 0).Value(0);
  }
  ARROW_ASSIGN_OR_RAISE(int64_t appended,
                        AppendAll(connection, target, dataset.schema, first_row, rows));
  if (replace) {
    ARROW_RETURN_NOT_OK(connection->Execute("DROP TABLE " + TableSql(name)));
    ARROW_RETURN_NOT_OK(connection->Execute("ALTER TABLE " + TableSql(target) +
                                            " RENAME TO " +
                                            types::QuoteIdentifier(name)));
  }
  std::string row_count =
      replace ? "?, generation = coalesce(generation, 0) + 1" : "row_count + ?";
  ARROW_RETURN_NOT_OK(
      connection->Execute("UPDATE quiver_meta.datasets SET row_count = " + row_count +
                              ", updated_at = ? WHERE name = ?",
                          {appended, NowIso8601(), name}));
  ARROW_RETURN_NOT_OK(TranslateStorageError(transaction->Commit(), dataset.schema));
  return appended;
}

arrow::Result<std::shared_ptr<application::RowStream>> DuckDbDatasetStore::Open(
    const DatasetRecord& dataset, const domain::Query& query) {
  ARROW_ASSIGN_OR_RAISE(auto statement, BuildSelectSql(TableSql(dataset.name.value()),
                                                       dataset.schema, query));
  std::shared_ptr<arrow::Schema> declared;
  if (!query.aggregating()) declared = types::ToArrowSchema(dataset.schema);
  ARROW_ASSIGN_OR_RAISE(auto connection, database_->Connect());
  ARROW_ASSIGN_OR_RAISE(auto rows,
                        DuckDbRowStream::Open(std::move(connection), statement.sql,
                                              statement.parameters, declared, {}));
  return rows;
}

arrow::Result<std::optional<domain::KeyValues>> DuckDbDatasetStore::PageEnd(
    const DatasetRecord& dataset, const domain::Query& query) {
  if (auto known = KnownPageEnd(dataset, query)) return domain::KeyValues{*known};
  ARROW_ASSIGN_OR_RAISE(auto statement, BuildPageEndSql(TableSql(dataset.name.value()),
                                                        dataset.schema, query));
  ARROW_ASSIGN_OR_RAISE(auto connection, database_->Connect());
  ARROW_ASSIGN_OR_RAISE(auto table,
                        connection->Fetch(statement.sql, statement.parameters));
  if (table->num_rows() == 0) return std::nullopt;
  ARROW_ASSIGN_OR_RAISE(table, table->CombineChunks());
  domain::KeyValues keys;
  for (int index = 0; index < table->num_columns(); ++index) {
    const auto& values = Column<arrow::StringArray>(*table, index);
    if (values.IsNull(0)) {
      keys.emplace_back(std::nullopt);
    } else {
      keys.emplace_back(std::string(values.GetView(0)));
    }
  }
  return keys;
}

arrow::Status DuckDbDatasetStore::EnsureDemoDataset(int64_t rows) {
  ARROW_ASSIGN_OR_RAISE(auto name, domain::DatasetName::Make("demo"));
  if (Lookup(name).ok()) return arrow::Status::OK();
  ARROW_ASSIGN_OR_RAISE(auto schema,
                        domain::Schema::Make({{"id", "int64", true},
                                              {"ts", "timestamp(us, UTC)", true},
                                              {"category", "string", true},
                                              {"region", "string", true},
                                              {"value", "float64", true},
                                              {"quantity", "int32", true},
                                              {"flag", "boolean", true},
                                              {"label", "string", false}},
                                             {"id"}));
  ARROW_ASSIGN_OR_RAISE(auto record, Create(name, schema));
  ARROW_ASSIGN_OR_RAISE(auto connection, database_->Connect());
  ARROW_ASSIGN_OR_RAISE(auto transaction, Transaction::Begin(connection));
  // Types are explicit: in DuckDB `range * 0.5` would be a DECIMAL, not a DOUBLE.
  ARROW_RETURN_NOT_OK(connection->Execute(
      "INSERT INTO quiver_data.\"demo\" "
      "SELECT i, TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_seconds(i), "
      "CASE WHEN h1 % 10 < 5 THEN 'A' WHEN h1 % 10 < 8 THEN 'B' ELSE 'C' END, "
      "['north', 'south', 'east', 'west'][(h2 % 4)::INTEGER + 1], "
      "(h3 % 1000000)::DOUBLE / 1000.0, (1 + h4 % 100)::INTEGER, h1 % 2 = 0, "
      "CASE WHEN i % 97 = 0 THEN NULL ELSE 'item-' || (i % 1000)::VARCHAR END, i "
      "FROM (SELECT range AS i, hash(range) AS h1, hash(range + 1000000000007) AS h2, "
      "hash(range + 2000000000014) AS h3, hash(range + 3000000000021) AS h4 "
      "FROM range(?::BIGINT)) ORDER BY i",
      {rows}));
  ARROW_RETURN_NOT_OK(connection->Execute(
      "UPDATE quiver_meta.datasets SET row_count = ?, updated_at = ? WHERE name = 'demo'",
      {rows, NowIso8601()}));
  return CommitAndForget(*transaction, name);
}

}  // namespace quiver::duckdb_adapter

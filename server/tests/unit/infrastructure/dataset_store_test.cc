// DuckDbDatasetStore on a DuckDB file in a temporary directory: the catalog keeps
// schemas exactly, loads are all-or-nothing, and everything survives a reopen.
#include "infrastructure/duckdb/dataset_store.h"

#include <arrow/api.h>
#include <arrow/json/from_string.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <limits>
#include <optional>
#include <ostream>
#include <string>
#include <tuple>
#include <vector>

#include "domain/problem.h"
#include "domain/query.h"
#include "domain/schema.h"
#include "infrastructure/types/type_mapping.h"
#include "test_helpers.h"

namespace quiver::duckdb_adapter {
namespace {

using application::DatasetRecord;
using application::LoadMode;
using domain::ProblemKind;

/// A directory of its own for every test, removed afterwards.
class TemporaryDirectory {
 public:
  TemporaryDirectory() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = std::string(info->test_suite_name()) + "-" + info->name();
    for (auto& character : name) {
      if (character == '/') character = '-';
    }
    path_ = std::filesystem::path(::testing::TempDir()) /
            ("quiver-store-" + std::to_string(getpid()) + "-" + name);
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TemporaryDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TemporaryDirectory(const TemporaryDirectory&) = delete;
  TemporaryDirectory& operator=(const TemporaryDirectory&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

arrow::Result<std::unique_ptr<DuckDbDatasetStore>> OpenStore(
    const std::filesystem::path& file) {
  DatabaseOptions options;
  options.path = file.string();
  ARROW_ASSIGN_OR_RAISE(auto database, Database::Open(options));
  return DuckDbDatasetStore::Open(std::move(database));
}

/// The single BIGINT a query returns.
arrow::Result<int64_t> FetchInt64(Database& database, const std::string& sql) {
  ARROW_ASSIGN_OR_RAISE(auto connection, database.Connect());
  ARROW_ASSIGN_OR_RAISE(auto table, connection->Fetch(sql));
  if (table->num_rows() != 1 || table->num_columns() != 1) {
    return arrow::Status::Invalid("expected one value from ", sql);
  }
  ARROW_ASSIGN_OR_RAISE(auto value, table->column(0)->GetScalar(0));
  ARROW_ASSIGN_OR_RAISE(auto as_int64, value->CastTo(arrow::int64()));
  return static_cast<const arrow::Int64Scalar&>(*as_int64).value;
}

int64_t StoredRows(DuckDbDatasetStore& store, const std::string& dataset) {
  auto counted = FetchInt64(*store.database(),
                            "SELECT count(*) FROM quiver_data.\"" + dataset + "\"");
  EXPECT_TRUE(counted.ok()) << counted.status().ToString();
  return counted.ValueOr(-1);
}

int64_t CatalogRows(DuckDbDatasetStore& store, const domain::DatasetName& name) {
  auto record = store.Get(name);
  EXPECT_TRUE(record.ok()) << record.status().ToString();
  return record.ok() ? record->row_count : -1;
}

domain::DatasetName Name(std::string_view text) {
  auto name = domain::DatasetName::Make(text);
  EXPECT_TRUE(name.ok()) << name.status().ToString();
  return *name;
}

void ExpectProblem(const arrow::Status& status, ProblemKind kind) {
  ASSERT_FALSE(status.ok());
  const auto* detail = domain::FindProblemDetail(status);
  ASSERT_NE(detail, nullptr) << status.ToString();
  EXPECT_EQ(detail->kind(), kind) << status.ToString();
}

void ExpectSameSchema(const domain::Schema& actual, const domain::Schema& expected) {
  ASSERT_EQ(actual.size(), expected.size());
  for (size_t index = 0; index < expected.size(); ++index) {
    const auto& column = actual.columns()[index];
    const auto& wanted = expected.columns()[index];
    SCOPED_TRACE(wanted.name.value());
    EXPECT_EQ(column.name.value(), wanted.name.value());
    EXPECT_EQ(column.type, wanted.type) << column.type.ToString();
    EXPECT_EQ(column.required, wanted.required);
  }
  ASSERT_EQ(actual.primary_key().size(), expected.primary_key().size());
  for (size_t index = 0; index < expected.primary_key().size(); ++index) {
    EXPECT_EQ(actual.primary_key()[index].value(), expected.primary_key()[index].value());
  }
}

class CatalogTypeTest : public ::testing::TestWithParam<std::string> {};

TEST_P(CatalogTypeTest, GetAndListReturnTheSchemaAsCreated) {
  TemporaryDirectory directory;
  ASSERT_OK_AND_ASSIGN(auto store, OpenStore(directory.path() / "quiver.duckdb"));
  ASSERT_OK_AND_ASSIGN(auto schema, domain::Schema::Make({{"Id", "int64", true},
                                                          {"value", GetParam(), false},
                                                          {"Other", GetParam(), true}},
                                                         {"id"}));

  ASSERT_OK_AND_ASSIGN(auto created, store->Create(Name("typed"), schema));
  ASSERT_OK_AND_ASSIGN(auto fetched, store->Get(Name("typed")));
  ASSERT_OK_AND_ASSIGN(auto listed, store->List());

  ExpectSameSchema(created.schema, schema);
  ExpectSameSchema(fetched.schema, schema);
  ASSERT_EQ(listed.size(), 1U);
  EXPECT_EQ(listed.front().name.value(), "typed");
  ExpectSameSchema(listed.front().schema, schema);
  EXPECT_EQ(fetched.row_count, 0);
}

std::string TypeCaseName(const ::testing::TestParamInfo<std::string>& info) {
  std::string name;
  for (char character : info.param) {
    const bool plain = (character >= 'a' && character <= 'z') ||
                       (character >= 'A' && character <= 'Z') ||
                       (character >= '0' && character <= '9');
    if (plain) name += character;
    if (!plain && !name.empty() && name.back() != '_') name += '_';
  }
  while (!name.empty() && name.back() == '_') name.pop_back();
  return name;
}

INSTANTIATE_TEST_SUITE_P(
    Types, CatalogTypeTest,
    ::testing::Values("boolean", "int8", "uint64", "float32", "decimal(10, 2)",
                      "decimal(38, 38)", "string", "binary", "date", "time",
                      "timestamp(s)", "timestamp(ns)", "timestamp(us, UTC)",
                      "timestamp(us, Europe/Paris)", "timestamp(us, +05:30)",
                      "duration(ms)", "list<int32>", "list<list<string>>",
                      "struct<x: float64, tags: list<string>>",
                      "list<struct<a: int32, b: decimal(5, 1)>>",
                      "struct<at: timestamp(us, UTC), inner: struct<d: decimal(10, 2)>>"),
    TypeCaseName);

/// One row of "readings" as Arrow JSON values: id, price, seen, tags, point.
std::vector<std::string> RowJson(int64_t id) {
  const std::string text = std::to_string(id);
  return {text, "\"" + text + ".25\"", std::to_string(id * 1000000),
          id % 3 == 0 ? "null" : "[\"t" + text + "\", null]",
          "{\"x\": " + text + ", \"y\": -" + text + "}"};
}

/// A store on a fresh file with the dataset "readings" (no rows yet).
class DatasetStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    file_ = directory_.path() / "quiver.duckdb";
    ASSERT_OK_AND_ASSIGN(store_, OpenStore(file_));
    ASSERT_OK_AND_ASSIGN(
        auto schema,
        domain::Schema::Make({{"id", "int64", true},
                              {"price", "decimal(10, 2)", false},
                              {"seen", "timestamp(us, Europe/Paris)", false},
                              {"tags", "list<string>", false},
                              {"point", "struct<x: float64, y: float64>", false}},
                             {"id"}));
    ASSERT_OK_AND_ASSIGN(record_, store_->Create(Name("readings"), schema));
  }

  /// Rows with ids `start` to `start + rows - 1` in the dataset's Arrow schema.
  arrow::Result<std::shared_ptr<arrow::RecordBatch>> Rows(int64_t start,
                                                          int64_t rows) const {
    auto schema = types::ToArrowSchema(readings().schema);
    std::vector<std::string> lists(static_cast<size_t>(schema->num_fields()), "[");
    for (int64_t id = start; id < start + rows; ++id) {
      const std::vector<std::string> row = RowJson(id);
      for (size_t index = 0; index < lists.size(); ++index) {
        if (id != start) lists[index] += ", ";
        lists[index] += row[index];
      }
    }
    arrow::ArrayVector columns;
    for (int index = 0; index < schema->num_fields(); ++index) {
      auto& list = lists[static_cast<size_t>(index)];
      list += "]";
      ARROW_ASSIGN_OR_RAISE(auto column, arrow::json::ArrayFromJSONString(
                                             schema->field(index)->type(), list));
      columns.push_back(std::move(column));
    }
    return arrow::RecordBatch::Make(schema, rows, std::move(columns));
  }

  /// A reader over batches of `batch_rows` rows, `batches` of them, from id `start`.
  arrow::Result<std::shared_ptr<arrow::RecordBatchReader>> Reader(
      int64_t start, int64_t batches, int64_t batch_rows) const {
    std::vector<std::shared_ptr<arrow::RecordBatch>> all;
    for (int64_t index = 0; index < batches; ++index) {
      ARROW_ASSIGN_OR_RAISE(auto batch, Rows(start + index * batch_rows, batch_rows));
      all.push_back(std::move(batch));
    }
    return arrow::RecordBatchReader::Make(all, types::ToArrowSchema(readings().schema));
  }

  /// The dataset made by SetUp, as Create returned it.
  const DatasetRecord& readings() const { return *record_; }

  TemporaryDirectory directory_;
  std::filesystem::path file_;
  std::unique_ptr<DuckDbDatasetStore> store_;
  std::optional<DatasetRecord> record_;
};

TEST_F(DatasetStoreTest, CreatingTheSameNameTwiceIsAConflict) {
  ExpectProblem(store_->Create(readings().name, readings().schema).status(),
                ProblemKind::kConflict);
  ASSERT_OK_AND_ASSIGN(auto listed, store_->List());
  EXPECT_EQ(listed.size(), 1U);
}

TEST_F(DatasetStoreTest, GettingAnUnknownNameIsNotFound) {
  ExpectProblem(store_->Get(Name("unknown")).status(), ProblemKind::kNotFound);
}

TEST_F(DatasetStoreTest, AppendAddsAndReplaceSwapsTheRows) {
  ASSERT_OK_AND_ASSIGN(auto ten, Reader(0, 2, 5));
  ASSERT_OK_AND_ASSIGN(int64_t appended,
                       store_->Load(readings(), LoadMode::kAppend, *ten));
  EXPECT_EQ(appended, 10);
  EXPECT_EQ(CatalogRows(*store_, readings().name), 10);
  EXPECT_EQ(StoredRows(*store_, "readings"), 10);

  ASSERT_OK_AND_ASSIGN(auto three, Reader(100, 1, 3));
  ASSERT_OK_AND_ASSIGN(int64_t replaced,
                       store_->Load(readings(), LoadMode::kReplace, *three));
  EXPECT_EQ(replaced, 3);
  EXPECT_EQ(CatalogRows(*store_, readings().name), 3);
  EXPECT_EQ(StoredRows(*store_, "readings"), 3);
  EXPECT_EQ(FetchInt64(*store_->database(),
                       "SELECT min(id) FROM quiver_data.readings WHERE "
                       "price = id + 0.25 AND point.y = -id")
                .ValueOr(-1),
            100);
}

/// Serves its batches, then fails instead of the batch at `fail_at`.
class FailingReader final : public arrow::RecordBatchReader {
 public:
  FailingReader(std::shared_ptr<arrow::RecordBatchReader> inner, int fail_at)
      : inner_(std::move(inner)), fail_at_(fail_at) {}
  std::shared_ptr<arrow::Schema> schema() const override { return inner_->schema(); }
  arrow::Status ReadNext(std::shared_ptr<arrow::RecordBatch>* batch) override {
    if (served_++ == fail_at_) return arrow::Status::IOError("the client went away");
    return inner_->ReadNext(batch);
  }

 private:
  std::shared_ptr<arrow::RecordBatchReader> inner_;
  int fail_at_;
  int served_ = 0;
};

class FailedLoadTest : public DatasetStoreTest,
                       public ::testing::WithParamInterface<LoadMode> {};

TEST_P(FailedLoadTest, AReaderFailingMidwayStoresNothing) {
  ASSERT_OK_AND_ASSIGN(auto ten, Reader(0, 2, 5));
  ASSERT_OK(store_->Load(readings(), LoadMode::kAppend, *ten).status());
  // Two batches of 3,000 rows reach DuckDB's appender before the third fails.
  ASSERT_OK_AND_ASSIGN(auto many, Reader(1000, 4, 3000));
  FailingReader failing(many, /*fail_at=*/2);

  auto loaded = store_->Load(readings(), GetParam(), failing);

  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.status().message().find("the client went away"), std::string::npos)
      << loaded.status().ToString();
  EXPECT_EQ(CatalogRows(*store_, readings().name), 10);
  EXPECT_EQ(StoredRows(*store_, "readings"), 10);
  EXPECT_EQ(FetchInt64(*store_->database(),
                       "SELECT count(*) FROM duckdb_tables() WHERE schema_name = "
                       "'quiver_data'")
                .ValueOr(-1),
            1);
}

TEST_P(FailedLoadTest, ADuplicateKeyIsAValidationProblemAndStoresNothing) {
  ASSERT_OK_AND_ASSIGN(auto ten, Reader(0, 2, 5));
  ASSERT_OK(store_->Load(readings(), LoadMode::kAppend, *ten).status());
  ASSERT_OK_AND_ASSIGN(auto first, Rows(500, 3000));
  ASSERT_OK_AND_ASSIGN(auto again, Rows(500, 1));
  ASSERT_OK_AND_ASSIGN(auto duplicate,
                       arrow::RecordBatchReader::Make({first, again}, first->schema()));

  auto loaded = store_->Load(readings(), GetParam(), *duplicate);

  ExpectProblem(loaded.status(), ProblemKind::kValidationFailed);
  const auto* detail = domain::FindProblemDetail(loaded.status());
  ASSERT_NE(detail, nullptr);
  ASSERT_EQ(detail->violations().size(), 1U);
  EXPECT_EQ(detail->violations().front().field, "id");
  EXPECT_EQ(CatalogRows(*store_, readings().name), 10);
  EXPECT_EQ(StoredRows(*store_, "readings"), 10);
}

INSTANTIATE_TEST_SUITE_P(EveryMode, FailedLoadTest,
                         ::testing::Values(LoadMode::kAppend, LoadMode::kReplace),
                         [](const ::testing::TestParamInfo<LoadMode>& info) {
                           return std::string(
                               info.param == LoadMode::kAppend ? "Append" : "Replace");
                         });

TEST_F(DatasetStoreTest, DatasetsAndRowsSurviveAReopen) {
  ASSERT_OK_AND_ASSIGN(auto ten, Reader(0, 2, 5));
  ASSERT_OK(store_->Load(readings(), LoadMode::kAppend, *ten).status());
  ASSERT_OK_AND_ASSIGN(auto schema, domain::Schema::Make({{"note", "string"}}, {}));
  ASSERT_OK(store_->Create(Name("notes"), schema).status());

  store_.reset();
  ASSERT_OK_AND_ASSIGN(store_, OpenStore(file_));

  ASSERT_OK_AND_ASSIGN(auto listed, store_->List());
  ASSERT_EQ(listed.size(), 2U);
  EXPECT_EQ(listed[0].name.value(), "notes");
  EXPECT_EQ(listed[0].row_count, 0);
  ExpectSameSchema(listed[0].schema, schema);
  EXPECT_EQ(listed[1].name.value(), "readings");
  EXPECT_EQ(listed[1].row_count, 10);
  ExpectSameSchema(listed[1].schema, readings().schema);
  EXPECT_EQ(listed[1].created_at, readings().created_at);
  EXPECT_EQ(StoredRows(*store_, "readings"), 10);
  EXPECT_EQ(StoredRows(*store_, "notes"), 0);
}

/// The stored rows' positions, in storage order: 0, 1, 2, ... when all is well.
std::string Positions(DuckDbDatasetStore& store, const std::string& table) {
  const std::string from = " FROM quiver_data.\"" + table + "\"";
  // in storage order, distinct, and ending at the count
  const std::string parts[] = {
      "SELECT count(*) FILTER (WHERE _quiver_row = rowid - (SELECT min(rowid)" + from +
          "))" + from,
      "SELECT count(DISTINCT _quiver_row)" + from,
      "SELECT coalesce(max(_quiver_row) + 1, 0)" + from};
  std::string text;
  for (const auto& sql : parts) {
    auto value = FetchInt64(*store.database(), sql);
    if (!value.ok()) return value.status().ToString();
    text += (text.empty() ? "" : "/") + std::to_string(*value);
  }
  return text;
}

TEST_F(DatasetStoreTest, RowsArePositionedInInsertionOrderWithoutGaps) {
  ASSERT_OK_AND_ASSIGN(auto ten, Reader(0, 2, 5));
  ASSERT_OK(store_->Load(readings(), LoadMode::kAppend, *ten).status());
  ASSERT_OK_AND_ASSIGN(auto more, Reader(10, 3, 100));
  ASSERT_OK(store_->Load(readings(), LoadMode::kAppend, *more).status());
  EXPECT_EQ(Positions(*store_, "readings"), "310/310/310");
  // A failed load leaves no hole behind.
  ASSERT_OK_AND_ASSIGN(auto failing_rows, Reader(1000, 4, 3000));
  FailingReader failing(failing_rows, /*fail_at=*/2);
  ASSERT_FALSE(store_->Load(readings(), LoadMode::kAppend, failing).ok());
  ASSERT_OK_AND_ASSIGN(auto last, Reader(400, 1, 7));
  ASSERT_OK(store_->Load(readings(), LoadMode::kAppend, *last).status());
  EXPECT_EQ(Positions(*store_, "readings"), "317/317/317");
  EXPECT_EQ(FetchInt64(*store_->database(),
                       "SELECT id FROM quiver_data.readings WHERE _quiver_row = 310")
                .ValueOr(-1),
            400);
  // Replaced rows start again at 0.
  ASSERT_OK_AND_ASSIGN(auto three, Reader(100, 1, 3));
  ASSERT_OK(store_->Load(readings(), LoadMode::kReplace, *three).status());
  EXPECT_EQ(Positions(*store_, "readings"), "3/3/3");
}

TEST_F(DatasetStoreTest, TablesFromBeforePositionsGainThemOnOpen) {
  ASSERT_OK_AND_ASSIGN(auto ten, Reader(0, 2, 5));
  ASSERT_OK(store_->Load(readings(), LoadMode::kAppend, *ten).status());
  ASSERT_OK(store_->database()->Connect().ValueOrDie()->Execute(
      "ALTER TABLE quiver_data.readings DROP COLUMN _quiver_row"));
  store_.reset();
  ASSERT_OK_AND_ASSIGN(store_, OpenStore(file_));
  EXPECT_EQ(Positions(*store_, "readings"), "10/10/10");
  EXPECT_EQ(FetchInt64(*store_->database(),
                       "SELECT count(*) FROM duckdb_columns() WHERE table_name = "
                       "'readings' AND column_name = '_quiver_row' AND NOT is_nullable")
                .ValueOr(-1),
            1);
  ASSERT_OK_AND_ASSIGN(auto more, Reader(10, 1, 4));
  ASSERT_OK(store_->Load(readings(), LoadMode::kAppend, *more).status());
  EXPECT_EQ(Positions(*store_, "readings"), "14/14/14");
}

TEST_F(DatasetStoreTest, LookupSeesEveryChangeOfTheCatalog) {
  ASSERT_OK_AND_ASSIGN(auto before, store_->Lookup(readings().name));
  EXPECT_EQ(before.row_count, 0);
  ASSERT_OK_AND_ASSIGN(auto ten, Reader(0, 2, 5));
  ASSERT_OK(store_->Load(readings(), LoadMode::kAppend, *ten).status());
  ASSERT_OK_AND_ASSIGN(auto appended, store_->Lookup(readings().name));
  EXPECT_EQ(appended.row_count, 10);
  EXPECT_EQ(appended.generation, before.generation);

  ASSERT_OK_AND_ASSIGN(auto three, Reader(100, 1, 3));
  ASSERT_OK(store_->Load(readings(), LoadMode::kReplace, *three).status());
  ASSERT_OK_AND_ASSIGN(auto replaced, store_->Lookup(readings().name));
  EXPECT_EQ(replaced.row_count, 3);
  EXPECT_EQ(replaced.generation, before.generation + 1);

  ASSERT_OK(store_->Drop(readings().name));
  ExpectProblem(store_->Lookup(readings().name).status(), ProblemKind::kNotFound);
  ASSERT_OK_AND_ASSIGN(auto schema, domain::Schema::Make({{"note", "string"}}, {}));
  ASSERT_OK(store_->Create(readings().name, schema).status());
  ASSERT_OK_AND_ASSIGN(auto created, store_->Lookup(readings().name));
  ExpectSameSchema(created.schema, schema);
  EXPECT_EQ(created.row_count, 0);
}

TEST_F(DatasetStoreTest, PageEndsInInsertionOrderAgreeWithDuckDb) {
  ASSERT_OK_AND_ASSIGN(auto rows, Reader(0, 31, 10));
  ASSERT_OK(store_->Load(readings(), LoadMode::kAppend, *rows).status());
  ASSERT_OK_AND_ASSIGN(auto dataset, store_->Lookup(readings().name));
  ASSERT_EQ(dataset.row_count, 310);
  auto end = [&](std::optional<std::string> after, int64_t limit,
                 bool filtered) -> std::optional<std::string> {
    domain::QuerySpec spec;
    spec.limit = limit;
    spec.cursor = "";  // a page whatever its size
    if (after) spec.after = domain::KeyValues{*after};
    // A filter that keeps every row sends the question to DuckDB.
    if (filtered) {
      domain::FilterSpec keep_all;
      keep_all.op = ">=";
      keep_all.column = "id";
      keep_all.value = int64_t{0};
      spec.filter = keep_all;
    }
    auto query = domain::Query::Make(spec, dataset.schema);
    EXPECT_TRUE(query.ok()) << query.status().ToString();
    auto found = store_->PageEnd(dataset, *query);
    EXPECT_TRUE(found.ok()) << found.status().ToString();
    if (!found.ok() || !found->has_value()) return std::nullopt;
    return (**found).front();
  };
  const std::vector<
      std::tuple<std::optional<std::string>, int64_t, std::optional<std::string>>>
      cases = {{std::nullopt, 100, "99"},
               {"99", 100, "199"},
               {"209", 100, "309"},
               {"210", 100, std::nullopt},
               {"299", 100, std::nullopt},
               {"309", 5, std::nullopt},
               {std::nullopt, 310, "309"},
               {std::nullopt, 311, std::nullopt},
               {"99", std::numeric_limits<int64_t>::max(), std::nullopt}};
  for (const auto& [after, limit, expected] : cases) {
    SCOPED_TRACE(after.value_or("start") + " +" + std::to_string(limit));
    EXPECT_EQ(end(after, limit, false), expected);
    EXPECT_EQ(end(after, limit, true), expected) << "DuckDB's answer";
  }
}

TEST_F(DatasetStoreTest, DropRemovesTheDatasetAndItsRows) {
  ASSERT_OK_AND_ASSIGN(auto ten, Reader(0, 2, 5));
  ASSERT_OK(store_->Load(readings(), LoadMode::kAppend, *ten).status());

  ASSERT_OK(store_->Drop(readings().name));

  ExpectProblem(store_->Get(readings().name).status(), ProblemKind::kNotFound);
  ASSERT_OK_AND_ASSIGN(auto listed, store_->List());
  EXPECT_TRUE(listed.empty());
  EXPECT_EQ(FetchInt64(*store_->database(),
                       "SELECT count(*) FROM duckdb_tables() WHERE schema_name = "
                       "'quiver_data'")
                .ValueOr(-1),
            0);
  ExpectProblem(store_->Drop(readings().name), ProblemKind::kNotFound);
  // The name is free again.
  ASSERT_OK(store_->Create(readings().name, readings().schema).status());
  EXPECT_EQ(CatalogRows(*store_, readings().name), 0);
}

}  // namespace
}  // namespace quiver::duckdb_adapter

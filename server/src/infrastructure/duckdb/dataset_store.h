#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "application/deferred_dataset_store.h"
#include "infrastructure/duckdb/database.h"

namespace quiver::duckdb_adapter {

class Transaction;

/// The DuckDB adapter of application::DatasetStore and QueryEngine. Rows live in tables
/// of the schema `quiver_data`; the catalog (names, schemas, row counts, times) is the
/// table `quiver_meta.datasets` in the same file, changed in the same
/// transactions as the rows, so the two never disagree.
class DuckDbDatasetStore final : public application::Storage {
 public:
  /// Creates the catalog tables when the file is new.
  [[nodiscard]] static arrow::Result<std::unique_ptr<DuckDbDatasetStore>> Open(
      std::shared_ptr<Database> database);

  arrow::Result<application::DatasetRecord> Create(const domain::DatasetName& name,
                                                   const domain::Schema& schema) override;
  arrow::Result<std::vector<application::DatasetRecord>> List() override;
  arrow::Result<application::DatasetRecord> Get(const domain::DatasetName& name) override;
  arrow::Result<application::DatasetRecord> Lookup(
      const domain::DatasetName& name) override;
  arrow::Status Drop(const domain::DatasetName& name) override;
  arrow::Result<int64_t> Load(const application::DatasetRecord& dataset,
                              application::LoadMode mode,
                              arrow::RecordBatchReader& rows) override;

  /// Runs the query as a DuckDB streaming result (bound parameters only).
  arrow::Result<std::shared_ptr<application::RowStream>> Open(
      const application::DatasetRecord& dataset, const domain::Query& query) override;
  arrow::Result<std::optional<domain::KeyValues>> PageEnd(
      const application::DatasetRecord& dataset, const domain::Query& query) override;

  /// Creates the dataset `demo` with `rows` generated rows (timestamp, category
  /// A/B/C, region, float and integer measures, boolean, text label) unless a
  /// dataset of that name exists. Deterministic: the same rows every time.
  [[nodiscard]] arrow::Status EnsureDemoDataset(int64_t rows);

  std::shared_ptr<Database> database() const { return database_; }

 private:
  explicit DuckDbDatasetStore(std::shared_ptr<Database> database)
      : database_(std::move(database)) {}
  /// The catalog row of `name`, or a not-found problem.
  arrow::Result<application::DatasetRecord> One(const domain::DatasetName& name,
                                                bool with_bytes);
  /// Catalog rows; `with_bytes` also measures each table's storage (slow for big
  /// tables: it walks their segments).
  arrow::Result<std::vector<application::DatasetRecord>> Select(
      const std::string& where, const Parameters& parameters, bool with_bytes = true);
  arrow::Result<int64_t> LoadInTransaction(const application::DatasetRecord& dataset,
                                           application::LoadMode mode,
                                           arrow::RecordBatchReader& rows);
  arrow::Result<int64_t> AppendAll(const std::shared_ptr<Connection>& connection,
                                   const std::string& table, const domain::Schema& schema,
                                   int64_t first_row, arrow::RecordBatchReader& rows);

  /// Forgets the cached catalog row of `name` (it changed or may have).
  void Forget(const domain::DatasetName& name);
  /// Commits a change of `name`'s catalog row, forgetting the cached row before and
  /// after.
  arrow::Status CommitAndForget(Transaction& transaction,
                                const domain::DatasetName& name);

  std::shared_ptr<Database> database_;
  /// Serialises catalog changes (create, drop) against each other.
  std::mutex catalog_mutex_;
  /// Catalog rows for Lookup, the hot path of every read and upload (a catalog
  /// query costs as much as a small page). Only this store changes the catalog (the
  /// DuckDB file is locked to this process); every change forgets the row before and
  /// after its transaction and moves the version on, so a row read while a change ran
  /// is at most cached until that change ends.
  std::mutex cache_mutex_;
  std::map<std::string, application::DatasetRecord, std::less<>> cache_;
  uint64_t cache_version_ = 0;
};

}  // namespace quiver::duckdb_adapter

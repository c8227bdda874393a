#pragma once

#include <atomic>
#include <memory>

#include "application/ports.h"
#include "application/read_rows.h"
#include "domain/problem.h"

namespace quiver::application {

/// Storage: where datasets live and how their rows are queried.
class Storage : public DatasetStore, public QueryEngine {};

/// Storage that answers 503 until the real one is attached, so the HTTP server
/// can start (and /health answer) while a large database file opens.
class DeferredDatasetStore final : public Storage {
 public:
  void Attach(std::shared_ptr<Storage> store) { store_.store(std::move(store)); }

  arrow::Result<std::shared_ptr<RowStream>> Open(const DatasetRecord& dataset,
                                                 const domain::Query& query) override {
    ARROW_ASSIGN_OR_RAISE(auto store, Ready());
    return store->Open(dataset, query);
  }

  arrow::Result<std::optional<domain::KeyValues>> PageEnd(
      const DatasetRecord& dataset, const domain::Query& query) override {
    ARROW_ASSIGN_OR_RAISE(auto store, Ready());
    return store->PageEnd(dataset, query);
  }

  arrow::Result<DatasetRecord> Lookup(const domain::DatasetName& name) override {
    ARROW_ASSIGN_OR_RAISE(auto store, Ready());
    return store->Lookup(name);
  }

  arrow::Result<DatasetRecord> Create(const domain::DatasetName& name,
                                      const domain::Schema& schema) override {
    ARROW_ASSIGN_OR_RAISE(auto store, Ready());
    return store->Create(name, schema);
  }
  arrow::Result<std::vector<DatasetRecord>> List() override {
    ARROW_ASSIGN_OR_RAISE(auto store, Ready());
    return store->List();
  }
  arrow::Result<DatasetRecord> Get(const domain::DatasetName& name) override {
    ARROW_ASSIGN_OR_RAISE(auto store, Ready());
    return store->Get(name);
  }
  arrow::Status Drop(const domain::DatasetName& name) override {
    ARROW_ASSIGN_OR_RAISE(auto store, Ready());
    return store->Drop(name);
  }
  arrow::Result<int64_t> Load(const DatasetRecord& dataset, LoadMode mode,
                              arrow::RecordBatchReader& rows) override {
    ARROW_ASSIGN_OR_RAISE(auto store, Ready());
    return store->Load(dataset, mode, rows);
  }

 private:
  arrow::Result<std::shared_ptr<Storage>> Ready() const {
    auto store = store_.load();
    if (store) return store;
    return domain::MakeProblem(domain::ProblemKind::kUnavailable,
                               "storage is still opening; retry shortly");
  }
  std::atomic<std::shared_ptr<Storage>> store_;
};

}  // namespace quiver::application

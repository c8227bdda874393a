#pragma once

#include <atomic>
#include <memory>

#include "application/ports.h"
#include "domain/problem.h"

namespace quiver::application {

/// A DatasetStore that answers 503 until the real one is attached, so the HTTP
/// server can start (and /health answer) while a large database file opens.
class DeferredDatasetStore final : public DatasetStore {
 public:
  void Attach(std::shared_ptr<DatasetStore> store) { store_.store(std::move(store)); }

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
  arrow::Result<std::shared_ptr<DatasetStore>> Ready() const {
    auto store = store_.load();
    if (store) return store;
    return domain::MakeProblem(domain::ProblemKind::kUnavailable,
                               "storage is still opening; retry shortly");
  }
  std::atomic<std::shared_ptr<DatasetStore>> store_;
};

}  // namespace quiver::application

#include "application/dataset_use_cases.h"

#include <chrono>

namespace quiver::application {

arrow::Result<DatasetRecord> CreateDataset::Run(const domain::DatasetName& name,
                                                const domain::Schema& schema) {
  return store_.Create(name, schema);
}

arrow::Result<DatasetRecord> DescribeDatasets::One(std::string_view name) {
  ARROW_ASSIGN_OR_RAISE(auto dataset_name, domain::DatasetName::Make(name));
  return store_.Get(dataset_name);
}

arrow::Result<std::vector<DatasetRecord>> DescribeDatasets::All() {
  return store_.List();
}

arrow::Status DropDataset::Run(std::string_view name) {
  ARROW_ASSIGN_OR_RAISE(auto dataset_name, domain::DatasetName::Make(name));
  return store_.Drop(dataset_name);
}

std::shared_ptr<std::mutex> IngestRows::LockFor(const std::string& dataset) {
  std::lock_guard guard(locks_mutex_);
  auto& lock = locks_[dataset];
  if (!lock) lock = std::make_shared<std::mutex>();
  return lock;
}

arrow::Result<IngestResult> IngestRows::Run(const IngestCommand& command) {
  const auto started = std::chrono::steady_clock::now();
  ARROW_ASSIGN_OR_RAISE(auto name, domain::DatasetName::Make(command.dataset));
  auto lock = LockFor(name.value());
  std::lock_guard one_load_at_a_time(*lock);
  ARROW_ASSIGN_OR_RAISE(auto dataset, store_.Lookup(name));
  ARROW_ASSIGN_OR_RAISE(auto rows, decoder_.Open(command.format, command.body,
                                                 dataset.schema, command.upload));
  ARROW_ASSIGN_OR_RAISE(int64_t inserted, store_.Load(dataset, command.mode, *rows));
  auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  return IngestResult{inserted, elapsed.count()};
}

}  // namespace quiver::application

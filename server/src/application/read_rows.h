#pragma once

#include <arrow/result.h>

#include <memory>
#include <string_view>

#include "application/ports.h"
#include "domain/query.h"

namespace quiver::application {

/// Port: runs a validated query over a dataset's rows as a stream.
class QueryEngine {
 public:
  virtual ~QueryEngine() = default;
  [[nodiscard]] virtual arrow::Result<std::shared_ptr<RowStream>> Open(
      const DatasetRecord& dataset, const domain::Query& query) = 0;
};

struct ReadResult {
  DatasetRecord dataset;
  std::shared_ptr<RowStream> rows;
};

/// Reads rows (projection, filter, order, page) or aggregates of one dataset. The
/// query is checked against the dataset's schema before anything runs.
class ReadRows {
 public:
  ReadRows(DatasetStore& store, QueryEngine& engine) : store_(store), engine_(engine) {}
  [[nodiscard]] arrow::Result<ReadResult> Run(std::string_view dataset,
                                              const domain::QuerySpec& spec);

 private:
  DatasetStore& store_;
  QueryEngine& engine_;
};

}  // namespace quiver::application

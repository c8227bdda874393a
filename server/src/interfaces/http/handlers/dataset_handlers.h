#pragma once

#include "application/dataset_use_cases.h"
#include "interfaces/http/metrics.h"
#include "interfaces/http/router.h"

namespace quiver::http {

/// The use cases the dataset routes call.
struct DatasetUseCases {
  application::CreateDataset& create;
  application::DescribeDatasets& describe;
  application::DropDataset& drop;
  application::IngestRows& ingest;
};

/// /api/v1/datasets, /api/v1/datasets/{name} and POST /api/v1/datasets/{name}/rows.
/// Stored rows are counted in `metrics`.
void AddDatasetRoutes(Router& router, DatasetUseCases use_cases, Metrics& metrics);

}  // namespace quiver::http

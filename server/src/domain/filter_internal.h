#pragma once

#include <optional>
#include <string>

#include "domain/filter.h"
#include "domain/query_problems_internal.h"
#include "domain/schema.h"

/// Lets Query::Make validate its filter into its own problem list; not public API.
namespace quiver::domain::internal {

/// Checks `spec` against `schema`, reporting problems under `path` (e.g. "filter").
/// Returns the filter when `spec` has no problem.
std::optional<Filter> BuildFilter(const FilterSpec& spec, const Schema& schema,
                                  const std::string& path, ProblemCollector& problems);

}  // namespace quiver::domain::internal

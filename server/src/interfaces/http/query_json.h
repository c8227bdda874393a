// The JSON forms of a query and of a filter, read into the domain's plain specs. Only
// the shape is checked here (members, JSON types); Query::Make checks the meaning.
//
// A filter node is one of
//   {"op": "and" | "or", "args": [<filter>, ...]}
//   {"op": "not", "arg": <filter>}
//   {"op": "=" | "!=" | "<" | "<=" | ">" | ">=", "column": "c", "value": <scalar>}
//   {"op": "in", "column": "c", "values": [<scalar>, ...]}
//   {"op": "between", "column": "c", "low": <scalar>, "high": <scalar>}
//   {"op": "is_null", "column": "c"}
//   {"op": "starts_with" | "contains", "column": "c", "value": "text"}
// where a scalar is a string, number, boolean or null (integers become int64, other
// numbers double). The body of POST /query is
//   {"select": ["c", ...], "filter": <filter>, "group_by": ["c", ...],
//    "aggregates": [{"function": "sum", "column": "value", "as": "total"},
//                   {"function": "quantile", "column": "value", "q": 0.9}, ...],
//    "order_by": ["-total", "category"] or "-total,category",
//    "limit": 100, "offset": 0, "distinct": false}
// with every member optional; null means absent for every top-level member and for an
// aggregate's column, as and q. Unknown members are errors.
#pragma once

#include <arrow/result.h>
#include <boost/json/value.hpp>

#include <cstddef>
#include <string_view>

#include "domain/filter.h"
#include "domain/query.h"

namespace quiver::http {

/// JSON may nest this deep: enough for a filter of Filter::kMaxDepth levels inside a
/// query body (each level is an object and an args array) plus one level more, so
/// that a filter one level too deep is reported by the domain with its path.
inline constexpr std::size_t kMaxQueryJsonDepth =
    2 * (static_cast<std::size_t>(domain::Filter::kMaxDepth) + 1) + 4;

/// Reads a POST /query body. Errors are kInvalidInput problems: text that is not
/// JSON (or nests deeper than kMaxQueryJsonDepth) has no violations; a wrong shape
/// lists every problem (up to 100) with its path, e.g. "filter.args[1].value",
/// "aggregates[0].q" or "limit".
[[nodiscard]] arrow::Result<domain::QuerySpec> ParseQueryJson(std::string_view text);

/// Reads an already parsed POST /query body, as ParseQueryJson does.
[[nodiscard]] arrow::Result<domain::QuerySpec> ReadQuerySpec(
    const boost::json::value& document);

/// Reads one filter tree, such as the `filter` query-string parameter of GET /rows.
/// Violation paths start with "filter".
[[nodiscard]] arrow::Result<domain::FilterSpec> ParseFilterJson(std::string_view text);

}  // namespace quiver::http

// SQL for a validated domain::Query. Identifiers are always quoted with
// types::QuoteIdentifier and every client value is a bound parameter, cast to its
// column's DuckDB type: no client text ever becomes SQL text.
#pragma once

#include <arrow/result.h>

#include <string>
#include <string_view>

#include "domain/query.h"
#include "domain/schema.h"
#include "infrastructure/duckdb/database.h"

namespace quiver::duckdb_adapter {

/// Every dataset table's last column: the row's position in insertion order, 0, 1,
/// 2, ... with no gap (rows are only ever appended; a replace fills a new table). A
/// real column, unlike DuckDB's rowid, so its min/max per row group let DuckDB skip
/// straight to a position: a page 99M rows in reads in ~1 ms, not ~30 ms. Column
/// names starting with "_quiver" are reserved, so no dataset column can hide it.
inline constexpr std::string_view kRowColumn = "_quiver_row";

/// SQL text with `?` placeholders and the values bound to them, in order.
struct SqlStatement {
  std::string sql;
  Parameters parameters;
};

/// The SELECT for `query` over `qualified_table` (already quoted, e.g.
/// quiver_data."sales"): projection or group_by + aggregates, WHERE for the filter,
/// ORDER BY with NULLS LAST, then LIMIT and OFFSET. Fails (Invalid) when the query
/// names a column that `schema` does not have with the same type: the query was made
/// against another schema.
[[nodiscard]] arrow::Result<SqlStatement> BuildSelectSql(std::string_view qualified_table,
                                                         const domain::Schema& schema,
                                                         const domain::Query& query);

/// For a cursor page not yet bounded (Query::paged() without through()): one row of
/// the page order's keys as VARCHAR, the page's last row, or no row when the page is
/// not full (it is then the last page).
[[nodiscard]] arrow::Result<SqlStatement> BuildPageEndSql(
    std::string_view qualified_table, const domain::Schema& schema,
    const domain::Query& query);

/// A one-row, one-column ("count", BIGINT) query that counts the rows `query` returns
/// before limit and offset: the table's rows matching the filter, or the groups or
/// distinct rows when the query has them.
[[nodiscard]] arrow::Result<SqlStatement> BuildCountSql(std::string_view qualified_table,
                                                        const domain::Schema& schema,
                                                        const domain::Query& query);

}  // namespace quiver::duckdb_adapter

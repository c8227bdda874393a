// How the domain's column types map to Arrow and to DuckDB, from one table.
//
// What DuckDB 1.4.4 hands back through its Arrow export (duckdb_data_chunk_to_arrow,
// default arrow options) against the declared Arrow type (ToArrowType), as pinned by
// tests/unit/infrastructure/duckdb_type_discovery_test.cc:
//   - timestamp(us, <any zone>) (TIMESTAMPTZ) comes back as timestamp(us, "UTC"), the
//     session zone: same instants, other label. arrow::compute::Cast relabels it.
//   - duration(<unit>) (INTERVAL) comes back as month_day_nano_interval, unnormalised
//     (INTERVAL 36 HOUR is {0 months, 0 days, 129600e9 ns}). Arrow cannot cast it to
//     a duration: the read path converts it itself (days * 86400 s + nanoseconds,
//     and months have no fixed length).
//   - lists come back with child field "l" instead of "item". DataType::Equals
//     ignores child names and Cast renames them.
//   - every top-level field comes back nullable, even NOT NULL and PRIMARY KEY
//     columns: apply ToArrowSchema's nullability, a type cannot express it.
//   - the same as declared: every integer, float32/64, decimal(p, s) for every
//     precision (always decimal128, even for p <= 18), string (utf8, not
//     string_view or large_utf8), binary, date32, time64(us), timestamp(s|ms|us|ns)
//     without a zone (each in its own unit), and struct field names and order.
// ArrowTypeDuckDbReturns encodes these differences so that the read path knows what
// it receives and can cast back to the declared type.
#pragma once

#include <arrow/type_fwd.h>

#include <memory>
#include <string>
#include <string_view>

#include "domain/column_type.h"
#include "domain/schema.h"

namespace quiver::types {

/// The session time zone every connection sets (database.cc: SET TimeZone = 'UTC');
/// DuckDB labels TIMESTAMPTZ results with it.
inline constexpr std::string_view kDuckDbSessionTimeZone = "UTC";

/// The Arrow type a column of `type` has in every API response and ingest body:
/// string is utf8, binary is binary, time is time64(us), decimal is decimal128, lists
/// have one nullable field "item", struct fields are nullable.
std::shared_ptr<arrow::DataType> ToArrowType(const domain::ColumnType& type);

/// The Arrow schema of a dataset: one field per column, nullable unless required.
std::shared_ptr<arrow::Schema> ToArrowSchema(const domain::Schema& schema);

/// The DuckDB type text for CREATE TABLE, e.g. "DECIMAL(10,2)", "TIMESTAMPTZ",
/// "INTEGER[]" or STRUCT("a" INTEGER, "b" VARCHAR) with quoted field names.
std::string ToDuckDbType(const domain::ColumnType& type);

/// The Arrow type DuckDB produces when a column declared as `type` is read (see the
/// differences listed at the top of this file).
std::shared_ptr<arrow::DataType> ArrowTypeDuckDbReturns(const domain::ColumnType& type);

/// `identifier` as a DuckDB quoted identifier: in double quotes, inner quotes doubled.
std::string QuoteIdentifier(std::string_view identifier);

}  // namespace quiver::types

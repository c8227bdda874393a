#pragma once

#include <arrow/result.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/column.h"
#include "domain/column_name.h"
#include "domain/filter.h"
#include "domain/schema.h"

namespace quiver::domain {

/// One aggregate as a client wrote it, before validation.
struct AggregateSpec {
  /// "count", "count_distinct", "sum", "mean", "min", "max", "stddev" or "quantile".
  std::string function;
  /// The column aggregated; only count may leave it out (it then counts rows).
  std::optional<std::string> column;
  /// The result column's name (JSON "as"); defaults to "<function>_<column>", or
  /// "count" for count without a column.
  std::optional<std::string> alias;
  /// The quantile, 0 to 1; required by quantile and refused by the others.
  std::optional<double> q;
};

/// A reproducible sample of the (filtered) rows: a number of rows or a fraction,
/// chosen by a hash of each row's position and the seed.
struct SampleSpec {
  std::optional<int64_t> rows;
  std::optional<double> fraction;
  int64_t seed = 0;
};

/// Buckets of one column as a client wrote them: time buckets (`every`, such as "15m",
/// "1h", "1d", "1w", "1mo", "1y") of a date or timestamp column, or numeric bins of
/// `width` (from `origin`, 0 by default) of a numeric column, for histograms.
struct BucketSpec {
  std::string column;
  std::optional<std::string> every;
  std::optional<double> width;
  std::optional<double> origin;
  /// The result column's name (JSON "as"); "bucket" by default.
  std::optional<std::string> alias;
};

/// The values of one row's sort keys as text, null for SQL NULL: the row a cursor
/// page starts after, or ends at.
using KeyValues = std::vector<std::optional<std::string>>;

/// A whole query as a client wrote it, before validation. The HTTP layer fills it
/// from a JSON body or from query-string parameters; Query::Make checks it.
struct QuerySpec {
  /// Columns to return; empty means every column in schema order.
  std::vector<std::string> select;
  std::optional<FilterSpec> filter;
  std::vector<std::string> group_by;
  std::vector<AggregateSpec> aggregates;
  /// Sort terms, each a name with an optional leading '-' for descending.
  std::vector<std::string> order_by;
  std::optional<int64_t> limit;
  int64_t offset = 0;
  bool distinct = false;
  std::optional<SampleSpec> sample;
  std::optional<BucketSpec> bucket;
  /// The client's cursor token as sent; empty asks for the first page of a walk.
  std::optional<std::string> cursor;
  /// The sort keys of the row the page starts after, from the decoded cursor.
  std::optional<KeyValues> after;
};

/// The sort terms of the query-string form "-value,category": split at commas, with
/// the spaces around each term removed. Empty text gives no terms; empty terms stay
/// (as "") so that Query::Make can report them.
std::vector<std::string> SplitOrderBy(std::string_view text);

/// What an aggregate computes.
enum class AggregateFunction {
  kCount,
  kCountDistinct,
  kSum,
  kMean,
  kMin,
  kMax,
  kStddev,  ///< sample standard deviation
  kQuantile,
};

/// The function as clients write it: "count", "count_distinct", ...
std::string_view FunctionName(AggregateFunction function);

/// One validated aggregate.
struct Aggregate {
  AggregateFunction function;
  /// The aggregated column; absent only for count over rows.
  std::optional<Column> column;
  /// The result column's name: unique among the aliases and the group_by columns.
  ColumnName alias;
  /// The quantile for kQuantile, in [0, 1]; 0 for the other functions.
  double quantile = 0;
};

/// One sort key: a column of the result (a schema column, a group_by column or an
/// aggregate's alias), with the spelling of the result.
struct SortKey {
  ColumnName name;
  bool descending = false;
};

/// One key of a cursor page's order: a column, or (no column) the rows' insertion
/// order, which makes the order unique.
struct PageKey {
  std::optional<Column> column;
  bool descending = false;
};

enum class BucketKind { kTime, kNumeric };

/// Validated buckets: the bucket is the first group key of the result.
struct Bucket {
  Column column;
  BucketKind kind = BucketKind::kNumeric;
  /// For kTime: the width as an interval DuckDB reads, such as "15 minutes".
  std::string interval;
  /// For kNumeric: bins [origin + k*width, origin + (k+1)*width).
  double width = 0;
  double origin = 0;
  ColumnName alias;
};

/// A validated query against one schema: every column it names exists, every value
/// fits its column, and the parts fit together. Made only through Make.
class Query {
 public:
  /// The most problems one failed Make reports (the detail still counts them all).
  static constexpr std::size_t kMaxReportedProblems = 100;
  /// The most aggregates and group_by columns a query may have (each).
  static constexpr std::size_t kMaxAggregates = 256;
  /// A limit up to this is a cursor page even without a cursor; a larger one is a
  /// page only when the client sends a cursor (finding the end of a huge page first
  /// costs a sort of the whole page).
  static constexpr int64_t kMaxImplicitPageRows = 100'000;

  /// Checks `spec` against `schema`. Every problem found (up to kMaxReportedProblems)
  /// is reported in one kInvalidInput problem whose violation fields are paths into
  /// the request: "select[0]", "filter.args[1].value", "group_by[0]",
  /// "aggregates[2].column", "aggregates[0].as", "order_by[0]", "limit", "offset",
  /// "distinct", "bucket.every", "cursor". Names are matched ignoring case and kept with
  /// the schema's spelling.
  [[nodiscard]] static arrow::Result<Query> Make(const QuerySpec& spec,
                                                 const Schema& schema);

  /// The columns returned when the query does not aggregate, in order: the schema's
  /// columns when the client selected none. Empty when the query aggregates.
  const std::vector<Column>& select() const { return select_; }
  const std::optional<Filter>& filter() const { return filter_; }
  const std::vector<Column>& group_by() const { return group_by_; }
  const std::vector<Aggregate>& aggregates() const { return aggregates_; }
  const std::vector<SortKey>& order_by() const { return order_by_; }
  /// The most rows returned; absent for no limit.
  std::optional<int64_t> limit() const { return limit_; }
  /// Rows skipped before the first one returned.
  int64_t offset() const { return offset_; }
  /// True for SELECT DISTINCT over the selected columns.
  bool distinct() const { return distinct_; }
  /// Validated: exactly one of rows (>= 0) and fraction (in (0, 1]) is set.
  const std::optional<SampleSpec>& sample() const { return sample_; }
  /// True when the query groups or aggregates: its rows are groups, not table rows.
  bool aggregating() const {
    return !group_by_.empty() || !aggregates_.empty() || bucket_.has_value();
  }
  /// The buckets, the first group key, when the query has them.
  const std::optional<Bucket>& bucket() const { return bucket_; }

  /// True for a cursor page: rows (no groups, distinct or sample) with a limit and no
  /// offset (and a cursor, or a limit up to kMaxImplicitPageRows), in page_order(),
  /// which is unique. Its next page starts after its last row.
  bool paged() const { return !page_order_.empty(); }
  /// order_by() followed by the insertion order (each row's stored position) as
  /// tiebreaker.
  const std::vector<PageKey>& page_order() const { return page_order_; }
  /// The keys of the row this page starts after (from the client's cursor).
  const std::optional<KeyValues>& after() const { return after_; }
  /// The keys of this page's last row, once known: the page is then every row after
  /// after() up to and including it, whatever rows were added meanwhile.
  const std::optional<KeyValues>& through() const { return through_; }
  /// This page, ending at the row whose keys are `last`.
  Query EndingAt(KeyValues last) const;
  /// True when the client sent a cursor (even an empty one, to start a walk).
  bool cursor_requested() const { return cursor_requested_; }
  /// A short digest of what decides a cursor walk's rows and order (filter and page
  /// order), so that a cursor is only used with the query it came from.
  std::string PageFingerprint() const;

 private:
  Query() = default;

  std::vector<Column> select_;
  std::optional<Filter> filter_;
  std::vector<Column> group_by_;
  std::vector<Aggregate> aggregates_;
  std::vector<SortKey> order_by_;
  std::optional<int64_t> limit_;
  int64_t offset_ = 0;
  bool distinct_ = false;
  std::optional<SampleSpec> sample_;
  std::optional<Bucket> bucket_;
  std::vector<PageKey> page_order_;
  std::optional<KeyValues> after_;
  std::optional<KeyValues> through_;
  bool cursor_requested_ = false;
};

}  // namespace quiver::domain

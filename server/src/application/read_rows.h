#pragma once

#include <arrow/result.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "application/cursor.h"
#include "application/ports.h"
#include "domain/query.h"

namespace quiver::application {

/// Port: runs a validated query over a dataset's rows as a stream.
class QueryEngine {
 public:
  virtual ~QueryEngine() = default;
  [[nodiscard]] virtual arrow::Result<std::shared_ptr<RowStream>> Open(
      const DatasetRecord& dataset, const domain::Query& query) = 0;
  /// The sort keys of the last row of a cursor page (Query::paged(), not yet
  /// bounded), or nothing when the page is not full.
  [[nodiscard]] virtual arrow::Result<std::optional<domain::KeyValues>> PageEnd(
      const DatasetRecord& dataset, const domain::Query& query) = 0;
};

struct ReadResult {
  DatasetRecord dataset;
  std::shared_ptr<RowStream> rows;
  /// The token of the next cursor page, when this is a full one.
  std::optional<std::string> next_cursor;
  /// True when the client asked for cursor pages (sent a cursor, even empty).
  bool cursor_requested = false;
};

/// Reads rows (projection, filter, order, page) or aggregates of one dataset. The
/// query is checked against the dataset's schema before anything runs. A cursor
/// page ends at the row its next cursor starts after, so that walking the pages
/// returns every row once, in order, even while rows are added.
class ReadRows {
 public:
  ReadRows(DatasetStore& store, QueryEngine& engine, const CursorCodec& cursors)
      : store_(store), engine_(engine), cursors_(cursors) {}
  [[nodiscard]] arrow::Result<ReadResult> Run(std::string_view dataset,
                                              const domain::QuerySpec& spec);

 private:
  DatasetStore& store_;
  QueryEngine& engine_;
  const CursorCodec& cursors_;
};

}  // namespace quiver::application

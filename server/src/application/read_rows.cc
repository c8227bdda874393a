#include "application/read_rows.h"

#include <utility>

#include "domain/problem.h"

namespace quiver::application {
namespace {

using domain::MakeProblem;
using domain::ProblemKind;

arrow::Status CursorProblem(ProblemKind kind, std::string message) {
  return MakeProblem(kind, "the cursor cannot be used",
                     {{"cursor", std::nullopt, std::move(message)}});
}

}  // namespace

arrow::Result<ReadResult> ReadRows::Run(std::string_view dataset,
                                        const domain::QuerySpec& spec) {
  ARROW_ASSIGN_OR_RAISE(auto name, domain::DatasetName::Make(dataset));
  ARROW_ASSIGN_OR_RAISE(auto record, store_.Lookup(name));
  domain::QuerySpec effective = spec;
  std::optional<Cursor> cursor;
  if (spec.cursor && !spec.cursor->empty()) {
    ARROW_ASSIGN_OR_RAISE(cursor, cursors_.Open(*spec.cursor));
    if (cursor->dataset != record.name.value()) {
      return CursorProblem(ProblemKind::kInvalidInput,
                           "was made for dataset '" + cursor->dataset + "'");
    }
    if (cursor->generation != record.generation) {
      return CursorProblem(ProblemKind::kConflict,
                           "the dataset's rows were replaced after this cursor was "
                           "made; start again from the first page");
    }
    effective.after = cursor->keys;
  }
  ARROW_ASSIGN_OR_RAISE(auto query, domain::Query::Make(effective, record.schema));
  if (cursor && cursor->fingerprint != query.PageFingerprint()) {
    return CursorProblem(ProblemKind::kInvalidInput,
                         "was made for another filter or order_by; send the same ones "
                         "as the first page, or start again without a cursor");
  }
  ReadResult result{std::move(record), nullptr, std::nullopt, query.cursor_requested()};
  if (query.paged()) {
    ARROW_ASSIGN_OR_RAISE(auto last, engine_.PageEnd(result.dataset, query));
    if (last) {
      result.next_cursor =
          cursors_.Seal({result.dataset.name.value(), result.dataset.generation,
                         query.PageFingerprint(), *last});
      query = query.EndingAt(std::move(*last));
    }
  }
  ARROW_ASSIGN_OR_RAISE(result.rows, engine_.Open(result.dataset, query));
  return result;
}

}  // namespace quiver::application

#include "application/read_rows.h"

namespace quiver::application {

arrow::Result<ReadResult> ReadRows::Run(std::string_view dataset,
                                        const domain::QuerySpec& spec) {
  ARROW_ASSIGN_OR_RAISE(auto name, domain::DatasetName::Make(dataset));
  ARROW_ASSIGN_OR_RAISE(auto record, store_.Get(name));
  ARROW_ASSIGN_OR_RAISE(auto query, domain::Query::Make(spec, record.schema));
  ARROW_ASSIGN_OR_RAISE(auto rows, engine_.Open(record, query));
  return ReadResult{std::move(record), std::move(rows)};
}

}  // namespace quiver::application

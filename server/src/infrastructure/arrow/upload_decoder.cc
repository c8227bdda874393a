#include "infrastructure/arrow/upload_decoder.h"

#include <arrow/memory_pool.h>

#include "domain/problem.h"
#include "infrastructure/arrow/batch_conformer.h"
#include "infrastructure/arrow/decoders.h"
#include "infrastructure/types/type_mapping.h"

namespace quiver::arrow_adapter {
namespace {

/// Decoded batches, conformed to the dataset's schema. After the first bad batch
/// it keeps reading (without returning rows) to report up to the cap of
/// problems at once, then fails with all of them.
class ConformingReader final : public arrow::RecordBatchReader {
 public:
  ConformingReader(std::shared_ptr<arrow::MemoryPool> pool,
                   std::shared_ptr<arrow::RecordBatchReader> decoded,
                   std::shared_ptr<arrow::Schema> target, ConformOptions options)
      : pool_(std::move(pool)),
        decoded_(std::move(decoded)),
        target_(target),
        conformer_(std::move(target), options) {}

  std::shared_ptr<arrow::Schema> schema() const override { return target_; }

  arrow::Status ReadNext(std::shared_ptr<arrow::RecordBatch>* batch) override {
    for (;;) {
      std::shared_ptr<arrow::RecordBatch> decoded;
      ARROW_RETURN_NOT_OK(decoded_->ReadNext(&decoded));
      if (decoded == nullptr) break;
      int64_t first_row = rows_seen_;
      rows_seen_ += decoded->num_rows();
      ARROW_ASSIGN_OR_RAISE(auto conformed, conformer_.Conform(*decoded, first_row));
      if (conformer_.full()) break;
      if (conformed == nullptr || !conformer_.violations().empty()) continue;
      *batch = std::move(conformed);
      return arrow::Status::OK();
    }
    *batch = nullptr;
    if (conformer_.violations().empty()) return arrow::Status::OK();
    const auto& violations = conformer_.violations();
    std::string detail = std::to_string(violations.size()) +
                         (conformer_.full() ? " or more" : "") +
                         " problems in the upload; nothing was stored";
    return domain::MakeProblem(domain::ProblemKind::kValidationFailed, detail,
                               violations);
  }

 private:
  std::shared_ptr<arrow::MemoryPool> pool_;
  std::shared_ptr<arrow::RecordBatchReader> decoded_;
  std::shared_ptr<arrow::Schema> target_;
  BatchConformer conformer_;
  int64_t rows_seen_ = 0;
};

}  // namespace

arrow::Result<std::shared_ptr<arrow::RecordBatchReader>> ArrowUploadDecoder::Open(
    application::IngestFormat format, std::shared_ptr<arrow::io::InputStream> body,
    const domain::Schema& schema, const application::UploadOptions& options) {
  auto target = types::ToArrowSchema(schema);
  auto pool = std::make_shared<arrow::CappedMemoryPool>(arrow::default_memory_pool(),
                                                        options_.memory_limit_bytes);
  DecodeOptions decode_options;
  decode_options.target_schema = target;
  decode_options.memory_pool = pool.get();
  decode_options.spool_dir = options_.spool_dir;
  decode_options.ignore_unknown_columns = options.ignore_unknown_columns;
  ARROW_ASSIGN_OR_RAISE(auto decoded,
                        OpenDecoder(format, std::move(body), decode_options));
  ConformOptions conform_options;
  conform_options.ignore_unknown_columns = options.ignore_unknown_columns;
  return std::make_shared<ConformingReader>(std::move(pool), std::move(decoded),
                                            std::move(target), conform_options);
}

}  // namespace quiver::arrow_adapter

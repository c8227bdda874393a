#include "infrastructure/arrow/encoders.h"

#include <arrow/api.h>
#include <arrow/csv/writer.h>
#include <arrow/io/interfaces.h>
#include <arrow/ipc/writer.h>
#include <arrow/util/base64.h>
#include <arrow/util/byte_size.h>
#include <arrow/util/compression.h>
#include <parquet/arrow/writer.h>
#include <parquet/exception.h>

#include <array>
#include <charconv>
#include <cmath>
#include <string>

namespace quiver::arrow_adapter {
namespace {

using application::Compression;
using application::OutputFormat;

/// An OutputStream whose bytes are taken away after each batch.
class DrainSink final : public arrow::io::OutputStream {
 public:
  arrow::Status Close() override {
    closed_ = true;
    return arrow::Status::OK();
  }
  bool closed() const override { return closed_; }
  arrow::Result<int64_t> Tell() const override { return position_; }
  arrow::Status Write(const void* data, int64_t nbytes) override {
    position_ += nbytes;
    return builder_.Append(data, nbytes);
  }
  arrow::Result<std::shared_ptr<arrow::Buffer>> Take() { return builder_.Finish(); }
  /// Room for `bytes` more, so that one batch is copied in once, not regrown.
  arrow::Status Reserve(int64_t bytes) { return builder_.Reserve(bytes); }

 private:
  arrow::BufferBuilder builder_;
  int64_t position_ = 0;
  bool closed_ = false;
};

arrow::Result<arrow::ipc::IpcWriteOptions> IpcOptions(const EncoderOptions& options) {
  auto ipc = arrow::ipc::IpcWriteOptions::Defaults();
  if (options.compression == Compression::kLz4) {
    ARROW_ASSIGN_OR_RAISE(ipc.codec,
                          arrow::util::Codec::Create(arrow::Compression::LZ4_FRAME));
  }
  if (options.compression == Compression::kZstd) {
    ARROW_ASSIGN_OR_RAISE(ipc.codec,
                          arrow::util::Codec::Create(arrow::Compression::ZSTD));
  }
  return ipc;
}

/// Arrow IPC (stream or file) and CSV: Arrow's own writers into a drained sink.
class WriterEncoder final : public BatchEncoder {
 public:
  WriterEncoder(std::shared_ptr<DrainSink> sink,
                std::shared_ptr<arrow::ipc::RecordBatchWriter> writer)
      : sink_(std::move(sink)), writer_(std::move(writer)) {}
  arrow::Result<std::shared_ptr<arrow::Buffer>> Encode(
      const arrow::RecordBatch& batch) override {
    // The IPC body is the batch's buffers plus padding and a small header.
    ARROW_RETURN_NOT_OK(
        sink_->Reserve(arrow::util::TotalBufferSize(batch) + int64_t{64} * 1024));
    ARROW_RETURN_NOT_OK(writer_->WriteRecordBatch(batch));
    return sink_->Take();
  }
  arrow::Result<std::shared_ptr<arrow::Buffer>> Finish() override {
    ARROW_RETURN_NOT_OK(writer_->Close());
    return sink_->Take();
  }

 private:
  std::shared_ptr<DrainSink> sink_;
  std::shared_ptr<arrow::ipc::RecordBatchWriter> writer_;
};

/// Parquet: every batch becomes one row group, written out at once.
class ParquetEncoder final : public BatchEncoder {
 public:
  ParquetEncoder(std::shared_ptr<DrainSink> sink,
                 std::unique_ptr<parquet::arrow::FileWriter> writer)
      : sink_(std::move(sink)), writer_(std::move(writer)) {}
  arrow::Result<std::shared_ptr<arrow::Buffer>> Encode(
      const arrow::RecordBatch& batch) override {
    try {
      auto table = arrow::Table::Make(batch.schema(), batch.columns(), batch.num_rows());
      ARROW_RETURN_NOT_OK(
          writer_->WriteTable(*table, std::max<int64_t>(1, batch.num_rows())));
    } catch (const parquet::ParquetException& exception) {
      return arrow::Status::IOError(exception.what());
    }
    return sink_->Take();
  }
  arrow::Result<std::shared_ptr<arrow::Buffer>> Finish() override {
    ARROW_RETURN_NOT_OK(writer_->Close());
    return sink_->Take();
  }

 private:
  std::shared_ptr<DrainSink> sink_;
  std::unique_ptr<parquet::arrow::FileWriter> writer_;
};

void AppendJsonString(std::string_view text, std::string& out) {
  out += '"';
  for (unsigned char character : text) {
    switch (character) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (character < 0x20) {
          char escaped[8];
          std::snprintf(escaped, sizeof(escaped), "\\u%04x", character);
          out += escaped;
          continue;
        }
        out += static_cast<char>(character);
    }
  }
  out += '"';
}

void AppendJsonValue(const arrow::Scalar& scalar, std::string& out);

/// The shortest text that reads back as exactly `value` (float or double).
template <typename Number>
void AppendJsonNumber(Number value, std::string& out) {
  if (!std::isfinite(value)) {
    out += "null";  // JSON has no NaN or infinity
    return;
  }
  std::array<char, 32> text{};
  auto [end, error] = std::to_chars(text.data(), text.data() + text.size(), value);
  out.append(text.data(), end);
}

void AppendJsonValue(const arrow::Scalar& scalar, std::string& out) {
  if (!scalar.is_valid) {
    out += "null";
    return;
  }
  switch (scalar.type->id()) {
    case arrow::Type::BOOL:
      out += static_cast<const arrow::BooleanScalar&>(scalar).value ? "true" : "false";
      return;
    case arrow::Type::INT8:
    case arrow::Type::INT16:
    case arrow::Type::INT32:
    case arrow::Type::INT64:
    case arrow::Type::UINT8:
    case arrow::Type::UINT16:
    case arrow::Type::UINT32:
    case arrow::Type::UINT64:
      out += scalar.ToString();
      return;
    case arrow::Type::FLOAT:
      AppendJsonNumber(static_cast<const arrow::FloatScalar&>(scalar).value, out);
      return;
    case arrow::Type::DOUBLE:
      AppendJsonNumber(static_cast<const arrow::DoubleScalar&>(scalar).value, out);
      return;
    case arrow::Type::STRING:
      AppendJsonString(static_cast<const arrow::StringScalar&>(scalar).view(), out);
      return;
    case arrow::Type::BINARY: {
      auto view = static_cast<const arrow::BinaryScalar&>(scalar).view();
      AppendJsonString(arrow::util::base64_encode(view), out);
      return;
    }
    case arrow::Type::LIST: {
      const auto& list = static_cast<const arrow::ListScalar&>(scalar).value;
      out += '[';
      for (int64_t index = 0; index < list->length(); ++index) {
        if (index > 0) out += ',';
        AppendJsonValue(*list->GetScalar(index).ValueOrDie(), out);
      }
      out += ']';
      return;
    }
    case arrow::Type::STRUCT: {
      const auto& structure = static_cast<const arrow::StructScalar&>(scalar);
      const auto& type = static_cast<const arrow::StructType&>(*scalar.type);
      out += '{';
      for (int index = 0; index < type.num_fields(); ++index) {
        if (index > 0) out += ',';
        AppendJsonString(type.field(index)->name(), out);
        out += ':';
        AppendJsonValue(*structure.value[index], out);
      }
      out += '}';
      return;
    }
    default:
      // Decimals, dates, times, timestamps and durations as their text: exact, and
      // JSON numbers would lose digits in JavaScript.
      AppendJsonString(scalar.ToString(), out);
  }
}

/// JSON (one array of objects) and NDJSON (one object per line).
class JsonEncoder final : public BatchEncoder {
 public:
  JsonEncoder(std::shared_ptr<arrow::Schema> schema, bool lines)
      : schema_(std::move(schema)), lines_(lines) {}

  arrow::Result<std::shared_ptr<arrow::Buffer>> Encode(
      const arrow::RecordBatch& batch) override {
    std::string out;
    if (!lines_ && !started_) out += '[';
    for (int64_t row = 0; row < batch.num_rows(); ++row) {
      if (!lines_ && (started_ || row > 0)) out += ',';
      out += '{';
      for (int column = 0; column < batch.num_columns(); ++column) {
        if (column > 0) out += ',';
        AppendJsonString(schema_->field(column)->name(), out);
        out += ':';
        ARROW_ASSIGN_OR_RAISE(auto scalar, batch.column(column)->GetScalar(row));
        AppendJsonValue(*scalar, out);
      }
      out += lines_ ? "}\n" : "}";
    }
    started_ = started_ || !lines_;
    return arrow::Buffer::FromString(std::move(out));
  }
  arrow::Result<std::shared_ptr<arrow::Buffer>> Finish() override {
    if (lines_) return arrow::Buffer::FromString("");
    return arrow::Buffer::FromString(started_ ? "]" : "[]");
  }

 private:
  std::shared_ptr<arrow::Schema> schema_;
  bool lines_;
  bool started_ = false;
};

parquet::Compression::type ParquetCodec(Compression compression) {
  switch (compression) {
    case Compression::kZstd:
      return parquet::Compression::ZSTD;
    case Compression::kLz4:
      return parquet::Compression::LZ4;
    case Compression::kGzip:
      return parquet::Compression::GZIP;
    case Compression::kSnappy:
      return parquet::Compression::SNAPPY;
    case Compression::kNone:
      return parquet::Compression::UNCOMPRESSED;
  }
  return parquet::Compression::UNCOMPRESSED;
}

}  // namespace

arrow::Result<std::unique_ptr<BatchEncoder>> MakeEncoder(
    OutputFormat format, const std::shared_ptr<arrow::Schema>& schema,
    const EncoderOptions& options) {
  auto sink = std::make_shared<DrainSink>();
  switch (format) {
    case OutputFormat::kArrowStream: {
      ARROW_ASSIGN_OR_RAISE(auto ipc, IpcOptions(options));
      ARROW_ASSIGN_OR_RAISE(auto writer, arrow::ipc::MakeStreamWriter(sink, schema, ipc));
      return std::make_unique<WriterEncoder>(sink, std::move(writer));
    }
    case OutputFormat::kArrowFile: {
      ARROW_ASSIGN_OR_RAISE(auto ipc, IpcOptions(options));
      ARROW_ASSIGN_OR_RAISE(auto writer, arrow::ipc::MakeFileWriter(sink, schema, ipc));
      return std::make_unique<WriterEncoder>(sink, std::move(writer));
    }
    case OutputFormat::kCsv: {
      ARROW_ASSIGN_OR_RAISE(auto writer, arrow::csv::MakeCSVWriter(sink, schema));
      return std::make_unique<WriterEncoder>(sink, std::move(writer));
    }
    case OutputFormat::kParquet: {
      // Dictionaries pay off for repeated text (categories, labels), not for ids,
      // measures and instants, where they cost most of the encoding time and make
      // files bigger than plain values.
      parquet::WriterProperties::Builder builder;
      builder.compression(ParquetCodec(options.compression))->disable_dictionary();
      for (const auto& field : schema->fields()) {
        const auto id = field->type()->id();
        if (id == arrow::Type::STRING || id == arrow::Type::LARGE_STRING ||
            id == arrow::Type::STRING_VIEW) {
          builder.enable_dictionary(field->name());
        }
      }
      auto properties = builder.build();
      auto arrow_properties =
          parquet::ArrowWriterProperties::Builder().store_schema()->build();
      std::unique_ptr<parquet::arrow::FileWriter> writer;
      try {
        ARROW_ASSIGN_OR_RAISE(writer, parquet::arrow::FileWriter::Open(
                                          *schema, arrow::default_memory_pool(), sink,
                                          properties, arrow_properties));
      } catch (const parquet::ParquetException& exception) {
        return arrow::Status::IOError(exception.what());
      }
      return std::make_unique<ParquetEncoder>(sink, std::move(writer));
    }
    case OutputFormat::kJson:
      return std::make_unique<JsonEncoder>(schema, /*lines=*/false);
    case OutputFormat::kNdjson:
      return std::make_unique<JsonEncoder>(schema, /*lines=*/true);
  }
  return arrow::Status::NotImplemented("unknown output format");
}

}  // namespace quiver::arrow_adapter

#include "infrastructure/arrow/decoders.h"

#include <arrow/csv/api.h>
#include <arrow/io/buffered.h>
#include <arrow/io/file.h>
#include <arrow/ipc/reader.h>
#include <arrow/json/reader.h>
#include <arrow/util/thread_pool.h>
#include <parquet/arrow/reader.h>
#include <parquet/exception.h>
#include <boost/beast/core/string.hpp>

#include <random>
#include <regex>
#include <string>
#include <utility>

#include "domain/problem.h"

namespace quiver::arrow_adapter {
namespace {

using application::IngestFormat;
using domain::MakeProblem;
using domain::ProblemKind;

constexpr std::string_view kSpoolPrefix = "ingest-";

/// Turns a decoder's failure into a problem the client can act on.
arrow::Status Translate(const arrow::Status& status, IngestFormat format,
                        const std::vector<std::string>& column_names) {
  if (status.ok() || domain::FindProblemDetail(status) != nullptr) return status;
  if (status.IsOutOfMemory()) {
    return MakeProblem(
        ProblemKind::kPayloadTooLarge,
        std::string("decoding the ") + std::string(IngestFormatName(format)) +
            " body needs more memory than one upload may use; send smaller "
            "record batches or row groups");
  }
  // Arrow's CSV reader says "In CSV column #2: Row #7: CSV conversion error ...".
  static const std::regex kCsvCell(R"(In CSV column #(\d+): Row #(\d+): (.*))");
  std::smatch match;
  const std::string& message = status.message();
  if (format == IngestFormat::kCsv && std::regex_search(message, match, kCsvCell)) {
    size_t column = std::stoul(match[1].str());
    std::string field =
        column < column_names.size() ? column_names[column] : "column " + match[1].str();
    // Arrow counts the header as row 1; we count data rows from 0.
    int64_t row = std::stoll(match[2].str()) - 2;
    return MakeProblem(ProblemKind::kValidationFailed,
                       "a CSV value does not fit its column",
                       {{field, row, match[3].str()}});
  }
  if (format == IngestFormat::kNdjson &&
      message.find("unexpected field") != std::string::npos) {
    return MakeProblem(ProblemKind::kValidationFailed, "the upload has an unknown column",
                       {{"(unknown key)", std::nullopt,
                         "a JSON key is not a column of this dataset (send "
                         "?on_unknown=ignore to drop unknown keys): " +
                             message}});
  }
  return MakeProblem(
      ProblemKind::kInvalidInput,
      "the body is not valid " + std::string(IngestFormatName(format)) + ": " + message);
}

/// Wraps a decoder: validates every batch fully and translates errors.
class ValidatingReader final : public arrow::RecordBatchReader {
 public:
  ValidatingReader(std::shared_ptr<arrow::RecordBatchReader> inner, IngestFormat format,
                   std::shared_ptr<void> keep_alive,
                   std::vector<std::string> column_names)
      : inner_(std::move(inner)),
        format_(format),
        keep_alive_(std::move(keep_alive)),
        column_names_(std::move(column_names)) {}

  std::shared_ptr<arrow::Schema> schema() const override { return inner_->schema(); }

  arrow::Status ReadNext(std::shared_ptr<arrow::RecordBatch>* batch) override {
    arrow::Status status = ReadAndValidate(batch);
    return Translate(status, format_, column_names_);
  }

  arrow::Status Close() override { return inner_->Close(); }

 private:
  arrow::Status ReadAndValidate(std::shared_ptr<arrow::RecordBatch>* batch) {
    try {
      ARROW_RETURN_NOT_OK(inner_->ReadNext(batch));
    } catch (const parquet::ParquetException& exception) {
      return arrow::Status::Invalid(exception.what());
    }
    if (*batch == nullptr) return arrow::Status::OK();
    return (*batch)->ValidateFull();
  }

  std::shared_ptr<arrow::RecordBatchReader> inner_;
  IngestFormat format_;
  std::shared_ptr<void> keep_alive_;
  std::vector<std::string> column_names_;
};

/// Reads the batches of an Arrow IPC file one at a time.
class IpcFileBatchReader final : public arrow::RecordBatchReader {
 public:
  explicit IpcFileBatchReader(std::shared_ptr<arrow::ipc::RecordBatchFileReader> file)
      : file_(std::move(file)) {}
  std::shared_ptr<arrow::Schema> schema() const override { return file_->schema(); }
  arrow::Status ReadNext(std::shared_ptr<arrow::RecordBatch>* batch) override {
    if (next_ >= file_->num_record_batches()) {
      *batch = nullptr;
      return arrow::Status::OK();
    }
    ARROW_ASSIGN_OR_RAISE(*batch, file_->ReadRecordBatch(next_++));
    return arrow::Status::OK();
  }

 private:
  std::shared_ptr<arrow::ipc::RecordBatchFileReader> file_;
  int next_ = 0;
};

std::string SpoolFileName() {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  return std::string(kSpoolPrefix) + std::to_string(generator()) + ".tmp";
}

/// Copies the body to a temporary file and opens it for random access. The file
/// is unlinked as soon as it is open, so nothing outlives the reader, even a crash.
arrow::Result<std::shared_ptr<arrow::io::RandomAccessFile>> Spool(
    arrow::io::InputStream& body, const DecodeOptions& options) {
  std::error_code error;
  std::filesystem::create_directories(options.spool_dir, error);
  if (error) return arrow::Status::IOError("cannot create ", options.spool_dir.string());
  std::filesystem::path path = options.spool_dir / SpoolFileName();
  {
    ARROW_ASSIGN_OR_RAISE(auto output, arrow::io::FileOutputStream::Open(path.string()));
    std::vector<uint8_t> piece(1 << 20);
    arrow::Status copied;
    for (;;) {
      auto got = body.Read(static_cast<int64_t>(piece.size()), piece.data());
      if (!got.ok()) {
        copied = got.status();
        break;
      }
      if (*got == 0) break;
      copied = output->Write(piece.data(), *got);
      if (!copied.ok()) break;
    }
    arrow::Status closed = output->Close();
    if (!copied.ok() || !closed.ok()) {
      std::filesystem::remove(path, error);
      return copied.ok() ? closed : copied;
    }
  }
  auto file = arrow::io::ReadableFile::Open(path.string(), options.memory_pool);
  std::filesystem::remove(path, error);
  return file;
}

/// The names in a CSV header line (for error messages; quotes are stripped).
std::vector<std::string> CsvHeaderNames(std::string_view text) {
  std::vector<std::string> names;
  std::string_view line = text.substr(0, text.find_first_of("\r\n"));
  std::string current;
  bool quoted = false;
  for (char character : line) {
    if (character == '"') {
      quoted = !quoted;
      continue;
    }
    if (character == ',' && !quoted) {
      names.push_back(std::move(current));
      current.clear();
      continue;
    }
    current += character;
  }
  names.push_back(std::move(current));
  return names;
}

arrow::Result<std::shared_ptr<arrow::RecordBatchReader>> OpenCsv(
    std::shared_ptr<arrow::io::InputStream> body, const DecodeOptions& options,
    const std::vector<std::string>& header, arrow::internal::Executor* io_executor) {
  auto read_options = arrow::csv::ReadOptions::Defaults();
  read_options.block_size = options.text_block_bytes;
  read_options.use_threads = false;
  auto parse_options = arrow::csv::ParseOptions::Defaults();
  auto convert_options = arrow::csv::ConvertOptions::Defaults();
  convert_options.strings_can_be_null = true;
  convert_options.quoted_strings_can_be_null = false;
  // Key the types by the header's own spelling: columns match ignoring case.
  for (const auto& name : header) {
    for (const auto& field : options.target_schema->fields()) {
      if (boost::beast::iequals(field->name(), name))
        convert_options.column_types[name] = field->type();
    }
  }
  arrow::io::IOContext io_context(options.memory_pool, io_executor);
  ARROW_ASSIGN_OR_RAISE(auto reader, arrow::csv::StreamingReader::Make(
                                         io_context, std::move(body), read_options,
                                         parse_options, convert_options));
  return reader;
}

/// JSON has no dates or times: those columns are read as strings and converted
/// by the BatchConformer, so clients send "2024-02-29" and "12:30:00.5".
std::shared_ptr<arrow::Schema> TextualSchema(const arrow::Schema& target) {
  arrow::FieldVector fields;
  for (const auto& field : target.fields()) {
    auto id = field->type()->id();
    bool textual = id == arrow::Type::DATE32 || id == arrow::Type::TIME64 ||
                   id == arrow::Type::TIMESTAMP;
    fields.push_back(textual ? field->WithType(arrow::utf8()) : field);
  }
  return arrow::schema(std::move(fields));
}

arrow::Result<std::shared_ptr<arrow::RecordBatchReader>> OpenNdjson(
    std::shared_ptr<arrow::io::InputStream> body, const DecodeOptions& options,
    arrow::internal::Executor* io_executor) {
  auto read_options = arrow::json::ReadOptions::Defaults();
  read_options.block_size = options.text_block_bytes;
  read_options.use_threads = false;
  auto parse_options = arrow::json::ParseOptions::Defaults();
  parse_options.explicit_schema = TextualSchema(*options.target_schema);
  // Arrow fixes an inferred schema at the first block, so an unknown key seen later
  // would fail differently from one seen early: ignore or refuse them all alike.
  parse_options.unexpected_field_behavior =
      options.ignore_unknown_columns ? arrow::json::UnexpectedFieldBehavior::Ignore
                                     : arrow::json::UnexpectedFieldBehavior::Error;
  arrow::io::IOContext io_context(options.memory_pool, io_executor);
  ARROW_ASSIGN_OR_RAISE(auto reader,
                        arrow::json::StreamingReader::Make(std::move(body), read_options,
                                                           parse_options, io_context));
  return reader;
}

/// Makes every buffer a reader asks for come from the upload's capped pool
/// (Arrow's IPC reader keeps the buffers it reads as the arrays' memory).
class PooledInputStream final : public arrow::io::InputStream {
 public:
  PooledInputStream(std::shared_ptr<arrow::io::InputStream> inner,
                    arrow::MemoryPool* pool)
      : inner_(std::move(inner)), pool_(pool) {}
  arrow::Status Close() override { return inner_->Close(); }
  bool closed() const override { return inner_->closed(); }
  arrow::Result<int64_t> Tell() const override { return inner_->Tell(); }
  arrow::Result<int64_t> Read(int64_t nbytes, void* out) override {
    return inner_->Read(nbytes, out);
  }
  arrow::Result<std::shared_ptr<arrow::Buffer>> Read(int64_t nbytes) override {
    ARROW_ASSIGN_OR_RAISE(auto buffer, arrow::AllocateResizableBuffer(nbytes, pool_));
    ARROW_ASSIGN_OR_RAISE(int64_t got, inner_->Read(nbytes, buffer->mutable_data()));
    ARROW_RETURN_NOT_OK(buffer->Resize(got, /*shrink_to_fit=*/false));
    return std::shared_ptr<arrow::Buffer>(std::move(buffer));
  }

 private:
  std::shared_ptr<arrow::io::InputStream> inner_;
  arrow::MemoryPool* pool_;
};

/// The text readers read ahead on an I/O executor. Each upload gets its own
/// one-thread pool, shut down (waiting for a read in flight) before the reader
/// goes away, so no read ever touches the request's body after the request.
class ReadAheadPool {
 public:
  static arrow::Result<std::shared_ptr<ReadAheadPool>> Make() {
    ARROW_ASSIGN_OR_RAISE(auto pool, arrow::internal::ThreadPool::Make(1));
    return std::shared_ptr<ReadAheadPool>(new ReadAheadPool(std::move(pool)));
  }
  ~ReadAheadPool() { (void)pool_->Shutdown(/*wait=*/true); }
  ReadAheadPool(const ReadAheadPool&) = delete;
  ReadAheadPool& operator=(const ReadAheadPool&) = delete;
  arrow::internal::Executor* executor() const { return pool_.get(); }

 private:
  explicit ReadAheadPool(std::shared_ptr<arrow::internal::ThreadPool> pool)
      : pool_(std::move(pool)) {}
  std::shared_ptr<arrow::internal::ThreadPool> pool_;
};

struct Opened {
  std::shared_ptr<arrow::RecordBatchReader> reader;
  std::shared_ptr<void> keep_alive;
};

/// Buffers the body so the CSV header can be read for messages before decoding.
arrow::Result<std::shared_ptr<arrow::io::InputStream>> PeekCsvHeader(
    std::shared_ptr<arrow::io::InputStream> body, const DecodeOptions& options,
    std::vector<std::string>& header) {
  constexpr int64_t kPeekBytes = int64_t{64} * 1024;
  ARROW_ASSIGN_OR_RAISE(auto buffered,
                        arrow::io::BufferedInputStream::Create(
                            kPeekBytes, options.memory_pool, std::move(body)));
  ARROW_ASSIGN_OR_RAISE(std::string_view head, buffered->Peek(kPeekBytes));
  header = CsvHeaderNames(head);
  return buffered;
}

arrow::Result<Opened> OpenRaw(IngestFormat format,
                              std::shared_ptr<arrow::io::InputStream> body,
                              const DecodeOptions& options,
                              std::vector<std::string>& names) {
  auto ipc_options = arrow::ipc::IpcReadOptions::Defaults();
  ipc_options.memory_pool = options.memory_pool;
  switch (format) {
    case IngestFormat::kArrowStream: {
      ARROW_ASSIGN_OR_RAISE(auto reader,
                            arrow::ipc::RecordBatchStreamReader::Open(body, ipc_options));
      return Opened{reader, nullptr};
    }
    case IngestFormat::kArrowFile: {
      ARROW_ASSIGN_OR_RAISE(auto file, Spool(*body, options));
      ARROW_ASSIGN_OR_RAISE(auto ipc_file,
                            arrow::ipc::RecordBatchFileReader::Open(file, ipc_options));
      return Opened{std::make_shared<IpcFileBatchReader>(ipc_file), file};
    }
    case IngestFormat::kParquet: {
      ARROW_ASSIGN_OR_RAISE(auto file, Spool(*body, options));
      std::unique_ptr<parquet::arrow::FileReader> parquet_reader;
      try {
        // Without pre-buffering: with it, Arrow caches the byte ranges of every row
        // group it will read, so a 2 GB file needed 2 GB of memory (a 100M-row upload
        // failed the 1 GiB cap). Row groups are read one after the other from the
        // spooled file, and memory follows the largest row group instead.
        parquet::ArrowReaderProperties arrow_properties;
        arrow_properties.set_pre_buffer(false);
        parquet::arrow::FileReaderBuilder builder;
        ARROW_RETURN_NOT_OK(
            builder.Open(file, parquet::ReaderProperties(options.memory_pool)));
        ARROW_RETURN_NOT_OK(builder.memory_pool(options.memory_pool)
                                ->properties(arrow_properties)
                                ->Build(&parquet_reader));
      } catch (const parquet::ParquetException& exception) {
        return arrow::Status::Invalid(exception.what());
      }
      ARROW_ASSIGN_OR_RAISE(auto batches, parquet_reader->GetRecordBatchReader());
      std::shared_ptr<parquet::arrow::FileReader> owner = std::move(parquet_reader);
      return Opened{
          std::shared_ptr<arrow::RecordBatchReader>(std::move(batches)),
          std::make_shared<std::pair<std::shared_ptr<parquet::arrow::FileReader>,
                                     std::shared_ptr<arrow::io::RandomAccessFile>>>(
              owner, file)};
    }
    case IngestFormat::kCsv: {
      ARROW_ASSIGN_OR_RAISE(body, PeekCsvHeader(std::move(body), options, names));
      ARROW_ASSIGN_OR_RAISE(auto read_ahead, ReadAheadPool::Make());
      ARROW_ASSIGN_OR_RAISE(
          auto reader, OpenCsv(std::move(body), options, names, read_ahead->executor()));
      return Opened{reader, read_ahead};
    }
    case IngestFormat::kNdjson: {
      ARROW_ASSIGN_OR_RAISE(auto read_ahead, ReadAheadPool::Make());
      ARROW_ASSIGN_OR_RAISE(auto reader,
                            OpenNdjson(std::move(body), options, read_ahead->executor()));
      return Opened{reader, read_ahead};
    }
  }
  return arrow::Status::NotImplemented("unknown ingest format");
}

}  // namespace

arrow::Result<std::shared_ptr<arrow::RecordBatchReader>> OpenDecoder(
    IngestFormat format, std::shared_ptr<arrow::io::InputStream> body,
    const DecodeOptions& options) {
  std::vector<std::string> names;
  body = std::make_shared<PooledInputStream>(std::move(body), options.memory_pool);
  auto opened = OpenRaw(format, std::move(body), options, names);
  if (!opened.ok()) return Translate(opened.status(), format, names);
  if (names.empty()) {
    for (const auto& field : opened->reader->schema()->fields())
      names.push_back(field->name());
  }
  return std::make_shared<ValidatingReader>(opened->reader, format, opened->keep_alive,
                                            std::move(names));
}

void RemoveStaleSpoolFiles(const std::filesystem::path& spool_dir) {
  std::error_code error;
  if (!std::filesystem::is_directory(spool_dir, error)) return;
  for (const auto& entry : std::filesystem::directory_iterator(spool_dir, error)) {
    std::string file_name = entry.path().filename().string();
    if (entry.is_regular_file(error) && file_name.starts_with(kSpoolPrefix) &&
        file_name.ends_with(".tmp")) {
      std::filesystem::remove(entry.path(), error);
    }
  }
}

}  // namespace quiver::arrow_adapter

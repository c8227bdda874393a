#include "interfaces/http/handlers/read_handlers.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

#include <charconv>
#include <string>
#include <utility>

#include "domain/problem.h"
#include "infrastructure/arrow/encoders.h"
#include "interfaces/http/batch_response_stream.h"
#include "interfaces/http/negotiation.h"
#include "interfaces/http/query_json.h"
#include "interfaces/http/responses.h"

namespace quiver::http {
namespace {

using application::OutputFormat;
using domain::MakeProblem;
using domain::ProblemKind;

constexpr int64_t kMaxQueryBodyBytes = 1 << 20;

arrow::Result<int64_t> NonNegative(std::string_view name, const std::string& text) {
  int64_t value = 0;
  const char* end = text.data() + text.size();
  auto [position, error] = std::from_chars(text.data(), end, value);
  if (error != std::errc() || position != end || value < 0) {
    return MakeProblem(ProblemKind::kInvalidInput, std::string(name) + " is not valid",
                       {{std::string(name), std::nullopt,
                         "'" + text + "' is not a whole number of zero or more"}});
  }
  return value;
}

/// `sample=1000` is a number of rows; `sample=0.05` a fraction.
arrow::Result<domain::SampleSpec> SampleFromText(const std::string& text) {
  domain::SampleSpec sample;
  if (text.find('.') == std::string::npos) {
    ARROW_ASSIGN_OR_RAISE(sample.rows, NonNegative("sample", text));
    return sample;
  }
  double fraction = 0;
  const char* end = text.data() + text.size();
  auto [position, error] = std::from_chars(text.data(), end, fraction);
  if (error != std::errc() || position != end) {
    return MakeProblem(
        ProblemKind::kInvalidInput, "sample is not valid",
        {{"sample", std::nullopt,
          "'" + text + "' is neither a row count nor a fraction like 0.05"}});
  }
  sample.fraction = fraction;
  return sample;
}

std::vector<std::string> SplitColumns(const std::string& text) {
  std::vector<std::string> columns;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) columns.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return columns;
}

/// The query string of GET .../rows as a QuerySpec.
arrow::Result<domain::QuerySpec> SpecFromQueryString(const Request& request) {
  domain::QuerySpec spec;
  if (auto columns = request.query_parameter("columns"))
    spec.select = SplitColumns(*columns);
  if (auto order_by = request.query_parameter("order_by")) {
    spec.order_by = domain::SplitOrderBy(*order_by);
  }
  if (auto limit = request.query_parameter("limit")) {
    ARROW_ASSIGN_OR_RAISE(spec.limit, NonNegative("limit", *limit));
  }
  if (auto offset = request.query_parameter("offset")) {
    ARROW_ASSIGN_OR_RAISE(spec.offset, NonNegative("offset", *offset));
  }
  if (auto sample = request.query_parameter("sample")) {
    ARROW_ASSIGN_OR_RAISE(spec.sample, SampleFromText(*sample));
    if (auto seed = request.query_parameter("seed")) {
      ARROW_ASSIGN_OR_RAISE(spec.sample->seed, NonNegative("seed", *seed));
    }
  }
  if (auto filter = request.query_parameter("filter")) {
    ARROW_ASSIGN_OR_RAISE(spec.filter, ParseFilterJson(*filter));
  }
  spec.cursor = request.query_parameter("cursor");
  return spec;
}

/// The request's own URL with cursor=`token`: the next page of a GET walk.
std::string NextPageTarget(const Request& request, const std::string& token) {
  auto parsed = boost::urls::parse_origin_form(request.header.target());
  if (!parsed) return {};
  boost::urls::url next(*parsed);
  next.params().erase("cursor");
  next.params().append({"cursor", token});
  return std::string(next.buffer());
}

/// JSON bodies of cursor pages: {"rows": [...], "next_cursor": "..." or null}.
class JsonPageEncoder final : public arrow_adapter::BatchEncoder {
 public:
  JsonPageEncoder(std::unique_ptr<arrow_adapter::BatchEncoder> rows,
                  std::optional<std::string> next_cursor)
      : rows_(std::move(rows)), next_cursor_(std::move(next_cursor)) {}

  arrow::Result<std::shared_ptr<arrow::Buffer>> Encode(
      const arrow::RecordBatch& batch) override {
    ARROW_ASSIGN_OR_RAISE(auto encoded, rows_->Encode(batch));
    return WithPrefix(std::move(encoded));
  }

  arrow::Result<std::shared_ptr<arrow::Buffer>> Finish() override {
    ARROW_ASSIGN_OR_RAISE(auto encoded, rows_->Finish());
    ARROW_ASSIGN_OR_RAISE(encoded, WithPrefix(std::move(encoded)));
    std::string text = encoded->ToString() + ",\"next_cursor\":";
    // Tokens are base64url and a dot: nothing to escape.
    text += next_cursor_ ? "\"" + *next_cursor_ + "\"" : "null";
    text += "}";
    return arrow::Buffer::FromString(std::move(text));
  }

 private:
  arrow::Result<std::shared_ptr<arrow::Buffer>> WithPrefix(
      std::shared_ptr<arrow::Buffer> encoded) {
    if (started_) return encoded;
    started_ = true;
    return arrow::Buffer::FromString("{\"rows\":" + encoded->ToString());
  }

  std::unique_ptr<arrow_adapter::BatchEncoder> rows_;
  std::optional<std::string> next_cursor_;
  bool started_ = false;
};

arrow::Result<domain::QuerySpec> SpecFromBody(Request& request) {
  ARROW_ASSIGN_OR_RAISE(auto text,
                        ReadWholeBody(request.body, kMaxQueryBodyBytes, "a query"));
  return ParseQueryJson(text);
}

bool IsText(OutputFormat format) {
  return format == OutputFormat::kCsv || format == OutputFormat::kJson ||
         format == OutputFormat::kNdjson;
}

arrow::Result<Reply> StreamReply(application::ReadRows& read, ReadRegistry& reads,
                                 const ReadOptions& options, Request& request,
                                 domain::QuerySpec spec) {
  ARROW_ASSIGN_OR_RAISE(auto negotiated,
                        NegotiateFormat(request.query_parameter("format"),
                                        request.header[beast_http::field::accept]));
  ARROW_ASSIGN_OR_RAISE(
      auto compression,
      ParseCompression(request.query_parameter("compression"), negotiated.format));
  std::optional<int64_t> row_cap;
  if (IsText(negotiated.format)) {
    if (spec.limit && *spec.limit > options.max_text_rows) {
      return MakeProblem(ProblemKind::kInvalidInput, "limit is too large for this format",
                         {{"limit", std::nullopt,
                           "JSON and CSV responses carry at most " +
                               std::to_string(options.max_text_rows) +
                               " rows; use Arrow or Parquet for more"}});
    }
    row_cap = options.max_text_rows;
  }
  const std::string& name = request.path_parameters.at("name");
  ARROW_ASSIGN_OR_RAISE(auto result, read.Run(name, spec));
  arrow_adapter::EncoderOptions encoder_options;
  encoder_options.compression = compression;
  ARROW_ASSIGN_OR_RAISE(
      auto encoder, arrow_adapter::MakeEncoder(negotiated.format, result.rows->schema(),
                                               encoder_options));
  if (negotiated.format == OutputFormat::kJson && result.cursor_requested) {
    encoder = std::make_unique<JsonPageEncoder>(std::move(encoder), result.next_cursor);
  }
  Reply reply;
  if (result.next_cursor) {
    reply.response.set("Quiver-Next-Cursor", *result.next_cursor);
    if (request.header.method() == beast_http::verb::get) {
      reply.response.set(
          beast_http::field::link,
          "<" + NextPageTarget(request, *result.next_cursor) + ">; rel=\"next\"");
    }
  }
  reply.response.result(beast_http::status::ok);
  reply.response.set(beast_http::field::content_type, negotiated.content_type);
  reply.response.set(beast_http::field::trailer, "Quiver-Rows");
  reply.response.set(beast_http::field::cache_control, "no-store");
  if (negotiated.format == OutputFormat::kParquet ||
      negotiated.format == OutputFormat::kArrowFile) {
    reply.response.set(
        beast_http::field::content_disposition,
        "attachment; filename=\"" + name + "." + negotiated.file_extension + "\"");
  }
  std::weak_ptr<application::RowStream> running = result.rows;
  auto activity = reads.Start(name, negotiated.name, [running] {
    if (auto rows = running.lock()) rows->Cancel();
  });
  reply.response.set("Quiver-Query-Id", activity->id());
  reply.stream = std::make_unique<BatchResponseStream>(
      std::move(result.rows), std::move(encoder), row_cap, reads, std::move(activity));
  reply.response.set(beast_http::field::vary, "Accept, Accept-Encoding");
  auto encoding = ChooseContentEncoding(
      request.header[beast_http::field::accept_encoding], negotiated.format, compression,
      options.compression, request.from_loopback);
  if (encoding) {
    ARROW_ASSIGN_OR_RAISE(reply.stream,
                          MakeCompressingStream(std::move(reply.stream), *encoding));
    reply.response.set(beast_http::field::content_encoding, EncodingToken(*encoding));
  }
  return reply;
}

}  // namespace

void AddReadRoutes(Router& router, application::ReadRows& read, ReadRegistry& reads,
                   ReadOptions options) {
  router.Add(beast_http::verb::get, "/api/v1/datasets/{name}/rows",
             [&read, &reads, options](Request& request) -> arrow::Result<Reply> {
               ARROW_ASSIGN_OR_RAISE(auto spec, SpecFromQueryString(request));
               return StreamReply(read, reads, options, request, std::move(spec));
             });
  router.Add(beast_http::verb::post, "/api/v1/datasets/{name}/query",
             [&read, &reads, options](Request& request) -> arrow::Result<Reply> {
               ARROW_ASSIGN_OR_RAISE(auto spec, SpecFromBody(request));
               return StreamReply(read, reads, options, request, std::move(spec));
             });
}

void AddActivityRoutes(Router& router, ReadRegistry& reads) {
  router.Add(beast_http::verb::get, "/api/v1/queries",
             [&reads](Request&) -> arrow::Result<Reply> {
               boost::json::array running;
               for (const auto& activity : reads.Running()) {
                 running.push_back(activity->ToJson());
               }
               return JsonReply(beast_http::status::ok,
                                boost::json::object{{"queries", std::move(running)}});
             });
  router.Add(beast_http::verb::get, "/api/v1/queries/{id}",
             [&reads](Request& request) -> arrow::Result<Reply> {
               auto activity = reads.Find(request.path_parameters.at("id"));
               if (activity == nullptr) {
                 return MakeProblem(ProblemKind::kNotFound,
                                    "no read with this id is running or ended lately");
               }
               return JsonReply(beast_http::status::ok, activity->ToJson());
             });
  router.Add(beast_http::verb::delete_, "/api/v1/queries/{id}",
             [&reads](Request& request) -> arrow::Result<Reply> {
               if (!reads.Cancel(request.path_parameters.at("id"))) {
                 return MakeProblem(ProblemKind::kNotFound,
                                    "no read with this id is running");
               }
               Reply reply;
               reply.response.result(beast_http::status::no_content);
               return reply;
             });
  router.Add(beast_http::verb::get, "/metrics",
             [&reads](Request&) -> arrow::Result<Reply> {
               Reply reply;
               reply.response.result(beast_http::status::ok);
               reply.response.set(beast_http::field::content_type,
                                  "text/plain; version=0.0.4; charset=utf-8");
               reply.response.set(beast_http::field::cache_control, "no-store");
               reply.response.body() = reads.metrics().Render();
               return reply;
             });
}

}  // namespace quiver::http

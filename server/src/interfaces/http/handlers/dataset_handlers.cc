#include "interfaces/http/handlers/dataset_handlers.h"

#include <boost/beast/core/string.hpp>
#include <boost/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "domain/problem.h"
#include "interfaces/http/body_input_stream.h"
#include "interfaces/http/responses.h"

namespace quiver::http {
namespace {

using application::DatasetRecord;
using application::IngestFormat;
using domain::MakeProblem;
using domain::ProblemKind;
using domain::Violation;

/// Dataset definitions are small; anything bigger is not one.
constexpr int64_t kMaxDefinitionBytes = 1 << 20;

boost::json::object DatasetJson(const DatasetRecord& record) {
  boost::json::array columns;
  for (const auto& column : record.schema.columns()) {
    columns.push_back(boost::json::object{{"name", column.name.value()},
                                          {"type", column.type.ToString()},
                                          {"required", column.required}});
  }
  boost::json::value primary_key = nullptr;
  if (!record.schema.primary_key().empty()) {
    boost::json::array key;
    for (const auto& name : record.schema.primary_key()) {
      key.push_back(boost::json::string(name.value()));
    }
    primary_key = std::move(key);
  }
  return boost::json::object{{"name", record.name.value()},
                             {"columns", std::move(columns)},
                             {"primary_key", std::move(primary_key)},
                             {"row_count", record.row_count},
                             {"bytes", record.bytes},
                             {"created_at", record.created_at},
                             {"updated_at", record.updated_at}};
}

/// The request's shape as the domain needs it, with shape problems collected.
struct Definition {
  std::string name;
  std::vector<domain::ColumnSpec> columns;
  std::vector<std::string> primary_key;
  std::vector<Violation> violations;
};

void ReadColumns(const boost::json::value* value, Definition& definition) {
  if (value == nullptr || !value->is_array()) {
    definition.violations.push_back(
        {"columns", std::nullopt, "must be an array of columns"});
    return;
  }
  const auto& columns = value->as_array();
  for (size_t index = 0; index < columns.size(); ++index) {
    std::string path = "columns[" + std::to_string(index) + "]";
    if (!columns[index].is_object()) {
      definition.violations.push_back({path, std::nullopt, "must be an object"});
      continue;
    }
    const auto& column = columns[index].as_object();
    domain::ColumnSpec spec;
    const auto* name = column.if_contains("name");
    const auto* type = column.if_contains("type");
    const auto* required = column.if_contains("required");
    if (name == nullptr || !name->is_string()) {
      definition.violations.push_back({path + ".name", std::nullopt, "must be a string"});
    } else {
      spec.name = std::string(name->as_string());
    }
    if (type == nullptr || !type->is_string()) {
      definition.violations.push_back({path + ".type", std::nullopt, "must be a string"});
    } else {
      spec.type = std::string(type->as_string());
    }
    if (required != nullptr && !required->is_bool()) {
      definition.violations.push_back(
          {path + ".required", std::nullopt, "must be true or false"});
    } else {
      spec.required = required != nullptr && required->as_bool();
    }
    definition.columns.push_back(std::move(spec));
  }
}

void ReadPrimaryKey(const boost::json::value* value, Definition& definition) {
  if (value == nullptr || value->is_null()) return;
  if (value->is_string()) {
    definition.primary_key.emplace_back(value->as_string());
    return;
  }
  if (!value->is_array()) {
    definition.violations.push_back(
        {"primary_key", std::nullopt,
         "must be a column name or an array of column names"});
    return;
  }
  const auto& names = value->as_array();
  for (size_t index = 0; index < names.size(); ++index) {
    if (!names[index].is_string()) {
      definition.violations.push_back({"primary_key[" + std::to_string(index) + "]",
                                       std::nullopt, "must be a string"});
      continue;
    }
    definition.primary_key.emplace_back(names[index].as_string());
  }
}

arrow::Result<Definition> ParseDefinition(std::string_view text) {
  boost::system::error_code error;
  auto document = boost::json::parse(text, error);
  if (error) {
    return MakeProblem(ProblemKind::kInvalidInput,
                       "the body is not JSON: " + error.message());
  }
  if (!document.is_object()) {
    return MakeProblem(ProblemKind::kInvalidInput, "the body must be a JSON object");
  }
  const auto& object = document.as_object();
  Definition definition;
  const auto* name = object.if_contains("name");
  if (name == nullptr || !name->is_string()) {
    definition.violations.push_back({"name", std::nullopt, "must be a string"});
  } else {
    definition.name = std::string(name->as_string());
  }
  ReadColumns(object.if_contains("columns"), definition);
  ReadPrimaryKey(object.if_contains("primary_key"), definition);
  for (const auto& [key, value] : object) {
    if (key != "name" && key != "columns" && key != "primary_key") {
      definition.violations.push_back({std::string(key), std::nullopt, "unknown member"});
    }
  }
  return definition;
}

/// Appends the violations of a failed domain Status to `violations`.
void Collect(const arrow::Status& status, std::vector<Violation>& violations) {
  const auto* detail = domain::FindProblemDetail(status);
  if (detail == nullptr) return;
  violations.insert(violations.end(), detail->violations().begin(),
                    detail->violations().end());
}

arrow::Result<Reply> CreateHandler(application::CreateDataset& create, Request& request) {
  ARROW_ASSIGN_OR_RAISE(auto text, ReadWholeBody(request.body, kMaxDefinitionBytes,
                                                 "a dataset definition"));
  ARROW_ASSIGN_OR_RAISE(auto definition, ParseDefinition(text));
  auto name = domain::DatasetName::Make(definition.name);
  auto schema = domain::Schema::Make(definition.columns, definition.primary_key);
  std::vector<Violation> violations = definition.violations;
  if (definition.violations.empty()) {
    Collect(name.status(), violations);
    Collect(schema.status(), violations);
  }
  if (!violations.empty()) {
    std::string detail = "the dataset definition has " +
                         std::to_string(violations.size()) +
                         (violations.size() == 1 ? " problem" : " problems");
    return MakeProblem(ProblemKind::kValidationFailed, detail, std::move(violations));
  }
  ARROW_RETURN_NOT_OK(name.status());
  ARROW_RETURN_NOT_OK(schema.status());
  ARROW_ASSIGN_OR_RAISE(auto record, create.Run(*name, *schema));
  Reply reply = JsonReply(beast_http::status::created, DatasetJson(record));
  reply.response.set(beast_http::field::location,
                     "/api/v1/datasets/" + record.name.value());
  return reply;
}

struct MediaTypeFormat {
  std::string_view media_type;
  IngestFormat format;
};

constexpr MediaTypeFormat kIngestMediaTypes[] = {
    {"application/vnd.apache.arrow.stream", IngestFormat::kArrowStream},
    {"application/vnd.apache.arrow.file", IngestFormat::kArrowFile},
    {"application/vnd.apache.parquet", IngestFormat::kParquet},
    {"application/x-parquet", IngestFormat::kParquet},
    {"text/csv", IngestFormat::kCsv},
    {"application/x-ndjson", IngestFormat::kNdjson},
    {"application/jsonl", IngestFormat::kNdjson},
};

arrow::Result<IngestFormat> FormatOf(std::string_view content_type) {
  std::string_view media_type = content_type.substr(0, content_type.find(';'));
  while (!media_type.empty() && media_type.back() == ' ') media_type.remove_suffix(1);
  for (const auto& entry : kIngestMediaTypes) {
    if (boost::beast::iequals(entry.media_type, media_type)) return entry.format;
  }
  std::string accepted;
  for (const auto& entry : kIngestMediaTypes) {
    if (!accepted.empty()) accepted += ", ";
    accepted += entry.media_type;
  }
  return MakeProblem(ProblemKind::kUnsupportedMediaType,
                     "Content-Type '" + std::string(content_type) +
                         "' is not an upload format; send one of " + accepted);
}

arrow::Result<application::IngestCommand> IngestCommandFor(Request& request) {
  application::IngestCommand command;
  command.dataset = request.path_parameters.at("name");
  ARROW_ASSIGN_OR_RAISE(command.format,
                        FormatOf(request.header[beast_http::field::content_type]));
  auto mode = request.query_parameter("mode").value_or("append");
  if (mode != "append" && mode != "replace") {
    return MakeProblem(
        ProblemKind::kInvalidInput, "mode must be append or replace",
        {{"mode", std::nullopt, "'" + mode + "' is not append or replace"}});
  }
  command.mode = mode == "replace" ? application::LoadMode::kReplace
                                   : application::LoadMode::kAppend;
  auto on_unknown = request.query_parameter("on_unknown").value_or("reject");
  if (on_unknown != "reject" && on_unknown != "ignore") {
    return MakeProblem(
        ProblemKind::kInvalidInput, "on_unknown must be reject or ignore",
        {{"on_unknown", std::nullopt, "'" + on_unknown + "' is not allowed"}});
  }
  command.upload.ignore_unknown_columns = on_unknown == "ignore";
  command.body = std::make_shared<BodyInputStream>(request.body);
  return command;
}

}  // namespace

void AddDatasetRoutes(Router& router, DatasetUseCases use_cases, Metrics& metrics) {
  router.Add(beast_http::verb::post, "/api/v1/datasets",
             [&create = use_cases.create](Request& request) {
               return CreateHandler(create, request);
             });
  router.Add(beast_http::verb::get, "/api/v1/datasets",
             [&describe = use_cases.describe](Request&) -> arrow::Result<Reply> {
               ARROW_ASSIGN_OR_RAISE(auto records, describe.All());
               boost::json::array datasets;
               for (const auto& record : records) datasets.push_back(DatasetJson(record));
               return JsonReply(beast_http::status::ok,
                                boost::json::object{{"datasets", std::move(datasets)}});
             });
  router.Add(beast_http::verb::get, "/api/v1/datasets/{name}",
             [&describe = use_cases.describe](Request& request) -> arrow::Result<Reply> {
               ARROW_ASSIGN_OR_RAISE(auto record,
                                     describe.One(request.path_parameters.at("name")));
               return JsonReply(beast_http::status::ok, DatasetJson(record));
             });
  router.Add(beast_http::verb::delete_, "/api/v1/datasets/{name}",
             [&drop = use_cases.drop](Request& request) -> arrow::Result<Reply> {
               ARROW_RETURN_NOT_OK(drop.Run(request.path_parameters.at("name")));
               Reply reply;
               reply.response.result(beast_http::status::no_content);
               return reply;
             });
  router.Add(
      beast_http::verb::post, "/api/v1/datasets/{name}/rows",
      [&ingest = use_cases.ingest, &metrics](Request& request) -> arrow::Result<Reply> {
        ARROW_ASSIGN_OR_RAISE(auto command, IngestCommandFor(request));
        ARROW_ASSIGN_OR_RAISE(auto result, ingest.Run(command));
        metrics.CountIngested(result.inserted_rows);
        return JsonReply(beast_http::status::created,
                         boost::json::object{{"inserted_rows", result.inserted_rows},
                                             {"elapsed_ms", result.elapsed_ms}});
      });
}

}  // namespace quiver::http

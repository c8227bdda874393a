#include "interfaces/http/query_json.h"

#include <boost/json.hpp>

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/problem.h"

namespace quiver::http {
namespace {

using domain::AggregateSpec;
using domain::FilterSpec;
using domain::ProblemKind;
using domain::QuerySpec;
using domain::Value;
using domain::Violation;

constexpr std::size_t kMaxReportedProblems = 100;

std::string Indexed(const std::string& path, std::size_t index) {
  return path + "[" + std::to_string(index) + "]";
}

std::string Member(const std::string& path, std::string_view name) {
  if (path.empty()) return std::string(name);
  return path + "." + std::string(name);
}

/// Reads JSON values into specs, collecting every shape problem with its path.
class SpecReader {
 public:
  void Add(std::string field, std::string message) {
    ++count_;
    if (violations_.size() >= kMaxReportedProblems) return;
    violations_.push_back({std::move(field), std::nullopt, std::move(message)});
  }

  bool ok() const { return count_ == 0; }

  arrow::Status ToStatus(std::string_view subject) && {
    std::string detail = "the " + std::string(subject) + " has " +
                         std::to_string(count_) +
                         (count_ == 1 ? " problem" : " problems");
    if (count_ > violations_.size()) {
      detail += "; the first " + std::to_string(violations_.size()) + " are listed";
    }
    return domain::MakeProblem(ProblemKind::kInvalidInput, std::move(detail),
                               std::move(violations_));
  }

  std::optional<std::string> String(const boost::json::value& value,
                                    const std::string& path) {
    if (value.is_string()) return std::string(value.get_string());
    Add(path, "must be a string");
    return std::nullopt;
  }

  std::vector<std::string> Strings(const boost::json::value& value,
                                   const std::string& path) {
    std::vector<std::string> strings;
    if (!value.is_array()) {
      Add(path, "must be an array of strings");
      return strings;
    }
    const auto& array = value.get_array();
    for (std::size_t index = 0; index < array.size(); ++index) {
      if (auto text = String(array[index], Indexed(path, index))) {
        strings.push_back(std::move(*text));
      }
    }
    return strings;
  }

  std::optional<Value> Scalar(const boost::json::value& value, const std::string& path) {
    switch (value.kind()) {
      case boost::json::kind::null:
        return Value{};
      case boost::json::kind::bool_:
        return Value{value.get_bool()};
      case boost::json::kind::int64:
        return Value{value.get_int64()};
      case boost::json::kind::uint64:
        // Only integers above int64's range arrive as uint64.
        return Value{static_cast<double>(value.get_uint64())};
      case boost::json::kind::double_:
        return Value{value.get_double()};
      case boost::json::kind::string:
        return Value{std::string(value.get_string())};
      default:
        Add(path, "must be a string, number, boolean or null");
        return std::nullopt;
    }
  }

  std::optional<int64_t> Integer(const boost::json::value& value,
                                 const std::string& path) {
    if (value.is_int64()) return value.get_int64();
    Add(path, value.is_uint64() ? "must be an integer up to 9223372036854775807"
                                : "must be an integer");
    return std::nullopt;
  }

  std::optional<double> Number(const boost::json::value& value, const std::string& path) {
    if (value.is_int64()) return static_cast<double>(value.get_int64());
    if (value.is_uint64()) return static_cast<double>(value.get_uint64());
    if (value.is_double()) return value.get_double();
    Add(path, "must be a number");
    return std::nullopt;
  }

  std::optional<bool> Boolean(const boost::json::value& value, const std::string& path) {
    if (value.is_bool()) return value.get_bool();
    Add(path, "must be true or false");
    return std::nullopt;
  }

  FilterSpec Filter(const boost::json::value& value, const std::string& path) {
    FilterSpec spec;
    if (!value.is_object()) {
      Add(path,
          "must be a filter object such as {\"op\": \"=\", \"column\": \"c\", "
          "\"value\": 1}");
      return spec;
    }
    for (const auto& [key, member] : value.get_object()) {
      ReadFilterMember(key, member, Member(path, key), spec);
    }
    return spec;
  }

  AggregateSpec Aggregate(const boost::json::value& value, const std::string& path) {
    AggregateSpec spec;
    if (!value.is_object()) {
      Add(path, "must be an object such as {\"function\": \"sum\", \"column\": \"c\"}");
      return spec;
    }
    for (const auto& [key, member] : value.get_object()) {
      const std::string field = Member(path, key);
      if (key == "function") {
        if (auto function = String(member, field)) spec.function = std::move(*function);
        continue;
      }
      if (member.is_null() && (key == "column" || key == "as" || key == "q")) continue;
      if (key == "column") {
        spec.column = String(member, field);
      } else if (key == "as") {
        spec.alias = String(member, field);
      } else if (key == "q") {
        spec.q = Number(member, field);
      } else {
        Add(field, "unknown member; expected function, column, as or q");
      }
    }
    return spec;
  }

  /// {"rows": N} or {"fraction": F}, with an optional "seed".
  std::optional<domain::SampleSpec> Sample(const boost::json::value& member,
                                           const std::string& field) {
    if (!member.is_object()) {
      Add(field, "must be an object such as {\"rows\": 1000, \"seed\": 42}");
      return std::nullopt;
    }
    domain::SampleSpec sample;
    for (const auto& [name, value] : member.get_object()) {
      const std::string path = field + "." + std::string(name);
      if (name == "rows") {
        sample.rows = Integer(value, path);
      } else if (name == "fraction") {
        if (!value.is_number()) {
          Add(path, "must be a number");
          continue;
        }
        sample.fraction = value.to_number<double>();
      } else if (name == "seed") {
        sample.seed = Integer(value, path).value_or(0);
      } else {
        Add(path, "unknown member; expected rows, fraction or seed");
      }
    }
    return sample;
  }

  /// {"column": "ts", "every": "1h"} or {"column": "value", "width": 10, "origin": 0},
  /// with an optional "as".
  std::optional<domain::BucketSpec> Bucket(const boost::json::value& member,
                                           const std::string& field) {
    if (!member.is_object()) {
      Add(field, "must be an object such as {\"column\": \"ts\", \"every\": \"1h\"}");
      return std::nullopt;
    }
    domain::BucketSpec bucket;
    for (const auto& [name, value] : member.get_object()) {
      const std::string path = field + "." + std::string(name);
      if (name == "column") {
        bucket.column = String(value, path).value_or("");
      } else if (name == "every") {
        bucket.every = String(value, path);
      } else if (name == "width") {
        bucket.width = Number(value, path);
      } else if (name == "origin") {
        bucket.origin = Number(value, path);
      } else if (name == "as") {
        bucket.alias = String(value, path);
      } else {
        Add(path, "unknown member; expected column, every, width, origin or as");
      }
    }
    return bucket;
  }

  void ReadQueryMember(std::string_view key, const boost::json::value& member,
                       QuerySpec& spec) {
    const std::string field(key);
    if (member.is_null() && IsQueryMember(key)) return;
    if (key == "select") {
      spec.select = Strings(member, field);
    } else if (key == "filter") {
      spec.filter = Filter(member, field);
    } else if (key == "group_by") {
      spec.group_by = Strings(member, field);
    } else if (key == "aggregates") {
      spec.aggregates = Aggregates(member, field);
    } else if (key == "order_by") {
      spec.order_by = member.is_string()
                          ? domain::SplitOrderBy(std::string_view(member.get_string()))
                          : Strings(member, field);
    } else if (key == "limit") {
      spec.limit = Integer(member, field);
    } else if (key == "offset") {
      spec.offset = Integer(member, field).value_or(0);
    } else if (key == "distinct") {
      spec.distinct = Boolean(member, field).value_or(false);
    } else if (key == "sample") {
      spec.sample = Sample(member, field);
    } else if (key == "bucket") {
      spec.bucket = Bucket(member, field);
    } else if (key == "cursor") {
      spec.cursor = String(member, field);
    } else {
      Add(field,
          "unknown member; expected select, filter, group_by, aggregates, bucket, "
          "order_by, limit, offset, cursor, distinct or sample");
    }
  }

 private:
  static bool IsQueryMember(std::string_view key) {
    constexpr std::string_view kMembers[] = {
        "select", "filter", "group_by", "aggregates", "bucket", "order_by",
        "limit",  "offset", "cursor",   "distinct",   "sample"};
    for (std::string_view known : kMembers) {
      if (key == known) return true;
    }
    return false;
  }

  std::vector<AggregateSpec> Aggregates(const boost::json::value& value,
                                        const std::string& path) {
    std::vector<AggregateSpec> aggregates;
    if (!value.is_array()) {
      Add(path, "must be an array of aggregates");
      return aggregates;
    }
    const auto& array = value.get_array();
    for (std::size_t index = 0; index < array.size(); ++index) {
      aggregates.push_back(Aggregate(array[index], Indexed(path, index)));
    }
    return aggregates;
  }

  std::vector<Value> Scalars(const boost::json::value& value, const std::string& path) {
    std::vector<Value> values;
    if (!value.is_array()) {
      Add(path, "must be an array of values");
      return values;
    }
    const auto& array = value.get_array();
    values.reserve(array.size());
    for (std::size_t index = 0; index < array.size(); ++index) {
      if (auto scalar = Scalar(array[index], Indexed(path, index))) {
        values.push_back(std::move(*scalar));
      }
    }
    return values;
  }

  std::vector<FilterSpec> Filters(const boost::json::value& value,
                                  const std::string& path) {
    std::vector<FilterSpec> filters;
    if (!value.is_array()) {
      Add(path, "must be an array of filters");
      return filters;
    }
    const auto& array = value.get_array();
    filters.reserve(array.size());
    for (std::size_t index = 0; index < array.size(); ++index) {
      filters.push_back(Filter(array[index], Indexed(path, index)));
    }
    return filters;
  }

  void ReadFilterMember(std::string_view key, const boost::json::value& member,
                        const std::string& field, FilterSpec& spec) {
    if (key == "op") {
      if (auto op = String(member, field)) spec.op = std::move(*op);
    } else if (key == "column") {
      if (!member.is_null()) spec.column = String(member, field);
    } else if (key == "value") {
      spec.value = Scalar(member, field);
    } else if (key == "values") {
      spec.values = Scalars(member, field);
    } else if (key == "low") {
      spec.low = Scalar(member, field);
    } else if (key == "high") {
      spec.high = Scalar(member, field);
    } else if (key == "args") {
      spec.args = Filters(member, field);
    } else if (key == "arg") {
      spec.arg = std::make_shared<const FilterSpec>(Filter(member, field));
    } else {
      Add(field,
          "unknown member; expected op, column, value, values, low, high, args or arg");
    }
  }

  std::size_t count_ = 0;
  std::vector<Violation> violations_;
};

arrow::Result<boost::json::value> ParseJson(std::string_view text,
                                            std::string_view subject) {
  boost::json::parse_options options;
  options.max_depth = kMaxQueryJsonDepth;
  boost::system::error_code error;
  boost::json::value document =
      boost::json::parse(text, error, boost::json::storage_ptr(), options);
  if (error == boost::json::error::too_deep) {
    return domain::MakeProblem(ProblemKind::kInvalidInput,
                               "the " + std::string(subject) + " nests deeper than " +
                                   std::to_string(kMaxQueryJsonDepth) +
                                   " JSON levels (filters nest at most " +
                                   std::to_string(domain::Filter::kMaxDepth) + " deep)");
  }
  if (error) {
    return domain::MakeProblem(
        ProblemKind::kInvalidInput,
        "the " + std::string(subject) + " is not valid JSON: " + error.message());
  }
  return document;
}

}  // namespace

arrow::Result<QuerySpec> ReadQuerySpec(const boost::json::value& document) {
  if (!document.is_object()) {
    return domain::MakeProblem(ProblemKind::kInvalidInput,
                               "the query must be a JSON object");
  }
  SpecReader reader;
  QuerySpec spec;
  for (const auto& [key, member] : document.get_object()) {
    reader.ReadQueryMember(key, member, spec);
  }
  if (!reader.ok()) return std::move(reader).ToStatus("query");
  return spec;
}

arrow::Result<QuerySpec> ParseQueryJson(std::string_view text) {
  ARROW_ASSIGN_OR_RAISE(auto document, ParseJson(text, "query"));
  return ReadQuerySpec(document);
}

arrow::Result<FilterSpec> ParseFilterJson(std::string_view text) {
  ARROW_ASSIGN_OR_RAISE(auto document, ParseJson(text, "filter"));
  SpecReader reader;
  FilterSpec spec = reader.Filter(document, "filter");
  if (!reader.ok()) return std::move(reader).ToStatus("filter");
  return spec;
}

}  // namespace quiver::http

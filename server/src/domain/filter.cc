#include "domain/filter.h"

#include <array>
#include <utility>

#include "domain/filter_internal.h"
#include "domain/filter_value_internal.h"
#include "domain/query_problems_internal.h"

namespace quiver::domain {
namespace {

/// Which members a node of an operator has.
enum class Shape {
  kLogical,     ///< args
  kNegation,    ///< arg
  kComparison,  ///< column, value
  kText,        ///< column, value (string columns only)
  kIn,          ///< column, values
  kBetween,     ///< column, low, high
  kIsNull,      ///< column
};

struct OperatorInfo {
  FilterOperator op;
  std::string_view name;
  Shape shape;
};

constexpr std::array<OperatorInfo, 14> kOperators = {{
    {FilterOperator::kAnd, "and", Shape::kLogical},
    {FilterOperator::kOr, "or", Shape::kLogical},
    {FilterOperator::kNot, "not", Shape::kNegation},
    {FilterOperator::kEqual, "=", Shape::kComparison},
    {FilterOperator::kNotEqual, "!=", Shape::kComparison},
    {FilterOperator::kLess, "<", Shape::kComparison},
    {FilterOperator::kLessOrEqual, "<=", Shape::kComparison},
    {FilterOperator::kGreater, ">", Shape::kComparison},
    {FilterOperator::kGreaterOrEqual, ">=", Shape::kComparison},
    {FilterOperator::kIn, "in", Shape::kIn},
    {FilterOperator::kBetween, "between", Shape::kBetween},
    {FilterOperator::kIsNull, "is_null", Shape::kIsNull},
    {FilterOperator::kStartsWith, "starts_with", Shape::kText},
    {FilterOperator::kContains, "contains", Shape::kText},
}};

constexpr std::string_view kOperatorList =
    "and, or, not, =, !=, <, <=, >, >=, in, between, is_null, starts_with or contains";

const OperatorInfo* FindOperator(std::string_view name) {
  for (const auto& info : kOperators) {
    if (info.name == name) return &info;
  }
  return nullptr;
}

/// True for operators that only make sense on ordered types.
bool NeedsOrder(FilterOperator op) {
  switch (op) {
    case FilterOperator::kLess:
    case FilterOperator::kLessOrEqual:
    case FilterOperator::kGreater:
    case FilterOperator::kGreaterOrEqual:
    case FilterOperator::kBetween:
      return true;
    default:
      return false;
  }
}

/// The members of a spec that are set, by their JSON names, with the shapes that
/// use them.
struct Member {
  std::string_view name;
  bool (*is_set)(const FilterSpec&);
  bool (*is_used_by)(Shape);
};

bool TakesColumn(Shape shape) {
  return shape != Shape::kLogical && shape != Shape::kNegation;
}

constexpr std::array<Member, 7> kMembers = {{
    {"column", [](const FilterSpec& spec) { return spec.column.has_value(); },
     TakesColumn},
    {"value", [](const FilterSpec& spec) { return spec.value.has_value(); },
     [](Shape shape) { return shape == Shape::kComparison || shape == Shape::kText; }},
    {"values", [](const FilterSpec& spec) { return spec.values.has_value(); },
     [](Shape shape) { return shape == Shape::kIn; }},
    {"low", [](const FilterSpec& spec) { return spec.low.has_value(); },
     [](Shape shape) { return shape == Shape::kBetween; }},
    {"high", [](const FilterSpec& spec) { return spec.high.has_value(); },
     [](Shape shape) { return shape == Shape::kBetween; }},
    {"args", [](const FilterSpec& spec) { return spec.args.has_value(); },
     [](Shape shape) { return shape == Shape::kLogical; }},
    {"arg", [](const FilterSpec& spec) { return spec.arg != nullptr; },
     [](Shape shape) { return shape == Shape::kNegation; }},
}};

std::string Quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

}  // namespace

std::string_view OperatorName(FilterOperator op) {
  for (const auto& info : kOperators) {
    if (info.op == op) return info.name;
  }
  return "?";
}

Filter::Filter(FilterOperator op, std::vector<Filter> operands,
               std::optional<Column> column, std::vector<Value> values)
    : op_(op),
      operands_(std::move(operands)),
      column_(std::move(column)),
      values_(std::move(values)) {}

/// Walks a FilterSpec tree, collecting problems and counting nodes and values
/// against the limits; builds the Filter when nothing is wrong.
class FilterBuilder {
 public:
  FilterBuilder(const Schema& schema, std::string root_path,
                internal::ProblemCollector& problems)
      : schema_(schema), root_path_(std::move(root_path)), problems_(problems) {}

  std::optional<Filter> Build(const FilterSpec& spec, const std::string& path,
                              int depth) {
    if (!CountNode(path, depth)) return std::nullopt;
    const OperatorInfo* info = FindOperator(spec.op);
    if (info == nullptr) {
      problems_.Add(path + ".op", (spec.op.empty() ? "required: " : "expected ") +
                                      std::string(kOperatorList));
      return std::nullopt;
    }
    const bool members_fit = CheckMembers(spec, *info, path);
    std::optional<Filter> filter;
    switch (info->shape) {
      case Shape::kLogical:
        filter = BuildLogical(spec, *info, path, depth);
        break;
      case Shape::kNegation:
        filter = BuildNegation(spec, path, depth);
        break;
      default:
        filter = BuildTest(spec, *info, path);
        break;
    }
    if (!members_fit) return std::nullopt;
    return filter;
  }

 private:
  bool CountNode(const std::string& path, int depth) {
    if (depth > Filter::kMaxDepth) {
      if (!reported_depth_) {
        problems_.Add(
            path, "nests deeper than " + std::to_string(Filter::kMaxDepth) + " levels");
      }
      reported_depth_ = true;
      return false;
    }
    if (++node_count_ > Filter::kMaxNodes) {
      if (!reported_nodes_) {
        problems_.Add(root_path_,
                      "has more than " + std::to_string(Filter::kMaxNodes) + " nodes");
      }
      reported_nodes_ = true;
      return false;
    }
    return true;
  }

  bool CountValues(std::size_t count) {
    value_count_ += count;
    if (value_count_ <= Filter::kMaxValues) return true;
    if (!reported_values_) {
      problems_.Add(root_path_, "has more than " + std::to_string(Filter::kMaxValues) +
                                    " values in all");
    }
    reported_values_ = true;
    return false;
  }

  /// Reports members the operator does not use.
  bool CheckMembers(const FilterSpec& spec, const OperatorInfo& info,
                    const std::string& path) {
    bool fits = true;
    for (const auto& member : kMembers) {
      if (!member.is_set(spec) || member.is_used_by(info.shape)) continue;
      problems_.Add(path + "." + std::string(member.name),
                    "is not used by " + Quoted(info.name));
      fits = false;
    }
    return fits;
  }

  std::optional<Filter> BuildLogical(const FilterSpec& spec, const OperatorInfo& info,
                                     const std::string& path, int depth) {
    if (!spec.args || spec.args->empty()) {
      problems_.Add(path + ".args",
                    Quoted(info.name) + " needs an array of 1 or more " + "filters");
      return std::nullopt;
    }
    std::vector<Filter> operands;
    bool complete = true;
    for (std::size_t index = 0; index < spec.args->size(); ++index) {
      auto operand = Build((*spec.args)[index],
                           path + ".args[" + std::to_string(index) + "]", depth + 1);
      complete = complete && operand.has_value();
      if (complete) operands.push_back(std::move(*operand));
    }
    if (!complete) return std::nullopt;
    return Filter(info.op, std::move(operands), std::nullopt, {});
  }

  std::optional<Filter> BuildNegation(const FilterSpec& spec, const std::string& path,
                                      int depth) {
    if (spec.arg == nullptr) {
      problems_.Add(path + ".arg", "'not' needs a filter");
      return std::nullopt;
    }
    auto operand = Build(*spec.arg, path + ".arg", depth + 1);
    if (!operand) return std::nullopt;
    std::vector<Filter> operands;
    operands.push_back(std::move(*operand));
    return Filter(FilterOperator::kNot, std::move(operands), std::nullopt, {});
  }

  std::optional<Filter> BuildTest(const FilterSpec& spec, const OperatorInfo& info,
                                  const std::string& path) {
    const Column* column = ResolveColumn(spec, path);
    if (column == nullptr || !CheckApplies(info, *column, path)) return std::nullopt;
    std::vector<Value> values;
    bool complete = true;
    auto take = [&](const std::optional<Value>& value, std::string_view member) {
      auto checked = CheckOperand(value, *column, path + "." + std::string(member));
      complete = complete && checked.has_value();
      if (checked) values.push_back(std::move(*checked));
    };
    switch (info.shape) {
      case Shape::kComparison:
      case Shape::kText:
        take(spec.value, "value");
        break;
      case Shape::kBetween:
        take(spec.low, "low");
        take(spec.high, "high");
        break;
      case Shape::kIn:
        complete = TakeCandidates(spec, *column, path, values);
        break;
      default:
        break;
    }
    if (!complete || !CountValues(values.size())) return std::nullopt;
    return Filter(info.op, {}, *column, std::move(values));
  }

  bool TakeCandidates(const FilterSpec& spec, const Column& column,
                      const std::string& path, std::vector<Value>& values) {
    const std::string field = path + ".values";
    if (!spec.values || spec.values->empty() ||
        spec.values->size() > Filter::kMaxInValues) {
      problems_.Add(field, "'in' needs an array of 1 to " +
                               std::to_string(Filter::kMaxInValues) + " values");
      return false;
    }
    bool complete = true;
    values.reserve(spec.values->size());
    for (std::size_t index = 0; index < spec.values->size(); ++index) {
      auto checked = CheckOperand((*spec.values)[index], column,
                                  field + "[" + std::to_string(index) + "]");
      complete = complete && checked.has_value();
      if (checked) values.push_back(std::move(*checked));
    }
    return complete;
  }

  const Column* ResolveColumn(const FilterSpec& spec, const std::string& path) {
    if (!spec.column) {
      problems_.Add(path + ".column", "required: the name of the column to test");
      return nullptr;
    }
    const Column* column = schema_.Find(*spec.column);
    if (column == nullptr) {
      problems_.Add(path + ".column", internal::UnknownColumnMessage(*spec.column));
    }
    return column;
  }

  bool CheckApplies(const OperatorInfo& info, const Column& column,
                    const std::string& path) {
    const TypeKind kind = column.type.kind();
    const std::string subject = Quoted(info.name) + " does not apply to " +
                                std::string(KindName(kind)) + " column " +
                                Quoted(column.name.value());
    if (info.shape == Shape::kIsNull) return true;
    if (info.shape == Shape::kText && kind != TypeKind::kString) {
      problems_.Add(path + ".op", subject + "; it needs a string column");
      return false;
    }
    if (!internal::HasComparableValues(kind)) {
      problems_.Add(path + ".op", subject + "; only is_null does");
      return false;
    }
    if (NeedsOrder(info.op) && !internal::IsOrdered(kind)) {
      problems_.Add(path + ".op", subject + "; use =, != or in");
      return false;
    }
    return true;
  }

  std::optional<Value> CheckOperand(const std::optional<Value>& operand,
                                    const Column& column, const std::string& field) {
    if (!operand) {
      problems_.Add(field, "required");
      return std::nullopt;
    }
    if (std::holds_alternative<std::monostate>(*operand)) {
      problems_.Add(field, "is null, which never matches; use is_null to find nulls");
      return std::nullopt;
    }
    Value value = *operand;
    if (auto problem = internal::CheckValue(column.type, value)) {
      problems_.Add(field, *problem);
      return std::nullopt;
    }
    return value;
  }

  const Schema& schema_;
  std::string root_path_;
  internal::ProblemCollector& problems_;
  std::size_t node_count_ = 0;
  std::size_t value_count_ = 0;
  bool reported_depth_ = false;
  bool reported_nodes_ = false;
  bool reported_values_ = false;
};

namespace internal {

std::optional<Filter> BuildFilter(const FilterSpec& spec, const Schema& schema,
                                  const std::string& path, ProblemCollector& problems) {
  FilterBuilder builder(schema, path, problems);
  return builder.Build(spec, path, 1);
}

}  // namespace internal

arrow::Result<Filter> Filter::Make(const FilterSpec& spec, const Schema& schema) {
  internal::ProblemCollector problems(internal::kMaxReportedProblems);
  auto filter = internal::BuildFilter(spec, schema, "filter", problems);
  if (!problems.empty() || !filter) return std::move(problems).ToStatus("filter");
  return std::move(*filter);
}

}  // namespace quiver::domain

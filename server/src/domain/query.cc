#include "domain/query.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <utility>
#include <variant>

#include "domain/filter_internal.h"
#include "domain/filter_value_internal.h"
#include "domain/problem.h"
#include "domain/query_problems_internal.h"
#include "domain/text_internal.h"

namespace quiver::domain {
namespace {

using internal::ProblemCollector;

static_assert(Query::kMaxReportedProblems == internal::kMaxReportedProblems);

struct FunctionInfo {
  AggregateFunction function;
  std::string_view name;
};

constexpr std::array<FunctionInfo, 8> kFunctions = {{
    {AggregateFunction::kCount, "count"},
    {AggregateFunction::kCountDistinct, "count_distinct"},
    {AggregateFunction::kSum, "sum"},
    {AggregateFunction::kMean, "mean"},
    {AggregateFunction::kMin, "min"},
    {AggregateFunction::kMax, "max"},
    {AggregateFunction::kStddev, "stddev"},
    {AggregateFunction::kQuantile, "quantile"},
}};

constexpr std::string_view kFunctionList =
    "count, count_distinct, sum, mean, min, max, stddev or quantile";

const FunctionInfo* FindFunction(std::string_view name) {
  for (const auto& info : kFunctions) {
    if (info.name == name) return &info;
  }
  return nullptr;
}

/// sum, mean, stddev and quantile compute on the values themselves.
bool NeedsSummable(AggregateFunction function) {
  switch (function) {
    case AggregateFunction::kSum:
    case AggregateFunction::kMean:
    case AggregateFunction::kStddev:
    case AggregateFunction::kQuantile:
      return true;
    default:
      return false;
  }
}

std::string Indexed(std::string_view list, std::size_t index) {
  return std::string(list) + "[" + std::to_string(index) + "]";
}

std::string Quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

/// The message of the one violation a value object's Make reports.
std::string ViolationMessage(const arrow::Status& status) {
  const ProblemDetail* detail = FindProblemDetail(status);
  if (detail != nullptr && !detail->violations().empty()) {
    return detail->violations().front().message;
  }
  return status.message();
}

/// Names already taken in one list, to report repeats (names ignore case).
class NameRegistry {
 public:
  /// The field that already used `name`, or nothing (and then `name` is recorded
  /// with `field`).
  std::optional<std::string> Claim(std::string_view name, std::string field) {
    for (const auto& [taken, owner] : names_) {
      if (internal::EqualsIgnoringCase(taken, name)) return owner;
    }
    names_.emplace_back(std::string(name), std::move(field));
    return std::nullopt;
  }

 private:
  std::vector<std::pair<std::string, std::string>> names_;
};

/// Validates one QuerySpec part by part into a Query's parts.
class QueryChecker {
 public:
  QueryChecker(const QuerySpec& spec, const Schema& schema)
      : spec_(spec),
        schema_(schema),
        aggregating_(!spec.group_by.empty() || !spec.aggregates.empty()),
        problems_(Query::kMaxReportedProblems) {}

  /// Sort terms may name the bucket's result column.
  void UseBucketAlias(const ColumnName& alias) { bucket_alias_ = alias; }

  std::vector<Column> CheckSelect() {
    if (aggregating_) {
      if (!spec_.select.empty()) {
        problems_.Add("select",
                      "must be empty when the query has group_by or aggregates: the "
                      "result's columns are the groups and the aggregates");
      }
      return {};
    }
    if (spec_.select.empty()) return schema_.columns();
    return ResolveColumns(spec_.select, "select");
  }

  std::optional<Filter> CheckFilter() {
    if (!spec_.filter) return std::nullopt;
    return internal::BuildFilter(*spec_.filter, schema_, "filter", problems_);
  }

  std::vector<Column> CheckGroupBy() {
    if (spec_.group_by.size() > Query::kMaxAggregates) {
      problems_.Add("group_by", "has more than " + std::to_string(Query::kMaxAggregates) +
                                    " columns");
      return {};
    }
    return ResolveColumns(spec_.group_by, "group_by");
  }

  std::vector<Aggregate> CheckAggregates(const std::vector<Column>& group_by,
                                         const std::optional<Bucket>& bucket) {
    if (spec_.aggregates.size() > Query::kMaxAggregates) {
      problems_.Add("aggregates",
                    "has more than " + std::to_string(Query::kMaxAggregates) + " items");
      return {};
    }
    NameRegistry names;
    if (bucket) (void)names.Claim(bucket->alias.value(), "bucket.as");
    for (std::size_t index = 0; index < group_by.size(); ++index) {
      (void)names.Claim(group_by[index].name.value(), Indexed("group_by", index));
    }
    std::vector<Aggregate> aggregates;
    for (std::size_t index = 0; index < spec_.aggregates.size(); ++index) {
      auto aggregate =
          CheckAggregate(spec_.aggregates[index], Indexed("aggregates", index), names);
      if (aggregate) aggregates.push_back(std::move(*aggregate));
    }
    if (bucket && spec_.aggregates.empty()) {
      // Buckets without aggregates count their rows: a histogram.
      AggregateSpec count{"count", std::nullopt, std::nullopt, std::nullopt};
      auto aggregate = CheckAggregate(count, "bucket", names);
      if (aggregate) aggregates.push_back(std::move(*aggregate));
    }
    return aggregates;
  }

  std::optional<Bucket> CheckBucket() {
    if (!spec_.bucket) return std::nullopt;
    const BucketSpec& spec = *spec_.bucket;
    const Column* column = schema_.Find(spec.column);
    if (column == nullptr) {
      problems_.Add("bucket.column", spec.column.empty()
                                         ? "required: the column to bucket"
                                         : internal::UnknownColumnMessage(spec.column));
    }
    if (spec.every.has_value() == spec.width.has_value()) {
      problems_.Add("bucket",
                    "give either every (time buckets, such as \"1h\") or "
                    "width (numeric bins)");
      return std::nullopt;
    }
    auto alias = ColumnName::Make(spec.alias.value_or("bucket"));
    if (!alias.ok()) problems_.Add("bucket.as", ViolationMessage(alias.status()));
    if (column == nullptr || !alias.ok()) return std::nullopt;
    Bucket bucket{*column, BucketKind::kNumeric, "", 0, 0, *alias};
    const TypeKind kind = column->type.kind();
    if (spec.every) {
      bucket.kind = BucketKind::kTime;
      if (kind != TypeKind::kTimestamp && kind != TypeKind::kDate) {
        problems_.Add("bucket.column", "time buckets need a timestamp or date column; " +
                                           Quoted(column->name.value()) + " is " +
                                           std::string(KindName(kind)));
        return std::nullopt;
      }
      auto interval = ParseEvery(*spec.every, kind == TypeKind::kDate);
      if (!interval) return std::nullopt;
      bucket.interval = *interval;
      if (spec.origin) problems_.Add("bucket.origin", "only numeric bins take origin");
      return bucket;
    }
    if (!internal::IsSummable(kind)) {
      problems_.Add("bucket.column", "numeric bins need a numeric or decimal column; " +
                                         Quoted(column->name.value()) + " is " +
                                         std::string(KindName(kind)));
      return std::nullopt;
    }
    if (!std::isfinite(*spec.width) || *spec.width <= 0) {
      problems_.Add("bucket.width", "must be a number above 0");
      return std::nullopt;
    }
    if (spec.origin && !std::isfinite(*spec.origin)) {
      problems_.Add("bucket.origin", "must be a finite number");
      return std::nullopt;
    }
    bucket.width = *spec.width;
    bucket.origin = spec.origin.value_or(0);
    return bucket;
  }

  /// The page order when the query is a cursor page: the sort keys, then the primary
  /// key's columns not already among them, or else the insertion order.
  std::vector<PageKey> CheckPaging(const std::vector<SortKey>& order_by,
                                   bool aggregating) {
    const bool requested = spec_.cursor.has_value();
    const bool rows_only = !aggregating && !spec_.distinct && !spec_.sample;
    const bool pageable = rows_only && spec_.offset == 0 && spec_.limit.has_value();
    if (requested && !pageable) {
      problems_.Add("cursor",
                    !rows_only ? "cursor pages are for rows; page groups, distinct rows "
                                 "and samples with limit and offset"
                    : spec_.offset != 0 ? "give either cursor or offset, not both"
                                        : "cursor pages need a limit (the page size)");
      return {};
    }
    if (!pageable || *spec_.limit <= 0) return {};
    if (!requested && *spec_.limit > Query::kMaxImplicitPageRows) return {};
    std::vector<PageKey> keys;
    keys.reserve(order_by.size() + 1);
    for (const auto& key : order_by) {
      keys.push_back(PageKey{*schema_.Find(key.name.value()), key.descending});
    }
    // The insertion order (each row's stored position, in a column whose reserved
    // "_quiver" name no dataset column can take), which reads without order_by
    // follow too, so offset windows and cursor pages agree.
    keys.push_back(PageKey{std::nullopt, false});
    if (spec_.after && spec_.after->size() != keys.size()) {
      problems_.Add("cursor", "was made for another query; start again without it");
      return {};
    }
    return keys;
  }

  std::vector<SortKey> CheckOrderBy(const std::vector<Column>& select,
                                    const std::vector<Column>& group_by,
                                    const std::vector<Aggregate>& aggregates) {
    std::vector<SortKey> keys;
    NameRegistry seen;
    for (std::size_t index = 0; index < spec_.order_by.size(); ++index) {
      const std::string field = Indexed("order_by", index);
      std::string_view term = spec_.order_by[index];
      const bool descending = !term.empty() && term.front() == '-';
      if (descending) term.remove_prefix(1);
      if (term.empty()) {
        problems_.Add(field,
                      "expected a column name, with a leading '-' to sort "
                      "descending");
        continue;
      }
      const ColumnName* name = ResolveSortName(term, field, select, group_by, aggregates);
      if (name == nullptr) continue;
      if (auto owner = seen.Claim(name->value(), field)) {
        problems_.Add(field, "repeats " + *owner);
        continue;
      }
      keys.push_back(SortKey{*name, descending});
    }
    return keys;
  }

  void CheckPage() {
    if (spec_.limit && *spec_.limit < 0) problems_.Add("limit", "must be 0 or more");
    if (spec_.offset < 0) problems_.Add("offset", "must be 0 or more");
  }

  void CheckSample() {
    if (!spec_.sample) return;
    const SampleSpec& sample = *spec_.sample;
    if (sample.rows.has_value() == sample.fraction.has_value()) {
      problems_.Add("sample", "give either rows or fraction");
      return;
    }
    if (sample.rows && *sample.rows < 0)
      problems_.Add("sample.rows", "must be 0 or more");
    if (sample.fraction && !(*sample.fraction > 0.0 && *sample.fraction <= 1.0)) {
      problems_.Add("sample.fraction", "must be more than 0 and at most 1");
    }
  }

  void CheckDistinct() {
    if (spec_.distinct && aggregating_) {
      problems_.Add("distinct",
                    "cannot be combined with group_by or aggregates: groups are "
                    "distinct already");
    }
  }

  bool ok() const { return problems_.empty(); }
  arrow::Status ToStatus() && { return std::move(problems_).ToStatus("query"); }

 private:
  std::vector<Column> ResolveColumns(const std::vector<std::string>& names,
                                     std::string_view list) {
    std::vector<Column> columns;
    NameRegistry seen;
    for (std::size_t index = 0; index < names.size(); ++index) {
      const std::string field = Indexed(list, index);
      const Column* column = schema_.Find(names[index]);
      if (column == nullptr) {
        problems_.Add(field, internal::UnknownColumnMessage(names[index]));
        continue;
      }
      if (auto owner = seen.Claim(column->name.value(), field)) {
        problems_.Add(field, "repeats " + *owner);
        continue;
      }
      columns.push_back(*column);
    }
    return columns;
  }

  std::optional<Aggregate> CheckAggregate(const AggregateSpec& spec,
                                          const std::string& path, NameRegistry& names) {
    const FunctionInfo* info = FindFunction(spec.function);
    if (info == nullptr) {
      problems_.Add(path + ".function",
                    (spec.function.empty() ? "required: " : "expected ") +
                        std::string(kFunctionList));
      return std::nullopt;
    }
    bool complete = true;
    std::optional<Column> column = CheckAggregateColumn(spec, *info, path, complete);
    const double quantile = CheckQuantile(spec, *info, path, complete);
    auto alias = CheckAlias(spec, *info, column, path, names);
    if (!complete || !alias) return std::nullopt;
    return Aggregate{info->function, std::move(column), std::move(*alias), quantile};
  }

  std::optional<Column> CheckAggregateColumn(const AggregateSpec& spec,
                                             const FunctionInfo& info,
                                             const std::string& path, bool& complete) {
    const std::string field = path + ".column";
    if (!spec.column) {
      if (info.function == AggregateFunction::kCount) return std::nullopt;
      problems_.Add(field, "required: " + Quoted(info.name) + " needs a column");
      complete = false;
      return std::nullopt;
    }
    const Column* column = schema_.Find(*spec.column);
    if (column == nullptr) {
      problems_.Add(field, internal::UnknownColumnMessage(*spec.column));
      complete = false;
      return std::nullopt;
    }
    if (NeedsSummable(info.function) && !internal::IsSummable(column->type.kind())) {
      problems_.Add(field, Quoted(info.name) + " needs a numeric or decimal column; " +
                               Quoted(column->name.value()) + " is " +
                               std::string(KindName(column->type.kind())));
      complete = false;
    }
    return *column;
  }

  double CheckQuantile(const AggregateSpec& spec, const FunctionInfo& info,
                       const std::string& path, bool& complete) {
    const std::string field = path + ".q";
    if (info.function != AggregateFunction::kQuantile) {
      if (!spec.q) return 0;
      problems_.Add(field, "only 'quantile' takes q");
      complete = false;
      return 0;
    }
    if (!spec.q || !std::isfinite(*spec.q) || *spec.q < 0 || *spec.q > 1) {
      problems_.Add(field, std::string(spec.q ? "expected" : "required:") +
                               " a number from 0 to 1, such as 0.9");
      complete = false;
      return 0;
    }
    return *spec.q;
  }

  std::optional<ColumnName> CheckAlias(const AggregateSpec& spec,
                                       const FunctionInfo& info,
                                       const std::optional<Column>& column,
                                       const std::string& path, NameRegistry& names) {
    const std::string field = path + ".as";
    std::string text;
    if (spec.alias) {
      text = *spec.alias;
    } else if (column) {
      text = std::string(info.name) + "_" + column->name.value();
    } else if (spec.column) {
      return std::nullopt;  // the unknown column was reported
    } else {
      text = std::string(info.name);
    }
    auto alias = ColumnName::Make(text);
    if (!alias.ok()) {
      problems_.Add(field, spec.alias ? ViolationMessage(alias.status())
                                      : "the default name " + Quoted(text) +
                                            " is not a valid column name (" +
                                            ViolationMessage(alias.status()) +
                                            "); name the result with \"as\"");
      return std::nullopt;
    }
    if (auto owner = names.Claim(alias->value(), field)) {
      problems_.Add(field, "the result name " + Quoted(alias->value()) + " is taken by " +
                               *owner +
                               (spec.alias ? "" : "; name the result with \"as\""));
      return std::nullopt;
    }
    return std::move(alias).ValueUnsafe();
  }

  /// The DuckDB interval of a bucket width such as "15m" or "1mo"; reports what is
  /// wrong otherwise. Dates take whole days or more.
  std::optional<std::string> ParseEvery(std::string_view text, bool date) {
    struct Unit {
      std::string_view suffix;
      std::string_view interval;
      bool whole_days;
    };
    static constexpr std::array<Unit, 7> kUnits = {{{"mo", "months", true},
                                                    {"s", "seconds", false},
                                                    {"m", "minutes", false},
                                                    {"h", "hours", false},
                                                    {"d", "days", true},
                                                    {"w", "weeks", true},
                                                    {"y", "years", true}}};
    std::size_t digits = 0;
    while (digits < text.size() && internal::IsAsciiDigit(text[digits])) ++digits;
    int64_t count = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + digits, count);
    const std::string_view suffix = text.substr(digits);
    for (const auto& unit : kUnits) {
      if (unit.suffix != suffix || digits == 0 || error != std::errc() || count <= 0 ||
          count > 1'000'000) {
        continue;
      }
      if (date && !unit.whole_days) {
        problems_.Add("bucket.every", "dates are bucketed by d, w, mo or y");
        return std::nullopt;
      }
      return std::to_string(count) + " " + std::string(unit.interval);
    }
    problems_.Add("bucket.every",
                  "expected a count and a unit: s, m, h, d, w, mo or y, such as "
                  "\"15m\", \"1h\" or \"1mo\"; got " +
                      Quoted(text));
    return std::nullopt;
  }

  /// The result column a sort term names, with the result's spelling.
  const ColumnName* ResolveSortName(std::string_view term, const std::string& field,
                                    const std::vector<Column>& select,
                                    const std::vector<Column>& group_by,
                                    const std::vector<Aggregate>& aggregates) {
    if (aggregating_) {
      if (bucket_alias_ && bucket_alias_->SameAs(term)) return &*bucket_alias_;
      for (const auto& column : group_by) {
        if (column.name.SameAs(term)) return &column.name;
      }
      for (const auto& aggregate : aggregates) {
        if (aggregate.alias.SameAs(term)) return &aggregate.alias;
      }
      problems_.Add(field, internal::FindIdentifierProblem(term)
                               ? "does not name a group_by column or an aggregate"
                               : Quoted(term) +
                                     " is neither a group_by column nor an "
                                     "aggregate's name");
      return nullptr;
    }
    const Column* column = schema_.Find(term);
    if (column == nullptr) {
      problems_.Add(field, internal::UnknownColumnMessage(term));
      return nullptr;
    }
    if (!spec_.distinct) return &column->name;
    for (const auto& selected : select) {
      if (selected.name.SameAs(term)) return &column->name;
    }
    problems_.Add(field, "with distinct, sort by selected columns only; " +
                             Quoted(column->name.value()) + " is not selected");
    return nullptr;
  }

  const QuerySpec& spec_;
  const Schema& schema_;
  bool aggregating_;
  ProblemCollector problems_;
  /// The bucket's result name, for sort terms (set once the bucket is checked).
  std::optional<ColumnName> bucket_alias_;
};

/// Appends a canonical spelling of a filter: the same filter always gives the same
/// text, different filters different text.
void AppendCanonical(const Filter& filter, std::string& out) {
  out += OperatorName(filter.op());
  out += '(';
  if (filter.op() != FilterOperator::kAnd && filter.op() != FilterOperator::kOr &&
      filter.op() != FilterOperator::kNot) {
    out += std::to_string(filter.column().name.value().size());
    out += ':';
    out += filter.column().name.value();
  }
  for (const auto& value : filter.values()) {
    out += ',';
    out += std::to_string(value.index());
    out += ':';
    std::visit(
        [&out](const auto& held) {
          using Held = std::decay_t<decltype(held)>;
          if constexpr (std::is_same_v<Held, std::string>) {
            out += std::to_string(held.size());
            out += ':';
            out += held;
          } else if constexpr (std::is_same_v<Held, double>) {
            std::array<char, 32> text{};
            auto [end, error] =
                std::to_chars(text.data(), text.data() + text.size(), held);
            out.append(text.data(), end);
          } else if constexpr (std::is_same_v<Held, bool>) {
            out += held ? "true" : "false";
          } else if constexpr (std::is_same_v<Held, int64_t>) {
            out += std::to_string(held);
          }
        },
        value);
  }
  for (const auto& operand : filter.operands()) {
    out += ',';
    AppendCanonical(operand, out);
  }
  out += ')';
}

/// FNV-1a, 64 bits: stable across builds and platforms, unlike std::hash.
uint64_t Fnv1a(std::string_view text) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char character : text) {
    hash ^= character;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

}  // namespace

std::vector<std::string> SplitOrderBy(std::string_view text) {
  std::vector<std::string> terms;
  auto trimmed = [](std::string_view term) {
    while (!term.empty() && term.front() == ' ') term.remove_prefix(1);
    while (!term.empty() && term.back() == ' ') term.remove_suffix(1);
    return std::string(term);
  };
  if (trimmed(text).empty()) return terms;
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) {
      terms.push_back(trimmed(text.substr(start)));
      return terms;
    }
    terms.push_back(trimmed(text.substr(start, comma - start)));
    start = comma + 1;
  }
}

std::string_view FunctionName(AggregateFunction function) {
  for (const auto& info : kFunctions) {
    if (info.function == function) return info.name;
  }
  return "?";
}

arrow::Result<Query> Query::Make(const QuerySpec& spec, const Schema& schema) {
  QueryChecker checker(spec, schema);
  Query query;
  query.bucket_ = checker.CheckBucket();
  if (query.bucket_) checker.UseBucketAlias(query.bucket_->alias);
  query.select_ = checker.CheckSelect();
  query.filter_ = checker.CheckFilter();
  query.group_by_ = checker.CheckGroupBy();
  query.aggregates_ = checker.CheckAggregates(query.group_by_, query.bucket_);
  query.order_by_ =
      checker.CheckOrderBy(query.select_, query.group_by_, query.aggregates_);
  checker.CheckPage();
  checker.CheckDistinct();
  checker.CheckSample();
  query.page_order_ = checker.CheckPaging(query.order_by_, query.aggregating());
  if (!checker.ok()) return std::move(checker).ToStatus();
  if (query.bucket_ && query.order_by_.empty()) {
    query.order_by_.push_back(SortKey{query.bucket_->alias, false});
  }
  query.limit_ = spec.limit;
  query.offset_ = spec.offset;
  query.distinct_ = spec.distinct;
  query.sample_ = spec.sample;
  query.cursor_requested_ = spec.cursor.has_value();
  if (query.paged()) query.after_ = spec.after;
  return query;
}

Query Query::EndingAt(KeyValues last) const {
  Query page = *this;
  page.through_ = std::move(last);
  return page;
}

std::string Query::PageFingerprint() const {
  std::string canonical = "filter:";
  if (filter_) AppendCanonical(*filter_, canonical);
  canonical += ";order:";
  for (const auto& key : page_order_) {
    canonical += key.column ? key.column->name.value() : std::string("#row");
    canonical += key.descending ? "-," : "+,";
  }
  std::array<char, 17> hex{};
  std::snprintf(hex.data(), hex.size(), "%016llx",
                static_cast<unsigned long long>(Fnv1a(canonical)));
  return std::string(hex.data(), 16);
}

}  // namespace quiver::domain

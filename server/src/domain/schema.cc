#include "domain/schema.h"

#include <algorithm>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include "domain/problem.h"
#include "domain/text_internal.h"

namespace quiver::domain {
namespace {

/// Gathers a schema's problems, keeping the first kMaxReportedProblems but counting
/// them all.
class ProblemList {
 public:
  void Add(std::string field, std::string message) {
    ++count_;
    if (violations_.size() >= Schema::kMaxReportedProblems) return;
    violations_.push_back({std::move(field), std::nullopt, std::move(message)});
  }

  bool empty() const { return count_ == 0; }

  arrow::Status ToStatus() && {
    std::string detail = "the schema has " + std::to_string(count_) +
                         (count_ == 1 ? " problem" : " problems");
    if (count_ > violations_.size()) {
      detail += "; the first " + std::to_string(violations_.size()) + " are listed";
    }
    return MakeProblem(ProblemKind::kValidationFailed, std::move(detail),
                       std::move(violations_));
  }

 private:
  std::size_t count_ = 0;
  std::vector<Violation> violations_;
};

/// One column as far as it could be read: the name text always, the name and type
/// only when they are valid.
struct Candidate {
  std::string_view text;
  std::optional<ColumnName> name;
  std::optional<ColumnType> type;
  bool required = false;
};

std::string ColumnField(std::size_t index, std::string_view part) {
  return "columns[" + std::to_string(index) + "]." + std::string(part);
}

std::string PrimaryKeyField(std::size_t index) {
  return "primary_key[" + std::to_string(index) + "]";
}

/// The message of the one violation a value object's Make reports.
std::string ViolationMessage(const arrow::Status& status) {
  const ProblemDetail* detail = FindProblemDetail(status);
  if (detail != nullptr && !detail->violations().empty()) {
    return detail->violations().front().message;
  }
  return status.message();
}

std::string Folded(std::string_view text) {
  std::string folded(text);
  std::transform(folded.begin(), folded.end(), folded.begin(), internal::ToAsciiLower);
  return folded;
}

/// Float keys compare inexactly (NaN, -0.0) and nested values have no total order
/// in every engine, so they cannot identify rows.
bool CanBeInPrimaryKey(const ColumnType& type) {
  switch (type.kind()) {
    case TypeKind::kFloat32:
    case TypeKind::kFloat64:
    case TypeKind::kList:
    case TypeKind::kStruct:
      return false;
    default:
      return true;
  }
}

std::vector<Candidate> ReadSpecs(const std::vector<ColumnSpec>& specs,
                                 ProblemList& problems) {
  std::vector<Candidate> candidates;
  candidates.reserve(specs.size());
  for (std::size_t index = 0; index < specs.size(); ++index) {
    const ColumnSpec& spec = specs[index];
    Candidate candidate{spec.name, std::nullopt, std::nullopt, spec.required};
    auto name = ColumnName::Make(spec.name);
    if (name.ok()) {
      candidate.name = std::move(name).ValueUnsafe();
    } else {
      problems.Add(ColumnField(index, "name"), ViolationMessage(name.status()));
    }
    auto type = ColumnType::Parse(spec.type);
    if (type.ok()) {
      candidate.type = std::move(type).ValueUnsafe();
    } else {
      problems.Add(ColumnField(index, "type"), ViolationMessage(type.status()));
    }
    candidates.push_back(std::move(candidate));
  }
  return candidates;
}

void CheckColumnCount(std::size_t count, ProblemList& problems) {
  if (count > 0) return;
  problems.Add("columns", "a dataset needs at least 1 column");
}

void CheckUniqueNames(const std::vector<Candidate>& candidates, ProblemList& problems) {
  std::unordered_map<std::string, std::size_t> first_index;
  for (std::size_t index = 0; index < candidates.size(); ++index) {
    if (!candidates[index].name) continue;
    auto [existing, inserted] =
        first_index.emplace(Folded(candidates[index].name->value()), index);
    if (inserted) continue;
    problems.Add(ColumnField(index, "name"), "repeats the name of columns[" +
                                                 std::to_string(existing->second) +
                                                 "] (column names ignore case)");
  }
}

/// The index of the first candidate whose text names `key`, ignoring case.
std::optional<std::size_t> FindCandidate(const std::vector<Candidate>& candidates,
                                         std::string_view key) {
  for (std::size_t index = 0; index < candidates.size(); ++index) {
    if (internal::EqualsIgnoringCase(candidates[index].text, key)) return index;
  }
  return std::nullopt;
}

std::string UnknownColumnMessage(std::string_view key) {
  // Echo the name only when it is a plain identifier, never arbitrary bytes.
  if (internal::FindIdentifierProblem(key)) return "does not name a column";
  return "there is no column named '" + std::string(key) + "'";
}

/// The candidate indexes of the primary key, in key order; problems for entries that
/// do not resolve to a distinct column of a suitable type.
std::vector<std::size_t> ResolvePrimaryKey(const std::vector<Candidate>& candidates,
                                           const std::vector<std::string_view>& keys,
                                           ProblemList& problems) {
  std::vector<std::size_t> indexes;
  std::unordered_map<std::size_t, std::size_t> key_position;
  for (std::size_t position = 0; position < keys.size(); ++position) {
    const std::optional<std::size_t> index = FindCandidate(candidates, keys[position]);
    if (!index) {
      problems.Add(PrimaryKeyField(position), UnknownColumnMessage(keys[position]));
      continue;
    }
    auto [existing, inserted] = key_position.emplace(*index, position);
    if (!inserted) {
      problems.Add(PrimaryKeyField(position),
                   "repeats primary_key[" + std::to_string(existing->second) + "]");
      continue;
    }
    const Candidate& candidate = candidates[*index];
    // A column whose own name or type is invalid was reported already.
    if (!candidate.name || !candidate.type) continue;
    if (!CanBeInPrimaryKey(*candidate.type)) {
      problems.Add(PrimaryKeyField(position),
                   "column '" + candidate.name->value() + "' has type " +
                       std::string(KindName(candidate.type->kind())) +
                       "; a primary key column cannot be float32, float64, list or "
                       "struct");
      continue;
    }
    indexes.push_back(*index);
  }
  return indexes;
}

/// Checks the rules between columns and builds the schema when nothing is wrong.
arrow::Result<std::pair<std::vector<Column>, std::vector<ColumnName>>> Assemble(
    std::vector<Candidate> candidates, const std::vector<std::string_view>& keys,
    ProblemList problems) {
  CheckColumnCount(candidates.size(), problems);
  CheckUniqueNames(candidates, problems);
  const std::vector<std::size_t> key_indexes =
      ResolvePrimaryKey(candidates, keys, problems);
  if (!problems.empty()) return std::move(problems).ToStatus();

  for (std::size_t index : key_indexes) candidates[index].required = true;
  std::vector<Column> columns;
  columns.reserve(candidates.size());
  for (auto& candidate : candidates) {
    columns.push_back(Column{std::move(*candidate.name), std::move(*candidate.type),
                             candidate.required});
  }
  std::vector<ColumnName> primary_key;
  primary_key.reserve(key_indexes.size());
  for (std::size_t index : key_indexes) primary_key.push_back(columns[index].name);
  return std::make_pair(std::move(columns), std::move(primary_key));
}

arrow::Status TooManyColumns(std::size_t count) {
  return MakeProblem(ProblemKind::kValidationFailed, "the schema has 1 problem",
                     {{"columns", std::nullopt,
                       "a dataset has at most " + std::to_string(Schema::kMaxColumns) +
                           " columns, got " + std::to_string(count)}});
}

}  // namespace

arrow::Result<Schema> Schema::Make(const std::vector<ColumnSpec>& columns,
                                   const std::vector<std::string>& primary_key) {
  // Fail fast: a body this wide is not worth reading column by column.
  if (columns.size() > kMaxColumns) return TooManyColumns(columns.size());
  ProblemList problems;
  std::vector<Candidate> candidates = ReadSpecs(columns, problems);
  const std::vector<std::string_view> keys(primary_key.begin(), primary_key.end());
  ARROW_ASSIGN_OR_RAISE(auto parts,
                        Assemble(std::move(candidates), keys, std::move(problems)));
  return Schema(std::move(parts.first), std::move(parts.second));
}

arrow::Result<Schema> Schema::Make(std::vector<Column> columns,
                                   const std::vector<ColumnName>& primary_key) {
  if (columns.size() > kMaxColumns) return TooManyColumns(columns.size());
  std::vector<Candidate> candidates;
  candidates.reserve(columns.size());
  for (auto& column : columns) {
    candidates.push_back(
        Candidate{column.name.value(), column.name, column.type, column.required});
  }
  std::vector<std::string_view> keys;
  keys.reserve(primary_key.size());
  for (const auto& key : primary_key) keys.emplace_back(key.value());
  ARROW_ASSIGN_OR_RAISE(auto parts, Assemble(std::move(candidates), keys, ProblemList{}));
  return Schema(std::move(parts.first), std::move(parts.second));
}

const Column* Schema::Find(std::string_view name) const {
  for (const auto& column : columns_) {
    if (column.name.SameAs(name)) return &column;
  }
  return nullptr;
}

bool Schema::IsInPrimaryKey(std::string_view name) const {
  return std::any_of(primary_key_.begin(), primary_key_.end(),
                     [name](const ColumnName& key) { return key.SameAs(name); });
}

}  // namespace quiver::domain

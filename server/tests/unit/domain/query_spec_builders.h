// Short ways to write FilterSpec and QuerySpec trees in tests.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "domain/filter.h"
#include "domain/query.h"

namespace quiver::domain::testing {

inline FilterSpec Compare(std::string op, std::string column, Value value) {
  FilterSpec spec;
  spec.op = std::move(op);
  spec.column = std::move(column);
  spec.value = std::move(value);
  return spec;
}

inline FilterSpec In(std::string column, std::vector<Value> values) {
  FilterSpec spec;
  spec.op = "in";
  spec.column = std::move(column);
  spec.values = std::move(values);
  return spec;
}

inline FilterSpec Between(std::string column, Value low, Value high) {
  FilterSpec spec;
  spec.op = "between";
  spec.column = std::move(column);
  spec.low = std::move(low);
  spec.high = std::move(high);
  return spec;
}

inline FilterSpec IsNull(std::string column) {
  FilterSpec spec;
  spec.op = "is_null";
  spec.column = std::move(column);
  return spec;
}

inline FilterSpec Junction(std::string op, std::vector<FilterSpec> args) {
  FilterSpec spec;
  spec.op = std::move(op);
  spec.args = std::move(args);
  return spec;
}

inline FilterSpec And(std::vector<FilterSpec> args) {
  return Junction("and", std::move(args));
}

inline FilterSpec Or(std::vector<FilterSpec> args) {
  return Junction("or", std::move(args));
}

inline FilterSpec Not(FilterSpec arg) {
  FilterSpec spec;
  spec.op = "not";
  spec.arg = std::make_shared<const FilterSpec>(std::move(arg));
  return spec;
}

inline QuerySpec Where(FilterSpec filter) {
  QuerySpec spec;
  spec.filter = std::move(filter);
  return spec;
}

inline AggregateSpec Aggregated(std::string function, std::optional<std::string> column,
                                std::optional<std::string> alias = std::nullopt,
                                std::optional<double> q = std::nullopt) {
  return AggregateSpec{std::move(function), std::move(column), std::move(alias), q};
}

}  // namespace quiver::domain::testing

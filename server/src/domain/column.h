#pragma once

#include "domain/column_name.h"
#include "domain/column_type.h"

namespace quiver::domain {

/// One column of a dataset's schema. Both parts are valid value objects, so a Column
/// is valid by construction; the rules between columns live in Schema.
struct Column {
  ColumnName name;
  ColumnType type;
  /// A required column refuses nulls (primary key columns are always required).
  bool required = false;
};

}  // namespace quiver::domain

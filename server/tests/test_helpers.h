#pragma once

#include <arrow/result.h>
#include <arrow/status.h>
#include <gtest/gtest.h>

/// Arrow-style assertions for Status and Result.
#define ASSERT_OK(expression)                                             \
  do {                                                                    \
    const ::arrow::Status _quiver_status = ::arrow::ToStatus(expression); \
    ASSERT_TRUE(_quiver_status.ok()) << _quiver_status.ToString();        \
  } while (false)

#define QUIVER_CONCAT_INNER(a, b) a##b
#define QUIVER_CONCAT(a, b) QUIVER_CONCAT_INNER(a, b)

#define ASSERT_OK_AND_ASSIGN(lhs, expression)                          \
  auto QUIVER_CONCAT(_quiver_result_, __LINE__) = (expression);        \
  ASSERT_TRUE(QUIVER_CONCAT(_quiver_result_, __LINE__).ok())           \
      << QUIVER_CONCAT(_quiver_result_, __LINE__).status().ToString(); \
  lhs = std::move(QUIVER_CONCAT(_quiver_result_, __LINE__)).ValueUnsafe()

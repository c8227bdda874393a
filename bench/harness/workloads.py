"""The work both servers are asked to do, spelled in each one's API, and in DuckDB's SQL.

Every workload is the same rows in the same order for Quiver, the reference peer and
DuckDB alone; the harness checks the answers against each other and against DuckDB.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import Enum
from typing import Any
from urllib.parse import urlencode

from bench.harness.data import Facts

DATASET = "demo"
PAGE_ROWS = 100
SUMMARY_AGGREGATES: list[dict[str, Any]] = [
    {"function": "mean", "column": "value", "as": "average_value"},
    {"function": "sum", "column": "value", "as": "total_value"},
    {"function": "count", "as": "record_count"},
]
SUMMARY_SQL = (
    "SELECT category, avg(value) AS average_value, sum(value) AS total_value, "
    "count(*) AS record_count FROM demo {where}GROUP BY category ORDER BY category"
)
CATEGORY_A: dict[str, Any] = {"op": "=", "column": "category", "value": "A"}
SUBSET_COLUMNS = "id,value"


class Reader(Enum):
    """How the client reads the answer: a streaming Arrow IPC reader, or Parquet."""

    ARROW = "arrow"
    PARQUET = "parquet"


@dataclass(frozen=True)
class HttpCall:
    method: str
    target: str  # path and query string
    body: bytes | None = None
    content_type: str | None = None


@dataclass(frozen=True)
class Workload:
    name: str
    title: str
    reader: Reader
    quiver: HttpCall
    reference: HttpCall
    sql: str | None  # the same work for DuckDB alone; None where it has no equivalent
    expected_rows: int


def quiver_rows(**parameters: str | int) -> HttpCall:
    query = f"?{urlencode(parameters)}" if parameters else ""
    return HttpCall("GET", f"/api/v1/datasets/{DATASET}/rows{query}")


def quiver_query(query: dict[str, Any]) -> HttpCall:
    body = json.dumps(query).encode()
    return HttpCall("POST", f"/api/v1/datasets/{DATASET}/query", body, "application/json")


def reference(path: str, **parameters: str | int) -> HttpCall:
    query = f"?{urlencode(parameters)}" if parameters else ""
    return HttpCall("GET", f"{path}{query}")


def summary_query(filter_tree: dict[str, Any] | None) -> dict[str, Any]:
    query: dict[str, Any] = {
        "group_by": ["category"],
        "aggregates": SUMMARY_AGGREGATES,
        "order_by": "category",
    }
    if filter_tree is not None:
        query["filter"] = filter_tree
    return query


def page_offset(rows: int) -> int:
    """The single-page workload's offset: the middle of the table."""
    return max(rows // 2 - PAGE_ROWS // 2, 0)


def workloads(facts: Facts) -> list[Workload]:
    rows = facts.rows
    offset = page_offset(rows)
    page_rows = min(PAGE_ROWS, max(rows - offset, 0))
    filter_json = json.dumps(CATEGORY_A, separators=(",", ":"))
    return [
        Workload(
            "arrow_full",
            "full table, Arrow IPC stream",
            Reader.ARROW,
            quiver_rows(),
            reference("/data/arrow_ipc"),
            "SELECT * FROM demo",
            rows,
        ),
        Workload(
            "parquet_full",
            "full table, Parquet",
            Reader.PARQUET,
            quiver_rows(format="parquet"),
            reference("/data/parquet"),
            None,
            rows,
        ),
        Workload(
            "arrow_filter",
            "filter category = A, Arrow",
            Reader.ARROW,
            quiver_rows(filter=filter_json),
            reference("/data/arrow_ipc", category="A"),
            "SELECT * FROM demo WHERE category = 'A'",
            facts.category_a_rows,
        ),
        Workload(
            "arrow_columns",
            f"columns {SUBSET_COLUMNS}, Arrow",
            Reader.ARROW,
            quiver_rows(columns=SUBSET_COLUMNS),
            reference("/data/arrow_ipc", columns=SUBSET_COLUMNS),
            f"SELECT {SUBSET_COLUMNS} FROM demo",
            rows,
        ),
        Workload(
            "aggregate",
            "mean, sum, count by category",
            Reader.ARROW,
            quiver_query(summary_query(None)),
            reference("/data/aggregated_summary"),
            SUMMARY_SQL.format(where=""),
            len(facts.summary),
        ),
        Workload(
            "aggregate_filtered",
            "the same, category = A only",
            Reader.ARROW,
            quiver_query(summary_query(CATEGORY_A)),
            reference("/data/aggregated_summary", filter_category="A"),
            SUMMARY_SQL.format(where="WHERE category = 'A' "),
            1,
        ),
        Workload(
            "page",
            f"one {PAGE_ROWS}-row page from the middle",
            Reader.ARROW,
            quiver_rows(limit=PAGE_ROWS, offset=offset),
            reference("/data/page", limit=PAGE_ROWS, offset=offset),
            f"SELECT * FROM demo LIMIT {PAGE_ROWS} OFFSET {offset}",
            page_rows,
        ),
    ]

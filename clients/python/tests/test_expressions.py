"""The filter, aggregate and bucket builders: their JSON, and what the server does with it."""

from __future__ import annotations

import datetime as dt
import decimal
import math

import polars as pl
import pyarrow as pa
import pytest

import quiver
from quiver import Filter, bucket, col, count


def test_the_issue_example_builds_the_server_tree() -> None:
    condition = (col("value") > 5) & col("category").isin(["A", "B"])
    assert condition.to_json() == {
        "op": "and",
        "args": [
            {"op": ">", "column": "value", "value": 5},
            {"op": "in", "column": "category", "values": ["A", "B"]},
        ],
    }


def test_and_or_flatten_and_not_inverts() -> None:
    a, b, c = col("a") == 1, col("b") != "x", col("c") <= 2.5
    assert ((a & b) & c).to_json()["args"] == [a.to_json(), b.to_json(), c.to_json()]
    assert ((a | b) | c).to_json()["op"] == "or"
    assert len(((a | b) | c).to_json()["args"]) == 3
    assert (~a).to_json() == {"op": "not", "arg": a.to_json()}
    assert ~~a == a


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        (col("x") < 1, {"op": "<", "column": "x", "value": 1}),
        (col("x") >= 1, {"op": ">=", "column": "x", "value": 1}),
        (col("x").between(1, 2), {"op": "between", "column": "x", "low": 1, "high": 2}),
        (col("x").is_null(), {"op": "is_null", "column": "x"}),
        (col("x") == None, {"op": "is_null", "column": "x"}),  # noqa: E711
        (col("x") != None, {"op": "not", "arg": {"op": "is_null", "column": "x"}}),  # noqa: E711
        (col("x").starts_with("ab"), {"op": "starts_with", "column": "x", "value": "ab"}),
        (col("x").contains("b"), {"op": "contains", "column": "x", "value": "b"}),
        (
            col("t") >= dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
            {"op": ">=", "column": "t", "value": "2024-01-01T00:00:00+00:00"},
        ),
        (col("d") == dt.date(2024, 2, 3), {"op": "=", "column": "d", "value": "2024-02-03"}),
        (col("p") > decimal.Decimal("1.5"), {"op": ">", "column": "p", "value": 1.5}),
    ],
)
def test_each_operator(condition: Filter, expected: dict[str, object]) -> None:
    assert condition.to_json() == expected


def test_the_issue_example_works_without_parentheses_too() -> None:
    wanted = (col("value") > 5) & col("category").isin(["A", "B"])
    got = col("value") > 5 & col("category").isin(["A", "B"])
    assert got == wanted
    either = col("value") <= 5 | col("flag").is_null()
    assert either.to_json() == {
        "op": "or",
        "args": [
            {"op": "<=", "column": "value", "value": 5},
            {"op": "is_null", "column": "flag"},
        ],
    }
    reversed_order = col("category").isin(["A", "B"]) & col("value") > 5
    assert reversed_order.to_json()["args"][1] == {"op": ">", "column": "value", "value": 5}
    nulls = col("a") == None & col("b").is_null()
    assert nulls == col("a").is_null() & col("b").is_null()


def test_ambiguous_mixes_raise_a_helpful_error() -> None:
    with pytest.raises(TypeError, match="parenthes"):
        _ = col("value") > 5 & col("category") > 3
    with pytest.raises(TypeError, match="parenthes"):
        _ = (col("value") > 5) & 3  # type: ignore[operator]
    with pytest.raises(TypeError, match="parenthes"):
        _ = col("a") & (col("b") > 1)
    with pytest.raises(TypeError, match="parenthes"):
        bool(5 & (col("b") > 1))
    with pytest.raises(TypeError, match="truth value"):
        bool(col("a") == 1)
    with pytest.raises(TypeError, match="truth value"):
        assert 1 < col("a") < 5
    with pytest.raises(TypeError, match="collection"):
        col("a").isin("AB")
    with pytest.raises(TypeError, match="another column"):
        _ = col("a") == col("b")  # type: ignore[operator]
    with pytest.raises(TypeError, match="scalar"):
        _ = col("a") > [1, 2]  # type: ignore[operator]
    with pytest.raises(ValueError, match="JSON"):
        _ = col("a") > math.inf


def test_aggregates_and_buckets_json() -> None:
    assert count().to_json() == {"function": "count"}
    assert col("v").mean().alias("m").to_json() == {"function": "mean", "column": "v", "as": "m"}
    assert col("v").quantile(0.9).to_json() == {"function": "quantile", "column": "v", "q": 0.9}
    assert [col("v").n_unique().function, col("v").std().function] == ["count_distinct", "stddev"]
    assert bucket("ts", every="15m").to_json() == {"column": "ts", "every": "15m"}
    assert bucket("v", width=2.5, origin=0, alias="band").to_json() == {
        "column": "v",
        "width": 2.5,
        "origin": 0,
        "as": "band",
    }
    with pytest.raises(ValueError, match="exactly one"):
        bucket("ts")
    assert bucket("ts", every="1mo").to_json()["every"] == "1mo"
    with pytest.raises(ValueError, match="unit"):
        bucket("ts", every="1 hour")
    with pytest.raises(ValueError, match="quantile"):
        col("v").quantile(2)
    assert col("v").desc() == "-v"
    assert col("v").asc() == "v"


def test_filters_select_the_rows_polars_selects(
    client: quiver.Client, sales: tuple[str, pa.Table]
) -> None:
    name, table = sales
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    start = dt.datetime(2024, 1, 10, tzinfo=dt.UTC)
    cases = [
        (
            (col("value") > 5) & col("category").isin(["A", "B"]),
            (pl.col("value") > 5) & pl.col("category").is_in(["A", "B"]),
        ),
        (
            col("value").is_null() | (col("quantity") == 7),
            pl.col("value").is_null() | (pl.col("quantity") == 7),
        ),
        (
            ~col("category").isin(["A"]) & col("value").between(10, 20),
            ~pl.col("category").is_in(["A"]) & pl.col("value").is_between(10, 20),
        ),
        (
            col("label").starts_with("item-12") & (col("ts") >= start),
            pl.col("label").str.starts_with("item-12") & (pl.col("ts") >= start),
        ),
        (
            col("label").contains("99") & (col("label") != "item-99"),
            pl.col("label").str.contains("99", literal=True) & (pl.col("label") != "item-99"),
        ),
    ]
    for condition, expected in cases:
        got = client.read(name, columns=["id"], filter=condition, order_by="id")
        want = frame.filter(expected).select("id").sort("id")
        assert got.equals(want), condition

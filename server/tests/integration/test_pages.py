"""Cursor pages and buckets against a real server, with polars as the judge."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

import numpy as np
import polars as pl
import pyarrow as pa
import pytest
import requests
from conftest import RunningServer, start_server
from datasets_helpers import ARROW_STREAM, ROWS, definition, encode, upload
from pyarrow import ipc

EVENTS = [
    ("id", "int64", pa.int64(), True),
    ("grp", "string", pa.string(), False),
    ("value", "float64", pa.float64(), False),
    ("ts", "timestamp(us, UTC)", pa.timestamp("us", tz="UTC"), True),
]
START_US = 1_704_067_200_000_000  # 2024-01-01T00:00:00Z


def events(rows: int, start: int = 0, seed: int = 7) -> pa.Table:
    """Rows with many equal sort values and nulls, so that ties decide the order."""
    generator = np.random.default_rng(seed)
    ids = np.arange(start, start + rows, dtype=np.int64)
    values = np.round(generator.uniform(0, 100, rows), 1)
    value_nulls = generator.random(rows) < 0.03
    groups = np.array(["A", "B", "C", "D"])[generator.integers(0, 4, rows)]
    group_nulls = generator.random(rows) < 0.05
    offsets = generator.integers(0, 30 * 24 * 3600, rows, dtype=np.int64) * 1_000_000
    return pa.table(
        {
            "id": pa.array(ids),
            "grp": pa.array(groups, mask=group_nulls),
            "value": pa.array(values, mask=value_nulls),
            "ts": pa.array(START_US + offsets, pa.timestamp("us", tz="UTC")),
        }
    )


@pytest.fixture(scope="module")
def paged(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[RunningServer, pa.Table]]:
    server = start_server(tmp_path_factory.mktemp("pages") / "data")
    try:
        table = events(ROWS)
        for name, key in (("keyed", "id"), ("keyless", None)):
            created = requests.post(
                f"{server.url}/api/v1/datasets", json=definition(name, EVENTS, key), timeout=30
            )
            assert created.status_code == 201, created.text
            loaded = upload(server.url, name, encode(table, ARROW_STREAM), ARROW_STREAM)
            assert loaded.status_code == 201, loaded.text
        yield server, table
    finally:
        assert server.stop() == 0


def read_ipc(content: bytes) -> pa.Table:
    return ipc.open_stream(io.BytesIO(content)).read_all()


def rows_url(server: RunningServer, dataset: str) -> str:
    return f"{server.url}/api/v1/datasets/{dataset}/rows"


def problem(response: requests.Response) -> dict[str, Any]:
    assert response.headers["Content-Type"] == "application/problem+json", response.text
    body: dict[str, Any] = response.json()
    return body


def test_walking_every_page_returns_every_row_once_in_order_while_rows_are_added(
    paged: tuple[RunningServer, pa.Table],
) -> None:
    server, table = paged
    page_rows = max(ROWS // 8, 1)
    expected = (
        pl.from_arrow(table)
        .sort(["value", "id"], descending=[True, False], nulls_last=True)["id"]
        .to_list()
    )
    url: str | None = rows_url(server, "keyless") + f"?order_by=-value&limit={page_rows}&cursor="
    walked: list[int] = []
    pages = 0
    while url is not None:
        response = requests.get(url if url.startswith("http") else server.url + url, timeout=120)
        assert response.status_code == 200, response.text
        page = read_ipc(response.content)
        walked.extend(page.column("id").to_pylist())
        pages += 1
        cursor = response.headers.get("Quiver-Next-Cursor")
        link = response.headers.get("Link")
        if cursor is None:
            assert link is None
            url = None
            continue
        assert link is not None and link.endswith('>; rel="next"')
        url = link[1 : link.index(">")]
        assert url.endswith("cursor=" + cursor)
        # New rows between pages: some sort before the walk's position, some after.
        added = events(500, start=10_000_000 + pages * 500, seed=pages)
        assert upload(server.url, "keyless", encode(added, ARROW_STREAM), ARROW_STREAM).ok
        assert pages < 50
    assert pages >= 8
    assert len(walked) == len(set(walked)), "a row came twice"
    original = [row_id for row_id in walked if row_id < 10_000_000]
    assert original == expected, "every row from before the walk, once, in order"
    assert len(walked) > len(original), "rows added behind the position show up too"


def test_pages_of_a_query_in_json_carry_their_cursor(
    paged: tuple[RunningServer, pa.Table],
) -> None:
    server, table = paged
    query: dict[str, Any] = {
        "select": ["id", "grp"],
        "filter": {
            "op": "or",
            "args": [
                {"op": "in", "column": "grp", "values": ["D", "A"]},
                {"op": "is_null", "column": "grp"},
            ],
        },
        "order_by": ["grp"],
        "limit": max(ROWS // 10, 997),
        "cursor": "",
    }
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    expected = (
        frame.filter(pl.col("grp").is_in(["A", "D"]) | pl.col("grp").is_null())
        .sort(["grp", "id"], nulls_last=True)["id"]
        .to_list()
    )
    walked: list[int] = []
    for _ in range(ROWS):
        response = requests.post(
            f"{server.url}/api/v1/datasets/keyed/query",
            json=query,
            params={"format": "json"},
            timeout=60,
        )
        assert response.status_code == 200, response.text
        assert "Link" not in response.headers, "a POST cannot be followed as a link"
        body = response.json()
        assert set(body) == {"rows", "next_cursor"}
        walked.extend(row["id"] for row in body["rows"])
        assert body["next_cursor"] == response.headers.get("Quiver-Next-Cursor")
        if body["next_cursor"] is None:
            break
        query["cursor"] = body["next_cursor"]
    assert walked == expected


def test_a_plain_limit_is_a_first_page(paged: tuple[RunningServer, pa.Table]) -> None:
    server, table = paged
    response = requests.get(rows_url(server, "keyed"), params={"limit": "10"}, timeout=30)
    assert read_ipc(response.content).column("id").to_pylist() == list(range(10))
    assert "Quiver-Next-Cursor" in response.headers
    with_offset = requests.get(
        rows_url(server, "keyed"), params={"limit": "10", "offset": "5"}, timeout=30
    )
    assert read_ipc(with_offset.content).column("id").to_pylist() == list(range(5, 15))
    assert "Quiver-Next-Cursor" not in with_offset.headers
    last = requests.get(
        rows_url(server, "keyed"), params={"limit": str(table.num_rows + 1)}, timeout=120
    )
    assert read_ipc(last.content).num_rows == table.num_rows
    assert "Quiver-Next-Cursor" not in last.headers, "a page that is not full is the last"


def next_cursor(server: RunningServer, dataset: str, **params: str) -> str:
    response = requests.get(rows_url(server, dataset), params={"limit": "5", **params}, timeout=30)
    assert response.status_code == 200, response.text
    return response.headers["Quiver-Next-Cursor"]


def test_bad_cursors_are_400_naming_the_cursor(paged: tuple[RunningServer, pa.Table]) -> None:
    server, _ = paged
    cursor = next_cursor(server, "keyed", order_by="value")
    payload, tag = cursor.split(".")
    forged = payload[:-2] + ("AA" if payload[-2:] != "AA" else "BB") + "." + tag
    for params in (
        {"cursor": forged},
        {"cursor": "not-a-cursor"},
        {"cursor": cursor + "x"},
        {"cursor": cursor, "order_by": "-value"},
        {"cursor": cursor, "filter": json.dumps({"op": "=", "column": "grp", "value": "A"})},
        {"cursor": cursor, "offset": "10"},
    ):
        params.setdefault("order_by", "value")
        response = requests.get(
            rows_url(server, "keyed"), params={"limit": "5", **params}, timeout=30
        )
        assert response.status_code == 400, (params, response.text)
        body = problem(response)
        assert [error["field"] for error in body["errors"]] == ["cursor"], body
    other = requests.get(
        rows_url(server, "keyless"),
        params={"limit": "5", "order_by": "value", "cursor": cursor},
        timeout=30,
    )
    assert other.status_code == 400
    assert "keyed" in problem(other)["errors"][0]["message"]
    aggregate = requests.post(
        f"{server.url}/api/v1/datasets/keyed/query",
        json={"group_by": ["grp"], "limit": 2, "cursor": ""},
        timeout=30,
    )
    assert aggregate.status_code == 400
    assert problem(aggregate)["errors"][0]["field"] == "cursor"


def test_a_cursor_of_replaced_rows_is_a_conflict(tmp_path: Any) -> None:
    server = start_server(tmp_path / "data")
    try:
        created = requests.post(
            f"{server.url}/api/v1/datasets", json=definition("small", EVENTS), timeout=30
        )
        assert created.status_code == 201
        body = encode(events(100), ARROW_STREAM)
        assert upload(server.url, "small", body, ARROW_STREAM).status_code == 201
        cursor = next_cursor(server, "small")
        assert upload(server.url, "small", body, ARROW_STREAM, mode="append").status_code == 422
        still = requests.get(
            rows_url(server, "small"), params={"limit": "5", "cursor": cursor}, timeout=30
        )
        assert still.status_code == 200, "appending keeps cursors valid"
        assert upload(server.url, "small", body, ARROW_STREAM, mode="replace").status_code == 201
        replaced = requests.get(
            rows_url(server, "small"), params={"limit": "5", "cursor": cursor}, timeout=30
        )
        assert replaced.status_code == 409
        assert "replaced" in problem(replaced)["errors"][0]["message"]
    finally:
        assert server.stop() == 0
    restarted = start_server(tmp_path / "data")
    try:
        fresh = next_cursor(restarted, "small")
        assert (
            requests.get(
                rows_url(restarted, "small"), params={"limit": "5", "cursor": fresh}, timeout=30
            ).status_code
            == 200
        )
    finally:
        assert restarted.stop() == 0


def query_arrow(server: RunningServer, body: dict[str, Any]) -> pl.DataFrame:
    response = requests.post(f"{server.url}/api/v1/datasets/keyed/query", json=body, timeout=120)
    assert response.status_code == 200, response.text
    frame = pl.from_arrow(read_ipc(response.content))
    assert isinstance(frame, pl.DataFrame)
    return frame


def test_time_buckets_equal_polars(paged: tuple[RunningServer, pa.Table]) -> None:
    server, table = paged
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    for every in ("1h", "1d", "7d"):
        got = query_arrow(
            server,
            {
                "bucket": {"column": "ts", "every": every},
                "aggregates": [
                    {"function": "count"},
                    {"function": "sum", "column": "value"},
                ],
            },
        )
        # DuckDB counts buckets from Monday 2000-01-03; polars truncates from the epoch
        # but starts weeks on Mondays: the same boundaries for hours, days and weeks.
        expected = (
            frame.group_by(pl.col("ts").dt.truncate(every.replace("7d", "1w")).alias("bucket"))
            .agg(pl.len().cast(pl.Int64).alias("count"), pl.col("value").sum().alias("sum_value"))
            .sort("bucket")
        )
        assert got.columns == ["bucket", "count", "sum_value"]
        assert got["bucket"].to_list() == expected["bucket"].to_list(), every
        assert got["count"].to_list() == expected["count"].to_list(), every
        assert np.allclose(got["sum_value"].to_numpy(), expected["sum_value"].to_numpy()), every


def test_numeric_bins_with_groups_equal_polars(paged: tuple[RunningServer, pa.Table]) -> None:
    server, table = paged
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    got = query_arrow(
        server,
        {
            "bucket": {"column": "value", "width": 12.5, "origin": 2.5, "as": "bin"},
            "group_by": ["grp"],
            "filter": {"op": "is_null", "column": "value"},
        },
    )
    assert got.height == 0 or got["bin"].null_count() == got.height
    got = query_arrow(
        server,
        {
            "bucket": {"column": "value", "width": 12.5, "origin": 2.5, "as": "bin"},
            "group_by": ["grp"],
            "aggregates": [{"function": "count"}, {"function": "mean", "column": "value"}],
            "order_by": ["bin", "grp"],
        },
    )
    expected = (
        frame.group_by((((pl.col("value") - 2.5) / 12.5).floor() * 12.5 + 2.5).alias("bin"), "grp")
        .agg(pl.len().cast(pl.Int64).alias("count"), pl.col("value").mean().alias("mean_value"))
        .sort(["bin", "grp"], nulls_last=True)
    )
    assert got.columns == ["bin", "grp", "count", "mean_value"]
    assert got.select("bin", "grp", "count").equals(expected.select("bin", "grp", "count"))
    assert np.allclose(
        got["mean_value"].fill_null(-1).to_numpy(),
        expected["mean_value"].fill_null(-1).to_numpy(),
    )


def test_bad_buckets_are_400_naming_the_part(paged: tuple[RunningServer, pa.Table]) -> None:
    server, _ = paged
    for bucket, field in (
        ({"column": "ts", "every": "1 hour"}, "bucket.every"),
        ({"column": "grp", "width": 5}, "bucket.column"),
        ({"column": "value", "width": -1}, "bucket.width"),
        ({"column": "nope", "every": "1h"}, "bucket.column"),
        ({"column": "ts"}, "bucket"),
    ):
        response = requests.post(
            f"{server.url}/api/v1/datasets/keyed/query", json={"bucket": bucket}, timeout=30
        )
        assert response.status_code == 400, response.text
        assert [error["field"] for error in problem(response)["errors"]] == [field]

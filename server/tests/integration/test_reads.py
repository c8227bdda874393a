"""Streaming reads and queries against a real quiverd; pyarrow and polars judge."""

from __future__ import annotations

import io
import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
import pytest
import requests
from conftest import RunningServer, start_server
from datasets_helpers import ALL_TYPES, ARROW_STREAM, definition, encode, make_table, upload
from pyarrow import ipc

READ_ROWS = 200_000
DEMO = [
    ("id", "int64", pa.int64(), True),
    ("category", "string", pa.string(), True),
    ("value", "float64", pa.float64(), False),
    ("quantity", "int32", pa.int32(), False),
]


def demo_table(rows: int) -> pa.Table:
    ids = pa.array(range(rows), pa.int64())
    return pa.table(
        {
            "id": ids,
            "category": pa.array([("A", "B", "C")[i % 3 if i % 5 else 0] for i in range(rows)]),
            "value": pa.array([None if i % 17 == 3 else (i * 37 % 1000) / 4 for i in range(rows)]),
            "quantity": pa.array([i % 100 + 1 for i in range(rows)], pa.int32()),
        }
    )


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[RunningServer, pa.Table]]:
    running = start_server(tmp_path_factory.mktemp("reads") / "data")
    try:
        table = demo_table(READ_ROWS)
        assert requests.post(
            f"{running.url}/api/v1/datasets", json=definition("demo", DEMO), timeout=30
        ).ok
        assert (
            upload(running.url, "demo", encode(table, ARROW_STREAM), ARROW_STREAM).status_code
            == 201
        )
        yield running, table
    finally:
        assert running.stop() == 0


def get_rows(url: str, **params: str) -> requests.Response:
    return requests.get(f"{url}/api/v1/datasets/demo/rows", params=params, timeout=120)


def read_ipc(content: bytes) -> pa.Table:
    return ipc.open_stream(io.BytesIO(content)).read_all()


def by_id(table: pa.Table) -> pa.Table:
    return table.sort_by("id")


def test_arrow_stream_is_the_default_and_equals_what_was_stored(
    loaded: tuple[RunningServer, pa.Table],
) -> None:
    server, table = loaded
    response = get_rows(server.url)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/vnd.apache.arrow.stream"
    assert response.headers.get("Transfer-Encoding") == "chunked"
    got = by_id(read_ipc(response.content))
    assert got.schema.field("quantity").type == pa.int32()
    assert got.cast(table.schema).equals(table)


@pytest.mark.parametrize(
    ("format_name", "reader"),
    [
        ("arrow-file", lambda body: ipc.open_file(io.BytesIO(body)).read_all()),
        ("parquet", lambda body: pq.read_table(io.BytesIO(body))),
        ("csv", lambda body: pa_csv.read_csv(io.BytesIO(body))),
        (
            "ndjson",
            lambda body: pa.Table.from_pylist([json.loads(line) for line in body.splitlines()]),
        ),
        ("json", lambda body: pa.Table.from_pylist(json.loads(body))),
    ],
)
def test_every_format_reads_back_equal(
    loaded: tuple[RunningServer, pa.Table], format_name: str, reader: object
) -> None:
    server, table = loaded
    response = get_rows(server.url, format=format_name, order_by="id", limit="5000")
    assert response.status_code == 200, response.text
    got = reader(response.content)  # type: ignore[operator]
    expected = table.slice(0, 5000)
    assert got.num_rows == 5000
    for name in expected.column_names:
        assert (
            got.column(name).cast(expected.schema.field(name).type).equals(expected.column(name))
        ), name


def test_parquet_reads_in_polars(loaded: tuple[RunningServer, pa.Table]) -> None:
    server, table = loaded
    response = get_rows(server.url, format="parquet")
    frame = pl.read_parquet(io.BytesIO(response.content)).sort("id")
    assert frame.equals(pl.from_arrow(table))  # type: ignore[arg-type]
    assert response.headers["Content-Disposition"] == 'attachment; filename="demo.parquet"'


def test_accept_header_with_q_values(loaded: tuple[RunningServer, pa.Table]) -> None:
    server, _ = loaded
    response = requests.get(
        f"{server.url}/api/v1/datasets/demo/rows",
        params={"limit": "3"},
        headers={"Accept": "text/csv;q=0.9, application/json;q=0.5"},
        timeout=30,
    )
    assert response.headers["Content-Type"].startswith("text/csv")
    refused = requests.get(
        f"{server.url}/api/v1/datasets/demo/rows", headers={"Accept": "image/png"}, timeout=30
    )
    assert refused.status_code == 406


def test_columns_filter_order_limit_offset(loaded: tuple[RunningServer, pa.Table]) -> None:
    server, table = loaded
    condition = {
        "op": "and",
        "args": [
            {"op": "in", "column": "category", "values": ["A", "C"]},
            {"op": "between", "column": "value", "low": 10, "high": 200},
            {"op": "not", "arg": {"op": "is_null", "column": "value"}},
        ],
    }
    response = get_rows(
        server.url,
        columns="id,value",
        filter=json.dumps(condition),
        order_by="-value,id",
        limit="50",
        offset="10",
    )
    assert response.status_code == 200, response.text
    got = read_ipc(response.content)
    frame = pl.from_arrow(table)
    expected = (
        frame.filter(
            pl.col("category").is_in(["A", "C"])
            & pl.col("value").is_between(10, 200)
            & pl.col("value").is_not_null()
        )
        .sort(["value", "id"], descending=[True, False])
        .select(["id", "value"])
        .slice(10, 50)
    )
    assert got.column_names == ["id", "value"]
    assert pl.from_arrow(got).equals(expected)  # type: ignore[arg-type]


def test_aggregates_equal_polars(loaded: tuple[RunningServer, pa.Table]) -> None:
    server, table = loaded
    body = {
        "filter": {"op": "!=", "column": "category", "value": "B"},
        "group_by": ["category"],
        "aggregates": [
            {"function": "count"},
            {"function": "sum", "column": "value", "as": "total"},
            {"function": "mean", "column": "value", "as": "average"},
            {"function": "min", "column": "quantity"},
            {"function": "max", "column": "quantity"},
            {"function": "count_distinct", "column": "quantity", "as": "kinds"},
        ],
        "order_by": ["category"],
    }
    response = requests.post(f"{server.url}/api/v1/datasets/demo/query", json=body, timeout=60)
    assert response.status_code == 200, response.text
    got = pl.from_arrow(read_ipc(response.content))
    expected = (
        pl.from_arrow(table)
        .filter(pl.col("category") != "B")
        .group_by("category")
        .agg(
            pl.len().alias("count"),
            pl.col("value").sum().alias("total"),
            pl.col("value").mean().alias("average"),
            pl.col("quantity").min().alias("min_quantity"),
            pl.col("quantity").max().alias("max_quantity"),
            pl.col("quantity").n_unique().alias("kinds"),
        )
        .sort("category")
    )
    assert got["category"].to_list() == expected["category"].to_list()  # type: ignore[index]
    assert got["count"].to_list() == expected["count"].to_list()  # type: ignore[index]
    for name in ["total", "average"]:
        for left, right in zip(got[name].to_list(), expected[name].to_list(), strict=True):  # type: ignore[index]
            assert left == pytest.approx(right, rel=1e-9)
    for name in ["min_quantity", "max_quantity", "kinds"]:
        assert got[name].to_list() == expected[name].to_list()  # type: ignore[index]


@pytest.mark.parametrize(
    "params",
    [
        {"columns": "id,nope"},
        {"filter": "{not json"},
        {"filter": json.dumps({"op": ">", "column": "category", "value": 5})},
        {"filter": json.dumps({"op": "=", "column": "ghost", "value": 1})},
        {"filter": json.dumps({"op": "like", "column": "id", "value": 1})},
        {"order_by": "-ghost"},
        {"limit": "-1"},
        {"offset": "many"},
        {"format": "xml"},
        {"compression": "brotli"},
    ],
)
def test_bad_query_inputs_are_4xx_problem_json(
    loaded: tuple[RunningServer, pa.Table], params: dict[str, str]
) -> None:
    server, _ = loaded
    response = get_rows(server.url, **params)
    assert 400 <= response.status_code < 500, response.text
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.json()["detail"]


def test_unknown_dataset_is_404(loaded: tuple[RunningServer, pa.Table]) -> None:
    server, _ = loaded
    response = requests.get(f"{server.url}/api/v1/datasets/ghost/rows", timeout=30)
    assert response.status_code == 404


def test_json_and_csv_have_a_row_limit(tmp_path: Path) -> None:
    running = start_server(tmp_path / "data", "--max-text-rows", "1000")
    try:
        assert requests.post(
            f"{running.url}/api/v1/datasets", json=definition("demo", DEMO), timeout=30
        ).ok
        table = demo_table(5000)
        assert (
            upload(running.url, "demo", encode(table, ARROW_STREAM), ARROW_STREAM).status_code
            == 201
        )
        assert get_rows(running.url, format="json", limit="5000").status_code == 400
        assert get_rows(running.url, format="json", limit="1000").status_code == 200
        # Without a limit the transfer fails at the cap: never a silently short table.
        with pytest.raises(requests.exceptions.ChunkedEncodingError):
            get_rows(running.url, format="csv")
        arrow = get_rows(running.url)
        assert read_ipc(arrow.content).num_rows == 5000
    finally:
        assert running.stop() == 0


def test_types_survive_the_read(tmp_path: Path) -> None:
    running = start_server(tmp_path / "data")
    try:
        columns = list(ALL_TYPES)
        assert requests.post(
            f"{running.url}/api/v1/datasets", json=definition("typed", columns), timeout=30
        ).ok
        table = make_table(columns, 3000)
        assert (
            upload(running.url, "typed", encode(table, ARROW_STREAM), ARROW_STREAM).status_code
            == 201
        )
        response = requests.get(f"{running.url}/api/v1/datasets/typed/rows", timeout=60)
        got = by_id(read_ipc(response.content))
        for name, _, arrow_type, _ in columns:
            assert got.schema.field(name).type == arrow_type, name
            assert got.column(name).equals(table.column(name)), name
    finally:
        assert running.stop() == 0


def test_a_client_that_leaves_mid_stream_does_not_hurt_the_server(
    loaded: tuple[RunningServer, pa.Table],
) -> None:
    server, _ = loaded
    for _ in range(5):
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as connection:
            connection.sendall(b"GET /api/v1/datasets/demo/rows HTTP/1.1\r\nHost: x\r\n\r\n")
            assert connection.recv(4096).startswith(b"HTTP/1.1 200")
    assert requests.get(f"{server.url}/api/v1/health", timeout=10).status_code == 200
    assert read_ipc(get_rows(server.url, limit="10").content).num_rows == 10


def test_demo_dataset_is_made_once_at_first_start(tmp_path: Path) -> None:
    running = start_server(tmp_path / "data", "--demo-rows", "5000")
    try:
        demo = requests.get(f"{running.url}/api/v1/datasets/demo", timeout=30).json()
        assert demo["row_count"] == 5000
        assert [c["name"] for c in demo["columns"]] == [
            "id",
            "ts",
            "category",
            "region",
            "value",
            "quantity",
            "flag",
            "label",
        ]
        table = read_ipc(
            requests.get(f"{running.url}/api/v1/datasets/demo/rows", timeout=60).content
        )
        assert table.num_rows == 5000
        assert set(table.column("category").to_pylist()) == {"A", "B", "C"}
        assert table.schema.field("ts").type == pa.timestamp("us", "UTC")
        assert table.schema.field("value").type == pa.float64()
        first = table.sort_by("id")
    finally:
        assert running.stop() == 0
    again = start_server(tmp_path / "data", "--demo-rows", "9000")
    try:
        demo = requests.get(f"{again.url}/api/v1/datasets/demo", timeout=30).json()
        assert demo["row_count"] == 5000  # not made again
        table = read_ipc(requests.get(f"{again.url}/api/v1/datasets/demo/rows", timeout=60).content)
        assert table.sort_by("id").equals(first)
    finally:
        assert again.stop() == 0


def test_a_client_that_disconnects_cancels_its_query(tmp_path: Path) -> None:
    running = start_server(tmp_path / "data", "--demo-rows", "2000000")
    try:
        with socket.create_connection(("127.0.0.1", running.port), timeout=10) as connection:
            connection.sendall(b"GET /api/v1/datasets/demo/rows HTTP/1.1\r\nHost: x\r\n\r\n")
            received = b""
            while len(received) < 200_000:  # the header and about one batch
                received += connection.recv(65_536)
            left_at = time.monotonic()
        deadline = left_at + 5
        while time.monotonic() < deadline:
            if any(line.get("event") == "client_left" for line in running.log_lines):
                break
            time.sleep(0.02)
        noticed = [line for line in running.log_lines if line.get("event") == "client_left"]
        assert noticed, "the server did not notice the client leaving"
        assert time.monotonic() - left_at < 2.0
        request_lines = [line for line in running.log_lines if line.get("event") == "request"]
        assert request_lines[-1]["bytes"] < 100_000_000  # it stopped, not sent 100+ MB
        assert requests.get(f"{running.url}/api/v1/health", timeout=10).status_code == 200
    finally:
        assert running.stop() == 0


def test_samples_are_reproducible_and_sized(loaded: tuple[RunningServer, pa.Table]) -> None:
    server, table = loaded

    def sample(**params: str) -> pa.Table:
        response = get_rows(server.url, **params)
        assert response.status_code == 200, response.text
        return by_id(read_ipc(response.content))

    first = sample(sample="1000", seed="7")
    assert first.num_rows == 1000
    assert sample(sample="1000", seed="7").equals(first)
    other = sample(sample="1000", seed="8")
    assert not other.equals(first)
    ids = set(table.column("id").to_pylist())
    assert set(first.column("id").to_pylist()) <= ids

    # Unordered, a sample comes in insertion order, and windows over it agree with it.
    position = {row_id: index for index, row_id in enumerate(table.column("id").to_pylist())}
    shown = read_ipc(get_rows(server.url, sample="1000", seed="7").content)
    shown_ids = shown.column("id").to_pylist()
    assert shown_ids == sorted(shown_ids, key=position.__getitem__)
    window = read_ipc(
        get_rows(server.url, sample="1000", seed="7", limit="100", offset="300").content
    )
    assert window.column("id").to_pylist() == shown_ids[300:400]

    fraction = sample(sample="0.1", seed="7")
    assert abs(fraction.num_rows - READ_ROWS * 0.1) < READ_ROWS * 0.1 * 0.05
    assert sample(sample="0.1", seed="7").equals(fraction)

    body = {
        "filter": {"op": "=", "column": "category", "value": "A"},
        "sample": {"rows": 500, "seed": 3},
        "select": ["id", "category"],
    }
    response = requests.post(f"{server.url}/api/v1/datasets/demo/query", json=body, timeout=60)
    sampled = read_ipc(response.content)
    assert sampled.num_rows == 500
    assert set(sampled.column("category").to_pylist()) == {"A"}
    bad = get_rows(server.url, sample="0.0")
    assert bad.status_code == 400

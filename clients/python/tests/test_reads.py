"""Reads, streams, queries, samples and downloads, judged by polars and pyarrow."""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import requests
from pyarrow import ipc

import quiver
from quiver import col, count
from tests.conftest import DEMO_ROWS, SALES_ROWS, Server, start_server


def frame_of(table: pa.Table) -> pl.DataFrame:
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    return frame


def test_read_and_read_arrow_equal_what_was_stored(
    client: quiver.Client, sales: tuple[str, pa.Table]
) -> None:
    name, table = sales
    got = client.read_arrow(name, order_by="id")
    assert got.schema.equals(table.schema)
    assert got.equals(table)
    assert client.read(name, order_by="id").equals(frame_of(table))


def test_columns_filter_order_limit_offset(
    client: quiver.Client, sales: tuple[str, pa.Table]
) -> None:
    name, table = sales
    condition = (col("category") != "B") & col("value").between(10, 200)
    got = client.read(
        name,
        columns=["id", "value"],
        filter=condition,
        order_by=["-value", "id"],
        limit=50,
        offset=10,
    )
    expected = (
        frame_of(table)
        .filter((pl.col("category") != "B") & pl.col("value").is_between(10, 200))
        .sort(["value", "id"], descending=[True, False])
        .select(["id", "value"])
        .slice(10, 50)
    )
    assert got.equals(expected)
    raw_filter = {"op": "=", "column": "quantity", "value": 3}
    assert client.read(name, columns="id", filter=raw_filter, order_by="id").equals(
        frame_of(table).filter(pl.col("quantity") == 3).select("id")
    )
    assert client.read(name, limit=0).height == 0
    with pytest.raises(ValueError, match="limit"):
        client.read(name, limit=-1)


def test_stream_holds_batches_and_reports_progress(
    client: quiver.Client, sales: tuple[str, pa.Table]
) -> None:
    name, table = sales
    reports: list[quiver.Progress] = []
    with client.stream(name, order_by="id", progress=reports.append) as stream:
        assert stream.schema.equals(table.schema)
        batches = list(stream)
        assert stream.rows == SALES_ROWS
        assert stream.bytes > table.nbytes * 0.8
    assert len(batches) >= 1
    assert all(isinstance(batch, pa.RecordBatch) for batch in batches)
    assert pa.Table.from_batches(batches).equals(table)
    assert reports[-1].done
    assert reports[-1].rows == SALES_ROWS
    assert reports[-1].bytes == stream.bytes


def test_a_stream_left_early_releases_the_server(client: quiver.Client) -> None:
    for _ in range(3):
        with client.stream("demo") as stream:
            first = next(iter(stream))
            assert first.num_rows > 0
    assert client.read("demo", columns="id", limit=5).height == 5


def test_query_aggregates_equal_polars(client: quiver.Client, sales: tuple[str, pa.Table]) -> None:
    name, table = sales
    got = client.query(
        name,
        filter=col("category") != "D",
        group_by="category",
        aggregates=[
            count().alias("rows"),
            col("value").sum().alias("total"),
            col("value").mean().alias("average"),
            col("quantity").min().alias("low"),
            col("quantity").max().alias("high"),
            col("quantity").n_unique().alias("kinds"),
            col("value").count().alias("values"),
            col("value").std().alias("spread"),
            col("value").quantile(0.5).alias("median"),
        ],
        order_by="category",
    )
    expected = (
        frame_of(table)
        .filter(pl.col("category") != "D")
        .group_by("category")
        .agg(
            pl.len().alias("rows"),
            pl.col("value").sum().alias("total"),
            pl.col("value").mean().alias("average"),
            pl.col("quantity").min().alias("low"),
            pl.col("quantity").max().alias("high"),
            pl.col("quantity").n_unique().alias("kinds"),
            pl.col("value").count().alias("values"),
            pl.col("value").std().alias("spread"),
            pl.col("value").median().alias("median"),
        )
        .sort("category")
    )
    assert got.columns == expected.columns
    for column in ["category", "rows", "low", "high", "kinds", "values"]:
        assert got[column].to_list() == expected[column].to_list(), column
    for column in ["total", "average", "spread", "median"]:
        assert got[column].to_list() == pytest.approx(expected[column].to_list(), rel=1e-6)


def test_query_distinct_select_and_arrow(
    client: quiver.Client, sales: tuple[str, pa.Table]
) -> None:
    name, _ = sales
    got = client.query(name, select="category", distinct=True, order_by="category")
    assert got["category"].to_list() == ["A", "B", "C", "D"]
    arrow = client.query_arrow(name, group_by=["category"], aggregates=[{"function": "count"}])
    assert sorted(arrow.column("count").to_pylist()) == [25_000] * 4


def test_count(client: quiver.Client, sales: tuple[str, pa.Table]) -> None:
    name, table = sales
    assert client.count(name) == SALES_ROWS
    assert client.count("demo") == DEMO_ROWS
    expected = frame_of(table).filter(pl.col("value") > 100).height
    assert client.count(name, filter=col("value") > 100) == expected


def test_sample_is_reproducible(client: quiver.Client, sales: tuple[str, pa.Table]) -> None:
    name, table = sales
    first = client.sample(name, 500, seed=7, columns=["id", "value"])
    again = client.sample(name, 500, seed=7, columns=["id", "value"])
    other = client.sample(name, 500, seed=8, columns=["id", "value"])
    assert first.height == 500
    assert first.sort("id").equals(again.sort("id"))
    assert not first.sort("id").equals(other.sort("id"))
    stored = frame_of(table).select(["id", "value"])
    assert first.join(stored, on="id", how="semi").height == 500
    fraction = client.sample(name, fraction=0.1, seed=1, filter=col("category") == "A")
    assert 1500 < fraction.height < 3500
    assert set(fraction["category"].to_list()) == {"A"}
    with pytest.raises(ValueError, match="exactly one"):
        client.sample(name)


def test_download_formats(
    client: quiver.Client, sales: tuple[str, pa.Table], tmp_path: Path
) -> None:
    name, table = sales
    reports: list[quiver.Progress] = []
    target = client.download(
        name, tmp_path / "sales.parquet", order_by="id", progress=reports.append
    )
    assert pq.read_table(target).equals(table)
    zstd = client.download(name, tmp_path / "z.parquet", compression="zstd", limit=10)
    assert pq.ParquetFile(zstd).metadata.row_group(0).column(0).compression == "ZSTD"
    zstd.unlink()
    assert reports[-1].done
    assert reports[-1].rows == SALES_ROWS
    assert reports[-1].bytes == target.stat().st_size
    csv_path = client.download(
        name,
        tmp_path / "part.csv",
        format="csv",
        columns=["id", "category"],
        limit=100,
        order_by="id",
    )
    assert pl.read_csv(csv_path).equals(frame_of(table).select(["id", "category"]).head(100))
    arrow_path = client.download(name, tmp_path / "all.arrow", format="arrow-file", order_by="id")
    assert ipc.open_file(arrow_path).read_all().equals(table)
    with pytest.raises(quiver.BadRequestError):
        client.download(name, tmp_path / "x.xml", format="xml")  # type: ignore[arg-type]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["all.arrow", "part.csv", "sales.parquet"]


def test_read_errors_map_to_typed_exceptions(client: quiver.Client) -> None:
    with pytest.raises(quiver.NotFoundError) as missing:
        client.read("ghost")
    assert missing.value.status == 404
    with pytest.raises(quiver.BadRequestError) as bad_value:
        client.read("demo", filter=col("value") > "abc")
    assert bad_value.value.errors[0].field == "filter.value"
    assert "number" in bad_value.value.errors[0].message
    with pytest.raises(quiver.BadRequestError, match="ghost"):
        client.read("demo", columns=["id", "ghost"])
    with pytest.raises(quiver.BadRequestError):
        client.read("demo", order_by="-ghost")
    with pytest.raises(quiver.BadRequestError):
        client.query("demo", aggregates=[{"function": "median", "column": "value"}])
    with pytest.raises(quiver.ApiError) as base:
        client.read("demo", filter={"op": "like", "column": "id", "value": 1})
    assert isinstance(base.value, quiver.QuiverError)


def consume_slowly(stream: quiver.BatchStream) -> None:
    with stream:
        for _ in stream:
            time.sleep(0.02)


def consume_and_kill(stream: quiver.BatchStream, server: Server) -> int:
    received = 0
    with stream:
        for batch in stream:
            received += batch.num_rows
            if received == batch.num_rows:
                server.kill()
    return received


def test_cancel_stops_a_read_from_another_thread(client: quiver.Client) -> None:
    cancel = quiver.CancelToken()
    rows: list[int] = []

    def on_progress(progress: quiver.Progress) -> None:
        rows.append(progress.rows)

    timer = threading.Timer(0.05, cancel.cancel)
    timer.start()
    started = time.monotonic()
    # A slow consumer: without the cancel this read takes far longer than the test.
    stream = client.stream("demo", progress=on_progress, cancel=cancel)
    with pytest.raises(quiver.QuiverCancelledError):
        consume_slowly(stream)
    assert time.monotonic() - started < 5
    assert client.read("demo", columns="id", limit=3).height == 3
    with pytest.raises(quiver.QuiverCancelledError):
        client.read("demo", cancel=cancel)  # already cancelled


def test_download_cancelled_leaves_no_file(client: quiver.Client, tmp_path: Path) -> None:
    cancel = quiver.CancelToken()

    def stop_soon(progress: quiver.Progress) -> None:
        if progress.bytes > 1_000_000:
            cancel.cancel()

    with pytest.raises(quiver.QuiverCancelledError):
        client.download(
            "demo", tmp_path / "demo.arrow", format="arrow", progress=stop_soon, cancel=cancel
        )
    assert list(tmp_path.iterdir()) == []


@pytest.fixture(scope="module")
def capped(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = start_server(
        tmp_path_factory.mktemp("capped") / "data",
        "--demo-rows",
        "300000",
        "--max-text-rows",
        "1000",
    )
    yield running
    running.stop()


def test_a_transfer_that_fails_midway_is_an_error_with_the_reason(
    capped: Server, tmp_path: Path
) -> None:
    with quiver.Client(capped.url) as capped_client:
        with pytest.raises(quiver.QuiverTransferError) as failed:
            capped_client.download("demo", tmp_path / "demo.csv", format="csv")
        assert failed.value.reason is not None
        assert "1000 rows" in failed.value.reason
        assert failed.value.reason in str(failed.value)
        assert list(tmp_path.iterdir()) == []
        # The same connection pool still works afterwards.
        assert capped_client.read("demo", columns="id", limit=1000).height == 1000


def test_a_server_that_dies_midway_is_a_transfer_error(tmp_path: Path) -> None:
    doomed = start_server(tmp_path / "data", "--demo-rows", "300000")
    try:
        with quiver.Client(doomed.url) as doomed_client:
            stream = doomed_client.stream("demo")
            with pytest.raises(quiver.QuiverTransferError):
                consume_and_kill(stream, doomed)
            assert stream.rows < 300_000
    finally:
        doomed.stop()


def test_the_client_reads_what_raw_http_and_pyarrow_read(
    client: quiver.Client, server: Server
) -> None:
    condition = (col("category") == "B") & (col("quantity") > 50)
    response = requests.post(
        f"{server.url}/api/v1/datasets/demo/query",
        json={"filter": condition.to_json(), "order_by": ["id"], "limit": 20_000},
        timeout=60,
    )
    judge = ipc.open_stream(io.BytesIO(response.content)).read_all()
    assert client.read_arrow("demo", filter=condition, order_by="id", limit=20_000).equals(judge)


@pytest.fixture(scope="module")
def compressing(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server that compresses responses even on loopback, with a small text cap."""
    running = start_server(
        tmp_path_factory.mktemp("compressing") / "data",
        "--demo-rows",
        "200000",
        "--http-compression",
        "always",
        "--max-text-rows",
        "1000",
    )
    yield running
    running.stop()


def test_gzip_responses_are_decoded(compressing: Server, tmp_path: Path) -> None:
    raw = requests.get(
        f"{compressing.url}/api/v1/datasets/demo/rows",
        params={"order_by": "id"},
        headers={"Accept-Encoding": "identity"},
        timeout=60,
    )
    assert "Content-Encoding" not in raw.headers
    judge = ipc.open_stream(io.BytesIO(raw.content)).read_all()
    with quiver.Client(compressing.url) as gzip_client:
        with gzip_client.stream("demo", order_by="id") as stream:
            assert stream.headers["Content-Encoding"] == "gzip"
            got = stream.read_all()
            assert stream.bytes < judge.nbytes / 2  # what the wire carried, compressed
        assert got.equals(judge)
        csv_path = gzip_client.download(
            "demo", tmp_path / "first.csv", format="csv", limit=1000, order_by="id"
        )
        assert pl.read_csv(csv_path)["id"].to_list() == list(range(1000))
        with pytest.raises(quiver.QuiverTransferError) as failed:
            gzip_client.download("demo", tmp_path / "all.csv", format="csv")
        assert failed.value.reason is not None
        assert "1000 rows" in failed.value.reason


def test_arrow_buffer_compression(client: quiver.Client, server: Server) -> None:
    with client.stream("demo", order_by="id", limit=100_000) as stream:
        plain = stream.read_all()
        plain_bytes = stream.bytes
    codecs: list[Literal["lz4", "zstd"]] = ["lz4", "zstd"]
    for codec in codecs:
        with quiver.Client(server.url, arrow_compression=codec) as compressed:
            with compressed.stream("demo", order_by="id", limit=100_000) as stream:
                got = stream.read_all()
                assert stream.bytes < plain_bytes * 0.8, codec
            assert got.equals(plain), codec
    with pytest.raises(ValueError, match="lz4 or zstd"):
        quiver.Client(server.url, arrow_compression="brotli")  # type: ignore[arg-type]

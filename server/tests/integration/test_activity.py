"""Progress, cancellation, metrics, HTTP compression and failures after the first byte."""

from __future__ import annotations

import io
import re
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pytest
import requests
import urllib3
from conftest import RunningServer, start_server
from datasets_helpers import ARROW_STREAM, ROWS, definition, encode, upload
from pyarrow import ipc

BIG_ROWS = ROWS * 100  # 100,000,000 in the release run
FAILING_ROW = ROWS * 5  # 5,000,000 in the release run
# What a broken chunked transfer raises, depending on where pyarrow's read lands.
TRANSFER_FAILED = (
    OSError,
    pa.ArrowInvalid,
    requests.exceptions.RequestException,
    urllib3.exceptions.ProtocolError,
)
COLUMNS = [("id", "int64", pa.int64(), True), ("value", "float64", pa.float64(), False)]


def metrics(server: RunningServer) -> dict[str, float]:
    response = requests.get(f"{server.url}/metrics", timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    values: dict[str, float] = {}
    for line in response.text.splitlines():
        if line.startswith("#") or not line:
            continue
        name, value = line.rsplit(" ", 1)
        values[name] = float(value)
    return values


def resident_bytes(server: RunningServer) -> int:
    status = Path(f"/proc/{server.process.pid}/status").read_text()
    match = re.search(r"VmRSS:\s+(\d+) kB", status)
    assert match is not None
    return int(match.group(1)) * 1024


def make_view_dataset(data_dir: Path, name: str, select: str, kind: str = "VIEW") -> None:
    """Creates `name` through the API, then (server stopped) swaps its table in the
    DuckDB file for `select`: as a TABLE (100M rows of sequences compress to a few MB,
    written in ~10 s instead of uploading gigabytes), or as a VIEW whose rows DuckDB
    computes as they stream (one that fails at row 5M)."""
    server = start_server(data_dir)
    try:
        created = requests.post(
            f"{server.url}/api/v1/datasets", json=definition(name, COLUMNS), timeout=30
        )
        assert created.status_code == 201, created.text
    finally:
        assert server.stop() == 0
    with duckdb.connect(str(data_dir / "quiver.duckdb")) as connection:
        connection.execute(f'DROP TABLE quiver_data."{name}"')
        connection.execute(f'CREATE {kind} quiver_data."{name}" AS {select}')


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    data_dir = tmp_path_factory.mktemp("activity") / "data"
    make_view_dataset(
        data_dir,
        "big",
        # _quiver_row: every dataset table's position column, as quiverd numbers rows.
        f"SELECT range AS id, range * 0.5 AS value, range AS _quiver_row FROM range({BIG_ROWS})",
        kind="TABLE",
    )
    make_view_dataset(
        data_dir,
        "failing",
        "SELECT range AS id, CAST(CASE WHEN range = "
        f"{FAILING_ROW} THEN 'not a number' ELSE CAST(range AS VARCHAR) END AS DOUBLE) "
        f"AS value FROM range({FAILING_ROW * 2})",
    )
    server = start_server(data_dir, "--http-compression", "always")
    try:
        created = requests.post(
            f"{server.url}/api/v1/datasets", json=definition("small", COLUMNS), timeout=30
        )
        assert created.status_code == 201
        table = pa.table(
            {"id": pa.array(range(50_000), pa.int64()), "value": [i / 3 for i in range(50_000)]}
        )
        assert upload(server.url, "small", encode(table, ARROW_STREAM), ARROW_STREAM).ok
        yield server
    finally:
        assert server.stop() == 0


def rows_url(server: RunningServer, dataset: str) -> str:
    return f"{server.url}/api/v1/datasets/{dataset}/rows"


def open_stream(server: RunningServer, dataset: str) -> requests.Response:
    """A streamed GET whose body pyarrow reads straight off the socket."""
    return requests.get(
        rows_url(server, dataset),
        stream=True,
        headers={"Accept-Encoding": "identity"},
        timeout=120,
    )


def wait_for(condition: Any, timeout: float) -> float:
    """Seconds until `condition()` held; fails after `timeout`."""
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < timeout, "timed out"
        time.sleep(0.01)
    return time.monotonic() - started


def test_a_client_that_leaves_after_one_batch_of_100m_rows_is_cancelled_at_once(
    big: RunningServer,
) -> None:
    server = big
    warm = requests.get(rows_url(server, "big"), params={"limit": "100000"}, timeout=60)
    assert warm.status_code == 200
    baseline = resident_bytes(server)
    before = metrics(server)

    started = time.monotonic()
    response = open_stream(server, "big")
    assert response.status_code == 200
    reader = ipc.open_stream(response.raw)
    first = reader.read_next_batch()
    first_batch_seconds = time.monotonic() - started
    assert first.num_rows > 0
    query_id = response.headers["Quiver-Query-Id"]
    response.close()  # the client leaves
    cancelled_after = wait_for(
        lambda: (
            metrics(server)['quiver_reads_total{outcome="cancelled"}']
            == before['quiver_reads_total{outcome="cancelled"}'] + 1
        ),
        timeout=1.0,
    )
    after = metrics(server)
    assert after["quiver_reads_active"] == 0
    progress = requests.get(f"{server.url}/api/v1/queries/{query_id}", timeout=10).json()
    assert progress["state"] == "cancelled"
    assert progress["rows_sent"] < BIG_ROWS // 10
    wait_for(
        lambda: any(
            line.get("event") == "read_cancelled" and line.get("query_id") == query_id
            for line in list(server.log_lines)
        ),
        timeout=1.0,
    )
    released = next(
        line
        for line in list(server.log_lines)
        if line.get("event") == "read_cancelled" and line.get("query_id") == query_id
    )
    assert int(str(released["cancel_to_release_us"])) < 1_000_000
    # The memory the stream used is given back (DuckDB keeps a few cached blocks).
    assert resident_bytes(server) < baseline + 64 * 1024 * 1024, (baseline, cancelled_after)
    assert first_batch_seconds < 5, "the first rows do not wait for the other 100M"


def test_progress_of_a_read_and_its_end(big: RunningServer) -> None:
    server = big
    response = open_stream(server, "big")
    query_id = response.headers["Quiver-Query-Id"]
    reader = ipc.open_stream(response.raw)
    received = reader.read_next_batch().num_rows
    running = requests.get(f"{server.url}/api/v1/queries", timeout=10).json()["queries"]
    mine = [query for query in running if query["id"] == query_id]
    assert len(mine) == 1
    assert mine[0]["state"] == "running"
    assert mine[0]["dataset"] == "big"
    assert mine[0]["format"] == "arrow"
    assert mine[0]["rows_sent"] >= received
    assert mine[0]["bytes_sent"] > 0
    response.close()

    whole = requests.get(rows_url(server, "small"), timeout=60)
    done = requests.get(
        f"{server.url}/api/v1/queries/{whole.headers['Quiver-Query-Id']}", timeout=10
    ).json()
    assert done["state"] == "done"
    assert done["rows_sent"] == 50_000
    assert done["bytes_sent"] == len(whole.content)
    missing = requests.get(f"{server.url}/api/v1/queries/0000000000000000", timeout=10)
    assert missing.status_code == 404


def test_delete_cancels_a_read_and_the_client_sees_a_failed_transfer(big: RunningServer) -> None:
    server = big
    before = metrics(server)
    response = open_stream(server, "big")
    query_id = response.headers["Quiver-Query-Id"]
    reader = ipc.open_stream(response.raw)
    reader.read_next_batch()
    deleted = requests.delete(f"{server.url}/api/v1/queries/{query_id}", timeout=10)
    assert deleted.status_code == 204
    with pytest.raises(TRANSFER_FAILED):
        for _ in range(BIG_ROWS):
            reader.read_next_batch()
    response.close()
    state = requests.get(f"{server.url}/api/v1/queries/{query_id}", timeout=10).json()
    assert state["state"] == "cancelled"
    assert requests.delete(f"{server.url}/api/v1/queries/{query_id}", timeout=10).status_code == 404
    after = metrics(server)
    cancelled = 'quiver_reads_total{outcome="cancelled"}'
    assert after[cancelled] == before[cancelled] + 1


def test_a_query_that_fails_after_streaming_began_is_a_failed_transfer_in_pyarrow(
    big: RunningServer,
) -> None:
    server = big
    before = metrics(server)
    response = open_stream(server, "failing")
    assert response.status_code == 200, "the failure comes after the first bytes"
    reader = ipc.open_stream(response.raw)
    received = 0
    with pytest.raises(TRANSFER_FAILED):
        for _ in range(FAILING_ROW):
            received += reader.read_next_batch().num_rows
    assert 0 < received <= FAILING_ROW, "rows streamed before the failure, none after"
    # Reading it whole, as most clients do, fails too: never a short table.
    with pytest.raises(TRANSFER_FAILED):
        whole = requests.get(rows_url(server, "failing"), timeout=120)
        ipc.open_stream(io.BytesIO(whole.content)).read_all()
    failed = 'quiver_reads_total{outcome="failed"}'
    assert metrics(server)[failed] == before[failed] + 2
    assert any(
        line.get("event") == "stream_failed" and "not a number" in str(line.get("error"))
        for line in list(server.log_lines)
    )


@pytest.mark.parametrize("encoding", ["zstd", "br", "gzip"])
def test_content_encoding_as_the_client_asks(big: RunningServer, encoding: str) -> None:
    server = big
    plain = requests.get(
        rows_url(server, "small"), headers={"Accept-Encoding": "identity"}, timeout=60
    )
    assert "Content-Encoding" not in plain.headers
    raw = requests.get(
        rows_url(server, "small"), headers={"Accept-Encoding": encoding}, stream=True, timeout=60
    )
    assert raw.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in raw.headers["Vary"]
    compressed = raw.raw.read(decode_content=False)
    assert len(compressed) < len(plain.content)
    codec = {"zstd": "zstd", "br": "brotli", "gzip": "gzip"}[encoding]
    decoded = pa.CompressedInputStream(io.BytesIO(compressed), codec).read()
    assert decoded == plain.content
    table = ipc.open_stream(io.BytesIO(decoded)).read_all()
    assert table.num_rows == 50_000


def test_never_compressed_twice_and_best_q_wins(big: RunningServer) -> None:
    server = big
    asks = {"Accept-Encoding": "gzip, br;q=0.9, zstd;q=0.1"}
    best = requests.get(rows_url(server, "small"), headers=asks, params={"limit": "10"}, timeout=30)
    assert best.headers["Content-Encoding"] == "gzip"
    for params in ({"format": "parquet"}, {"compression": "lz4"}, {"compression": "zstd"}):
        response = requests.get(
            rows_url(server, "small"),
            headers={"Accept-Encoding": "zstd, br, gzip"},
            params={"limit": "10", **params},
            timeout=30,
        )
        assert response.status_code == 200
        assert "Content-Encoding" not in response.headers, params
    refused = requests.get(
        rows_url(server, "small"),
        headers={"Accept-Encoding": "zstd;q=0, br;q=0, gzip;q=0"},
        params={"limit": "10"},
        timeout=30,
    )
    assert "Content-Encoding" not in refused.headers


def test_loopback_clients_get_no_compression_by_default(tmp_path: Path) -> None:
    server = start_server(tmp_path / "data")
    try:
        assert requests.post(
            f"{server.url}/api/v1/datasets", json=definition("t", COLUMNS), timeout=30
        ).ok
        response = requests.get(
            rows_url(server, "t"), headers={"Accept-Encoding": "zstd, br, gzip"}, timeout=30
        )
        assert response.status_code == 200
        assert "Content-Encoding" not in response.headers
    finally:
        assert server.stop() == 0


def test_metrics_count_requests_rows_and_memory(big: RunningServer) -> None:
    server = big
    before = metrics(server)
    for _ in range(3):
        assert requests.get(rows_url(server, "small"), timeout=30).status_code == 200
    assert requests.get(rows_url(server, "nope"), timeout=30).status_code == 404
    after = metrics(server)
    ok = 'quiver_http_requests_total{method="GET",status="200"}'
    assert after[ok] >= before.get(ok, 0) + 3 + 1  # the three reads and the first /metrics
    missing = 'quiver_http_requests_total{method="GET",status="404"}'
    assert after[missing] == before.get(missing, 0) + 1
    assert after["quiver_read_rows_total"] == before["quiver_read_rows_total"] + 150_000
    assert after['quiver_reads_total{outcome="done"}'] == (
        before['quiver_reads_total{outcome="done"}'] + 3
    )
    assert after["process_resident_memory_bytes"] > 10_000_000
    count = after["quiver_http_request_duration_seconds_count"]
    assert after['quiver_http_request_duration_seconds_bucket{le="+Inf"}'] == count


def test_a_client_that_leaves_before_the_first_rows_cancels_the_work(big: RunningServer) -> None:
    """The query is still sorting when the client goes: nothing is written to notice
    the departure with, so the server watches the socket while it produces."""
    server = big
    before = metrics(server)
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as connection:
        connection.sendall(
            b"GET /api/v1/datasets/big/rows?order_by=-value&limit=10&offset=1 HTTP/1.1\r\n"
            b"Host: x\r\nAccept-Encoding: identity\r\n\r\n"
        )
        head = b""
        while b"\r\n\r\n" not in head:
            head += connection.recv(4096)
        query_id = re.search(rb"Quiver-Query-Id: (\w+)", head)
        assert query_id is not None, head
    left = time.monotonic()
    cancelled = 'quiver_reads_total{outcome="cancelled"}'
    wait_for(lambda: metrics(server)[cancelled] == before[cancelled] + 1, timeout=1.0)
    took = time.monotonic() - left
    progress = requests.get(
        f"{server.url}/api/v1/queries/{query_id.group(1).decode()}", timeout=10
    ).json()
    assert progress["state"] == "cancelled"
    assert progress["rows_sent"] == 0
    assert took < 1.0

"""The reference peer and the data generator, tested for real.

The reference server runs as a real uvicorn process on a loopback port and is asked over
HTTP; every answer is compared with what Polars computes directly on the same Parquet file.
"""

from __future__ import annotations

import hashlib
import io
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import requests
from polars.testing import assert_frame_equal

from bench.generate import SCHEMA, generate

ROWS = 100_000
ROW_GROUP_SIZE = 30_000  # several row groups, so that pages and slices cross their edges
REPOSITORY = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
STARTUP_SECONDS = 30.0
REQUEST_SECONDS = 60.0
STOP_SECONDS = 10.0


@dataclass(frozen=True)
class Server:
    base_url: str

    def get(self, path: str, **parameters: str | int) -> requests.Response:
        response = requests.get(self.base_url + path, params=parameters, timeout=REQUEST_SECONDS)
        return response

    def arrow(self, path: str, **parameters: str | int) -> pl.DataFrame:
        response = self.get(path, **parameters)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "application/vnd.apache.arrow.stream"
        table = pa.ipc.open_stream(response.content).read_all()
        return pl.DataFrame(pl.from_arrow(table))


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def wait_until_healthy(process: subprocess.Popen[bytes], base_url: str, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"server exited with {process.returncode}:\n{log.read_text()}")
        try:
            if requests.get(base_url + "/health", timeout=1.0).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.1)
    pytest.fail(f"server not healthy after {STARTUP_SECONDS} s:\n{log.read_text()}")


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=STOP_SECONDS)


@contextmanager
def run_server(arguments: list[str], parquet: Path, log: Path) -> Iterator[Server]:
    """Starts `python <arguments>` on a free loopback port, yields it, and stops it."""
    port = free_port()
    environment = dict(os.environ, REFERENCE_PARQUET=str(parquet))
    command = [sys.executable, *[argument.format(port=port) for argument in arguments]]
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, cwd=REPOSITORY, env=environment, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        base_url = f"http://{HOST}:{port}"
        wait_until_healthy(process, base_url, log)
        yield Server(base_url)
    finally:
        stop(process)


@pytest.fixture(scope="module")
def parquet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("data") / "demo.parquet"
    generate(ROWS, path, seed=42, row_group_size=ROW_GROUP_SIZE)
    return path


@pytest.fixture(scope="module")
def expected(parquet: Path) -> pl.DataFrame:
    return pl.read_parquet(parquet)


@pytest.fixture(scope="module")
def server(parquet: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    log = tmp_path_factory.mktemp("logs") / "uvicorn.log"
    uvicorn = ["-m", "uvicorn", "bench.reference.app:app", "--host", HOST, "--port", "{port}"]
    with run_server(uvicorn, parquet, log) as server:
        yield server


# --- the generator ------------------------------------------------------------------------


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_generate_is_deterministic(tmp_path: Path) -> None:
    first, second = tmp_path / "first.parquet", tmp_path / "second.parquet"
    generate(50_000, first, seed=7, row_group_size=20_000)
    generate(50_000, second, seed=7, row_group_size=20_000)
    assert sha256(first) == sha256(second)

    other_row_groups, other_seed = tmp_path / "groups.parquet", tmp_path / "seed.parquet"
    generate(50_000, other_row_groups, seed=7, row_group_size=7_000)
    generate(50_000, other_seed, seed=8, row_group_size=20_000)
    assert pq.read_table(other_row_groups).equals(pq.read_table(first))
    assert not pq.read_table(other_seed).equals(pq.read_table(first))


def test_generate_writes_the_demo_schema(parquet: Path, expected: pl.DataFrame) -> None:
    metadata = pq.ParquetFile(parquet).metadata
    assert metadata.num_rows == ROWS
    assert metadata.num_row_groups == -(-ROWS // ROW_GROUP_SIZE)
    assert pq.read_schema(parquet).remove_metadata().equals(SCHEMA)

    ids = pl.col("id")
    facts = expected.select(
        (ids == pl.int_range(ROWS)).all().alias("ids_in_order"),
        (pl.col("ts") == pl.datetime(2024, 1, 1, time_zone="UTC") + pl.duration(seconds=ids))
        .all()
        .alias("ts_from_id"),
        pl.col("category").is_in(["A", "B", "C"]).all().alias("categories"),
        pl.col("region").is_in(["north", "south", "east", "west"]).all().alias("regions"),
        pl.col("value").is_between(0, 1000, closed="left").all().alias("values"),
        pl.col("quantity").is_between(1, 100).all().alias("quantities"),
        (pl.col("label").is_null() == (ids % 97 == 0)).all().alias("label_nulls"),
        (pl.col("label") == pl.format("item-{}", ids % 1000)).drop_nulls().all().alias("labels"),
    )
    assert all(facts.row(0)), facts

    shares = expected["category"].value_counts(normalize=True).sort("category")
    assert shares["proportion"].to_list() == pytest.approx([0.5, 0.3, 0.2], abs=0.01)
    assert expected["region"].n_unique() == 4
    assert expected["flag"].mean() == pytest.approx(0.5, abs=0.01)


# --- the reference server -----------------------------------------------------------------


def test_health(server: Server) -> None:
    response = server.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_arrow_ipc_full_table(server: Server, expected: pl.DataFrame) -> None:
    assert_frame_equal(server.arrow("/data/arrow_ipc"), expected)


def test_parquet_full_table(server: Server, expected: pl.DataFrame) -> None:
    response = server.get("/data/parquet")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/vnd.apache.parquet"
    assert response.headers["content-disposition"] == "attachment; filename=data.parquet"
    assert_frame_equal(pl.read_parquet(io.BytesIO(response.content)), expected)


def test_arrow_ipc_filter_by_category(server: Server, expected: pl.DataFrame) -> None:
    for category in ["A", "B", "C"]:
        result = server.arrow("/data/arrow_ipc", category=category)
        assert_frame_equal(result, expected.filter(pl.col("category") == category))


def test_arrow_ipc_column_subset(server: Server, expected: pl.DataFrame) -> None:
    result = server.arrow("/data/arrow_ipc", columns="value,region,label")
    assert_frame_equal(result, expected.select("value", "region", "label"))


def test_filter_columns_and_slice_together(server: Server, expected: pl.DataFrame) -> None:
    parameters: dict[str, str | int] = {
        "columns": "id,value",
        "category": "C",
        "offset": 5_000,
        "limit": 2_500,
    }
    wanted = expected.filter(pl.col("category") == "C").select("id", "value").slice(5_000, 2_500)
    assert_frame_equal(server.arrow("/data/arrow_ipc", **parameters), wanted)
    response = server.get("/data/parquet", **parameters)
    assert_frame_equal(pl.read_parquet(io.BytesIO(response.content)), wanted)


def test_page_of_100_rows(server: Server, expected: pl.DataFrame) -> None:
    offset = ROW_GROUP_SIZE - 50  # straddles the first row-group edge
    page = server.arrow("/data/page", limit=100, offset=offset)
    assert page.height == 100
    assert_frame_equal(page, expected.slice(offset, 100))
    assert_frame_equal(server.arrow("/data/page"), expected.head(100))
    assert server.arrow("/data/page", offset=ROWS - 30).height == 30


def summary(frame: pl.DataFrame) -> pl.DataFrame:
    return (
        frame.group_by("category")
        .agg(
            pl.col("value").mean().alias("average_value"),
            pl.col("value").sum().alias("total_value"),
            pl.len().alias("record_count"),
        )
        .sort("category")
    )


def test_aggregated_summary(server: Server, expected: pl.DataFrame) -> None:
    result = server.arrow("/data/aggregated_summary")
    assert result["category"].to_list() == ["A", "B", "C"]
    assert result["record_count"].sum() == ROWS
    assert_frame_equal(result, summary(expected), check_exact=False, rel_tol=1e-9)

    filtered = server.arrow("/data/aggregated_summary", filter_category="B")
    wanted = summary(expected.filter(pl.col("category") == "B"))
    assert_frame_equal(filtered, wanted, check_exact=False, rel_tol=1e-9)


def test_bad_requests_are_rejected(server: Server) -> None:
    unknown = server.get("/data/arrow_ipc", columns="id,no_such_column")
    assert unknown.status_code == 400
    assert "no_such_column" in unknown.json()["detail"]
    assert server.get("/data/page", offset=-1).status_code == 422
    assert server.get("/data/arrow_ipc", limit="many").status_code == 422


def test_runs_as_a_module(parquet: Path, expected: pl.DataFrame, tmp_path: Path) -> None:
    arguments = ["-m", "bench.reference", "--parquet", str(parquet), "--port", "{port}"]
    with run_server(arguments, parquet, tmp_path / "module.log") as server:
        assert_frame_equal(server.arrow("/data/page", limit=10), expected.head(10))

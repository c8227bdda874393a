"""The machine's limits, measured in the same run: loopback TCP, memory copy, DuckDB alone."""

from __future__ import annotations

import json
import statistics
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from bench.harness.client import KEEP_ROWS, Transfer
from bench.harness.servers import HOST, free_port

DUCKDB_BATCH_ROWS = 65_536  # about what Quiver gathers into one record batch
IPERF_START_SECONDS = 10.0


@dataclass(frozen=True)
class Loopback:
    """iperf3: one TCP stream from a client to a server, both on 127.0.0.1."""

    bytes_per_second: float
    seconds: float


@dataclass(frozen=True)
class MemoryCopy:
    """numpy.copyto of one large array into another: bytes copied per second."""

    bytes_per_second: float
    array_bytes: int
    repeats: int


def loopback_bandwidth(seconds: float) -> Loopback:
    port = free_port()
    server = subprocess.Popen(
        ["iperf3", "--server", "--bind", HOST, "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        client = ["iperf3", "--client", HOST, "--port", str(port), "--json"]
        client += ["--time", str(max(1, round(seconds)))]  # whole seconds; 0 means forever
        deadline = time.monotonic() + IPERF_START_SECONDS
        while True:
            finished = subprocess.run(client, capture_output=True, text=True, check=False)
            received = iperf_received(finished.stdout)
            if finished.returncode == 0 and received is not None:
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"iperf3 failed: {finished.stdout[-2000:]}{finished.stderr}")
            time.sleep(0.1)  # the server is not listening yet
    finally:
        server.terminate()
        server.wait(timeout=10)
    return Loopback(float(received["bits_per_second"]) / 8, float(received["seconds"]))


def iperf_received(output: str) -> dict[str, Any] | None:
    """The receiver's sum from iperf3 --json, or None when the run did not happen.

    iperf3 3.12 exits 0 even when it could not connect; the JSON then has an "error".
    """
    try:
        report = json.loads(output)
    except json.JSONDecodeError:
        return None
    received = report.get("end", {}).get("sum_received")
    if not isinstance(received, dict) or "bits_per_second" not in received:
        return None
    return received


def memory_copy_bandwidth(array_bytes: int, repeats: int = 5) -> MemoryCopy:
    source = np.ones(array_bytes // 8, dtype=np.float64)
    target = np.empty_like(source)
    np.copyto(target, source)  # fault the pages in first
    seconds: list[float] = []
    for _ in range(repeats):
        started = time.perf_counter()
        np.copyto(target, source)
        seconds.append(time.perf_counter() - started)
    return MemoryCopy(source.nbytes / statistics.median(seconds), source.nbytes, repeats)


class DuckDBAlone:
    """The same query inside one process, no transport: DuckDB's Arrow record batches."""

    def __init__(self, database: Path) -> None:
        self.connection = duckdb.connect(str(database), read_only=True)

    def __enter__(self) -> DuckDBAlone:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.connection.close()

    def run(self, sql: str) -> Transfer:
        cpu_started = time.process_time()
        started = time.perf_counter()
        reader = self.connection.execute(sql).fetch_record_batch(DUCKDB_BATCH_ROWS)
        first_batch: float | None = None
        rows, size = 0, 0
        kept: list[pa.RecordBatch] = []
        for batch in reader:
            if first_batch is None:
                first_batch = time.perf_counter() - started
            rows += batch.num_rows
            size += batch.nbytes
            if rows <= KEEP_ROWS:
                kept.append(batch)
        wall = time.perf_counter() - started
        table = pa.Table.from_batches(kept, schema=reader.schema) if rows <= KEEP_ROWS else None
        return Transfer(
            rows=rows,
            bytes=size,
            ttfb_seconds=first_batch if first_batch is not None else wall,
            transfer_seconds=wall,
            wall_seconds=wall,
            client_cpu_seconds=time.process_time() - cpu_started,
            table=table,
        )

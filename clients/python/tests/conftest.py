"""A real quiverd per test session (and more where a test needs its own), on loopback."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
import requests

import quiver

ROOT = Path(__file__).resolve().parents[3]
QUIVERD = Path(os.environ.get("QUIVERD", ROOT / "build" / "release" / "src" / "quiverd"))
TEST_OUTPUT = Path(__file__).resolve().parents[1] / "test-output"
DEMO_ROWS = 1_000_000


@dataclass
class Server:
    """A running quiverd and the log lines it wrote."""

    process: subprocess.Popen[str]
    port: int
    log: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.terminate()
        try:
            return self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait(timeout=20)

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(timeout=20)


def _drain(server: Server) -> None:
    """Keeps reading the server's log so that a full pipe never stalls it."""
    assert server.process.stdout is not None
    for line in server.process.stdout:
        server.log.append(line)


def start_server(data_dir: Path, *flags: str) -> Server:
    if not QUIVERD.exists():
        raise RuntimeError(f"no quiverd at {QUIVERD}: set QUIVERD")
    environment = {k: v for k, v in os.environ.items() if not k.startswith("QUIVER_")}
    process = subprocess.Popen(
        [str(QUIVERD), "--port", "0", "--data-dir", str(data_dir), *flags],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=environment,
    )
    assert process.stdout is not None
    first = process.stdout.readline()
    try:
        listening = json.loads(first)
    except ValueError:
        process.kill()
        raise RuntimeError(f"quiverd did not start: {first}{process.stdout.read()}") from None
    assert listening["event"] == "listening", listening
    server = Server(process, int(listening["port"]), [first])
    threading.Thread(target=_drain, args=(server,), daemon=True).start()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("quiverd exited before it was ready:\n" + "".join(server.log))
        try:
            if requests.get(f"{server.url}/api/v1/ready", timeout=2).status_code == 200:
                return server
        except requests.ConnectionError:
            pass
        time.sleep(0.05)
    server.kill()
    raise TimeoutError("quiverd did not become ready")


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server for the session, with a DEMO_ROWS-row demo dataset."""
    running = start_server(
        tmp_path_factory.mktemp("quiver") / "data", "--demo-rows", str(DEMO_ROWS)
    )
    yield running
    assert running.stop() == 0, "".join(running.log[-20:])


@pytest.fixture(scope="session")
def client(server: Server) -> Iterator[quiver.Client]:
    with quiver.Client(server.url, timeout=60) as session_client:
        yield session_client


BIG_ROWS = 10_000_000


@pytest.fixture(scope="session")
def big(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server with a 10,000,000-row demo dataset (~10 s to make), shared by the tests
    that need a read too large to finish in an instant."""
    running = start_server(tmp_path_factory.mktemp("big") / "data", "--demo-rows", str(BIG_ROWS))
    yield running
    assert running.stop() == 0, "".join(running.log[-20:])


_names = itertools.count()


@pytest.fixture
def name(client: quiver.Client) -> Iterator[str]:
    """A fresh dataset name, dropped after the test."""
    dataset = f"t{os.getpid()}_{next(_names)}"
    yield dataset
    client.drop(dataset, missing_ok=True)


def sales_table(rows: int, start: int = 0) -> pa.Table:
    """A known table to judge reads by: ids, categories, values with nulls, times."""
    ids = np.arange(start, start + rows, dtype=np.int64)
    categories = np.array(["A", "B", "C", "D"])[(ids * 7) % 4]
    values = ((ids * 37) % 1000) / 4.0
    return pa.table(
        {
            "id": pa.array(ids),
            "category": pa.array(categories),
            "value": pa.array(values, mask=(ids % 17 == 3)),
            "quantity": pa.array((ids % 100 + 1).astype(np.int32)),
            "ts": pa.array(
                np.datetime64("2024-01-01T00:00:00", "us") + ids * np.timedelta64(90, "s"),
                pa.timestamp("us", tz="UTC"),
            ),
            "label": pa.array([f"item-{i}" if i % 5 else None for i in ids]),
        }
    )


SALES_SCHEMA = pa.schema(
    [
        pa.field("id", pa.int64(), nullable=False),
        pa.field("category", pa.string(), nullable=False),
        pa.field("value", pa.float64()),
        pa.field("quantity", pa.int32()),
        pa.field("ts", pa.timestamp("us", tz="UTC")),
        pa.field("label", pa.string()),
    ]
)
SALES_ROWS = 100_000


@pytest.fixture(scope="session")
def sales(client: quiver.Client) -> tuple[str, pa.Table]:
    """A dataset with known rows, shared by the read tests (never modified)."""
    table = sales_table(SALES_ROWS).cast(SALES_SCHEMA)
    client.create("sales", SALES_SCHEMA, primary_key="id")
    client.ingest("sales", table)
    return "sales", table

"""The two servers under test, started on loopback as their users would start them.

Quiver: the quiverd binary with a fresh data dir and a free port (`--port 0`, the port is
read from its first log line), no QUIVER_* variable from the caller's shell, data loaded
over its own API. The reference: the FastAPI + Polars app under one uvicorn process (the
process that serves, so /proc of its pid is the server's memory and CPU).
Both log to files in the run's temporary folder, which nobody has to drain.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from bench.harness.procfs import ProcessProbe

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
START_SECONDS = 60.0
STOP_SECONDS = 30.0
LOAD_TIMEOUT_SECONDS = 7_200.0
QUIVER_COLUMNS: list[dict[str, Any]] = [
    {"name": "id", "type": "int64", "required": True},
    {"name": "ts", "type": "timestamp(us, UTC)", "required": True},
    {"name": "category", "type": "string", "required": True},
    {"name": "region", "type": "string", "required": True},
    {"name": "value", "type": "float64", "required": True},
    {"name": "quantity", "type": "int32", "required": True},
    {"name": "flag", "type": "boolean", "required": True},
    {"name": "label", "type": "string", "required": False},
]


class ServerError(RuntimeError):
    """A server did not start, or did not take the data."""


@dataclass
class Server:
    name: str
    process: subprocess.Popen[bytes]
    port: int
    log: Path
    restart: Callable[[], None] | None = None  # starts it again after it died

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def probe(self) -> ProcessProbe:
        return ProcessProbe(self.process.pid)

    def fail(self, message: str) -> ServerError:
        tail = self.log.read_text(errors="replace")[-3_000:] if self.log.exists() else ""
        return ServerError(f"{self.name}: {message}\n{tail}")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def stop(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait(timeout=STOP_SECONDS)


def wait_until_ok(server: Server, path: str) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise server.fail(f"exited with {server.process.returncode}")
        try:
            if requests.get(server.base_url + path, timeout=1.0).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.05)
    raise server.fail(f"{path} not 200 after {START_SECONDS:.0f} s")


def listening_port(process: subprocess.Popen[bytes], log: Path) -> int:
    """The port from quiverd's first log line, {"event":"listening","port":...}."""
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        first_line, newline, _ = log.read_text(errors="replace").partition("\n")
        if newline:
            event = json.loads(first_line)
            if event.get("event") != "listening":
                raise ServerError(f"quiverd: unexpected first log line {first_line}")
            port: int = event["port"]
            return port
        if process.poll() is not None:
            raise ServerError(f"quiverd exited with {process.returncode}: {log.read_text()}")
        time.sleep(0.02)
    raise ServerError(f"quiverd logged nothing in {START_SECONDS:.0f} s")


@contextmanager
def quiver(binary: Path, folder: Path) -> Iterator[Server]:
    """A running quiverd with an empty data dir under folder; stopped on exit."""
    if not binary.is_file():
        raise ServerError(f"no quiverd at {binary}: build it first (make build-server)")
    binary = binary.resolve()  # quiverd runs in folder
    data_dir, log = folder / "quiver-data", folder / "quiverd.log"
    data_dir.mkdir(parents=True, exist_ok=True)
    environment = {key: value for key, value in os.environ.items() if not key.startswith("QUIVER_")}
    command = [str(binary), "--host", HOST, "--port", "0", "--data-dir", str(data_dir)]
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, env=environment, stdout=output, stderr=subprocess.STDOUT, cwd=folder
        )
    server = Server("quiver", process, 0, log)
    try:
        server.port = listening_port(process, log)
        wait_until_ok(server, "/api/v1/ready")
        yield server
    finally:
        stop(server)


def load_quiver(server: Server, parquet: Path) -> float:
    """Creates the demo dataset and uploads the Parquet file into it; returns seconds."""
    datasets = f"{server.base_url}/api/v1/datasets"
    created = requests.post(datasets, json={"name": "demo", "columns": QUIVER_COLUMNS}, timeout=60)
    if created.status_code != 201:
        raise server.fail(f"create dataset: {created.status_code} {created.text}")
    started = time.perf_counter()
    with parquet.open("rb") as body:
        loaded = requests.post(
            f"{datasets}/demo/rows",
            data=body,
            headers={"Content-Type": "application/vnd.apache.parquet"},
            timeout=LOAD_TIMEOUT_SECONDS,
        )
    if loaded.status_code != 201:
        raise server.fail(f"load: {loaded.status_code} {loaded.text[:2_000]}")
    return time.perf_counter() - started


def start_reference_process(port: int, parquet: Path, log: Path) -> subprocess.Popen[bytes]:
    environment = dict(os.environ, REFERENCE_PARQUET=str(parquet))
    command = [sys.executable, "-m", "uvicorn", "bench.reference.app:app"]
    command += ["--host", HOST, "--port", str(port)]
    with log.open("ab") as output:
        process = subprocess.Popen(
            command, env=environment, stdout=output, stderr=subprocess.STDOUT, cwd=ROOT
        )
    # Holding whole results, the reference is what runs out of memory at 100M rows: let
    # the kernel's OOM killer take it rather than the harness or quiverd.
    with suppress(OSError):
        Path(f"/proc/{process.pid}/oom_score_adj").write_text("1000")
    return process


@contextmanager
def reference(parquet: Path, folder: Path) -> Iterator[Server]:
    """The FastAPI + Polars peer under uvicorn (one process), serving parquet. It can be
    restarted (same port, same file) after it died, e.g. of a result too large to hold."""
    port, log = free_port(), folder / "reference.log"
    server = Server("reference", start_reference_process(port, parquet, log), port, log)

    def restart() -> None:
        stop(server)
        server.process = start_reference_process(port, parquet, log)
        wait_until_ok(server, "/health")

    server.restart = restart
    try:
        wait_until_ok(server, "/health")
        yield server
    finally:
        stop(server)

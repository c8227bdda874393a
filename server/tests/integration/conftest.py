"""Fixtures that run the real quiverd on a free loopback port with a fresh data dir."""

from __future__ import annotations

import json
import os
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[3]
QUIVERD = Path(os.environ.get("QUIVERD", ROOT / "build" / "release" / "src" / "quiverd"))


@dataclass
class RunningServer:
    """A quiverd process and what it told us at start."""

    process: subprocess.Popen[str]
    data_dir: Path
    port: int
    log_lines: list[dict[str, object]] = field(default_factory=list)
    log_reader: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self, timeout: float = 15.0) -> int:
        if self.process.poll() is None:
            self.process.terminate()
        return self.process.wait(timeout=timeout)

    def drain_log(self) -> None:
        """Collects log lines as they come, so a full pipe never blocks the server."""
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.log_lines.append(json.loads(line))

    def read_log(self) -> list[dict[str, object]]:
        """Every log line written (call after the process has exited)."""
        self.process.wait(timeout=30)
        if self.log_reader is not None:
            self.log_reader.join(timeout=30)
        return self.log_lines


def start_server(data_dir: Path, *extra: str, env: dict[str, str] | None = None) -> RunningServer:
    process = subprocess.Popen(
        [str(QUIVERD), "--port", "0", "--data-dir", str(data_dir), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # Only the flags above and `env` configure the server under test, whatever
        # QUIVER_* variables the shell that runs the tests has set.
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("QUIVER_")},
            **(env or {}),
        },
    )
    assert process.stdout is not None
    first = process.stdout.readline()
    if not first:
        raise RuntimeError(
            f"quiverd did not start: {process.stderr.read() if process.stderr else ''}"
        )
    listening = json.loads(first)
    assert listening["event"] == "listening", listening
    server = RunningServer(process, data_dir, int(listening["port"]), [listening])
    server.log_reader = threading.Thread(target=server.drain_log, daemon=True)
    server.log_reader.start()
    wait_until_ready(server)
    return server


def wait_until_ready(server: RunningServer, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError("quiverd exited before it was ready")
        try:
            if requests.get(f"{server.url}/api/v1/ready", timeout=1).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.05)
    raise TimeoutError("quiverd did not become ready")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[RunningServer]:
    running = start_server(tmp_path / "data")
    yield running
    # A sanitizer report or a crash on the way out fails the test that ran.
    assert running.stop() == 0, running.process.stderr.read() if running.process.stderr else ""

"""A smoke run of `python -m bench.run --quick` at a tiny size, against a real quiverd.

Uses $QUIVERD, else build/release/src/quiverd (what `make test` builds); skipped when
neither exists. Bounded: a few seconds of wrk and iperf3, about 20 s in all.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[2]
QUIVERD = Path(os.environ.get("QUIVERD", REPOSITORY / "build" / "release" / "src" / "quiverd"))
ROWS = 20_000
SMOKE_SECONDS = 120
ALL_WORKLOADS = {
    "arrow_full",
    "parquet_full",
    "arrow_filter",
    "arrow_columns",
    "aggregate",
    "aggregate_filtered",
    "page",
}


@pytest.mark.timeout(SMOKE_SECONDS)
def test_quick_run_end_to_end(tmp_path: Path) -> None:
    # A missing server is a failure, not a skip: `make test-bench` builds it first.
    assert QUIVERD.is_file(), f"no quiverd at {QUIVERD} (make build-server)"
    output, cache = tmp_path / "out", tmp_path / "cache"
    command = [sys.executable, "-m", "bench.run", "--quick", "--sizes", f"{ROWS}"]
    command += ["--repetitions", "1", "--wrk-seconds", "1", "--iperf-seconds", "1"]
    command += ["--quiverd", str(QUIVERD), "--output-dir", str(output), "--cache-dir", str(cache)]
    command += ["--note", "smoke test"]
    finished = subprocess.run(
        command,
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        timeout=SMOKE_SECONDS - 10,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr[-5_000:]
    assert str(output / "RESULTS.md") in finished.stdout

    (saved,) = (output / "results").glob("run-*.json")
    run = json.loads(saved.read_text())
    (size,) = run["sizes"]
    assert size["rows"] == ROWS
    measured = {(s["workload"], s["target"]) for s in size["samples"]}
    for workload in ALL_WORKLOADS:
        assert (workload, "quiver") in measured
        assert (workload, "reference") in measured
    assert ("aggregate", "duckdb") in measured
    assert ("parquet_full", "duckdb") not in measured
    assert all(s["server_peak_rss_bytes"] > 0 for s in size["samples"] if s["target"] != "duckdb")
    assert {(load["scenario"], load["target"]) for load in size["loads"]} == {
        (scenario, target)
        for scenario in ["pages_random", "pages_first", "health"]
        for target in ["quiver", "reference"]
    }
    assert all(load["figures"]["requests"] > 0 for load in size["loads"])
    assert run["limits"]["loopback"]["bytes_per_second"] > 0
    assert [target["met"] is not None for target in run["targets"]] == [True] * 6

    report = (output / "RESULTS.md").read_text()
    assert f"## {ROWS:,} rows" in report and "smoke test" in report
    assert (output / "RESULTS.png").read_bytes()[:4] == b"\x89PNG"
    assert list(cache.glob("demo-*.parquet")) and list(cache.glob("demo-*.duckdb"))
    assert not list(cache.glob("*.partial"))

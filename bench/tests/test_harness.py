"""The harness's logic on its own: parsing, statistics, targets, reports, /proc probes."""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

import pyarrow as pa
import pytest

from bench.harness.client import Transfer
from bench.harness.data import Facts, Summary
from bench.harness.limits import Loopback, MemoryCopy, iperf_received
from bench.harness.loadtest import (
    SCENARIOS,
    LoadResult,
    parse_duration,
    parse_wrk,
    write_script,
)
from bench.harness.measure import (
    Failure,
    Sample,
    SizeResult,
    SizeSettings,
    attempt,
    check_answer,
    measure_targets,
    rotated,
)
from bench.harness.procfs import PeakMemory, ProcessProbe, wait_until_idle
from bench.harness.report import NOTES_MARKER, markdown, write_chart, write_markdown
from bench.harness.results import Limits, RunResult, complete, load, to_json
from bench.harness.workloads import Workload, workloads
from bench.run import parse_size, parse_sizes, shown_command

WRK_OUTPUT = """Running 10s test @ http://127.0.0.1:8080
  2 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     5.31ms    1.20ms  40.00ms   90.00%
    Req/Sec     6.03k   300.00     7.00k    70.00%
  Latency Distribution
     50%    5.12ms
     75%    5.80ms
     90%    6.50ms
     99%  850.00us
  120345 requests in 10.01s, 750.00MB read
  Socket errors: connect 0, read 2, write 0, timeout 3
  Non-2xx or 3xx responses: 7
Requests/sec:  12022.48
Transfer/sec:     74.93MB
"""
FACTS = Facts(
    rows=1_000,
    category_a_rows=500,
    summary=(
        Summary("A", 500.0, 250_000.0, 500),
        Summary("B", 400.0, 120_000.0, 300),
        Summary("C", 300.0, 60_000.0, 200),
    ),
)


def test_parse_wrk() -> None:
    figures = parse_wrk(WRK_OUTPUT)
    assert figures.requests == 120_345
    assert figures.seconds == pytest.approx(10.01)
    assert figures.requests_per_second == pytest.approx(12_022.48)
    assert figures.latency_seconds["50%"] == pytest.approx(0.00512)
    assert figures.latency_seconds["99%"] == pytest.approx(0.00085)
    assert figures.non_2xx == 7
    assert figures.socket_errors == {"connect": 0, "read": 2, "write": 0, "timeout": 3}
    assert figures.errors == 12
    with pytest.raises(ValueError, match="no figures"):
        parse_wrk("wrk: connection refused")


def test_parse_wrk_when_no_request_finished() -> None:
    nothing = WRK_OUTPUT.replace("120345 requests in 10.01s", "0 requests in 10.08s")
    nothing = nothing.replace("Requests/sec:  12022.48", "Requests/sec:      0.00")
    figures = parse_wrk(nothing)
    assert (figures.requests, figures.requests_per_second) == (0, 0.0)
    assert figures.latency_seconds == {}  # wrk prints zeros then; they mean nothing


def test_parse_duration() -> None:
    assert parse_duration("250us") == pytest.approx(250e-6)
    assert parse_duration("1.50s") == pytest.approx(1.5)
    assert parse_duration("2m") == pytest.approx(120)
    with pytest.raises(ValueError):
        parse_duration("fast")


def test_parse_sizes() -> None:
    assert parse_sizes("200k,1M,10M, 100M") == [200_000, 1_000_000, 10_000_000, 100_000_000]
    assert parse_size("1.5m") == 1_500_000
    assert parse_size("20000") == 20_000
    for bad in ["", "ten", "5", "1G"]:
        with pytest.raises(argparse.ArgumentTypeError):
            parse_size(bad)


def test_rotated_gives_every_target_every_place() -> None:
    orders = [rotated(["q", "r", "d"], turn) for turn in range(3)]
    assert orders == [["q", "r", "d"], ["r", "d", "q"], ["d", "q", "r"]]
    for place in range(3):
        assert sorted(order[place] for order in orders) == ["d", "q", "r"]
    assert rotated([], 4) == []


def transfer(rows: int, table: pa.Table | None = None) -> Transfer:
    return Transfer(rows, rows * 10, 0.001, 0.01, 0.01, 0.001, table)


def test_check_answer() -> None:
    by_name = {workload.name: workload for workload in workloads(FACTS)}
    assert check_answer(by_name["arrow_full"], transfer(1_000), FACTS) is None
    assert check_answer(by_name["arrow_filter"], transfer(499), FACTS) == ("499 rows, expected 500")

    summary = pa.table(
        {
            "category": ["A", "B", "C"],
            "average_value": [500.0, 400.0, 300.0],
            "total_value": [250_000.0, 120_000.0, 60_000.0],
            "record_count": pa.array([500, 300, 200], pa.uint32()),
        }
    )
    assert check_answer(by_name["aggregate"], transfer(3, summary), FACTS) is None
    wrong = summary.set_column(2, "total_value", pa.array([250_000.0, 120_000.0, 60_001.0]))
    assert "average/total" in (check_answer(by_name["aggregate"], transfer(3, wrong), FACTS) or "")
    only_a = summary.slice(0, 1)
    assert check_answer(by_name["aggregate_filtered"], transfer(1, only_a), FACTS) is None

    page = pa.table({"id": list(range(450, 550))})
    assert check_answer(by_name["page"], transfer(100, page), FACTS) is None
    shifted = pa.table({"id": list(range(451, 551))})
    assert "not from 450" in (check_answer(by_name["page"], transfer(100, shifted), FACTS) or "")


def sample(workload: str, target: str, repetition: int, wall: float, peak: int | None) -> Sample:
    return Sample(
        size=1_000,
        workload=workload,
        target=target,
        repetition=repetition,
        rows=1_000,
        bytes=1_000_000,
        ttfb_seconds=wall / 10,
        transfer_seconds=wall,
        wall_seconds=wall,
        client_cpu_seconds=0.01,
        server_cpu_seconds=None if peak is None else 0.02,
        server_peak_rss_bytes=peak,
    )


def load_result(target: str, rate: float) -> LoadResult:
    figures = parse_wrk(WRK_OUTPUT)
    figures.requests_per_second = rate
    return LoadResult(target, SCENARIOS[0].name, 64, 10.0, figures, 5.0, 100_000_000)


def synthetic_run() -> RunResult:
    samples = []
    for repetition, jitter in enumerate([1.0, 1.1, 0.9]):
        samples += [
            sample("arrow_full", "quiver", repetition, 0.01 * jitter, 50_000_000),
            sample("arrow_full", "reference", repetition, 0.06 * jitter, 600_000_000),
            sample("arrow_full", "duckdb", repetition, 0.005 * jitter, None),
            sample("aggregate", "quiver", repetition, 0.014 * jitter, 50_000_000),
            sample("aggregate", "duckdb", repetition, 0.01 * jitter, None),
        ]
    size = SizeResult(1_000, 1.0, 0.5, {"quiver": 1, "reference": 2}, samples)
    size.loads = [load_result("quiver", 5_000.0), load_result("reference", 1_000.0)]
    return complete(
        RunResult(
            started_at="2026-11-26T04:00:00+00:00",
            seconds=12.5,
            command="python -m bench.run --sizes 1k",
            quick=False,
            note="other builds were running",
            machine={"cores": 2, "cpu": "test", "memory_gib": 24.0, "load_average_start": [1.5]},
            software={"quiver_commit": "abc1234"},
            settings={"repetitions": 3, "warmup": True, "wrk_seconds": 10},
            limits=Limits(Loopback(200e6, 5.0), MemoryCopy(10e9, 1 << 28, 5)),
            sizes=[size],
        )
    )


def test_figures_take_the_median_and_the_spread() -> None:
    run = synthetic_run()
    figure = run.figure(1_000, "arrow_full", "quiver")
    assert figure is not None
    assert figure.repetitions == 3
    spread = figure.wall_seconds
    assert (spread.median, spread.low, spread.high) == pytest.approx((0.01, 0.009, 0.011))
    assert figure.rows_per_second == pytest.approx(100_000)
    assert figure.megabytes_per_second == pytest.approx(100)
    alone = run.figure(1_000, "arrow_full", "duckdb")
    assert alone is not None and alone.server_peak_rss_bytes is None


def test_targets() -> None:
    verdicts = {target.name.split(":")[0]: target for target in synthetic_run().targets}
    assert len(synthetic_run().targets) == 6
    throughput = synthetic_run().targets[0]
    assert throughput.ratio == pytest.approx(6.0)
    assert throughput.met is True
    loopback = synthetic_run().targets[1]
    assert loopback.ratio == pytest.approx(0.5)  # 100 of 200 MB/s
    assert loopback.met is True
    memory = verdicts["Peak server RSS while streaming the full table, over the reference's"]
    assert memory.ratio == pytest.approx(50 / 600)
    assert memory.met is True
    ttfb = verdicts["Time to first byte, full Arrow stream"]
    assert ttfb.ratio == pytest.approx(0.001) and ttfb.met is True
    aggregation = verdicts["Aggregation"]
    assert aggregation.ratio == pytest.approx(1.4)
    assert aggregation.met is False
    pages = synthetic_run().targets[5]
    assert pages.ratio == pytest.approx(5.0)
    assert pages.met is False


def test_targets_not_measured_without_figures() -> None:
    run = synthetic_run()
    run.sizes[0].loads = []
    run.limits.loopback = None
    run = complete(run)
    assert run.targets[1].met is None and run.targets[1].measured == "not measured"
    assert run.targets[5].met is None


def test_json_round_trip() -> None:
    run = synthetic_run()
    saved = json.loads(json.dumps(to_json(run)))
    again = complete(load(RunResult, saved))
    assert again == run


def test_markdown_keeps_the_notes(tmp_path: Path) -> None:
    run = synthetic_run()
    path = tmp_path / "RESULTS.md"
    write_markdown(run, path, "run-1.json")
    text = path.read_text()
    assert "| Arrow stream, full table: throughput over the reference's | 1,000 | 6.0x" in text
    assert "**missed**" in text and "**met**" in text
    assert "other builds were running" in text
    assert "The issue states its targets at 100,000,000 rows" in text
    assert "## 1,000 rows" in text

    notes = "\n## Notes\n\nHand-written analysis.\n"
    path.write_text(text.partition(NOTES_MARKER)[0] + NOTES_MARKER + notes)
    run.seconds = 99.0
    write_markdown(run, path, "run-2.json")
    rewritten = path.read_text()
    assert rewritten.endswith(NOTES_MARKER + notes)
    assert "results/run-2.json" in rewritten and "run-1.json" not in rewritten
    assert markdown(run, "run-2.json", notes) == rewritten


def test_chart_is_a_png(tmp_path: Path) -> None:
    path = tmp_path / "RESULTS.png"
    write_chart(synthetic_run(), path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_process_probe_sees_memory_and_cpu() -> None:
    probe = ProcessProbe(os.getpid())
    assert probe.rss() > 0
    assert probe.peak_rss() >= probe.rss() or not probe.reset_peak()
    cpu = probe.cpu_seconds()
    sum(range(2_000_000))
    assert probe.cpu_seconds() >= cpu
    with PeakMemory(probe) as memory:
        block = bytearray(200 << 20)  # zero-filled: every page is touched
        del block
    assert memory.peak - memory.idle >= 150 << 20


def test_iperf_answers() -> None:
    refused = '{"start": {}, "intervals": [], "end": {}, "error": "unable to connect"}'
    assert iperf_received(refused) is None  # iperf3 3.12 exits 0 with this
    assert iperf_received("iperf3: error") is None
    ran = {"end": {"sum_received": {"bits_per_second": 8e9, "seconds": 5.0}}}
    assert iperf_received(json.dumps(ran)) == {"bits_per_second": 8e9, "seconds": 5.0}


def test_wrk_scripts(tmp_path: Path) -> None:
    scripts = {
        (scenario.name, target): write_script(tmp_path, target, scenario, 1_000).read_text()
        for scenario in SCENARIOS
        for target in ["quiver", "reference"]
    }
    random_pages = scripts["pages_random", "quiver"]
    assert 'local prefix = "/api/v1/datasets/demo/rows?limit=100&offset="' in random_pages
    assert "local max_offset = 900 " in random_pages
    assert "local max_offset = 0 " in scripts["pages_first", "reference"]
    assert 'local prefix = "/data/page?limit=100&offset="' in scripts["pages_first", "reference"]
    assert 'local prefix = "/health"' in scripts["health", "reference"]
    assert "local max_offset = -1 " in scripts["health", "quiver"]


def test_wait_until_idle() -> None:
    probe = ProcessProbe(os.getpid())
    assert wait_until_idle(probe, timeout=5.0) < 0.5  # this process sleeps while it waits


def test_shown_command_leaves_the_note_out() -> None:
    argv = ["--sizes", "1M", "--note", "builds were running", "--quick", "--note=x"]
    assert shown_command(argv) == "python -m bench.run --sizes 1M --quick"


class FakeTarget:
    """A target whose answers and fate the test decides."""

    name = "reference"

    def __init__(self, rows: int, error: Exception | None = None, exit_code: int | None = None):
        self.rows, self.error, self.code = rows, error, exit_code

    def supports(self, workload: Workload) -> bool:
        return True

    def exit_code(self) -> int | None:
        return self.code

    def revive(self) -> bool:
        return False

    def measure(self, workload: Workload, sample: Sample) -> Transfer:
        if self.error is not None:
            raise self.error
        return transfer(self.rows)


def test_a_failed_measurement_costs_only_its_own_figures(tmp_path: Path) -> None:
    full = next(w for w in workloads(FACTS) if w.name == "arrow_full")
    assert isinstance(attempt(FakeTarget(1_000), full, FACTS, 0), Sample)

    died = attempt(FakeTarget(0, ConnectionResetError("reset by peer"), -9), full, FACTS, 1)
    assert isinstance(died, Failure)
    assert died.target == "reference" and died.repetition == 1
    assert "ConnectionResetError: reset by peer" in died.error
    assert "exited with -9" in died.error

    wrong = attempt(FakeTarget(999), full, FACTS, 0)
    assert isinstance(wrong, Failure)
    assert "999 rows, expected 1,000" in wrong.error

    run = synthetic_run()
    run.sizes[0].failures = [died]
    path = tmp_path / "RESULTS.md"
    write_markdown(run, path, "run.json")
    assert "**Failures at this size** (1" in path.read_text()
    assert "- arrow_full on reference, repetition 2: ConnectionResetError" in path.read_text()


def test_a_dead_server_is_reported_once_and_skipped() -> None:
    dead = FakeTarget(1_000, exit_code=-9)
    alive = FakeTarget(1_000)
    alive.name = "quiver"
    settings = SizeSettings(
        Path("quiverd"), repetitions=2, warmup=False, wrk_connections=1, wrk_seconds=0
    )
    samples, failures = measure_targets([alive, dead], workloads(FACTS)[:1], FACTS, settings)
    assert [sample.target for sample in samples] == ["quiver", "quiver"]
    assert len(failures) == 1
    assert "reference had exited with -9" in failures[0].error


def test_a_revived_server_goes_on() -> None:
    class Revivable(FakeTarget):
        def revive(self) -> bool:
            self.code = None
            return True

    target = Revivable(1_000, exit_code=-9)
    settings = SizeSettings(
        Path("quiverd"), repetitions=2, warmup=False, wrk_connections=1, wrk_seconds=0
    )
    samples, failures = measure_targets([target], workloads(FACTS)[:1], FACTS, settings)
    assert len(samples) == 2
    assert len(failures) == 1 and failures[0].error.endswith("restarted")

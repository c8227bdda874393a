"""Measuring one size: both servers and DuckDB alone, alternating, several repetitions.

Each repetition runs every workload once on every target; the order of the targets turns
by one place per repetition (Q R D, R D Q, D Q R, ...), so that none always runs first
(cold) or always after the same neighbour. Every answer is checked against DuckDB's
facts before its figures count: the servers must have done the same work.
"""

from __future__ import annotations

import http.client
import math
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, TypeVar

import pyarrow as pa

from bench.harness.client import BenchmarkError, Transfer, fetch
from bench.harness.data import DataFiles, Facts, facts
from bench.harness.limits import DuckDBAlone
from bench.harness.loadtest import SCENARIOS, LoadResult, run_wrk
from bench.harness.procfs import PeakMemory, wait_until_idle
from bench.harness.servers import (
    HOST,
    Server,
    ServerError,
    load_quiver,
    quiver,
    reference,
)
from bench.harness.workloads import HttpCall, Workload, page_offset, workloads

QUIVER, REFERENCE, DUCKDB = "quiver", "reference", "duckdb"
RELATIVE_TOLERANCE = 1e-9
MEASUREMENT_ERRORS = (BenchmarkError, OSError, http.client.HTTPException, pa.ArrowException)

Item = TypeVar("Item")


@dataclass(frozen=True)
class SizeSettings:
    quiverd: Path
    repetitions: int
    warmup: bool
    wrk_connections: int
    wrk_seconds: float
    only: frozenset[str] = frozenset()  # workload names; empty for all


@dataclass
class Sample:
    size: int
    workload: str
    target: str
    repetition: int
    rows: int
    bytes: int
    ttfb_seconds: float
    transfer_seconds: float
    wall_seconds: float
    client_cpu_seconds: float
    server_cpu_seconds: float | None = None
    server_idle_rss_bytes: int | None = None
    server_peak_rss_bytes: int | None = None
    server_peak_anonymous_bytes: int | None = None


@dataclass
class Failure:
    """A measurement that produced no figure: an error, a wrong answer, a dead server."""

    workload: str
    target: str
    repetition: int  # -1 for the warm-up pass and for wrk runs
    error: str


@dataclass
class SizeResult:
    rows: int
    seconds: float = 0.0
    quiver_load_seconds: float = 0.0
    server_rss_after_load_bytes: dict[str, int] = field(default_factory=dict)
    samples: list[Sample] = field(default_factory=list)
    loads: list[LoadResult] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)


class Target(Protocol):
    name: str

    def supports(self, workload: Workload) -> bool: ...

    def exit_code(self) -> int | None: ...

    def revive(self) -> bool: ...

    def measure(self, workload: Workload, sample: Sample) -> Transfer: ...


class HttpTarget:
    """A server over HTTP; its CPU time and peak RSS are read from /proc around the call."""

    def __init__(self, server: Server, call: Callable[[Workload], HttpCall]) -> None:
        self.name = server.name
        self.server = server
        self.call = call

    def supports(self, workload: Workload) -> bool:
        return True

    def exit_code(self) -> int | None:
        return self.server.process.poll()

    def revive(self) -> bool:
        """Starts the server again after it died, where it can be (the reference)."""
        return revive(self.server)

    def measure(self, workload: Workload, sample: Sample) -> Transfer:
        probe = self.server.probe
        cpu_started = probe.cpu_seconds()
        with PeakMemory(probe) as memory:
            transfer = fetch(HOST, self.server.port, self.call(workload), workload.reader)
        sample.server_cpu_seconds = probe.cpu_seconds() - cpu_started
        sample.server_idle_rss_bytes = memory.idle
        sample.server_peak_rss_bytes = memory.peak
        sample.server_peak_anonymous_bytes = memory.peak_anonymous
        return transfer


class DuckDBTarget:
    """DuckDB alone: the workload's SQL in this process, Arrow batches, no transport."""

    name = DUCKDB

    def __init__(self, alone: DuckDBAlone) -> None:
        self.alone = alone

    def supports(self, workload: Workload) -> bool:
        return workload.sql is not None

    def exit_code(self) -> int | None:
        return None  # runs in this process

    def revive(self) -> bool:
        return True

    def measure(self, workload: Workload, sample: Sample) -> Transfer:
        assert workload.sql is not None
        return self.alone.run(workload.sql)


def revive(server: Server) -> bool:
    if server.restart is None:
        return False
    try:
        server.restart()
    except ServerError:
        return False
    return True


def rotated(items: Sequence[Item], turn: int) -> list[Item]:
    """items turned left by `turn` places: the order of repetition number `turn`."""
    if not items:
        return []
    start = turn % len(items)
    return [*items[start:], *items[:start]]


def close(left: float, right: float) -> bool:
    return math.isclose(left, right, rel_tol=RELATIVE_TOLERANCE, abs_tol=1e-6)


def check_summary(table: pa.Table, wanted: Facts, only_category: str | None) -> str | None:
    groups = [g for g in wanted.summary if only_category in (None, g.category)]
    got = table.select(["category", "average_value", "total_value", "record_count"]).to_pylist()
    if [row["category"] for row in got] != [g.category for g in groups]:
        return f"categories {[row['category'] for row in got]}"
    for row, group in zip(got, groups, strict=True):
        if int(row["record_count"]) != group.record_count:
            return f"record_count {row['record_count']} for {group.category}"
        if not close(row["average_value"], group.average_value) or not close(
            row["total_value"], group.total_value
        ):
            return f"average/total {row['average_value']}/{row['total_value']} for {group.category}"
    return None


def check_answer(workload: Workload, transfer: Transfer, wanted: Facts) -> str | None:
    """What is wrong with the answer, or None when it is right."""
    if transfer.rows != workload.expected_rows:
        return f"{transfer.rows:,} rows, expected {workload.expected_rows:,}"
    if workload.name.startswith("aggregate"):
        assert transfer.table is not None
        only = "A" if workload.name == "aggregate_filtered" else None
        return check_summary(transfer.table, wanted, only)
    if workload.name == "page":
        assert transfer.table is not None
        first = page_offset(wanted.rows)
        if transfer.table.column("id").to_pylist() != list(range(first, first + transfer.rows)):
            return f"ids {transfer.table.column('id').to_pylist()[:3]}... not from {first}"
    return None


def progress(sample: Sample) -> None:
    megabytes_per_second = sample.bytes / 1e6 / sample.wall_seconds
    peak = sample.server_peak_rss_bytes
    memory = f"  peak RSS {peak / 1e6:8,.0f} MB" if peak is not None else ""
    print(
        f"  [{sample.size:>11,} rows] rep {sample.repetition + 1} {sample.workload:<18} "
        f"{sample.target:<9} {sample.wall_seconds:8.3f} s {megabytes_per_second:8,.0f} MB/s  "
        f"TTFB {sample.ttfb_seconds * 1e3:8.1f} ms{memory}",
        file=sys.stderr,
        flush=True,
    )


def run_one(target: Target, workload: Workload, wanted: Facts, repetition: int) -> Sample:
    sample = Sample(wanted.rows, workload.name, target.name, repetition, 0, 0, 0.0, 0.0, 0.0, 0.0)
    transfer = target.measure(workload, sample)
    problem = check_answer(workload, transfer, wanted)
    if problem is not None:
        raise BenchmarkError(f"{target.name} answered {workload.name} wrongly: {problem}")
    sample.rows, sample.bytes = transfer.rows, transfer.bytes
    sample.ttfb_seconds, sample.transfer_seconds = transfer.ttfb_seconds, transfer.transfer_seconds
    sample.wall_seconds, sample.client_cpu_seconds = (
        transfer.wall_seconds,
        transfer.client_cpu_seconds,
    )
    return sample


def say_failure(rows: int, failure: Failure) -> None:
    print(
        f"  [{rows:>11,} rows] FAILED {failure.workload} on {failure.target}: {failure.error}",
        file=sys.stderr,
        flush=True,
    )


def attempt(target: Target, workload: Workload, wanted: Facts, repetition: int) -> Sample | Failure:
    """One measurement, or what went wrong: a server that dies (out of memory, say) or
    answers wrongly costs its own figures, not the whole run."""
    try:
        return run_one(target, workload, wanted, repetition)
    except MEASUREMENT_ERRORS as error:
        message = f"{type(error).__name__}: {error}"[:1_000]
        exit_code = target.exit_code()
        if exit_code is not None:
            message += (
                f" ({target.name} exited with {exit_code}; -9 is SIGKILL, e.g. out of memory)"
            )
        return Failure(workload.name, target.name, repetition, message)


def death(name: str, workload: Workload, repetition: int, exit_code: int, revived: bool) -> Failure:
    then = "restarted" if revived else "its remaining measurements at this size were skipped"
    return Failure(
        workload.name,
        name,
        repetition,
        f"{name} had exited with {exit_code} (-9 is SIGKILL, e.g. out of memory); {then}",
    )


def measure_targets(
    targets: Sequence[Target], work: Sequence[Workload], wanted: Facts, settings: SizeSettings
) -> tuple[list[Sample], list[Failure]]:
    samples: list[Sample] = []
    failures: list[Failure] = []
    gone: set[str] = set()  # dead and not revived
    passes = [-1] if settings.warmup else []
    for repetition in [*passes, *range(settings.repetitions)]:
        if repetition < 0:
            print(f"  [{wanted.rows:>11,} rows] warm-up pass (not counted)", file=sys.stderr)
        for workload in work:
            for target in rotated(targets, max(repetition, 0)):
                if target.name in gone or not target.supports(workload):
                    continue
                exit_code = target.exit_code()
                if exit_code is not None:
                    revived = target.revive()
                    failures.append(death(target.name, workload, repetition, exit_code, revived))
                    say_failure(wanted.rows, failures[-1])
                    if not revived:
                        gone.add(target.name)
                        continue
                outcome = attempt(target, workload, wanted, repetition)
                if isinstance(outcome, Failure):
                    failures.append(outcome)
                    say_failure(wanted.rows, outcome)
                elif repetition >= 0:
                    samples.append(outcome)
                    progress(outcome)
    return samples, failures


def measure_load(
    servers: Sequence[Server], rows: int, folder: Path, settings: SizeSettings
) -> tuple[list[LoadResult], list[Failure]]:
    results: list[LoadResult] = []
    failures: list[Failure] = []
    for turn, scenario in enumerate(SCENARIOS):
        for server in rotated(servers, turn):
            if server.process.poll() is not None and not revive(server):
                continue  # its death is already among the failures
            try:
                result = run_wrk(
                    server,
                    scenario,
                    rows=rows,
                    folder=folder,
                    connections=settings.wrk_connections,
                    seconds=settings.wrk_seconds,
                )
            except (RuntimeError, ValueError, OSError) as error:
                failures.append(
                    Failure(f"wrk {scenario.name}", server.name, -1, str(error)[:1_000])
                )
                say_failure(rows, failures[-1])
                continue
            print(
                f"  [{rows:>11,} rows] wrk {scenario.name:<13} {server.name:<9} "
                f"{result.figures.requests_per_second:10,.0f} req/s  "
                f"p50 {result.figures.latency_seconds.get('50%', 0) * 1e3:8.1f} ms  "
                f"p99 {result.figures.latency_seconds.get('99%', 0) * 1e3:8.1f} ms  "
                f"errors {result.figures.errors}  busy after {result.busy_after_seconds:.1f} s",
                file=sys.stderr,
                flush=True,
            )
            results.append(result)
    return results, failures


def measure_size(files: DataFiles, settings: SizeSettings) -> SizeResult:
    started = time.perf_counter()
    wanted = facts(files)
    work = [w for w in workloads(wanted) if not settings.only or w.name in settings.only]
    result = SizeResult(wanted.rows)
    with tempfile.TemporaryDirectory(prefix="quiver-bench-") as temporary:
        folder = Path(temporary)
        with quiver(settings.quiverd, folder) as quiver_server:
            print(f"  [{wanted.rows:>11,} rows] loading Quiver", file=sys.stderr, flush=True)
            result.quiver_load_seconds = load_quiver(quiver_server, files.parquet)
            with (
                reference(files.parquet, folder) as reference_server,
                DuckDBAlone(files.duckdb) as alone,
            ):
                servers = [quiver_server, reference_server]
                for server in servers:  # e.g. a checkpoint after the load
                    wait_until_idle(server.probe)
                result.server_rss_after_load_bytes = {s.name: s.probe.rss() for s in servers}
                targets: list[Target] = [
                    HttpTarget(quiver_server, lambda workload: workload.quiver),
                    HttpTarget(reference_server, lambda workload: workload.reference),
                    DuckDBTarget(alone),
                ]
                result.samples, result.failures = measure_targets(targets, work, wanted, settings)
                if settings.wrk_seconds > 0 and (not settings.only or "page" in settings.only):
                    result.loads, failures = measure_load(servers, wanted.rows, folder, settings)
                    result.failures += failures
    result.seconds = time.perf_counter() - started
    return result

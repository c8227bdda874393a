"""A run's results: raw samples in, medians with their spread and the issue's targets out.

Everything here is plain dataclasses, saved as JSON (bench/results/run-*.json) and loaded
back by `load`, so a report can be rendered again from any saved run.
"""

from __future__ import annotations

import dataclasses
import statistics
import types
import typing
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from bench.harness.limits import Loopback, MemoryCopy
from bench.harness.loadtest import LoadResult
from bench.harness.measure import DUCKDB, QUIVER, REFERENCE, Sample, SizeResult

TARGET_ROWS = 100_000_000  # the size the issue states its targets at
LOAD_SCENARIO = "pages_random"

Loaded = TypeVar("Loaded")


@dataclass(frozen=True)
class Spread:
    median: float
    low: float
    high: float

    @staticmethod
    def of(values: Iterable[float]) -> Spread:
        ordered = sorted(values)
        return Spread(statistics.median(ordered), ordered[0], ordered[-1])


@dataclass
class Figure:
    """One workload on one target at one size, over the repetitions."""

    size: int
    workload: str
    target: str
    repetitions: int
    rows: int
    bytes: int
    wall_seconds: Spread
    ttfb_seconds: Spread
    client_cpu_seconds: Spread
    server_cpu_seconds: Spread | None
    server_peak_rss_bytes: Spread | None

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.wall_seconds.median

    @property
    def megabytes_per_second(self) -> float:
        return self.bytes / 1e6 / self.wall_seconds.median


@dataclass
class TargetResult:
    name: str
    goal: str
    size: int
    measured: str
    ratio: float | None
    met: bool | None  # None when the run could not measure it


@dataclass
class Limits:
    loopback: Loopback | None
    memory_copy: MemoryCopy | None


@dataclass
class RunResult:
    started_at: str
    seconds: float
    command: str
    quick: bool
    note: str
    machine: dict[str, Any]
    software: dict[str, Any]
    settings: dict[str, Any]
    limits: Limits
    sizes: list[SizeResult]
    figures: list[Figure] = field(default_factory=list)
    targets: list[TargetResult] = field(default_factory=list)

    def figure(self, size: int, workload: str, target: str) -> Figure | None:
        for candidate in self.figures:
            if (candidate.size, candidate.workload, candidate.target) == (size, workload, target):
                return candidate
        return None

    def load(self, size: int, scenario: str, target: str) -> LoadResult | None:
        for result in self.sizes:
            if result.rows != size:
                continue
            for load in result.loads:
                if (load.scenario, load.target) == (scenario, target):
                    return load
        return None


def optional_spread(values: list[float | None]) -> Spread | None:
    present = [value for value in values if value is not None]
    return Spread.of(present) if present else None


def summarise(samples: list[Sample]) -> list[Figure]:
    groups: dict[tuple[int, str, str], list[Sample]] = {}
    for sample in samples:
        groups.setdefault((sample.size, sample.workload, sample.target), []).append(sample)
    figures = []
    for (size, workload, target), group in groups.items():
        peaks: list[float | None] = [
            None if s.server_peak_rss_bytes is None else float(s.server_peak_rss_bytes)
            for s in group
        ]
        figures.append(
            Figure(
                size=size,
                workload=workload,
                target=target,
                repetitions=len(group),
                rows=group[0].rows,
                bytes=int(statistics.median(s.bytes for s in group)),
                wall_seconds=Spread.of(s.wall_seconds for s in group),
                ttfb_seconds=Spread.of(s.ttfb_seconds for s in group),
                client_cpu_seconds=Spread.of(s.client_cpu_seconds for s in group),
                server_cpu_seconds=optional_spread([s.server_cpu_seconds for s in group]),
                server_peak_rss_bytes=optional_spread(peaks),
            )
        )
    return figures


Measured = tuple[float, str] | None  # the ratio and how to say it, or None


def full_stream(run: RunResult, size: int) -> tuple[Figure | None, Figure | None]:
    return run.figure(size, "arrow_full", QUIVER), run.figure(size, "arrow_full", REFERENCE)


def throughput_over_reference(run: RunResult, size: int) -> Measured:
    quiver, reference = full_stream(run, size)
    if not quiver or not reference:
        return None
    ratio = reference.wall_seconds.median / quiver.wall_seconds.median
    return ratio, (
        f"{ratio:.1f}x ({quiver.rows_per_second / 1e6:,.2f} vs "
        f"{reference.rows_per_second / 1e6:,.2f} M rows/s)"
    )


def share_of_loopback(run: RunResult, size: int) -> Measured:
    quiver, _ = full_stream(run, size)
    loopback = run.limits.loopback
    if not quiver or not loopback:
        return None
    ratio = quiver.megabytes_per_second * 1e6 / loopback.bytes_per_second
    return ratio, (
        f"{ratio:.0%} ({quiver.megabytes_per_second:,.0f} of "
        f"{loopback.bytes_per_second / 1e6:,.0f} MB/s)"
    )


def memory_over_reference(run: RunResult, size: int) -> Measured:
    quiver, reference = full_stream(run, size)
    quiver_peak = quiver.server_peak_rss_bytes if quiver else None
    reference_peak = reference.server_peak_rss_bytes if reference else None
    if not quiver_peak or not reference_peak:
        return None
    ratio = quiver_peak.median / reference_peak.median
    return ratio, (
        f"1/{1 / ratio:.1f} ({quiver_peak.median / 1e6:,.0f} vs "
        f"{reference_peak.median / 1e6:,.0f} MB)"
    )


def first_byte(run: RunResult, size: int) -> Measured:
    quiver, reference = full_stream(run, size)
    if not quiver:
        return None
    seconds = quiver.ttfb_seconds.median
    versus = f", reference {reference.ttfb_seconds.median * 1e3:,.0f} ms" if reference else ""
    return seconds, f"{seconds * 1e3:,.1f} ms{versus}"


def aggregation_over_duckdb(run: RunResult, size: int) -> Measured:
    quiver, alone = run.figure(size, "aggregate", QUIVER), run.figure(size, "aggregate", DUCKDB)
    if not quiver or not alone:
        return None
    ratio = quiver.wall_seconds.median / alone.wall_seconds.median
    return ratio, (
        f"{ratio:.2f}x ({quiver.wall_seconds.median * 1e3:,.0f} vs "
        f"{alone.wall_seconds.median * 1e3:,.0f} ms)"
    )


def pages_over_reference(run: RunResult, size: int) -> Measured:
    quiver = run.load(size, LOAD_SCENARIO, QUIVER)
    reference = run.load(size, LOAD_SCENARIO, REFERENCE)
    if not quiver or not reference or not reference.figures.requests_per_second:
        return None
    quiver_rate = quiver.figures.requests_per_second
    reference_rate = reference.figures.requests_per_second
    ratio = quiver_rate / reference_rate
    return ratio, f"{ratio:.1f}x ({quiver_rate:,.0f} vs {reference_rate:,.0f} requests/s)"


@dataclass(frozen=True)
class Goal:
    name: str
    goal: str
    met: Callable[[float], bool]
    measure: Callable[[RunResult, int], Measured]


GOALS = [
    Goal(
        "Arrow stream, full table: throughput over the reference's",
        ">= 5x",
        lambda ratio: ratio >= 5,
        throughput_over_reference,
    ),
    Goal(
        "Arrow stream, full table: share of loopback bandwidth",
        ">= 50%",
        lambda ratio: ratio >= 0.5,
        share_of_loopback,
    ),
    Goal(
        "Peak server RSS while streaming the full table, over the reference's",
        "<= 1/10",
        lambda ratio: ratio <= 0.1,
        memory_over_reference,
    ),
    Goal("Time to first byte, full Arrow stream", "< 50 ms", lambda s: s < 0.05, first_byte),
    Goal(
        "Aggregation: Quiver's time over DuckDB alone's",
        "<= 1.3x",
        lambda ratio: ratio <= 1.3,
        aggregation_over_duckdb,
    ),
    Goal(
        "100-row pages (random offsets), 64 connections: requests/s over the reference's",
        ">= 10x",
        lambda ratio: ratio >= 10,
        pages_over_reference,
    ),
]


def evaluate(run: RunResult) -> list[TargetResult]:
    """The issue's targets, at the largest size this run measured."""
    if not run.sizes:
        return []
    size = max(result.rows for result in run.sizes)
    results = []
    for goal in GOALS:
        measured = goal.measure(run, size)
        if measured is None:
            results.append(TargetResult(goal.name, goal.goal, size, "not measured", None, None))
            continue
        ratio, text = measured
        results.append(TargetResult(goal.name, goal.goal, size, text, ratio, goal.met(ratio)))
    return results


def complete(run: RunResult) -> RunResult:
    """Fills in the figures and the targets from the samples."""
    run.figures = summarise([sample for size in run.sizes for sample in size.samples])
    run.targets = evaluate(run)
    return run


# --- JSON ----------------------------------------------------------------------------------


def to_json(run: RunResult) -> dict[str, Any]:
    return dataclasses.asdict(run)


def convert(kind: Any, value: Any) -> Any:
    origin = typing.get_origin(kind)
    arguments = typing.get_args(kind)
    if value is None:
        return None
    if origin in (types.UnionType, typing.Union):
        kind = next(argument for argument in arguments if argument is not type(None))
        origin, arguments = typing.get_origin(kind), typing.get_args(kind)
    if origin is list:
        return [convert(arguments[0], item) for item in value]
    if origin is dict:
        return {key: convert(arguments[1], item) for key, item in value.items()}
    if dataclasses.is_dataclass(kind) and isinstance(kind, type):
        return load(kind, value)
    return float(value) if kind is float else value


def load(kind: type[Loaded], data: dict[str, Any]) -> Loaded:
    """Builds dataclass `kind` (and the dataclasses inside it) from its asdict() form."""
    hints = typing.get_type_hints(kind)
    arguments = {
        item.name: convert(hints[item.name], data[item.name])
        for item in dataclasses.fields(kind)  # type: ignore[arg-type]
        if item.name in data
    }
    return kind(**arguments)

"""A run's results: raw samples in, medians with their spread and the issue's targets out.

Everything here is plain dataclasses, saved as JSON (bench/results/run-*.json) and loaded
back by `load`, so a report can be rendered again from any saved run.
"""

from __future__ import annotations

import dataclasses
import statistics
import types
import typing
from collections.abc import Iterable
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


def verdict(
    ratio: float | None, at_least: float | None = None, at_most: float | None = None
) -> bool | None:
    if ratio is None:
        return None
    if at_least is not None:
        return ratio >= at_least
    assert at_most is not None
    return ratio <= at_most


def evaluate(run: RunResult) -> list[TargetResult]:
    """The issue's five targets, at the largest size this run measured."""
    if not run.sizes:
        return []
    size = max(result.rows for result in run.sizes)
    quiver = run.figure(size, "arrow_full", QUIVER)
    reference = run.figure(size, "arrow_full", REFERENCE)
    results = []

    ratio = None
    measured = "not measured"
    if quiver and reference:
        ratio = reference.wall_seconds.median / quiver.wall_seconds.median
        measured = (
            f"{ratio:.1f}x ({quiver.rows_per_second / 1e6:,.2f} vs "
            f"{reference.rows_per_second / 1e6:,.2f} M rows/s)"
        )
    results.append(
        TargetResult(
            "Arrow stream, full table: throughput over the reference's",
            ">= 5x",
            size,
            measured,
            ratio,
            verdict(ratio, at_least=5),
        )
    )

    ratio, measured = None, "not measured"
    loopback = run.limits.loopback
    if quiver and loopback:
        ratio = quiver.megabytes_per_second * 1e6 / loopback.bytes_per_second
        measured = (
            f"{ratio:.0%} ({quiver.megabytes_per_second:,.0f} of "
            f"{loopback.bytes_per_second / 1e6:,.0f} MB/s)"
        )
    results.append(
        TargetResult(
            "Arrow stream, full table: share of loopback bandwidth",
            ">= 50%",
            size,
            measured,
            ratio,
            verdict(ratio, at_least=0.5),
        )
    )

    ratio, measured = None, "not measured"
    if quiver and reference and quiver.server_peak_rss_bytes and reference.server_peak_rss_bytes:
        ratio = quiver.server_peak_rss_bytes.median / reference.server_peak_rss_bytes.median
        measured = (
            f"1/{1 / ratio:.1f} ({quiver.server_peak_rss_bytes.median / 1e6:,.0f} vs "
            f"{reference.server_peak_rss_bytes.median / 1e6:,.0f} MB)"
        )
    results.append(
        TargetResult(
            "Peak server RSS while streaming the full table, over the reference's",
            "<= 1/10",
            size,
            measured,
            ratio,
            verdict(ratio, at_most=0.1),
        )
    )

    ratio, measured = None, "not measured"
    if quiver:
        ratio = quiver.ttfb_seconds.median
        reference_text = (
            f", reference {reference.ttfb_seconds.median * 1e3:,.0f} ms" if reference else ""
        )
        measured = f"{ratio * 1e3:,.1f} ms{reference_text}"
    results.append(
        TargetResult(
            "Time to first byte, full Arrow stream",
            "< 50 ms",
            size,
            measured,
            ratio,
            None if ratio is None else ratio < 0.05,
        )
    )

    ratio, measured = None, "not measured"
    aggregate = run.figure(size, "aggregate", QUIVER)
    alone = run.figure(size, "aggregate", DUCKDB)
    if aggregate and alone:
        ratio = aggregate.wall_seconds.median / alone.wall_seconds.median
        measured = (
            f"{ratio:.2f}x ({aggregate.wall_seconds.median * 1e3:,.0f} vs "
            f"{alone.wall_seconds.median * 1e3:,.0f} ms)"
        )
    results.append(
        TargetResult(
            "Aggregation: Quiver's time over DuckDB alone's",
            "<= 1.3x",
            size,
            measured,
            ratio,
            verdict(ratio, at_most=1.3),
        )
    )

    ratio, measured = None, "not measured"
    quiver_load = run.load(size, LOAD_SCENARIO, QUIVER)
    reference_load = run.load(size, LOAD_SCENARIO, REFERENCE)
    if quiver_load and reference_load and reference_load.figures.requests_per_second:
        quiver_rate = quiver_load.figures.requests_per_second
        reference_rate = reference_load.figures.requests_per_second
        ratio = quiver_rate / reference_rate
        measured = f"{ratio:.1f}x ({quiver_rate:,.0f} vs {reference_rate:,.0f} requests/s)"
    results.append(
        TargetResult(
            "100-row pages (random offsets), 64 connections: requests/s over the reference's",
            ">= 10x",
            size,
            measured,
            ratio,
            verdict(ratio, at_least=10),
        )
    )
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

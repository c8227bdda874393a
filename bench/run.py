"""Read benchmark: Quiver against the FastAPI + Polars reference and the machine's limits.

Usage: python -m bench.run [--sizes 1M,10M] [--repetitions 3] [--quiverd PATH] [--quick]

For each size: the demo data is generated once (cached in bench/.cache by rows and seed,
as Parquet and as a DuckDB file), quiverd is started with a fresh data dir and loaded
over its API, the reference is started on the same Parquet file, and both are asked for
the same work (full table as Arrow and Parquet, a filter, a column subset, two
aggregations, one page) alternating with DuckDB alone, over several repetitions; then
wrk puts 100-row pages under 64 connections on each. Loopback TCP bandwidth (iperf3)
and memory copy bandwidth are measured first. Method: docs/adr/0012-benchmark-harness.md.

Writes results/run-<time>.json, RESULTS.md and RESULTS.png under --output-dir (bench/ by
default; a --quick run writes under bench/.cache/quick so it never replaces a real result).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import json
import os
import platform
import re
import shlex
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.harness.data import ensure_data
from bench.harness.limits import loopback_bandwidth, memory_copy_bandwidth
from bench.harness.measure import SizeResult, SizeSettings, measure_size
from bench.harness.report import write_chart, write_markdown
from bench.harness.results import Limits, RunResult, complete, load, to_json

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
DEFAULT_QUIVERD = ROOT / "build" / "release" / "src" / "quiverd"
DEFAULT_CACHE = BENCH / ".cache"
QUICK_OUTPUT = DEFAULT_CACHE / "quick"
SIZE_SUFFIXES = {"": 1, "k": 1_000, "m": 1_000_000, "b": 1_000_000_000}
PACKAGES = ["polars", "pyarrow", "duckdb", "fastapi", "uvicorn", "numpy"]
REQUIRED_TOOLS = ["wrk", "iperf3"]


def parse_size(text: str) -> int:
    """'200k', '1M', '10M', '100M' or a plain number of rows."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kKmMbB]?)\s*", text)
    if not match:
        raise argparse.ArgumentTypeError(f"not a row count: {text!r} (say 200k, 1M, 10M)")
    rows = round(float(match[1]) * SIZE_SUFFIXES[match[2].lower()])
    if rows < 1_000:
        raise argparse.ArgumentTypeError(f"at least 1k rows, not {text!r}")
    return rows


def parse_sizes(text: str) -> list[int]:
    return [parse_size(part) for part in text.split(",") if part.strip()]


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.run",
        description=__doc__.splitlines()[0] if __doc__ else None,
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--quick", action="store_true", help="a smoke run at 200k rows")
    parser.add_argument(
        "--sizes",
        type=parse_sizes,
        help="row counts, e.g. 1M,10M,100M (default 1M,10M; quick: 200k)",
    )
    parser.add_argument("--repetitions", type=int, help="measured passes (default 3; quick: 2)")
    parser.add_argument("--no-warmup", action="store_true", help="skip the unmeasured first pass")
    parser.add_argument("--wrk-seconds", type=float, help="per wrk run (default 10; quick: 2)")
    parser.add_argument("--wrk-connections", type=int, default=64)
    parser.add_argument("--iperf-seconds", type=float, help="iperf3 run (default 5; quick: 1)")
    parser.add_argument("--seed", type=int, default=42, help="of the generated data")
    parser.add_argument(
        "--only", default="", help="comma-separated workloads to run (default: all)"
    )
    parser.add_argument("--quiverd", type=Path, default=DEFAULT_QUIVERD)
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE)
    parser.add_argument(
        "--output-dir",
        type=Path,
        help=f"where RESULTS.md, RESULTS.png and results/ go (default {BENCH}; quick: "
        f"{QUICK_OUTPUT})",
    )
    parser.add_argument("--note", default="", help="a line for RESULTS.md (e.g. what else ran)")
    parser.add_argument(
        "--render",
        type=Path,
        metavar="JSON",
        help="measure nothing: write RESULTS.md and RESULTS.png again from a saved run",
    )
    arguments = parser.parse_args(argv)
    quick = arguments.quick
    arguments.sizes = arguments.sizes or ([200_000] if quick else [1_000_000, 10_000_000])
    arguments.repetitions = arguments.repetitions or (2 if quick else 3)
    if arguments.wrk_seconds is None:
        arguments.wrk_seconds = 2.0 if quick else 10.0
    arguments.iperf_seconds = arguments.iperf_seconds or (1.0 if quick else 5.0)
    arguments.output_dir = arguments.output_dir or (QUICK_OUTPUT if quick else BENCH)
    if arguments.repetitions < 1:
        parser.error("--repetitions must be at least 1")
    return arguments


def command_output(command: list[str]) -> str:
    try:
        finished = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError:
        return ""
    return (finished.stdout + finished.stderr).strip()


def machine() -> dict[str, Any]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory_kib = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal:")
    )
    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": memory_kib / 2**20,
        "kernel": platform.release(),
        "python": platform.python_version(),
        "load_average_start": list(os.getloadavg()),
    }


def software(quiverd: Path) -> dict[str, Any]:
    commit = command_output(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"])
    dirty = command_output(["git", "-C", str(ROOT), "status", "--porcelain", "--", "server"])
    versions = {name: importlib.metadata.version(name) for name in PACKAGES}
    digest = hashlib.sha256(quiverd.read_bytes()).hexdigest()[:16] if quiverd.is_file() else ""
    modified = datetime.fromtimestamp(quiverd.stat().st_mtime, UTC).isoformat() if digest else ""
    return {
        "quiverd": str(quiverd),
        "quiverd_sha256": digest,
        "quiverd_modified": modified,
        "quiver_commit": commit + (" (server/ has uncommitted changes)" if dirty else ""),
        "wrk": command_output(["wrk", "--version"]).splitlines()[0:1],
        "iperf3": command_output(["iperf3", "--version"]).splitlines()[0:1],
        **versions,
    }


def check_tools(quiverd: Path) -> None:
    missing = [tool for tool in REQUIRED_TOOLS if shutil.which(tool) is None]
    if missing:
        sys.exit(f"bench.run: {', '.join(missing)} not found: run scripts/setup-bench")
    if not quiverd.is_file():
        sys.exit(f"bench.run: no quiverd at {quiverd}: run make build-server or pass --quiverd")


def shown_command(argv: list[str]) -> str:
    """The command as run, less --note and its text (RESULTS.md shows the note apart)."""
    shown: list[str] = []
    skip = False
    for argument in argv:
        if skip:
            skip = False
        elif argument == "--note":
            skip = True
        elif not argument.startswith("--note="):
            shown.append(argument)
    return shlex.join(["python", "-m", "bench.run", *shown])


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def write_outputs(run: RunResult, output_dir: Path) -> tuple[Path, Path, Path]:
    results = output_dir / "results"
    results.mkdir(parents=True, exist_ok=True)
    stamp = datetime.fromisoformat(run.started_at).strftime("%Y%m%dT%H%M%SZ")
    json_path = results / f"run-{stamp}.json"
    json_path.write_text(json.dumps(to_json(run), indent=1) + "\n")
    markdown_path, chart_path = output_dir / "RESULTS.md", output_dir / "RESULTS.png"
    write_markdown(run, markdown_path, json_path.name)
    write_chart(run, chart_path)
    return json_path, markdown_path, chart_path


def render(saved: Path, output_dir: Path) -> int:
    run = complete(load(RunResult, json.loads(saved.read_text())))
    markdown_path, chart_path = output_dir / "RESULTS.md", output_dir / "RESULTS.png"
    write_markdown(run, markdown_path, saved.name)
    write_chart(run, chart_path)
    print(f"bench.run: rendered {saved} into\n  {markdown_path}\n  {chart_path}")
    return 0


def main(argv: list[str] | None = None) -> int:
    arguments = parse_arguments(argv)
    if arguments.render:
        return render(arguments.render, arguments.output_dir)
    check_tools(arguments.quiverd)
    started_at = datetime.now(UTC)
    started = time.perf_counter()
    machine_facts = machine()
    say(f"bench.run: sizes {', '.join(f'{rows:,}' for rows in arguments.sizes)} rows")

    say(f"limits: loopback TCP (iperf3, {arguments.iperf_seconds:g} s), memory copy")
    limits = Limits(
        loopback_bandwidth(arguments.iperf_seconds),
        memory_copy_bandwidth((64 if arguments.quick else 256) << 20),
    )
    assert limits.loopback and limits.memory_copy
    say(
        f"  loopback {limits.loopback.bytes_per_second / 1e6:,.0f} MB/s, "
        f"memory copy {limits.memory_copy.bytes_per_second / 1e6:,.0f} MB/s"
    )

    settings = SizeSettings(
        quiverd=arguments.quiverd.resolve(),
        repetitions=arguments.repetitions,
        warmup=not arguments.no_warmup,
        wrk_connections=arguments.wrk_connections,
        wrk_seconds=arguments.wrk_seconds,
        only=frozenset(name for name in arguments.only.split(",") if name),
    )
    sizes: list[SizeResult] = []
    data_seconds: dict[str, float] = {}
    for rows in arguments.sizes:
        say(f"{rows:,} rows: data (cached in {arguments.cache_dir})")
        data_started = time.perf_counter()
        files = ensure_data(arguments.cache_dir, rows, arguments.seed)
        data_seconds[str(rows)] = time.perf_counter() - data_started
        sizes.append(measure_size(files, settings))
        say(f"{rows:,} rows: done in {sizes[-1].seconds:.0f} s")

    machine_facts["load_average_end"] = list(os.getloadavg())
    run = complete(
        RunResult(
            started_at=started_at.isoformat(),
            seconds=time.perf_counter() - started,
            command=shown_command(sys.argv[1:] if argv is None else argv),
            quick=arguments.quick,
            note=arguments.note,
            machine=machine_facts,
            software=software(arguments.quiverd),
            settings={
                "sizes": arguments.sizes,
                "repetitions": arguments.repetitions,
                "warmup": not arguments.no_warmup,
                "wrk_connections": arguments.wrk_connections,
                "wrk_seconds": arguments.wrk_seconds,
                "iperf_seconds": arguments.iperf_seconds,
                "seed": arguments.seed,
                "only": sorted(settings.only),
                "data_seconds": data_seconds,
            },
            limits=limits,
            sizes=sizes,
        )
    )
    json_path, markdown_path, chart_path = write_outputs(run, arguments.output_dir)
    print()
    for target in run.targets:
        state = {True: "met", False: "MISSED", None: "not measured"}[target.met]
        print(
            f"{state:>12}  {target.name} at {target.size:,} rows: {target.measured} ({target.goal})"
        )
    print(f"\nbench.run: {run.seconds:.0f} s; results in")
    for path in (markdown_path, chart_path, json_path):
        print(f"  {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

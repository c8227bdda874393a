"""The benchmark's data: the demo dataset as Parquet and as a DuckDB file, cached.

Both are deterministic functions of (rows, seed), so they are made once and kept in the
git-ignored cache folder (bench/.cache by default) under names that carry both; the
DuckDB file's name also carries the DuckDB version that wrote it. A file is written
under a temporary name and renamed when complete, so an interrupted run leaves no
half-written file behind that a later run would trust.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from bench.generate import generate

TABLE = "demo"


@dataclass(frozen=True)
class DataFiles:
    rows: int
    seed: int
    parquet: Path
    duckdb: Path


@dataclass(frozen=True)
class Summary:
    """One group of the aggregation workload: per category, as the reference answers it."""

    category: str
    average_value: float
    total_value: float
    record_count: int


@dataclass(frozen=True)
class Facts:
    """What the answers must be, computed by DuckDB from the same data."""

    rows: int
    category_a_rows: int
    summary: tuple[Summary, ...]


def ensure_parquet(cache: Path, rows: int, seed: int) -> Path:
    path = cache / f"demo-{rows}-seed{seed}.parquet"
    if not path.exists():
        generate(rows, path, seed=seed)  # writes <path>.partial, then renames
    return path


def ensure_duckdb(cache: Path, parquet: Path, rows: int, seed: int) -> Path:
    path = cache / f"demo-{rows}-seed{seed}-duckdb{duckdb.__version__}.duckdb"
    if path.exists():
        return path
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    with duckdb.connect(str(partial)) as connection:
        connection.execute("SET enable_progress_bar = false")
        connection.execute(f"CREATE TABLE {TABLE} AS SELECT * FROM read_parquet(?)", [str(parquet)])
        connection.execute("CHECKPOINT")
    partial.replace(path)
    return path


def ensure_data(cache: Path, rows: int, seed: int) -> DataFiles:
    cache.mkdir(parents=True, exist_ok=True)
    parquet = ensure_parquet(cache, rows, seed)
    return DataFiles(rows, seed, parquet, ensure_duckdb(cache, parquet, rows, seed))


def facts(files: DataFiles) -> Facts:
    with duckdb.connect(str(files.duckdb), read_only=True) as connection:
        counted = connection.execute(
            f"SELECT count(*), count(*) FILTER (WHERE category = 'A') FROM {TABLE}"
        ).fetchone()
        groups = connection.execute(
            f"SELECT category, avg(value), sum(value), count(*) FROM {TABLE} "
            "GROUP BY category ORDER BY category"
        ).fetchall()
    assert counted is not None
    return Facts(
        rows=int(counted[0]),
        category_a_rows=int(counted[1]),
        summary=tuple(Summary(str(c), float(a), float(t), int(n)) for c, a, t, n in groups),
    )

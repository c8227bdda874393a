"""Deterministic generator of Quiver's demo dataset, written to a Parquet file.

Usage: python bench/generate.py --rows N --out path.parquet [--seed 42]

Schema (a contract with the C++ server's demo data; names and types are exact):

    id        int64                   not null  0 .. N-1
    ts        timestamp[us, tz=UTC]   not null  2024-01-01T00:00:00Z + id seconds
    category  string                  not null  "A" 50%, "B" 30%, "C" 20%
    region    string                  not null  "north", "south", "east" or "west"
    value     float64                 not null  uniform in [0, 1000)
    quantity  int32                   not null  uniform in [1, 100]
    flag      bool                    not null
    label     string                  nullable  "item-<id mod 1000>", null when id mod 97 == 0

The pseudo-random columns are a pure function of (seed, column, id): each value is
splitmix64(splitmix64(seed + stream * GOLDEN) + (id + 1) * GOLDEN), where stream is the
column's fixed number below and GOLDEN = 0x9E3779B97F4A7C15, all arithmetic modulo 2**64.
So any row can be computed on its own (the file is written one row group at a time and
never holds more than one in memory), the values do not depend on the row-group size or
on the numpy version, and another language can reproduce them exactly:

    category  u = (r >> 11) * 2**-53;  "A" if u < 0.5, "B" if u < 0.8, else "C"
    region    ["north", "south", "east", "west"][r >> 62]
    value     (r >> 11) * 2**-53 * 1000
    quantity  1 + (((r >> 32) * 100) >> 32)
    flag      (r >> 63) == 1
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

UInt64Array = npt.NDArray[np.uint64]

DEFAULT_SEED = 42
DEFAULT_ROW_GROUP_SIZE = 1_000_000
EPOCH_SECONDS = int(datetime(2024, 1, 1, tzinfo=UTC).timestamp())
MICROSECONDS_PER_SECOND = 1_000_000

WORD_MASK = (1 << 64) - 1
GOLDEN_WORD = 0x9E3779B97F4A7C15
GOLDEN = np.uint64(GOLDEN_WORD)
MIX_1 = np.uint64(0xBF58476D1CE4E5B9)
MIX_2 = np.uint64(0x94D049BB133111EB)
UNIT_SCALE = 2.0**-53

# One independent pseudo-random stream per column.
STREAM_CATEGORY = 1
STREAM_REGION = 2
STREAM_VALUE = 3
STREAM_QUANTITY = 4
STREAM_FLAG = 5

CATEGORIES = pa.array(["A", "B", "C"], type=pa.string())
CATEGORY_THRESHOLDS = (0.5, 0.8)  # cumulative shares of "A" and "B"; "C" takes the rest
REGIONS = pa.array(["north", "south", "east", "west"], type=pa.string())
LABEL_COUNT = 1000
LABELS = pa.array([f"item-{index}" for index in range(LABEL_COUNT)], type=pa.string())
LABEL_NULL_EVERY = 97

SCHEMA_FIELDS: list[pa.Field[Any]] = [
    pa.field("id", pa.int64(), nullable=False),
    pa.field("ts", pa.timestamp("us", tz="UTC"), nullable=False),
    pa.field("category", pa.string(), nullable=False),
    pa.field("region", pa.string(), nullable=False),
    pa.field("value", pa.float64(), nullable=False),
    pa.field("quantity", pa.int32(), nullable=False),
    pa.field("flag", pa.bool_(), nullable=False),
    pa.field("label", pa.string(), nullable=True),
]
SCHEMA = pa.schema(SCHEMA_FIELDS)


def splitmix64(state: UInt64Array) -> UInt64Array:
    """The splitmix64 finaliser, element-wise, modulo 2**64."""
    mixed = (state ^ (state >> np.uint64(30))) * MIX_1
    mixed = (mixed ^ (mixed >> np.uint64(27))) * MIX_2
    return mixed ^ (mixed >> np.uint64(31))


@dataclass(frozen=True)
class RandomColumns:
    """Pseudo-random 64-bit words for a range of ids, one stream per column."""

    seed: int
    ids: UInt64Array

    def words(self, stream: int) -> UInt64Array:
        stream_state = (self.seed + stream * GOLDEN_WORD) & WORD_MASK
        stream_base = splitmix64(np.array([stream_state], dtype=np.uint64))
        return splitmix64(stream_base + (self.ids + np.uint64(1)) * GOLDEN)

    def unit(self, stream: int) -> npt.NDArray[np.float64]:
        """Uniform floats in [0, 1) with 53 random bits."""
        return (self.words(stream) >> np.uint64(11)).astype(np.float64) * UNIT_SCALE


def row_group(seed: int, start: int, stop: int) -> pa.Table:
    """Rows start .. stop-1 of the dataset, as a table with SCHEMA."""
    ids = np.arange(start, stop, dtype=np.int64)
    random = RandomColumns(seed, ids.astype(np.uint64))

    timestamps = (ids + EPOCH_SECONDS) * MICROSECONDS_PER_SECOND
    category_codes = np.searchsorted(CATEGORY_THRESHOLDS, random.unit(STREAM_CATEGORY), "right")
    region_codes = random.words(STREAM_REGION) >> np.uint64(62)
    values = random.unit(STREAM_VALUE) * 1000.0
    quantity_words = random.words(STREAM_QUANTITY) >> np.uint64(32)
    quantities = (quantity_words * np.uint64(100)) >> np.uint64(32)
    flags = (random.words(STREAM_FLAG) >> np.uint64(63)) == 1
    label_codes = pa.array(ids % LABEL_COUNT, type=pa.int64(), mask=(ids % LABEL_NULL_EVERY) == 0)

    columns: list[pa.Array[Any]] = [
        pa.array(ids, type=pa.int64()),
        pa.array(timestamps, type=pa.int64()).cast(pa.timestamp("us", tz="UTC")),
        pc.take(CATEGORIES, pa.array(category_codes, type=pa.int8())),
        pc.take(REGIONS, pa.array(region_codes, type=pa.int8())),
        pa.array(values, type=pa.float64()),
        pa.array((quantities + np.uint64(1)).astype(np.int32), type=pa.int32()),
        pa.array(flags, type=pa.bool_()),
        pc.take(LABELS, label_codes),
    ]
    return pa.Table.from_arrays(columns, schema=SCHEMA)


def row_groups(rows: int, seed: int, row_group_size: int) -> Iterator[pa.Table]:
    for start in range(0, rows, row_group_size):
        yield row_group(seed, start, min(start + row_group_size, rows))


def generate(
    rows: int,
    out: Path,
    seed: int = DEFAULT_SEED,
    row_group_size: int = DEFAULT_ROW_GROUP_SIZE,
) -> None:
    """Writes the dataset to out, one row group of row_group_size rows at a time."""
    if rows < 0:
        raise ValueError(f"rows must be >= 0, got {rows}")
    if row_group_size < 1:
        raise ValueError(f"row_group_size must be >= 1, got {row_group_size}")
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    with pq.ParquetWriter(partial, SCHEMA) as writer:
        for table in row_groups(rows, seed, row_group_size):
            writer.write_table(table, row_group_size=row_group_size)
    partial.replace(out)


def parse_arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, required=True, help="number of rows")
    parser.add_argument("--out", type=Path, required=True, help="Parquet file to write")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="default: %(default)s")
    parser.add_argument(
        "--row-group-size",
        type=int,
        default=DEFAULT_ROW_GROUP_SIZE,
        help="rows per Parquet row group, also the rows held in memory (default: %(default)s)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    arguments = parse_arguments(argv)
    generate(arguments.rows, arguments.out, arguments.seed, arguments.row_group_size)


if __name__ == "__main__":
    main()

"""Inputs and readers shared by the dataset tests."""

from __future__ import annotations

import datetime as dt
import decimal
import io
import json
import os
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
import requests
from pyarrow import ipc

# Sanitizer runs are several times slower; they use fewer rows.
ROWS = int(os.environ.get("QUIVER_TEST_ROWS", "1000000"))

ARROW_STREAM = "application/vnd.apache.arrow.stream"
ARROW_FILE = "application/vnd.apache.arrow.file"
PARQUET = "application/vnd.apache.parquet"
CSV = "text/csv"
NDJSON = "application/x-ndjson"

# (name, API type, Arrow type, required)
ALL_TYPES: list[tuple[str, str, pa.DataType, bool]] = [
    ("id", "int64", pa.int64(), True),
    ("flag", "boolean", pa.bool_(), False),
    ("i8", "int8", pa.int8(), False),
    ("i16", "int16", pa.int16(), False),
    ("i32", "int32", pa.int32(), False),
    ("u8", "uint8", pa.uint8(), False),
    ("u16", "uint16", pa.uint16(), False),
    ("u32", "uint32", pa.uint32(), False),
    ("u64", "uint64", pa.uint64(), False),
    ("f32", "float32", pa.float32(), False),
    ("f64", "float64", pa.float64(), False),
    ("price", "decimal(12, 3)", pa.decimal128(12, 3), False),
    ("label", "string", pa.string(), False),
    ("blob", "binary", pa.binary(), False),
    ("day", "date", pa.date32(), False),
    ("clock", "time", pa.time64("us"), False),
    ("seen", "timestamp(ms)", pa.timestamp("ms"), False),
    ("seen_utc", "timestamp(us, UTC)", pa.timestamp("us", "UTC"), False),
    ("tags", "list<int32>", pa.list_(pa.int32()), False),
    (
        "point",
        "struct<x: float64, name: string>",
        pa.struct([("x", pa.float64()), ("name", pa.string())]),
        False,
    ),
]

# CSV and NDJSON carry text: no binary, lists or structs.
TEXT_TYPES = [column for column in ALL_TYPES if column[0] not in {"blob", "tags", "point"}]


def column_values(  # noqa: PLR0911, PLR0912  (one branch per Arrow type)
    name: str, arrow_type: pa.DataType, rows: int, start: int, required: bool = False
) -> pa.Array:
    ids = np.arange(start, start + rows, dtype=np.int64)
    nulls = np.zeros(rows, dtype=bool) if required else (ids % 13 == 5)
    if name == "id":
        return pa.array(ids)
    if pa.types.is_boolean(arrow_type):
        return pa.array(ids % 3 == 0, mask=nulls)
    if pa.types.is_unsigned_integer(arrow_type):
        limit = {8: 255, 16: 65535, 32: 2**32 - 1, 64: 2**64 - 1}[arrow_type.bit_width]
        values = (ids.astype(np.uint64) * np.uint64(2654435761)) % np.uint64(min(limit, 2**63))
        if arrow_type.bit_width == 64:
            values = values + np.uint64(2**63)  # beyond int64
        return pa.array(values, mask=nulls).cast(arrow_type)
    if pa.types.is_integer(arrow_type):
        half = 2 ** (arrow_type.bit_width - 1)
        return pa.array((ids * 7919) % (2 * half) - half, mask=nulls).cast(arrow_type)
    if pa.types.is_floating(arrow_type):
        return pa.array(ids * 0.25 - 1000.5, mask=nulls).cast(arrow_type)
    if pa.types.is_decimal(arrow_type):
        return pa.array(
            [
                None if n else decimal.Decimal(int(i) * 7 - 500000) / 1000
                for i, n in zip(ids, nulls, strict=False)
            ],
            arrow_type,
        )
    if pa.types.is_string(arrow_type):
        words = np.array(["plain", "Grüße", "世界", "🎯 emoji", "", 'comma, "quoted"'])
        return pa.array(np.char.add(words[ids % len(words)], ids.astype(str)), mask=nulls)
    if pa.types.is_binary(arrow_type):
        return pa.array(
            [None if n else bytes([i % 256, 0, 255]) for i, n in zip(ids, nulls, strict=False)],
            arrow_type,
        )
    if pa.types.is_date(arrow_type):
        return (
            pa.array((ids % 40000 - 20000).astype(np.int32), mask=nulls)
            .cast(pa.int32())
            .cast(arrow_type)
        )
    if pa.types.is_time(arrow_type):
        return pa.array(ids % 86_400_000_000, mask=nulls).cast(arrow_type)
    if pa.types.is_timestamp(arrow_type):
        return pa.array(ids * 1_000_003 - 10**12, mask=nulls).cast(arrow_type)
    if pa.types.is_list(arrow_type):
        return pa.array(
            [
                None if n else [int(i), -1, None][: int(i) % 4]
                for i, n in zip(ids, nulls, strict=False)
            ],
            arrow_type,
        )
    if pa.types.is_struct(arrow_type):
        return pa.array(
            [
                None if n else {"x": float(i) / 2, "name": f"p{i}"}
                for i, n in zip(ids, nulls, strict=False)
            ],
            arrow_type,
        )
    raise AssertionError(f"no generator for {arrow_type}")


def make_table(
    columns: list[tuple[str, str, pa.DataType, bool]], rows: int, start: int = 0
) -> pa.Table:
    fields = [
        pa.field(name, arrow_type, nullable=not required)
        for name, _, arrow_type, required in columns
    ]
    arrays = [
        column_values(name, arrow_type, rows, start, required)
        for name, _, arrow_type, required in columns
    ]
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


def definition(
    name: str, columns: list[tuple[str, str, pa.DataType, bool]], key: str | None = "id"
) -> dict[str, Any]:
    return {
        "name": name,
        "columns": [{"name": c, "type": t, "required": r} for c, t, _, r in columns],
        "primary_key": [key] if key else None,
    }


def encode(table: pa.Table, media_type: str, batch_rows: int = 65_536) -> bytes:
    sink = io.BytesIO()
    if media_type == ARROW_STREAM:
        with ipc.new_stream(sink, table.schema) as writer:
            writer.write_table(table, max_chunksize=batch_rows)
    elif media_type == ARROW_FILE:
        with ipc.new_file(sink, table.schema) as writer:
            writer.write_table(table, max_chunksize=batch_rows)
    elif media_type == PARQUET:
        pq.write_table(table, sink, row_group_size=batch_rows)
    elif media_type == CSV:
        pa_csv.write_csv(table, sink)
    elif media_type == NDJSON:
        return ndjson(table)
    else:
        raise AssertionError(media_type)
    return sink.getvalue()


def ndjson(table: pa.Table) -> bytes:
    def plain(value: Any) -> Any:
        if isinstance(value, (dt.datetime, dt.date, dt.time, decimal.Decimal)):
            return str(value)
        return value

    lines = []
    for row in table.to_pylist():
        lines.append(json.dumps({key: plain(value) for key, value in row.items()}))
    return ("\n".join(lines) + "\n").encode()


def upload(
    url: str, dataset: str, body: bytes, media_type: str, **params: str
) -> requests.Response:
    return requests.post(
        f"{url}/api/v1/datasets/{dataset}/rows",
        data=body,
        headers={"Content-Type": media_type},
        params=params,
        timeout=600,
    )


def stored_rows(data_dir: Path, dataset: str) -> pa.Table:
    """The dataset's rows read straight from the DuckDB file (server stopped)."""
    with duckdb.connect(str(data_dir / "quiver.duckdb"), read_only=True) as connection:
        connection.execute("SET TimeZone = 'UTC'")
        return (
            connection.execute(f'SELECT * FROM quiver_data."{dataset}" ORDER BY id')
            .arrow()
            .read_all()
        )


def row_count(url: str, dataset: str) -> int:
    response = requests.get(f"{url}/api/v1/datasets/{dataset}", timeout=30)
    response.raise_for_status()
    return int(response.json()["row_count"])

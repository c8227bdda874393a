"""Writes a read to a local Parquet or CSV file, batch by batch, from the Arrow stream."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from quiver.client import Client, FilterLike, OrderBy
from quiver.progress import CancelToken, ProgressCallback

ExportFormat = Literal["parquet", "csv"]


def format_for(path: Path) -> ExportFormat:
    """The export format a file name asks for (.csv, else Parquet)."""
    return "csv" if path.suffix.lower() in (".csv", ".txt") else "parquet"


def export_rows(
    client: Client,
    dataset: str,
    path: str | os.PathLike[str],
    *,
    columns: Sequence[str] | None = None,
    filter: FilterLike | None = None,
    order_by: OrderBy | None = None,
    total_rows: int | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> int:
    """Streams the read into `path` (Parquet or CSV by its suffix); returns the rows.

    Memory stays at a batch or two whatever the size, there is no text-row cap (the CSV
    is written here), and the file only appears once complete.
    """
    target = Path(path)
    export_format = format_for(target)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(handle)
    writer: Any = None
    try:
        with client.stream(
            dataset,
            columns=columns,
            filter=filter,
            order_by=order_by,
            progress=progress,
            cancel=cancel,
            total_rows=total_rows,
        ) as batches:
            if export_format == "csv":
                writer = pa_csv.CSVWriter(temporary, batches.schema)
            else:
                writer = pq.ParquetWriter(temporary, batches.schema, compression="zstd")
            for batch in batches:
                writer.write_batch(batch)
            rows = batches.rows
        writer.close()
        writer = None
        os.replace(temporary, target)
    except BaseException:
        if writer is not None:
            writer.close()
        Path(temporary).unlink(missing_ok=True)
        raise
    return rows

"""Ingest benchmark: Arrow IPC stream, Parquet and CSV uploads into a real quiverd.

Usage: python -m bench.ingest --rows 10000000 [--quiverd build/release/src/quiverd]

Generates the demo dataset once (bench/generate.py), writes it as each upload format
to disk, then for each format starts a fresh quiverd on a free loopback port with an
empty data dir, creates the dataset and uploads the file streamed from disk, reading
the server's peak resident memory from /proc (VmHWM, reset before the upload). Prints a
markdown table and writes bench/results/ingest-<timestamp>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
import requests
from pyarrow import ipc

from bench.generate import generate as write_dataset
from bench.harness.procfs import PeakMemory
from bench.harness.servers import QUIVER_COLUMNS, quiver

ROOT = Path(__file__).resolve().parents[1]
FORMATS = {
    "arrow": ("application/vnd.apache.arrow.stream", "data.arrows"),
    "parquet": ("application/vnd.apache.parquet", "data.parquet"),
    "csv": ("text/csv", "data.csv"),
}


@dataclass
class Measurement:
    format: str
    rows: int
    file_bytes: int
    seconds: float
    rows_per_second: float
    megabytes_per_second: float
    server_peak_rss_mb: float
    server_idle_rss_mb: float


def write_formats(parquet: Path, folder: Path) -> None:
    table_file = pq.ParquetFile(parquet)
    schema = table_file.schema_arrow
    with (
        ipc.new_stream(str(folder / FORMATS["arrow"][1]), schema) as arrow_writer,
        pa_csv.CSVWriter(str(folder / FORMATS["csv"][1]), schema) as csv_writer,
    ):
        for batch in table_file.iter_batches(batch_size=65_536):
            arrow_writer.write_batch(batch)
            csv_writer.write_batch(batch)
    os.link(parquet, folder / FORMATS["parquet"][1])


def measure(quiverd: Path, folder: Path, name: str, rows: int) -> Measurement:
    media_type, file_name = FORMATS[name]
    path = folder / file_name
    with (
        tempfile.TemporaryDirectory(dir=folder) as server_folder,
        quiver(quiverd, Path(server_folder)) as server,
    ):
        datasets = f"{server.base_url}/api/v1/datasets"
        created = requests.post(
            datasets, json={"name": "demo", "columns": QUIVER_COLUMNS}, timeout=30
        )
        created.raise_for_status()
        with PeakMemory(server.probe) as memory:
            started = time.perf_counter()
            with path.open("rb") as body:
                response = requests.post(
                    f"{datasets}/demo/rows",
                    data=body,
                    headers={"Content-Type": media_type},
                    timeout=3600,
                )
            seconds = time.perf_counter() - started
        response.raise_for_status()
        assert response.json()["inserted_rows"] == rows, response.text
    size = path.stat().st_size
    return Measurement(
        name,
        rows,
        size,
        seconds,
        rows / seconds,
        size / seconds / 1e6,
        memory.peak / 1e6,
        memory.idle / 1e6,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--quiverd", type=Path, default=ROOT / "build/release/src/quiverd")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="quiver-ingest-") as work:
        folder = Path(work)
        write_dataset(arguments.rows, folder / "generated.parquet")
        write_formats(folder / "generated.parquet", folder)
        results = [measure(arguments.quiverd, folder, name, arguments.rows) for name in FORMATS]
    print("| format | rows | file MB | seconds | rows/s | MB/s | server peak RSS MB (idle) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in results:
        print(
            f"| {r.format} | {r.rows:,} | {r.file_bytes / 1e6:,.0f} | {r.seconds:.2f} | "
            f"{r.rows_per_second:,.0f} | {r.megabytes_per_second:,.1f} | "
            f"{r.server_peak_rss_mb:,.0f} ({r.server_idle_rss_mb:,.0f}) |"
        )
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = ROOT / "bench" / "results" / f"ingest-{stamp}.json"
    out.write_text(json.dumps([asdict(r) for r in results], indent=2) + "\n")
    print(f"\nwritten {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

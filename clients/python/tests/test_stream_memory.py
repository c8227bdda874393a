"""The client's memory stays flat: stream() over 10,000,000 rows, and big uploads."""

from __future__ import annotations

import time
from collections.abc import Iterator

import psutil
import pyarrow as pa

import quiver
from tests.conftest import BIG_ROWS, SALES_SCHEMA, Server, sales_table


def test_streaming_ten_million_rows_keeps_memory_flat(big: Server) -> None:
    process = psutil.Process()
    rows = 0
    total_bytes = 0
    samples: list[int] = []
    started = time.monotonic()
    with quiver.Client(big.url) as client, client.stream("demo") as stream:
        for index, batch in enumerate(stream):
            rows += batch.num_rows
            total_bytes += batch.nbytes
            if index == 5:
                baseline = process.memory_info().rss
            if index % 10 == 0:
                samples.append(process.memory_info().rss)
    elapsed = time.monotonic() - started
    assert rows == BIG_ROWS
    assert total_bytes > 400_000_000  # ~0.5 GB of Arrow data went through...
    growth = max(samples) - baseline
    # ...while the process grew by at most a few batches (each is a few MB).
    assert growth < 64 * 1024 * 1024, f"RSS grew {growth / 1e6:.0f} MB over the stream"
    print(f"10M rows in {elapsed:.1f} s, RSS growth {growth / 1e6:.1f} MB")


def test_uploads_stream_without_building_the_body(client: quiver.Client, name: str) -> None:
    """Two million rows (~100 MB of Arrow IPC) from a lazy reader: RSS stays flat."""
    process = psutil.Process()
    batch_rows = 50_000
    batches = 40
    client.create(name, SALES_SCHEMA, primary_key="id")
    samples: list[int] = []

    def generate() -> Iterator[pa.RecordBatch]:
        for index in range(batches):
            samples.append(process.memory_info().rss)
            table = sales_table(batch_rows, start=index * batch_rows).cast(SALES_SCHEMA)
            yield table.to_batches()[0]

    reader = pa.RecordBatchReader.from_batches(SALES_SCHEMA, generate())
    result = client.ingest(name, reader)
    assert result.inserted_rows == batch_rows * batches
    growth = max(samples) - samples[5]
    assert growth < 64 * 1024 * 1024, f"RSS grew {growth / 1e6:.0f} MB during the upload"
    print(f"upload of {batch_rows * batches:,} rows: RSS growth {growth / 1e6:.1f} MB")

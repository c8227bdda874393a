"""stream() over 10,000,000 rows: the client's memory stays flat."""

from __future__ import annotations

import time

import psutil

import quiver
from tests.conftest import BIG_ROWS, Server


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

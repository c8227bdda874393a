"""One request, read the way a real client reads it, timed and counted.

Arrow IPC answers go through pyarrow's streaming reader straight off the socket, one record
batch at a time; Parquet answers need their footer, so the body is read whole and then
decoded row group by row group. Bytes are counted as they arrive from the HTTP layer (after
chunked transfer decoding), time to first byte is when the first body bytes are in hand.
"""

from __future__ import annotations

import http.client
import io
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.parquet as pq
from pyarrow import ipc

from bench.harness.workloads import HttpCall, Reader

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

KEEP_ROWS = 1_000  # answers this small are kept, so that they can be compared
READ_BYTES = 1 << 20
REQUEST_TIMEOUT_SECONDS = 3_600.0


class BenchmarkError(RuntimeError):
    """A server answered something other than what the benchmark asked for."""


@dataclass
class Transfer:
    """What one answer cost the client, and what it held."""

    rows: int
    bytes: int
    ttfb_seconds: float
    transfer_seconds: float  # until the last byte arrived
    wall_seconds: float  # until the answer was decoded
    client_cpu_seconds: float
    table: pa.Table | None  # small answers only (KEEP_ROWS)


class CountingBody(io.RawIOBase):
    """A file-like view of an HTTP response body that notes its first byte and counts."""

    def __init__(self, response: http.client.HTTPResponse, started: float) -> None:
        super().__init__()
        self.response = response
        self.started = started
        self.bytes = 0
        self.first_byte_seconds: float | None = None
        self.last_byte_seconds = 0.0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        data = self.read(memoryview(buffer).nbytes)
        memoryview(buffer).cast("B")[: len(data)] = data
        return len(data)

    def read(self, size: int | None = -1) -> bytes:
        data = self.response.read(None if size is None or size < 0 else size)
        if data:
            now = time.perf_counter() - self.started
            if self.first_byte_seconds is None:
                self.first_byte_seconds = now
            self.last_byte_seconds = now
            self.bytes += len(data)
        return data

    def read_all(self) -> bytearray:
        buffer = bytearray()
        while chunk := self.read(READ_BYTES):
            buffer += chunk
        return buffer


class Rows:
    """Counts the rows of an answer and keeps them while there are few."""

    def __init__(self) -> None:
        self.count = 0
        self.batches: list[pa.RecordBatch] = []

    def add(self, batch: pa.RecordBatch) -> None:
        self.count += batch.num_rows
        if self.count <= KEEP_ROWS:
            self.batches.append(batch)

    def table(self, schema: pa.Schema) -> pa.Table | None:
        if self.count > KEEP_ROWS:
            return None
        return pa.Table.from_batches(self.batches, schema=schema)


def read_arrow(body: CountingBody) -> tuple[int, pa.Table | None]:
    rows = Rows()
    with ipc.open_stream(body) as stream:
        for batch in stream:
            rows.add(batch)
        schema = stream.schema
    # The end of the HTTP body (and the trailer): a transfer that failed raises here.
    if body.read():
        raise BenchmarkError("bytes after the end of the Arrow IPC stream")
    return rows.count, rows.table(schema)


def read_parquet(data: bytearray) -> tuple[int, pa.Table | None]:
    rows = Rows()
    parquet = pq.ParquetFile(pa.BufferReader(pa.py_buffer(data)))  # no copy of the body
    for batch in parquet.iter_batches(batch_size=65_536):
        rows.add(batch)
    return rows.count, rows.table(parquet.schema_arrow)


def fetch(host: str, port: int, call: HttpCall, reader: Reader) -> Transfer:
    """Sends call on a new connection and reads the whole answer with reader."""
    cpu_started = time.process_time()
    started = time.perf_counter()
    connection = http.client.HTTPConnection(host, port, timeout=REQUEST_TIMEOUT_SECONDS)
    try:
        headers = {"Content-Type": call.content_type} if call.content_type else {}
        connection.request(call.method, call.target, body=call.body, headers=headers)
        response = connection.getresponse()
        if response.status != 200:
            detail = response.read(2_000).decode(errors="replace")
            raise BenchmarkError(f"{call.method} {call.target}: {response.status} {detail}")
        body = CountingBody(response, started)
        if reader is Reader.ARROW:
            rows, table = read_arrow(body)
        else:
            rows, table = read_parquet(body.read_all())
        wall = time.perf_counter() - started
    finally:
        connection.close()
    return Transfer(
        rows=rows,
        bytes=body.bytes,
        ttfb_seconds=body.first_byte_seconds or wall,
        transfer_seconds=body.last_byte_seconds,
        wall_seconds=wall,
        client_cpu_seconds=time.process_time() - cpu_started,
        table=table,
    )

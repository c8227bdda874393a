"""Record batches of one streamed response, one at a time."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from types import TracebackType

import pyarrow as pa
import requests
from pyarrow import ipc

from quiver._transport import WireBody
from quiver.errors import QuiverTransferError
from quiver.progress import CancelToken, ProgressCallback, ProgressMeter


class BatchStream:
    """An iterator of `pyarrow.RecordBatch` over a streamed read; holds one batch at a time.

    Use it as a context manager, or iterate it to the end: either way the connection is
    released. A transfer that breaks off raises QuiverTransferError, never ends early.
    """

    def __init__(
        self,
        response: requests.Response,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
        total_rows: int | None = None,
    ) -> None:
        self._meter = ProgressMeter(progress, total_rows)
        self._body = WireBody(response, cancel, self._meter.add_bytes)
        self._cancel = cancel
        self.headers: Mapping[str, str] = response.headers
        self.query_id: str | None = response.headers.get("Quiver-Query-Id")
        self.request_id: str | None = response.headers.get("X-Request-Id")
        try:
            self._reader = ipc.open_stream(self._body)
        except BaseException:
            self._body.close()
            raise
        self.schema: pa.Schema = self._reader.schema
        self._iterator = self._batches()

    @property
    def rows(self) -> int:
        """Rows received so far."""
        return self._meter.rows

    @property
    def bytes(self) -> int:
        """Body bytes received so far."""
        return self._body.bytes_received

    def __iter__(self) -> Iterator[pa.RecordBatch]:
        return self._iterator

    def __next__(self) -> pa.RecordBatch:
        return next(self._iterator)

    def _batches(self) -> Iterator[pa.RecordBatch]:
        try:
            while True:
                if self._cancel is not None:
                    self._cancel.raise_if_cancelled()
                try:
                    batch = self._reader.read_next_batch()
                except StopIteration:
                    break
                self._meter.add_rows(batch.num_rows)
                yield batch
            self._check_complete()
            self._meter.finish()
        finally:
            self.close()

    def _check_complete(self) -> None:
        # pyarrow stops at the IPC end-of-stream marker; the HTTP message must end too.
        while self._body.read(64 * 1024):
            pass
        expected = self._body.trailers.get("quiver-rows")
        if expected is not None and expected.isdigit() and int(expected) != self.rows:
            raise QuiverTransferError(
                f"the server sent {expected} rows but {self.rows} arrived",
                bytes_received=self.bytes,
            )

    def read_all(self) -> pa.Table:
        """Every remaining batch as one table."""
        return pa.Table.from_batches(list(self), schema=self.schema)

    def close(self) -> None:
        """Stops reading and releases the connection (the server cancels the query)."""
        self._body.close()

    def __enter__(self) -> BatchStream:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

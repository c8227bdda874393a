"""Progress reports and cancellation for long reads and uploads."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from quiver.errors import QuiverCancelledError


@dataclass(frozen=True)
class Progress:
    """How far a read or an upload has come.

    `rows` counts whole record batches received (reads) or sent (uploads); `bytes` counts
    body bytes on the wire. `total_rows` is known for uploads of tables, frames and
    Parquet files, and for reads only when the caller passed it.
    """

    rows: int
    bytes: int
    elapsed_seconds: float
    total_rows: int | None = None
    done: bool = False

    @property
    def fraction(self) -> float | None:
        """rows / total_rows, when the total is known."""
        if not self.total_rows:
            return None
        return min(1.0, self.rows / self.total_rows)


ProgressCallback = Callable[[Progress], None]


class CancelToken:
    """Cancels a running read, query, download or upload from any thread.

    The operation stops at its next batch, or at once when it is waiting on the network
    (the connection is shut down), and raises `QuiverCancelledError`.
    """

    def __init__(self) -> None:
        self._event = threading.Event()
        self._lock = threading.Lock()
        self._hooks: list[Callable[[], None]] = []

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def cancel(self) -> None:
        with self._lock:
            self._event.set()
            hooks, self._hooks = self._hooks, []
        for hook in hooks:
            hook()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise QuiverCancelledError("cancelled")

    def on_cancel(self, hook: Callable[[], None]) -> Callable[[], None]:
        """Runs `hook` on cancel (now, if already cancelled); returns a remover."""
        with self._lock:
            if not self._event.is_set():
                self._hooks.append(hook)
                return lambda: self._remove(hook)
        hook()
        return lambda: None

    def _remove(self, hook: Callable[[], None]) -> None:
        with self._lock:
            if hook in self._hooks:
                self._hooks.remove(hook)


class ProgressMeter:
    """Counts rows and bytes of one operation and reports them, at most every `interval`."""

    def __init__(
        self,
        callback: ProgressCallback | None,
        total_rows: int | None = None,
        interval: float = 0.1,
    ) -> None:
        self.callback = callback
        self.total_rows = total_rows
        self.interval = interval
        self.rows = 0
        self.bytes = 0
        self.started = time.monotonic()
        self._last_report = 0.0

    def add_bytes(self, count: int) -> None:
        self.bytes += count
        self._maybe_report()

    def add_rows(self, count: int) -> None:
        self.rows += count
        self._maybe_report()

    def snapshot(self, done: bool = False) -> Progress:
        return Progress(
            rows=self.rows,
            bytes=self.bytes,
            elapsed_seconds=time.monotonic() - self.started,
            total_rows=self.total_rows,
            done=done,
        )

    def finish(self) -> None:
        if self.callback is not None:
            self.callback(self.snapshot(done=True))

    def _maybe_report(self) -> None:
        if self.callback is None:
            return
        now = time.monotonic()
        if now - self._last_report >= self.interval:
            self._last_report = now
            self.callback(self.snapshot())

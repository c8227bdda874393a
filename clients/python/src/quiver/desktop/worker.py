"""Runs network work off the Tk thread and hands results back to it.

Tk is not thread-safe: only the thread that runs the event loop may touch widgets. Jobs
run on a small thread pool; their results (or errors) go into a queue that the Tk thread
drains every few milliseconds with `after`, calling the job's callbacks there.
"""

from __future__ import annotations

import contextlib
import queue
import sys
import threading
import tkinter as tk
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")
_POLL_MS = 15


class Worker:
    """Background jobs with callbacks on the Tk thread."""

    def __init__(self, root: tk.Tk, threads: int = 4) -> None:
        self._root = root
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="quiver-net")
        self._results: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
        self._running = 0
        self._lock = threading.Lock()
        self._closed = False
        self._poll_id = root.after(_POLL_MS, self._poll)

    @property
    def running(self) -> int:
        """Jobs submitted whose callbacks have not run yet."""
        with self._lock:
            return self._running

    def submit(
        self,
        job: Callable[[], T],
        on_done: Callable[[T], None],
        on_error: Callable[[BaseException], None],
    ) -> Future[T]:
        """Runs `job` on a pool thread; then `on_done(result)` or `on_error(e)` on Tk's."""
        with self._lock:
            self._running += 1
        future = self._pool.submit(job)
        future.add_done_callback(
            lambda done: self._results.put(lambda: self._deliver(done, on_done, on_error))
        )
        return future

    def call_soon(self, callback: Callable[[], None]) -> None:
        """Runs `callback` on the Tk thread (callable from any thread)."""
        self._results.put(callback)

    def _deliver(
        self,
        future: Future[Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        with self._lock:
            self._running -= 1
        error = future.exception()
        if error is not None:
            on_error(error)
        else:
            on_done(future.result())

    def _poll(self) -> None:
        if self._closed:
            return
        while True:
            try:
                callback = self._results.get_nowait()
            except queue.Empty:
                break
            try:
                callback()
            except Exception:  # a failing callback must not stop the polling
                self._root.report_callback_exception(*sys.exc_info())
        self._poll_id = self._root.after(_POLL_MS, self._poll)

    def close(self) -> None:
        self._closed = True
        with contextlib.suppress(tk.TclError):
            self._root.after_cancel(self._poll_id)
        self._pool.shutdown(wait=False, cancel_futures=True)

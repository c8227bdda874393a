"""The main window: connection, dataset list, Rows and Aggregate tabs, export with progress."""

from __future__ import annotations

import time
import tkinter as tk
from collections.abc import Callable
from pathlib import Path
from tkinter import filedialog, ttk
from typing import Any, TypeVar

import pyarrow as pa

from quiver.client import Client
from quiver.desktop.aggregate import AggregateRequest, AggregateView
from quiver.desktop.browse import RowsView
from quiver.desktop.dialogs import ConnectDialog, ErrorDialog
from quiver.desktop.export import export_rows
from quiver.desktop.worker import Worker
from quiver.errors import QuiverCancelledError
from quiver.progress import CancelToken, Progress, ProgressCallback
from quiver.schema import DatasetInfo

T = TypeVar("T")


class App:
    """Quiver's desktop app. Widgets are touched on the Tk thread only; the network on
    the worker's threads."""

    def __init__(self, root: tk.Tk, url: str = "http://127.0.0.1:8080", token: str = "") -> None:
        self.root = root
        self.worker = Worker(root)
        self.client: Client | None = None
        self.url = url
        self.token = token
        self.dataset: DatasetInfo | None = None
        self.row_count = 0
        self.cancel_token: CancelToken | None = None
        self.errors: list[ErrorDialog] = []
        self.connect_dialog: ConnectDialog | None = None
        self.last_export: Path | None = None
        self._query_generation = 0
        self._open_when_connected: str | None = None
        self.closed = False

        root.title("Quiver")
        root.geometry("1180x720")
        root.minsize(800, 500)
        root.protocol("WM_DELETE_WINDOW", self.close)
        ttk.Style(root).theme_use("clam")
        self._build_toolbar()
        # The status bar is packed before the body so that the body cannot squeeze it out.
        self.status = ttk.Label(root, text="Not connected", anchor="w", padding=(8, 3))
        self.status.pack(fill="x", side="bottom")
        ttk.Separator(root, orient="horizontal").pack(fill="x", side="bottom")
        self._build_body()
        self._set_busy(False)

    # --- layout --------------------------------------------------------------------

    def _build_toolbar(self) -> None:
        bar = ttk.Frame(self.root, padding=(8, 6))
        bar.pack(fill="x")
        self.connect_button = ttk.Button(bar, text="Connect…", command=self.show_connect)
        self.connect_button.pack(side="left")
        self.server_label = ttk.Label(bar, text="no server", foreground="#555")
        self.server_label.pack(side="left", padx=8)
        self.cancel_button = ttk.Button(bar, text="Cancel", command=self.cancel)
        self.cancel_button.pack(side="right")
        self.progress = ttk.Progressbar(bar, length=220, mode="determinate", maximum=1.0)
        self.progress.pack(side="right", padx=6)
        self.progress_label = ttk.Label(bar, text="", width=26, anchor="e")
        self.progress_label.pack(side="right")
        self.export_button = ttk.Button(bar, text="Export…", command=self.ask_export)
        self.export_button.pack(side="right", padx=8)

    def _build_body(self) -> None:
        panes = ttk.Panedwindow(self.root, orient="horizontal")
        panes.pack(fill="both", expand=True, padx=8)
        left = ttk.Frame(panes)
        ttk.Label(left, text="Datasets", font=("TkDefaultFont", 10, "bold")).pack(anchor="w")
        self.dataset_list = ttk.Treeview(left, columns=("rows",), show="tree headings", height=20)
        self.dataset_list.heading("#0", text="name")
        self.dataset_list.heading("rows", text="rows")
        self.dataset_list.column("#0", width=130)
        self.dataset_list.column("rows", width=90, anchor="e")
        self.dataset_list.pack(fill="both", expand=True)
        self.dataset_list.bind("<<TreeviewSelect>>", self._on_dataset_selected)
        self.refresh_button = ttk.Button(left, text="Refresh", command=self.refresh_datasets)
        self.refresh_button.pack(fill="x", pady=4)
        panes.add(left, weight=0)

        self.notebook = ttk.Notebook(panes)
        self.rows_view = RowsView(
            self.notebook, self.worker.submit, self.reload_rows, self.show_error
        )
        self.aggregate_view = AggregateView(self.notebook, self.run_aggregate)
        self.notebook.add(self.rows_view, text="Rows")
        self.notebook.add(self.aggregate_view, text="Aggregate")
        panes.add(self.notebook, weight=1)

    # --- connection and datasets ---------------------------------------------------

    def show_connect(self) -> None:
        if self.connect_dialog is not None and self.connect_dialog.winfo_exists():
            self.connect_dialog.lift()
            return
        self.connect_dialog = ConnectDialog(self.root, self.url, self.token, self.connect)

    def connect(self, url: str, token: str | None) -> None:
        """Connects to a server and lists its datasets (on a worker thread)."""
        candidate = Client(url, token=token, timeout=(5, 120))

        def connected(datasets: list[DatasetInfo]) -> None:
            if self.client is not None:
                self.client.close()
            self.client, self.url, self.token = candidate, url, token or ""
            self.server_label.configure(text=url)
            if self.connect_dialog is not None and self.connect_dialog.winfo_exists():
                self.connect_dialog.destroy()
            self.connect_dialog = None
            self._fill_datasets(datasets)
            self.status.configure(text=f"Connected to {url}: {len(datasets)} datasets")
            if self._open_when_connected is not None:
                self.open_dataset(self._open_when_connected)
                self._open_when_connected = None

        def failed(error: BaseException) -> None:
            candidate.close()
            if self.connect_dialog is not None and self.connect_dialog.winfo_exists():
                self.connect_dialog.failed(str(error))
            else:
                self.show_error(error)

        self.status.configure(text=f"Connecting to {url}…")
        self.worker.submit(candidate.datasets, connected, failed)

    def open_after_connect(self, name: str) -> None:
        """Opens `name` as soon as the connection is up."""
        self._open_when_connected = name

    def refresh_datasets(self) -> None:
        client = self.client
        if client is None:
            self.show_connect()
            return
        self.worker.submit(client.datasets, self._fill_datasets, self.show_error)

    def _fill_datasets(self, datasets: list[DatasetInfo]) -> None:
        self.dataset_list.delete(*self.dataset_list.get_children())
        for dataset in sorted(datasets, key=lambda d: d.name):
            self.dataset_list.insert(
                "", "end", iid=dataset.name, text=dataset.name, values=(f"{dataset.row_count:,}",)
            )

    def _on_dataset_selected(self, _event: tk.Event[Any]) -> None:
        selection = self.dataset_list.selection()
        if selection:
            self.open_dataset(selection[0])

    def open_dataset(self, name: str) -> None:
        """Shows a dataset: its schema first, then its rows as they are scrolled to."""
        client = self.client
        if client is None:
            return
        if self.dataset_list.exists(name) and self.dataset_list.selection() != (name,):
            self.dataset_list.selection_set(name)  # fires the select event, which calls us
            return

        def opened(dataset: DatasetInfo) -> None:
            self.dataset = dataset
            self.rows_view.open(dataset)
            self.aggregate_view.open(dataset)
            self.reload_rows()

        self.worker.submit(lambda: client.dataset(name), opened, self.show_error)

    def reload_rows(self) -> None:
        """Counts the rows the filter passes, then shows them from the top."""
        client, dataset = self.client, self.dataset
        if client is None or dataset is None:
            return
        self._query_generation += 1
        generation = self._query_generation
        condition, order_by = self.rows_view.filter, self.rows_view.order_by
        self.status.configure(text=f"{dataset.name}: counting…")

        def fetch(offset: int, limit: int) -> pa.Table:
            return client.read_arrow(
                dataset.name,
                filter=condition,
                order_by=order_by or None,
                limit=limit,
                offset=offset,
            )

        def counted(rows: int) -> None:
            if generation != self._query_generation:
                return
            self.row_count = rows
            self.rows_view.show(rows, fetch)
            self._status_for(dataset, rows)

        def failed(error: BaseException) -> None:
            if generation == self._query_generation:
                self.rows_view.show(0, fetch)
                self.show_error(error)

        self.worker.submit(lambda: client.count(dataset.name, filter=condition), counted, failed)

    def _status_for(self, dataset: DatasetInfo, rows: int) -> None:
        parts = [f"{dataset.name}: {rows:,} of {dataset.row_count:,} rows"]
        if self.rows_view.conditions:
            parts.append(f"{len(self.rows_view.conditions)} filter(s)")
        if self.rows_view.sort is not None:
            parts.append("sorted by " + self.rows_view.sort[0])
        self.status.configure(text=" · ".join(parts))

    # --- aggregation ---------------------------------------------------------------

    def run_aggregate(self, request: AggregateRequest) -> None:
        """Runs an aggregation as a long read: progress bar, Cancel, then table and chart."""
        client, dataset = self.client, self.dataset
        if client is None or dataset is None or self.busy:
            self.aggregate_view.finished()
            if self.busy:
                self.aggregate_view.summary.configure(text="Wait for the running read")
            return
        condition = self.rows_view.filter
        started = time.monotonic()

        def job(cancel: CancelToken, report: ProgressCallback) -> pa.Table:
            return client.query_arrow(
                dataset.name,
                filter=condition,
                group_by=request.group_by or None,
                aggregates=request.aggregates,
                bucket=request.bucket,
                order_by=None if request.bucket else (request.group_by or None),
                progress=report,
                cancel=cancel,
            )

        def done(result: pa.Table) -> None:
            self.aggregate_view.finished()
            self.aggregate_view.show(result, time.monotonic() - started)

        def failed(error: BaseException) -> None:
            self.aggregate_view.finished()
            self.aggregate_view.summary.configure(
                text="Cancelled" if isinstance(error, QuiverCancelledError) else "Failed"
            )

        self.run_long_read("Aggregating", job, done, failed, total_rows=None)

    # --- long reads: export and aggregation, with progress and cancel --------------

    def ask_export(self) -> None:
        if self.dataset is None:
            return
        path = filedialog.asksaveasfilename(
            parent=self.root,
            title="Export the current rows",
            initialfile=f"{self.dataset.name}.parquet",
            filetypes=[("Parquet", "*.parquet"), ("CSV", "*.csv")],
            defaultextension=".parquet",
        )
        if path:
            self.export(Path(path))

    def export(self, path: Path, on_finished: Callable[[], None] | None = None) -> None:
        """Writes the current rows (filter and sort) to Parquet or CSV, with progress."""
        client, dataset = self.client, self.dataset
        if client is None or dataset is None or self.busy:
            return
        condition, order_by = self.rows_view.filter, self.rows_view.order_by

        def job(cancel: CancelToken, report: ProgressCallback) -> int:
            return export_rows(
                client,
                dataset.name,
                path,
                filter=condition,
                order_by=order_by or None,
                total_rows=self.row_count,
                progress=report,
                cancel=cancel,
            )

        def done(rows: int) -> None:
            self.status.configure(text=f"Exported {rows:,} rows to {path}")
            self.last_export = path
            if on_finished is not None:
                on_finished()

        def failed(_error: BaseException) -> None:
            if on_finished is not None:
                on_finished()

        self.run_long_read(f"Exporting to {path.name}", job, done, failed, self.row_count)

    def run_long_read(
        self,
        label: str,
        job: Callable[[CancelToken, ProgressCallback], T],
        on_done: Callable[[T], None],
        on_failed: Callable[[BaseException], None],
        total_rows: int | None,
    ) -> None:
        """Runs one long read at a time on a worker thread, with the progress bar
        (determinate when the row count is known) and the Cancel button."""
        cancel = CancelToken()
        self.cancel_token = cancel
        self._set_busy(True, f"{label}…")
        if total_rows is None:
            self.progress.configure(mode="indeterminate")
            self.progress.start(15)

        def report(progress: Progress) -> None:  # called on the worker thread
            self.worker.call_soon(lambda: self._show_progress(progress))

        def done(result: T) -> None:
            self._set_busy(False, f"{label}: done")
            on_done(result)

        def failed(error: BaseException) -> None:
            if isinstance(error, QuiverCancelledError):
                self._set_busy(False, f"{label}: cancelled")
            else:
                self._set_busy(False, f"{label}: failed")
                self.show_error(error)
            on_failed(error)

        self.worker.submit(lambda: job(cancel, report), done, failed)

    def cancel(self) -> None:
        if self.cancel_token is not None:
            self.cancel_token.cancel()
            self.progress_label.configure(text="Cancelling…")

    def _show_progress(self, progress: Progress) -> None:
        if self.cancel_token is None:
            return
        fraction = progress.fraction
        if fraction is not None:
            self.progress.configure(value=fraction)
        self.progress_label.configure(
            text=f"{progress.rows:,} rows · {progress.bytes / 1e6:,.0f} MB"
        )

    def _set_busy(self, busy: bool, message: str | None = None) -> None:
        if not busy:
            self.cancel_token = None
            self.progress.stop()
            self.progress.configure(mode="determinate", value=0)
            self.progress_label.configure(text="")
        self.cancel_button.state(["!disabled"] if busy else ["disabled"])
        self.export_button.state(["disabled"] if busy else ["!disabled"])
        if message is not None:
            self.status.configure(text=message)

    @property
    def busy(self) -> bool:
        return self.cancel_token is not None

    # --- errors and shutdown -------------------------------------------------------

    def show_error(self, error: BaseException) -> None:
        """Every error reaches the user as a dialog (never a frozen or silent window)."""
        self.errors = [dialog for dialog in self.errors if dialog.winfo_exists()]
        self.errors.append(ErrorDialog(self.root, error))

    def close(self) -> None:
        """Stops the running read, the worker and the window."""
        if self.closed:
            return
        self.closed = True
        if self.cancel_token is not None:
            self.cancel_token.cancel()
        self.worker.close()
        if self.client is not None:
            self.client.close()
        self.root.destroy()

"""The Aggregate tab: group by and/or bucket, one aggregate, a result table and a chart."""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from dataclasses import dataclass
from tkinter import ttk
from typing import Any

import pyarrow as pa
from matplotlib.backends.backend_tkagg import FigureCanvasTkAgg
from matplotlib.figure import Figure

from quiver.desktop.table import format_value
from quiver.expressions import Aggregate, Bucket
from quiver.schema import DatasetInfo

NONE = "(none)"
FUNCTIONS = ["count", "sum", "mean", "min", "max", "stddev", "count_distinct", "median"]


@dataclass(frozen=True)
class AggregateRequest:
    """What the user asked for, as query arguments."""

    group_by: list[str]
    aggregates: list[Aggregate]
    bucket: Bucket | None


class AggregateView(ttk.Frame):
    """Builds an aggregation, runs it through `on_run`, and shows the answer."""

    def __init__(self, master: tk.Misc, on_run: Callable[[AggregateRequest], None]) -> None:
        super().__init__(master)
        self._on_run = on_run
        self.dataset: DatasetInfo | None = None
        self.result: pa.Table | None = None

        controls = ttk.Frame(self, padding=(0, 4))
        controls.pack(fill="x")
        ttk.Label(controls, text="Group by").grid(row=0, column=0, sticky="w")
        self.group_by = ttk.Combobox(controls, state="readonly", width=14)
        self.group_by.grid(row=1, column=0, padx=(0, 8))
        ttk.Label(controls, text="Bucket column").grid(row=0, column=1, sticky="w")
        self.bucket_column = ttk.Combobox(controls, state="readonly", width=12)
        self.bucket_column.grid(row=1, column=1, padx=(0, 4))
        ttk.Label(controls, text="every / width").grid(row=0, column=2, sticky="w", padx=(0, 8))
        self.bucket_size = ttk.Entry(controls, width=8)
        self.bucket_size.grid(row=1, column=2, padx=(0, 8))
        ttk.Label(controls, text="Aggregate").grid(row=0, column=3, sticky="w")
        self.function = ttk.Combobox(controls, state="readonly", width=14, values=FUNCTIONS)
        self.function.set("count")
        self.function.grid(row=1, column=3, padx=(0, 4))
        ttk.Label(controls, text="of column").grid(row=0, column=4, sticky="w")
        self.column = ttk.Combobox(controls, state="readonly", width=12)
        self.column.grid(row=1, column=4, padx=(0, 8))
        self.run_button = ttk.Button(controls, text="Run", command=self.run)
        self.run_button.grid(row=1, column=5)
        self.summary = ttk.Label(controls, text="", foreground="#555")
        self.summary.grid(row=1, column=6, padx=8, sticky="w")

        body = ttk.Panedwindow(self, orient="horizontal")
        body.pack(fill="both", expand=True)
        table_frame = ttk.Frame(body)
        self.table = ttk.Treeview(table_frame, show="headings", height=12)
        self.table.configure(columns=("group", "value"))
        for placeholder in ("group", "value"):
            self.table.column(placeholder, width=150)
        scroll = ttk.Scrollbar(table_frame, orient="vertical", command=self.table.yview)
        self.table.configure(yscrollcommand=scroll.set)
        self.table.pack(side="left", fill="both", expand=True)
        scroll.pack(side="right", fill="y")
        body.add(table_frame, weight=1)
        chart_frame = ttk.Frame(body)
        self.figure = Figure(figsize=(4.5, 3.2), dpi=96, layout="constrained")
        self.axes = self.figure.add_subplot()
        # matplotlib's Tk backend has no type hints.
        self.canvas = FigureCanvasTkAgg(self.figure, master=chart_frame)  # type: ignore[no-untyped-call]
        self.canvas.get_tk_widget().pack(fill="both", expand=True)  # type: ignore[no-untyped-call]
        body.add(chart_frame, weight=2)

    def open(self, dataset: DatasetInfo) -> None:
        self.dataset = dataset
        names = dataset.column_names
        self.group_by.configure(values=[NONE, *names])
        self.group_by.set(NONE)
        self.bucket_column.configure(values=[NONE, *names])
        self.bucket_column.set(NONE)
        self.column.configure(values=[NONE, *names])
        self.column.set(NONE)
        self.function.set("count")
        self.bucket_size.delete(0, "end")
        self.show(None)

    def request(self) -> AggregateRequest:
        """The aggregation the controls describe; ValueError when they make no sense."""
        function = self.function.get()
        column = self.column.get()
        if column == NONE:
            if function != "count":
                raise ValueError(f"{function} needs a column")
            aggregate = Aggregate("count", alias_name="count")
        elif function == "median":
            aggregate = Aggregate("quantile", column, alias_name=f"median_{column}", q=0.5)
        else:
            aggregate = Aggregate(function, column, alias_name=f"{function}_{column}")
        group = self.group_by.get()
        return AggregateRequest(
            group_by=[] if group == NONE else [group],
            aggregates=[aggregate],
            bucket=self._bucket(),
        )

    def _bucket(self) -> Bucket | None:
        column = self.bucket_column.get()
        size = self.bucket_size.get().strip()
        if column == NONE:
            return None
        if not size:
            raise ValueError("a bucket needs a size: e.g. 1h for times, 10 for numbers")
        if size[-1].isalpha():
            return Bucket(column, every=size)
        return Bucket(column, width=float(size))

    def run(self) -> None:
        try:
            request = self.request()
        except ValueError as error:
            self._on_run_error(error)
            return
        self.run_button.state(["disabled"])
        self.summary.configure(text="Running…")
        self._on_run(request)

    def _on_run_error(self, error: ValueError) -> None:
        self.summary.configure(text=str(error))

    def finished(self) -> None:
        self.run_button.state(["!disabled"])

    def show(self, result: pa.Table | None, seconds: float = 0.0) -> None:
        """Shows a result table and its chart (None clears both)."""
        self.result = result
        self.table.delete(*self.table.get_children())
        self.axes.clear()
        if result is None:
            self.table.configure(columns=("group", "value"))
            for placeholder in ("group", "value"):
                self.table.heading(placeholder, text="")
                self.table.column(placeholder, width=150)
            self.summary.configure(text="")
            self.canvas.draw_idle()  # type: ignore[no-untyped-call]
            return
        names = result.column_names
        self.table.configure(columns=names)
        for field in result.schema:
            numeric = pa.types.is_integer(field.type) or pa.types.is_floating(field.type)
            self.table.heading(field.name, text=field.name)
            self.table.column(field.name, width=150, stretch=True, anchor="e" if numeric else "w")
        columns = [result.column(i).to_pylist() for i in range(result.num_columns)]
        for row in zip(*columns, strict=True):
            self.table.insert("", "end", values=[format_value(value) for value in row])
        self.summary.configure(text=f"{result.num_rows:,} groups in {seconds:.2f} s")
        self._chart(result)
        self.canvas.draw_idle()  # type: ignore[no-untyped-call]

    def _chart(self, result: pa.Table) -> None:
        if result.num_rows == 0 or result.num_columns < 1:
            return
        value_name = result.column_names[-1]
        values: list[Any] = result.column(value_name).to_pylist()
        if result.num_columns == 1:
            self.axes.bar(["all rows"], values, color="#4c72b0")
            self.axes.set_ylabel(value_name)
            return
        keys = result.column(0)
        labels = [format_value(value) for value in keys.to_pylist()]
        if result.num_columns > 2:
            # Two keys (bucket and group): one line or bar series per group.
            labels = [
                " · ".join(
                    format_value(result.column(c)[i].as_py()) for c in range(result.num_columns - 1)
                )
                for i in range(result.num_rows)
            ]
        temporal = pa.types.is_timestamp(keys.type) or pa.types.is_date(keys.type)
        if temporal and result.num_columns == 2:
            self.axes.plot(keys.to_pylist(), values, marker=".", color="#4c72b0")
            self.figure.autofmt_xdate()
        else:
            shown = min(len(labels), 50)
            self.axes.bar(labels[:shown], values[:shown], color="#4c72b0")
            self.axes.tick_params(axis="x", labelrotation=45 if shown > 6 else 0)
        self.axes.set_xlabel(" · ".join(result.column_names[:-1]))
        self.axes.set_ylabel(value_name)
        self.axes.grid(axis="y", alpha=0.3)

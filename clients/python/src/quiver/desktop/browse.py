"""The Rows tab: filter controls, sort by column headings, and the virtual table."""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from dataclasses import dataclass
from tkinter import ttk
from typing import Any

import pyarrow as pa

from quiver.desktop.table import Submit, VirtualTable
from quiver.expressions import Filter, col
from quiver.schema import Column, DatasetInfo

OPERATORS = [
    "=",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "in",
    "between",
    "contains",
    "starts with",
    "is null",
    "is not null",
]


@dataclass(frozen=True)
class Condition:
    """One filter the user added, with the text it shows."""

    text: str
    filter: Filter


def column_width(column: Column) -> int:
    """A first width for a column, in pixels, by its type."""
    if column.type.startswith("timestamp"):
        return 200 if "," in column.type else 170
    if column.type in ("boolean", "int8", "int16", "uint8", "uint16"):
        return 70
    if column.type.startswith(("int", "uint", "float", "decimal", "date", "time")):
        return 100
    return 130


def is_numeric(column: Column) -> bool:
    return column.type.startswith(("int", "uint", "float", "decimal"))


def parse_value(column: Column, text: str) -> Any:
    """A typed filter value from what the user typed, by the column's declared type."""
    kind = column.type
    text = text.strip()
    if kind.startswith(("int", "uint")):
        return int(text)
    if kind.startswith(("float", "decimal")):
        return float(text)
    if kind == "boolean":
        lowered = text.lower()
        if lowered not in ("true", "false", "1", "0", "yes", "no"):
            raise ValueError(f"{column.name} is true or false, not {text!r}")
        return lowered in ("true", "1", "yes")
    return text


def make_condition(column: Column, operator: str, text: str) -> Condition:  # noqa: PLR0911
    """The filter for a column, an operator and the typed value text."""
    target = col(column.name)
    if operator == "is null":
        return Condition(f"{column.name} is null", target.is_null())
    if operator == "is not null":
        return Condition(f"{column.name} is not null", target.is_not_null())
    if operator == "in":
        values = [parse_value(column, part) for part in text.split(",") if part.strip()]
        return Condition(f"{column.name} in ({text})", target.isin(values))
    if operator == "between":
        low, _, high = text.partition(",")
        condition = target.between(parse_value(column, low), parse_value(column, high))
        return Condition(f"{column.name} between {low.strip()} and {high.strip()}", condition)
    if operator == "contains":
        return Condition(f"{column.name} contains {text!r}", target.contains(text))
    if operator == "starts with":
        return Condition(f"{column.name} starts with {text!r}", target.starts_with(text))
    value = parse_value(column, text)
    comparisons: dict[str, Callable[[Any], Filter]] = {
        "=": lambda v: target == v,
        "!=": lambda v: target != v,
        "<": lambda v: target < v,
        "<=": lambda v: target <= v,
        ">": lambda v: target > v,
        ">=": lambda v: target >= v,
    }
    return Condition(f"{column.name} {operator} {text}", comparisons[operator](value))


class RowsView(ttk.Frame):
    """Filter bar, sort state and the virtual table of one dataset."""

    def __init__(
        self,
        master: tk.Misc,
        submit: Submit,
        on_query_changed: Callable[[], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        super().__init__(master)
        self._on_query_changed = on_query_changed
        self._on_error = on_error
        self.dataset: DatasetInfo | None = None
        self.conditions: list[Condition] = []
        self.sort: tuple[str, bool] | None = None  # (column, descending)

        bar = ttk.Frame(self, padding=(0, 4))
        bar.pack(fill="x")
        ttk.Label(bar, text="Filter").pack(side="left")
        self.filter_column = ttk.Combobox(bar, state="readonly", width=14)
        self.filter_column.pack(side="left", padx=4)
        self.filter_operator = ttk.Combobox(bar, state="readonly", width=10, values=OPERATORS)
        self.filter_operator.set("=")
        self.filter_operator.pack(side="left")
        self.filter_value = ttk.Entry(bar, width=18)
        self.filter_value.pack(side="left", padx=4)
        self.filter_value.bind("<Return>", lambda _e: self.add_condition())
        self.add_button = ttk.Button(bar, text="Add", command=self.add_condition)
        self.add_button.pack(side="left")
        self.clear_button = ttk.Button(bar, text="Clear", command=self.clear_conditions)
        self.clear_button.pack(side="left", padx=4)
        line = ttk.Frame(self)
        line.pack(fill="x", pady=(0, 4))
        self.conditions_label = ttk.Label(line, text="No filter", foreground="#555")
        self.conditions_label.pack(side="left")
        self.sort_label = ttk.Label(line, text="", foreground="#555")
        self.sort_label.pack(side="right")
        self.table = VirtualTable(self, submit)
        self.table.pack(fill="both", expand=True)
        self.table.on_heading = self.toggle_sort
        self.table.on_error = on_error

    # --- the query the view shows --------------------------------------------------

    @property
    def filter(self) -> Filter | None:
        if not self.conditions:
            return None
        combined = self.conditions[0].filter
        for condition in self.conditions[1:]:
            combined = combined & condition.filter
        return combined

    @property
    def order_by(self) -> list[str]:
        """The sort, with the primary key after it so that pages never overlap."""
        terms: list[str] = []
        if self.sort is not None:
            column, descending = self.sort
            terms.append(f"-{column}" if descending else column)
        if self.dataset is not None and self.dataset.primary_key:
            terms += [
                key for key in self.dataset.primary_key if key not in {t.lstrip("-") for t in terms}
            ]
        return terms

    def open(self, dataset: DatasetInfo) -> None:
        """Shows another dataset: its columns, no filter, no sort."""
        self.dataset = dataset
        self.conditions = []
        self.sort = None
        self.filter_column.configure(values=dataset.column_names)
        self.filter_column.set(dataset.column_names[0])
        self.filter_value.delete(0, "end")
        self._refresh_labels()

    def show(self, row_count: int, fetch: Callable[[int, int], pa.Table]) -> None:
        assert self.dataset is not None
        layout = {
            column.name: (column_width(column), is_numeric(column))
            for column in self.dataset.columns
        }
        self.table.show(self.dataset.column_names, row_count, fetch, layout)
        marks = {}
        if self.sort is not None:
            marks[self.sort[0]] = "▼" if self.sort[1] else "▲"
        self.table.set_heading_marks(marks)

    # --- controls ------------------------------------------------------------------

    def add_condition(self) -> None:
        if self.dataset is None:
            return
        try:
            column = self.dataset.column(self.filter_column.get())
            condition = make_condition(column, self.filter_operator.get(), self.filter_value.get())
        except (KeyError, ValueError) as error:
            self._on_error(ValueError(f"Cannot filter on that: {error}"))
            return
        self.conditions.append(condition)
        self.filter_value.delete(0, "end")
        self._refresh_labels()
        self._on_query_changed()

    def clear_conditions(self) -> None:
        if not self.conditions:
            return
        self.conditions = []
        self._refresh_labels()
        self._on_query_changed()

    def toggle_sort(self, column: str) -> None:
        """Heading clicks cycle: ascending, descending, unsorted."""
        if self.sort is None or self.sort[0] != column:
            self.sort = (column, False)
        elif not self.sort[1]:
            self.sort = (column, True)
        else:
            self.sort = None
        self._refresh_labels()
        self._on_query_changed()

    def _refresh_labels(self) -> None:
        if self.conditions:
            text = "Filter: " + "  AND  ".join(c.text for c in self.conditions)
        else:
            text = "No filter"
        self.conditions_label.configure(text=text)
        if self.sort is None:
            self.sort_label.configure(text="Click a column heading to sort")
        else:
            direction = "descending" if self.sort[1] else "ascending"
            self.sort_label.configure(text=f"Sorted by {self.sort[0]}, {direction}")

"""A virtual table: a ttk.Treeview that shows a window of rows fetched as you scroll.

The Treeview only ever holds the rows on screen. A vertical scrollbar of our own maps
to the whole row count; rows come from the server in blocks (limit/offset) on the
worker threads, and a small LRU cache of blocks keeps scrolling back and forth cheap.
"""

from __future__ import annotations

import datetime as dt
import functools
import tkinter as tk
from collections import OrderedDict
from collections.abc import Callable, Sequence
from tkinter import ttk
from typing import Any, Literal

import pyarrow as pa

BLOCK_ROWS = 200
CACHED_BLOCKS = 40
ROW_HEIGHT = 22
PLACEHOLDER = "…"

# Fetches rows [offset, offset + limit) as an Arrow table; runs on a worker thread.
BlockFetcher = Callable[[int, int], pa.Table]
# Submits a job to the worker: (job, on_done, on_error).
Submit = Callable[[Callable[[], Any], Callable[[Any], None], Callable[[BaseException], None]], Any]


def format_value(value: Any) -> str:  # noqa: PLR0911  (a branch per kind)
    """How a cell shows a value."""
    if value is None:
        return "null"
    if isinstance(value, float):
        if abs(value) >= 1e9 or 0 < abs(value) < 1e-4:
            return f"{value:.6g}"
        return f"{value:.4f}".rstrip("0").rstrip(".")
    if isinstance(value, dt.datetime):
        if value.utcoffset() == dt.timedelta(0):
            return value.replace(tzinfo=None).isoformat(sep=" ") + "Z"
        return value.isoformat(sep=" ")
    if isinstance(value, bytes):
        return value.hex()
    return str(value)


class VirtualTable(ttk.Frame):
    """Shows `row_count` rows of `columns`, fetching visible blocks through `fetch`.

    `layout` gives each column a first width and whether it is numeric (right-aligned).
    """

    def __init__(self, master: tk.Misc, submit: Submit) -> None:
        super().__init__(master)
        self._submit = submit
        self.columns: list[str] = []
        self.row_count = 0
        self.first_row = 0
        self.visible_rows = 1
        self._fetch: BlockFetcher | None = None
        self._generation = 0
        self._blocks: OrderedDict[int, list[tuple[str, ...]]] = OrderedDict()
        self._loading: set[int] = set()
        self._failed: set[int] = set()
        self.on_heading: Callable[[str], None] | None = None
        self.on_error: Callable[[BaseException], None] | None = None

        style = ttk.Style(self)
        style.configure("Quiver.Treeview", rowheight=ROW_HEIGHT)
        self.tree = ttk.Treeview(
            self, show="headings", style="Quiver.Treeview", selectmode="browse"
        )
        self.scrollbar = ttk.Scrollbar(self, orient="vertical", command=self._on_scrollbar)
        self.xscroll = ttk.Scrollbar(self, orient="horizontal", command=self.tree.xview)
        self.tree.configure(xscrollcommand=self.xscroll.set)
        self.tree.grid(row=0, column=0, sticky="nsew")
        self.scrollbar.grid(row=0, column=1, sticky="ns")
        self.xscroll.grid(row=1, column=0, sticky="ew")
        self.rowconfigure(0, weight=1)
        self.columnconfigure(0, weight=1)
        self.tree.bind("<Configure>", self._on_resize)
        for sequence in ("<MouseWheel>", "<Button-4>", "<Button-5>"):
            self.tree.bind(sequence, self._on_wheel)
        self.tree.bind("<Prior>", lambda _e: self.scroll_pages(-1))
        self.tree.bind("<Next>", lambda _e: self.scroll_pages(1))
        self.tree.bind("<Home>", lambda _e: self.scroll_to(0))
        self.tree.bind("<End>", lambda _e: self.scroll_to(self.row_count))

    # --- what to show --------------------------------------------------------------

    def show(
        self,
        columns: Sequence[str],
        row_count: int,
        fetch: BlockFetcher,
        layout: dict[str, tuple[int, bool]] | None = None,
    ) -> None:
        """Shows a new result: clears the cache and starts at the top."""
        self._generation += 1
        self._blocks.clear()
        self._loading.clear()
        self._failed.clear()
        self._fetch = fetch
        self.row_count = row_count
        self.first_row = 0
        if list(columns) != self.columns:
            self.columns = list(columns)
            self.tree.delete(*self.tree.get_children())
            self.tree.configure(columns=self.columns)
            for name in self.columns:
                self.tree.heading(name, text=name, command=functools.partial(self._heading, name))
                width, numeric = (layout or {}).get(name, (120, False))
                anchor: Literal["e", "w"] = "e" if numeric else "w"
                self.tree.column(name, width=width, minwidth=50, stretch=True, anchor=anchor)
        self._render()

    def set_heading_marks(self, marks: dict[str, str]) -> None:
        """Shows sort arrows (or anything) after column names."""
        for name in self.columns:
            mark = marks.get(name, "")
            self.tree.heading(name, text=f"{name} {mark}".strip())

    def clear(self) -> None:
        self._generation += 1
        self._fetch = None
        self._blocks.clear()
        self.row_count = 0
        self.columns = []
        self.tree.delete(*self.tree.get_children())
        self.tree.configure(columns=())
        self.scrollbar.set(0.0, 1.0)

    # --- scrolling -----------------------------------------------------------------

    def scroll_to(self, row: int) -> None:
        """Makes `row` the first row on screen (clamped)."""
        last_start = max(0, self.row_count - self.visible_rows)
        self.first_row = max(0, min(int(row), last_start))
        self._render()

    def scroll_rows(self, delta: int) -> None:
        self.scroll_to(self.first_row + delta)

    def scroll_pages(self, delta: float) -> None:
        self.scroll_to(self.first_row + int(delta * max(1, self.visible_rows - 1)))

    def _on_scrollbar(self, *args: str) -> None:
        if args[0] == "moveto":
            self.scroll_to(round(float(args[1]) * self.row_count))
        elif args[0] == "scroll":
            amount = int(args[1])
            if args[2] == "pages":
                self.scroll_pages(amount)
            else:
                self.scroll_rows(amount)

    def _on_wheel(self, event: tk.Event[Any]) -> str:
        if event.num == 4 or getattr(event, "delta", 0) > 0:
            self.scroll_rows(-3)
        else:
            self.scroll_rows(3)
        return "break"

    def _on_resize(self, event: tk.Event[Any]) -> None:
        heading = ROW_HEIGHT + 4
        rows = max(1, (event.height - heading) // ROW_HEIGHT)
        if rows != self.visible_rows:
            self.visible_rows = rows
            self.scroll_to(self.first_row)

    def _heading(self, name: str) -> None:
        if self.on_heading is not None:
            self.on_heading(name)

    # --- rows ----------------------------------------------------------------------

    def visible_values(self) -> list[tuple[str, ...]]:
        """The cell texts on screen, top to bottom (for tests and copy)."""
        return [tuple(self.tree.item(item, "values")) for item in self.tree.get_children()]

    @property
    def loading(self) -> bool:
        return bool(self._loading)

    def _render(self) -> None:
        count = max(0, min(self.visible_rows, self.row_count - self.first_row))
        items = self.tree.get_children()
        if len(items) > count:
            self.tree.delete(*items[count:])
            items = items[:count]
        for index in range(len(items), count):
            self.tree.insert("", "end", iid=f"r{index}")
        items = self.tree.get_children()
        blank = tuple(PLACEHOLDER for _ in self.columns)
        for index, item in enumerate(items):
            self.tree.item(item, values=self._row(self.first_row + index) or blank)
        self._update_scrollbar()
        self._request_missing(count)

    def _row(self, row: int) -> tuple[str, ...] | None:
        block = self._blocks.get(row // BLOCK_ROWS)
        if block is None:
            return None
        self._blocks.move_to_end(row // BLOCK_ROWS)
        offset = row % BLOCK_ROWS
        return block[offset] if offset < len(block) else None

    def _update_scrollbar(self) -> None:
        if self.row_count <= 0:
            self.scrollbar.set(0.0, 1.0)
            return
        top = self.first_row / self.row_count
        bottom = min(1.0, (self.first_row + self.visible_rows) / self.row_count)
        self.scrollbar.set(top, bottom)

    def _request_missing(self, count: int) -> None:
        if self._fetch is None or count == 0:
            return
        first_block = self.first_row // BLOCK_ROWS
        last_block = (self.first_row + count - 1) // BLOCK_ROWS
        for block in range(first_block, last_block + 1):
            if block not in self._blocks and block not in self._loading | self._failed:
                self._load(block)

    def _load(self, block: int) -> None:
        fetch = self._fetch
        assert fetch is not None
        generation = self._generation
        self._loading.add(block)

        def job() -> list[tuple[str, ...]]:
            table = fetch(block * BLOCK_ROWS, BLOCK_ROWS)
            columns = [table.column(i).to_pylist() for i in range(table.num_columns)]
            return [tuple(format_value(v) for v in row) for row in zip(*columns, strict=True)]

        def done(rows: list[tuple[str, ...]]) -> None:
            if generation != self._generation:
                return  # an answer for a result no longer shown
            self._loading.discard(block)
            self._blocks[block] = rows
            while len(self._blocks) > CACHED_BLOCKS:
                self._blocks.popitem(last=False)
            self._render()

        def failed(error: BaseException) -> None:
            if generation != self._generation:
                return
            self._loading.discard(block)
            self._failed.add(block)
            if self.on_error is not None:
                self.on_error(error)

        self._submit(job, done, failed)

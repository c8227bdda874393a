"""The desktop app under Xvfb against a live server: connect, browse, scroll, sort,
filter, aggregate, export; the window keeps answering while a 10M-row read runs."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import tkinter as tk
from collections.abc import Callable, Iterator
from pathlib import Path
from tkinter import ttk

import polars as pl
import pytest
from PIL import ImageGrab

import quiver
from quiver import col
from quiver.desktop.app import App
from quiver.desktop.dialogs import ErrorDialog
from quiver.desktop.table import PLACEHOLDER, format_value
from tests.conftest import BIG_ROWS, TEST_OUTPUT, Server

# No display is a failure, not a skip: scripts/test runs the suite under xvfb-run.
assert os.environ.get("DISPLAY"), "the desktop tests need an X display: run them under xvfb-run"


def pump(root: tk.Tk, until: Callable[[], bool], timeout: float = 60.0) -> None:
    """Runs the Tk event loop until `until()` holds."""
    deadline = time.monotonic() + timeout
    while not until():
        if time.monotonic() > deadline:
            texts = [w.cget("text") for w in root.winfo_children() if isinstance(w, ttk.Label)]
            raise AssertionError(f"the window did not get there in time: {texts}")
        root.update()
        time.sleep(0.005)


def settle(root: tk.Tk, seconds: float) -> None:
    end = time.monotonic() + seconds
    pump(root, lambda: time.monotonic() > end)


def screenshot(root: tk.Tk, name: str, whole_screen: bool = False) -> Path:
    root.update()
    x, y = root.winfo_rootx(), root.winfo_rooty()
    box: tuple[int, int, int, int] | None = (
        None if whole_screen else (x, y, x + root.winfo_width(), y + root.winfo_height())
    )
    TEST_OUTPUT.mkdir(exist_ok=True)
    path = TEST_OUTPUT / name
    ImageGrab.grab(bbox=box, xdisplay=os.environ["DISPLAY"]).save(path)
    return path


@pytest.fixture
def app() -> Iterator[App]:
    root = tk.Tk()
    root.geometry("1180x720+0+0")
    application = App(root, url="http://127.0.0.1:1")
    yield application
    application.close()


def rows_loaded(app: App) -> bool:
    table = app.rows_view.table
    values = table.visible_values()
    return bool(values) and not table.loading and all(PLACEHOLDER not in row for row in values)


def first_ids(app: App, count: int = 3) -> list[int]:
    return [int(row[0]) for row in app.rows_view.table.visible_values()[:count]]


def open_dialogs(app: App) -> list[ErrorDialog]:
    return [dialog for dialog in app.errors if dialog.winfo_exists()]


def test_the_desktop_app_end_to_end(app: App, big: Server, tmp_path: Path) -> None:
    root = app.root
    judge = quiver.Client(big.url)
    started = time.monotonic()

    def mark(step: str) -> None:
        print(f"{time.monotonic() - started:6.1f} s  {step}")

    # Connect through the dialog.
    app.show_connect()
    dialog = app.connect_dialog
    assert dialog is not None
    dialog.url.set(big.url)
    dialog.submit()
    pump(root, lambda: app.client is not None and app.dataset_list.exists("demo"))
    assert not dialog.winfo_exists()
    assert app.server_label.cget("text") == big.url
    assert app.dataset_list.set("demo", "rows") == f"{BIG_ROWS:,}"

    mark("Open the demo dataset")
    # Open the demo dataset: the table knows 10M rows but holds only what is on screen.
    app.open_dataset("demo")
    table = app.rows_view.table
    pump(root, lambda: table.row_count == BIG_ROWS and rows_loaded(app))
    assert table.columns == judge.dataset("demo").column_names
    assert first_ids(app) == [0, 1, 2]
    assert 10 <= len(table.visible_values()) <= 40
    assert "10,000,000 of 10,000,000 rows" in app.status.cget("text")
    assert str(app.cancel_button.cget("state")) == "disabled" or app.cancel_button.instate(
        ["disabled"]
    )

    mark("Scroll: by the scrollbar")
    # Scroll: by the scrollbar to the middle, by pages, by the wheel.
    table._on_scrollbar("moveto", "0.5")
    pump(root, lambda: rows_loaded(app) and first_ids(app, 1) == [5_000_000])
    top = float(table.scrollbar.get()[0])
    assert top == pytest.approx(0.5, abs=0.001)
    visible = table.visible_rows
    table._on_scrollbar("scroll", "1", "pages")
    pump(root, lambda: rows_loaded(app) and first_ids(app, 1) == [5_000_000 + visible - 1])
    table.tree.event_generate("<Button-5>")
    pump(root, lambda: rows_loaded(app) and first_ids(app, 1) == [5_000_000 + visible + 2])
    expected_row = judge.read_arrow("demo", limit=1, offset=5_000_000 + visible + 2).to_pylist()[0]
    assert table.visible_values()[0] == tuple(format_value(v) for v in expected_row.values())

    mark("Sort by a heading")
    # Sort by a heading (twice: descending); the primary key breaks ties.
    app.rows_view.toggle_sort("value")
    app.rows_view.toggle_sort("value")
    pump(root, lambda: rows_loaded(app) and table.first_row == 0)
    top_rows = judge.read("demo", columns="id", order_by=["-value", "id"], limit=3)
    pump(root, lambda: first_ids(app) == top_rows["id"].to_list())
    assert "▼" in table.tree.heading("value", "text")
    assert app.rows_view.sort_label.cget("text") == "Sorted by value, descending"

    mark("Filter with the controls")
    # Filter with the controls: category = B and quantity > 90.
    view = app.rows_view
    view.filter_column.set("category")
    view.filter_operator.set("=")
    view.filter_value.insert(0, "B")
    view.add_button.invoke()
    view.filter_column.set("quantity")
    view.filter_operator.set(">")
    view.filter_value.insert(0, "90")
    view.filter_value.focus_force()
    root.update()
    view.filter_value.event_generate("<Return>")
    condition = (col("category") == "B") & (col("quantity") > 90)
    expected_count = judge.count("demo", filter=condition)
    pump(root, lambda: table.row_count == expected_count and rows_loaded(app))
    shown = table.visible_values()
    assert {row[2] for row in shown} == {"B"}
    assert all(int(row[5]) > 90 for row in shown)
    assert view.conditions_label.cget("text") == "Filter: category = B  AND  quantity > 90"

    mark("A value that does not fit")
    # A value that does not fit its column: an error dialog, the window stays usable.
    view.filter_column.set("value")
    view.filter_value.insert(0, "lots")
    view.add_button.invoke()
    pump(root, lambda: len(open_dialogs(app)) == 1)
    assert "lots" in open_dialogs(app)[0].message.cget("text")
    open_dialogs(app)[0].ok.invoke()
    assert view.filter_value.get() == "lots"  # kept, to be corrected
    view.filter_value.delete(0, "end")
    view.clear_button.invoke()
    app.rows_view.toggle_sort("value")  # back to unsorted
    pump(
        root,
        lambda: table.row_count == BIG_ROWS and rows_loaded(app) and first_ids(app) == [0, 1, 2],
    )

    mark("Aggregate: mean value")
    # Aggregate: mean value per category, with a bar chart.
    aggregate = app.aggregate_view
    app.notebook.select(aggregate)  # type: ignore[no-untyped-call]
    aggregate.group_by.set("category")
    aggregate.function.set("mean")
    aggregate.column.set("value")
    aggregate.run_button.invoke()
    assert aggregate.run_button.instate(["disabled"])
    assert app.busy
    assert str(app.progress.cget("mode")) == "indeterminate"
    assert app.cancel_button.instate(["!disabled"])
    pump(root, lambda: aggregate.result is not None and aggregate.run_button.instate(["!disabled"]))
    expected = judge.query(
        "demo", group_by="category", aggregates=[col("value").mean()], order_by="category"
    )
    rows = [aggregate.table.item(item, "values") for item in aggregate.table.get_children()]
    assert [row[0] for row in rows] == expected["category"].to_list() == ["A", "B", "C"]
    assert aggregate.result is not None
    assert aggregate.result.column(1).to_pylist() == pytest.approx(expected["mean_value"].to_list())
    assert len(aggregate.axes.patches) == 3
    assert not app.busy
    assert str(app.progress.cget("mode")) == "determinate"
    assert app.status.cget("text") == "Aggregating: done"
    assert aggregate.axes.get_ylabel() == "mean_value"
    settle(root, 0.3)
    screenshot(root, "desktop-aggregate.png")

    mark("A query the server refuses")
    # A query the server refuses: its problem+json reaches an error dialog.
    aggregate.function.set("sum")
    aggregate.column.set("category")
    aggregate.run_button.invoke()
    pump(root, lambda: len(open_dialogs(app)) == 1)
    settle(root, 0.3)
    screenshot(root, "desktop-error-dialog.png", whole_screen=True)
    message = open_dialogs(app)[0].message.cget("text")
    assert "'sum' needs a numeric" in message
    assert "HTTP 400" in message
    open_dialogs(app)[0].ok.invoke()

    # Time buckets: rows per 6 hours as a line.
    aggregate.group_by.set("(none)")
    aggregate.bucket_column.set("ts")
    aggregate.bucket_size.insert(0, "6h")
    aggregate.function.set("count")
    aggregate.column.set("(none)")
    aggregate.run_button.invoke()
    days = judge.query("demo", bucket=quiver.bucket("ts", every="6h"))
    pump(root, lambda: aggregate.result is not None and aggregate.result.num_rows == days.height)
    assert aggregate.result is not None
    assert aggregate.result.column("count").to_pylist() == days["count"].to_list()
    assert len(aggregate.axes.lines) == 1
    assert len(aggregate.axes.patches) == 0

    mark("Export all 10M rows")
    # Export all 10M rows: while that read runs, the window keeps answering and the
    # table still pages from the server; then cancel it.
    app.notebook.select(app.rows_view)
    big_export = tmp_path / "demo.parquet"
    app.export(big_export)
    assert app.busy
    assert app.cancel_button.instate(["!disabled"])
    assert app.export_button.instate(["disabled"])
    pump(root, lambda: float(app.progress.cget("value")) > 0.01)
    gaps: list[float] = []
    last = time.monotonic()

    def tick() -> None:
        nonlocal last
        now = time.monotonic()
        gaps.append(now - last)
        last = now
        if len(gaps) < 60:
            root.after(10, tick)

    root.after(10, tick)
    table.scroll_to(2_000_000)
    pump(root, lambda: len(gaps) >= 60 and rows_loaded(app))
    assert first_ids(app, 1) == [2_000_000]
    assert app.busy, "the 10M-row export ended before the checks: it should take longer"
    print(f"event loop gaps while exporting: max {max(gaps) * 1000:.0f} ms")
    assert max(gaps) < 0.25, f"the event loop stalled for {max(gaps):.2f} s"
    progress_before = float(app.progress.cget("value"))
    assert 0 < progress_before < 1
    assert "rows" in app.progress_label.cget("text")
    settle(root, 0.2)
    screenshot(root, "desktop-rows-exporting.png")
    app.cancel_button.invoke()
    pump(root, lambda: not app.busy, timeout=20)
    assert app.status.cget("text") == "Exporting to demo.parquet: cancelled"
    assert list(tmp_path.iterdir()) == []
    assert app.cancel_button.instate(["disabled"])

    mark("A small export runs")
    # A small export runs to the end and equals what the library reads.
    view.filter_column.set("quantity")
    view.filter_operator.set("<=")
    view.filter_value.insert(0, "2")
    view.add_button.invoke()
    view.filter_column.set("region")
    view.filter_operator.set("=")
    view.filter_value.insert(0, "north")
    view.add_button.invoke()
    small = (col("quantity") <= 2) & (col("region") == "north")
    pump(root, lambda: table.row_count == judge.count("demo", filter=small) and rows_loaded(app))
    finished: list[bool] = []
    app.export(tmp_path / "small.csv", on_finished=lambda: finished.append(True))
    pump(root, lambda: bool(finished))
    assert app.last_export == tmp_path / "small.csv"
    exported = pl.read_csv(tmp_path / "small.csv", try_parse_dates=True)
    wanted = judge.read("demo", filter=small, order_by="id")
    assert exported.height == wanted.height
    assert exported["id"].to_list() == wanted["id"].to_list()
    assert exported["value"].to_list() == pytest.approx(wanted["value"].to_list())
    judge.close()


def test_the_module_runs_as_a_program() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "quiver.desktop", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert "--url" in done.stdout
    assert "--dataset" in done.stdout


def test_connect_at_start_opens_a_dataset_and_reports_failures(app: App, big: Server) -> None:
    root = app.root
    app.connect("http://127.0.0.1:9", None)
    pump(root, lambda: len(open_dialogs(app)) == 1)
    dialog = open_dialogs(app)[0]
    assert dialog.title() == "Cannot reach the server"
    assert "127.0.0.1:9" in dialog.message.cget("text")
    dialog.ok.invoke()
    assert app.client is None
    app.open_after_connect("demo")
    app.connect(big.url, None)
    pump(root, lambda: app.dataset is not None and rows_loaded(app))
    assert app.dataset is not None
    assert app.dataset.name == "demo"
    assert app.dataset_list.selection() == ("demo",)
    assert first_ids(app) == [0, 1, 2]
    app.close()
    assert not app.worker.running

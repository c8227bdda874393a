"""Datasets and transactional bulk ingest against a real quiverd and a real DuckDB file."""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest
import requests
from conftest import RunningServer, start_server
from datasets_helpers import (
    ALL_TYPES,
    ARROW_FILE,
    ARROW_STREAM,
    CSV,
    NDJSON,
    PARQUET,
    ROWS,
    TEXT_TYPES,
    definition,
    encode,
    make_table,
    row_count,
    stored_rows,
    upload,
)
from pyarrow import ipc

PROBLEM_JSON = "application/problem+json"
SIMPLE = [
    ("id", "int64", pa.int64(), True),
    ("category", "string", pa.string(), True),
    ("value", "float64", pa.float64(), False),
]


def create(url: str, body: dict[str, object]) -> requests.Response:
    return requests.post(f"{url}/api/v1/datasets", json=body, timeout=30)


def assert_problem(response: requests.Response, status: int) -> dict[str, object]:
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"] == PROBLEM_JSON
    problem = response.json()
    assert problem["status"] == status
    return dict(problem)


# --- schemas and the catalog ---------------------------------------------------------


def test_create_get_list_delete(server: RunningServer) -> None:
    response = create(server.url, definition("sales", SIMPLE))
    assert response.status_code == 201, response.text
    assert response.headers["Location"] == "/api/v1/datasets/sales"
    created = response.json()
    assert created["name"] == "sales"
    assert created["columns"] == [
        {"name": "id", "type": "int64", "required": True},
        {"name": "category", "type": "string", "required": True},
        {"name": "value", "type": "float64", "required": False},
    ]
    assert created["primary_key"] == ["id"]
    assert created["row_count"] == 0
    assert set(created) == {
        "name",
        "columns",
        "primary_key",
        "row_count",
        "bytes",
        "created_at",
        "updated_at",
    }
    fetched = requests.get(f"{server.url}/api/v1/datasets/sales", timeout=30).json()
    assert fetched["columns"] == created["columns"]
    listed = requests.get(f"{server.url}/api/v1/datasets", timeout=30).json()
    assert [dataset["name"] for dataset in listed["datasets"]] == ["sales"]
    assert listed["datasets"][0]["columns"] == created["columns"]

    assert requests.delete(f"{server.url}/api/v1/datasets/sales", timeout=30).status_code == 204
    assert_problem(requests.get(f"{server.url}/api/v1/datasets/sales", timeout=30), 404)
    assert requests.get(f"{server.url}/api/v1/datasets", timeout=30).json() == {"datasets": []}


def test_existing_name_is_409(server: RunningServer) -> None:
    assert create(server.url, definition("sales", SIMPLE)).status_code == 201
    assert_problem(create(server.url, definition("sales", SIMPLE)), 409)


def test_bad_schema_is_422_listing_each_field(server: RunningServer) -> None:
    response = create(
        server.url,
        {
            "name": "Sales!",
            "columns": [
                {"name": "id", "type": "int65"},
                {"name": "id", "type": "string"},
                {"name": "rowid", "type": "decimal(50, 2)"},
            ],
            "primary_key": ["missing"],
        },
    )
    problem = assert_problem(response, 422)
    fields = {error["field"] for error in problem["errors"]}  # type: ignore[attr-defined]
    assert {
        "name",
        "columns[0].type",
        "columns[1].name",
        "columns[2].name",
        "columns[2].type",
    } <= fields
    assert any(field.startswith("primary_key") for field in fields)


def test_malformed_definitions(server: RunningServer) -> None:
    assert_problem(
        requests.post(f"{server.url}/api/v1/datasets", data=b"{not json", timeout=30), 400
    )
    problem = assert_problem(create(server.url, {"name": "x", "columns": "nope"}), 422)
    assert problem["errors"][0]["field"] == "columns"  # type: ignore[index]


def test_datasets_survive_a_restart(tmp_path: Path) -> None:
    running = start_server(tmp_path / "data")
    assert create(running.url, definition("kept", SIMPLE)).status_code == 201
    table = make_table(SIMPLE, 1000)
    assert upload(running.url, "kept", encode(table, ARROW_STREAM), ARROW_STREAM).status_code == 201
    assert running.stop() == 0
    again = start_server(tmp_path / "data")
    try:
        fetched = requests.get(f"{again.url}/api/v1/datasets/kept", timeout=30).json()
        assert fetched["row_count"] == 1000
        assert fetched["primary_key"] == ["id"]
        assert [column["name"] for column in fetched["columns"]] == ["id", "category", "value"]
    finally:
        assert again.stop() == 0


# --- loading every format ------------------------------------------------------------


@pytest.mark.parametrize(
    ("media_type", "columns"),
    [
        (ARROW_STREAM, ALL_TYPES),
        (ARROW_FILE, ALL_TYPES),
        (PARQUET, ALL_TYPES),
        (CSV, TEXT_TYPES),
        (NDJSON, TEXT_TYPES),
    ],
    ids=["arrow-stream", "arrow-file", "parquet", "csv", "ndjson"],
)
def test_every_format_loads_every_type_and_reads_back_equal(
    tmp_path: Path, media_type: str, columns: list[tuple[str, str, pa.DataType, bool]]
) -> None:
    rows = ROWS if media_type != NDJSON else min(ROWS, 200_000)  # NDJSON text is built in Python
    table = make_table(columns, rows)
    running = start_server(tmp_path / "data")
    assert create(running.url, definition("typed", columns)).status_code == 201
    response = upload(running.url, "typed", encode(table, media_type), media_type)
    assert response.status_code == 201, response.text
    assert response.json()["inserted_rows"] == rows
    assert row_count(running.url, "typed") == rows
    assert running.stop() == 0

    stored = stored_rows(tmp_path / "data", "typed")
    assert stored.num_rows == rows
    # The dataset's columns, then quiverd's own: each row's position in insertion order.
    assert stored.column_names == [*table.column_names, "_quiver_row"]
    assert stored.column("_quiver_row").to_pylist() == list(range(rows))
    for name, _, arrow_type, _ in columns:
        expected = table.column(name).combine_chunks()
        actual = stored.column(name).combine_chunks().cast(arrow_type)
        assert actual.equals(expected), (name, actual.slice(0, 3), expected.slice(0, 3))


def test_tiny_batches_are_coalesced_and_all_land(server: RunningServer) -> None:
    assert create(server.url, definition("tiny", SIMPLE)).status_code == 201
    table = make_table(SIMPLE, 100_000)
    body = encode(table, ARROW_STREAM, batch_rows=100)
    response = upload(server.url, "tiny", body, ARROW_STREAM)
    assert response.status_code == 201, response.text
    assert row_count(server.url, "tiny") == 100_000


def test_safe_casts_are_accepted(server: RunningServer) -> None:
    assert create(server.url, definition("casts", SIMPLE)).status_code == 201
    narrow = pa.table(
        {
            "id": pa.array([1, 2, 3], pa.int32()),
            "category": ["a", "b", "c"],
            "value": pa.array([1, 2, 3], pa.int16()),
        }
    )
    assert (
        upload(server.url, "casts", encode(narrow, ARROW_STREAM), ARROW_STREAM).status_code == 201
    )
    csv = b"id,category,value\n10,x,1.5\n11,y,\n"
    assert upload(server.url, "casts", csv, CSV).status_code == 201
    assert row_count(server.url, "casts") == 5


def test_append_and_replace(server: RunningServer) -> None:
    assert create(server.url, definition("modes", SIMPLE)).status_code == 201
    first = make_table(SIMPLE, 1000)
    second = make_table(SIMPLE, 500, start=1000)
    assert upload(server.url, "modes", encode(first, ARROW_STREAM), ARROW_STREAM).status_code == 201
    assert upload(server.url, "modes", encode(second, PARQUET), PARQUET).status_code == 201
    assert row_count(server.url, "modes") == 1500
    replaced = upload(server.url, "modes", encode(second, CSV), CSV, mode="replace")
    assert replaced.status_code == 201, replaced.text
    assert row_count(server.url, "modes") == 500
    assert_problem(upload(server.url, "modes", b"", CSV, mode="upsert"), 400)


# --- refusing bad input, storing nothing ---------------------------------------------


def load_base(url: str, name: str = "guarded") -> pa.Table:
    assert create(url, definition(name, SIMPLE)).status_code == 201
    base = make_table(SIMPLE, 1000)
    assert upload(url, name, encode(base, ARROW_STREAM), ARROW_STREAM).status_code == 201
    return base


def test_one_bad_row_at_700000_names_row_and_field(server: RunningServer) -> None:
    load_base(server.url)
    rows = max(ROWS, 800_000)
    table = make_table(SIMPLE, rows, start=10_000)
    category = table.column("category").to_numpy(zero_copy_only=False).astype(object)
    category[700_000] = None
    table = table.set_column(1, pa.field("category", pa.string()), pa.array(category, pa.string()))
    response = upload(server.url, "guarded", encode(table, ARROW_STREAM), ARROW_STREAM)
    problem = assert_problem(response, 422)
    assert problem["errors"] == [
        {"field": "category", "row": 700_000, "message": "required value is null"}
    ]
    assert row_count(server.url, "guarded") == 1000


def test_csv_value_that_does_not_convert_names_row_and_field(server: RunningServer) -> None:
    load_base(server.url)
    lines = ["id,category,value"] + [f"{10_000 + i},c,{i}.5" for i in range(800_000)]
    lines[1 + 700_000] = "710000,c,not-a-number"
    response = upload(server.url, "guarded", ("\n".join(lines) + "\n").encode(), CSV)
    problem = assert_problem(response, 422)
    error = problem["errors"][0]  # type: ignore[index]
    assert error["field"] == "value"
    assert error["row"] == 700_000
    assert "not-a-number" in error["message"]
    assert row_count(server.url, "guarded") == 1000


def test_lossy_cast_is_refused_with_its_row(server: RunningServer) -> None:
    columns = [("id", "int64", pa.int64(), True), ("small", "int8", pa.int8(), False)]
    assert create(server.url, definition("lossy", columns)).status_code == 201
    table = pa.table(
        {"id": pa.array(range(5), pa.int64()), "small": pa.array([1, 2, 3, 300, 4], pa.int64())}
    )
    problem = assert_problem(
        upload(server.url, "lossy", encode(table, ARROW_STREAM), ARROW_STREAM), 422
    )
    assert problem["errors"][0]["field"] == "small"  # type: ignore[index]
    assert problem["errors"][0]["row"] == 3  # type: ignore[index]
    assert row_count(server.url, "lossy") == 0


def test_unknown_and_missing_columns(server: RunningServer) -> None:
    load_base(server.url)
    extra = make_table(SIMPLE, 10, start=5000).append_column("surprise", pa.array(range(10)))
    problem = assert_problem(
        upload(server.url, "guarded", encode(extra, ARROW_STREAM), ARROW_STREAM), 422
    )
    assert problem["errors"][0]["field"] == "surprise"  # type: ignore[index]
    ignored = upload(
        server.url, "guarded", encode(extra, ARROW_STREAM), ARROW_STREAM, on_unknown="ignore"
    )
    assert ignored.status_code == 201, ignored.text
    missing = make_table(SIMPLE, 10, start=6000).drop_columns(["category"])
    problem = assert_problem(
        upload(server.url, "guarded", encode(missing, ARROW_STREAM), ARROW_STREAM), 422
    )
    assert problem["errors"][0]["field"] == "category"  # type: ignore[index]
    optional_missing = make_table(SIMPLE, 10, start=7000).drop_columns(["value"])
    assert (
        upload(server.url, "guarded", encode(optional_missing, PARQUET), PARQUET).status_code == 201
    )
    assert row_count(server.url, "guarded") == 1020


def test_primary_key_duplicates_within_load_and_against_stored(server: RunningServer) -> None:
    load_base(server.url)
    against_stored = make_table(SIMPLE, 10, start=995)
    problem = assert_problem(
        upload(server.url, "guarded", encode(against_stored, ARROW_STREAM), ARROW_STREAM), 422
    )
    assert problem["errors"][0]["field"] == "id"  # type: ignore[index]
    within = pa.concat_tables([make_table(SIMPLE, 10, start=5000)] * 2)
    problem = assert_problem(upload(server.url, "guarded", encode(within, PARQUET), PARQUET), 422)
    assert problem["errors"][0]["field"] == "id"  # type: ignore[index]
    assert row_count(server.url, "guarded") == 1000


@pytest.mark.parametrize(
    ("media_type", "body_maker", "status"),
    [
        (ARROW_STREAM, lambda good: good[: len(good) // 2], 400),
        # Claims a 1.6 GB message: refused by the decoding memory cap before reading it.
        (ARROW_STREAM, lambda good: b"\xff\xff\xff\xff" + b"garbage" * 100, 413),
        (ARROW_FILE, lambda good: good[: len(good) - 100], 400),
        (PARQUET, lambda good: good[: len(good) // 2], 400),
        (PARQUET, lambda good: b"PAR1" + b"\x00" * 64 + b"PAR1", 400),
        (CSV, lambda good: b"id,category,value\n1,a,1.0\n2,b\n", 400),
        (CSV, lambda good: b"id,category,value\n1,\xff\xfe,1.0\n", 422),
        (NDJSON, lambda good: b'{"id": 1, "category": "a"}\n{"id": 2, "categ', 400),
    ],
    ids=[
        "truncated-arrow-stream",
        "garbage-arrow-stream",
        "truncated-arrow-file",
        "truncated-parquet",
        "hollow-parquet",
        "csv-wrong-column-count",
        "csv-invalid-utf8",
        "truncated-ndjson",
    ],
)
def test_malformed_bodies_are_4xx_and_store_nothing(
    server: RunningServer, media_type: str, body_maker: object, status: int
) -> None:
    load_base(server.url)
    good = encode(make_table(SIMPLE, 50_000, start=100_000), media_type)
    body = body_maker(good)  # type: ignore[operator]
    response = upload(server.url, "guarded", body, media_type)
    problem = assert_problem(response, status)
    assert problem["detail"]
    if status == 422:  # invalid UTF-8 is a bad value: it names its field and row
        assert problem["errors"][0]["field"] == "category"  # type: ignore[index]
        assert problem["errors"][0]["row"] == 0  # type: ignore[index]
    assert row_count(server.url, "guarded") == 1000


def test_unknown_content_type_is_415_and_unknown_dataset_404(server: RunningServer) -> None:
    load_base(server.url)
    assert_problem(upload(server.url, "guarded", b"x", "text/plain"), 415)
    assert_problem(upload(server.url, "nothing_here", b"x", CSV), 404)


def test_body_over_the_limit_is_413_and_stores_nothing(tmp_path: Path) -> None:
    running = start_server(tmp_path / "data", "--max-body-bytes", "100000")
    try:
        load_base(running.url)
        big = encode(make_table(SIMPLE, 50_000, start=5000), ARROW_STREAM)

        def chunks() -> object:
            for start in range(0, len(big), 16_384):
                yield big[start : start + 16_384]

        # Chunked, so the limit is found while reading, not from Content-Length.
        response = requests.post(
            f"{running.url}/api/v1/datasets/guarded/rows",
            data=chunks(),
            headers={"Content-Type": ARROW_STREAM},
            timeout=60,
        )
        assert_problem(response, 413)
        assert row_count(running.url, "guarded") == 1000
    finally:
        assert running.stop() == 0


def test_decoding_memory_cap_is_413(tmp_path: Path) -> None:
    running = start_server(tmp_path / "data", "--max-upload-memory-bytes", "2000000")
    try:
        load_base(running.url)
        # One 200,000-row batch decodes to more than the 2 MB cap.
        big = encode(make_table(SIMPLE, 200_000, start=5000), ARROW_STREAM, batch_rows=200_000)
        assert_problem(upload(running.url, "guarded", big, ARROW_STREAM), 413)
        assert row_count(running.url, "guarded") == 1000
    finally:
        assert running.stop() == 0


def test_a_parquet_file_larger_than_the_decoding_cap_loads_row_group_by_row_group(
    tmp_path: Path,
) -> None:
    """Memory follows the largest row group, not the file: 2.4M rows in 48 row groups,
    more Parquet than the 16 MB a server may use to decode one upload."""
    cap = 16 << 20
    running = start_server(tmp_path / "data", "--max-upload-memory-bytes", str(cap))
    try:
        load_base(running.url)
        table = make_table(SIMPLE, 2_400_000, start=5000)
        body = encode(table, PARQUET, batch_rows=50_000)
        assert len(body) > 1.5 * cap
        response = upload(running.url, "guarded", body, PARQUET)
        assert response.status_code == 201, response.text
        assert response.json()["inserted_rows"] == 2_400_000
        assert row_count(running.url, "guarded") == 2_401_000
    finally:
        assert running.stop() == 0


class _Drain:
    """A write-only file whose bytes are taken away as they are written."""

    closed = False

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        return data


def stream_body(table_rows: int, start: int, sent: list[int]) -> Iterator[bytes]:
    """An Arrow IPC stream generated batch by batch, never whole in memory."""
    drain = _Drain()
    batch_rows = 50_000
    writer = ipc.new_stream(pa.PythonFile(drain, mode="w"), make_table(SIMPLE, 1).schema)
    for offset in range(0, table_rows, batch_rows):
        writer.write_table(make_table(SIMPLE, min(batch_rows, table_rows - offset), start + offset))
        yield drain.take()
        sent[0] = offset + batch_rows
    writer.close()
    yield drain.take()


def test_kill_9_during_a_load_keeps_exactly_the_rows_from_before(tmp_path: Path) -> None:
    rows = 5 * ROWS
    running = start_server(tmp_path / "data")
    load_base(running.url)
    sent = [0]
    errors: list[BaseException] = []

    def load() -> None:
        try:
            requests.post(
                f"{running.url}/api/v1/datasets/guarded/rows",
                data=stream_body(rows, 10_000, sent),
                headers={"Content-Type": ARROW_STREAM},
                timeout=600,
            )
        except requests.RequestException as error:
            errors.append(error)

    loader = threading.Thread(target=load)
    loader.start()
    deadline = time.monotonic() + 300
    while sent[0] < rows // 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert sent[0] >= rows // 2, "the upload did not get going"
    running.process.send_signal(signal.SIGKILL)
    running.process.wait(timeout=30)
    loader.join(timeout=60)
    assert errors, "the upload cannot have succeeded"

    again = start_server(tmp_path / "data")
    try:
        assert row_count(again.url, "guarded") == 1000
    finally:
        assert again.stop() == 0
    with duckdb.connect(str(tmp_path / "data" / "quiver.duckdb"), read_only=True) as connection:
        stored = connection.execute('SELECT count(*) FROM quiver_data."guarded"').fetchone()
        assert stored == (1000,)


def test_readers_during_a_load_see_before_or_after_never_half(server: RunningServer) -> None:
    load_base(server.url)
    rows = ROWS
    body = encode(make_table(SIMPLE, rows, start=10_000), ARROW_STREAM)
    result: list[requests.Response] = []
    loader = threading.Thread(
        target=lambda: result.append(upload(server.url, "guarded", body, ARROW_STREAM))
    )
    seen: list[int] = []
    loader.start()
    with requests.Session() as session:
        while loader.is_alive():
            response = session.get(f"{server.url}/api/v1/datasets/guarded", timeout=30)
            seen.append(int(response.json()["row_count"]))
    loader.join()
    assert result[0].status_code == 201, result[0].text
    assert len(seen) > 3, "the readers did not overlap the load"
    assert set(seen) <= {1000, 1000 + rows}
    assert row_count(server.url, "guarded") == 1000 + rows


def test_durations_are_stored_as_intervals(tmp_path: Path) -> None:
    columns = [
        ("id", "int64", pa.int64(), True),
        ("took", "duration(ms)", pa.duration("ms"), False),
    ]
    running = start_server(tmp_path / "data")
    assert create(running.url, definition("timings", columns)).status_code == 201
    table = pa.table(
        {"id": [1, 2, 3], "took": pa.array([1500, None, 2 * 86_400_000 + 5], pa.duration("ms"))}
    )
    assert (
        upload(running.url, "timings", encode(table, ARROW_STREAM), ARROW_STREAM).status_code == 201
    )
    assert running.stop() == 0
    with duckdb.connect(str(tmp_path / "data" / "quiver.duckdb"), read_only=True) as connection:
        stored = connection.execute('SELECT took FROM quiver_data."timings" ORDER BY id').fetchall()
    assert [row[0] for row in stored] == table.column("took").to_pylist()

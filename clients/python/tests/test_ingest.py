"""Uploads from every accepted source, streamed as Arrow IPC; validation errors; progress."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
import pytest
from pyarrow import ipc

import quiver
from tests.conftest import SALES_SCHEMA, sales_table


def stored(client: quiver.Client, name: str) -> pa.Table:
    return client.read_arrow(name, order_by="id")


@pytest.fixture
def empty_sales(client: quiver.Client, name: str) -> str:
    client.create(name, SALES_SCHEMA, primary_key="id")
    return name


def test_polars_dataframe(client: quiver.Client, empty_sales: str) -> None:
    table = sales_table(20_000).cast(SALES_SCHEMA)
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    result = client.ingest(empty_sales, frame)
    assert result.inserted_rows == 20_000
    assert result.elapsed_ms >= 0
    assert client.read(empty_sales, order_by="id").equals(frame)
    assert client.dataset(empty_sales).row_count == 20_000


def test_polars_lazyframe_and_replace_mode(client: quiver.Client, empty_sales: str) -> None:
    client.ingest(empty_sales, sales_table(1000).cast(SALES_SCHEMA))
    lazy = pl.from_arrow(sales_table(3000, start=5000).cast(SALES_SCHEMA)).lazy()  # type: ignore[union-attr]
    assert client.ingest(empty_sales, lazy, mode="replace").inserted_rows == 3000
    got = client.read(empty_sales, columns="id", order_by="id")
    assert got["id"].to_list() == list(range(5000, 8000))
    with pytest.raises(ValueError, match="mode"):
        client.ingest(empty_sales, lazy, mode="merge")  # type: ignore[arg-type]


def test_pyarrow_table_and_record_batch_reader(client: quiver.Client, empty_sales: str) -> None:
    first = sales_table(70_000).cast(SALES_SCHEMA)
    second = sales_table(5_000, start=70_000).cast(SALES_SCHEMA)
    client.ingest(empty_sales, first)
    reader = pa.RecordBatchReader.from_batches(second.schema, second.to_batches(1000))
    assert client.ingest(empty_sales, reader).inserted_rows == 5_000
    assert stored(client, empty_sales).equals(pa.concat_tables([first, second]))


def test_parquet_csv_and_arrow_files(
    client: quiver.Client, empty_sales: str, tmp_path: Path
) -> None:
    parts = [sales_table(4000, start=i * 4000).cast(SALES_SCHEMA) for i in range(4)]
    pq.write_table(parts[0], tmp_path / "a.parquet", row_group_size=1000)
    pa_csv.write_csv(parts[1], tmp_path / "b.csv")
    with ipc.new_file(tmp_path / "c.arrow", SALES_SCHEMA) as writer:
        writer.write_table(parts[2])
    with ipc.new_stream(tmp_path / "d.arrows", SALES_SCHEMA) as writer:
        writer.write_table(parts[3])
    for file_name in ["a.parquet", "b.csv", "c.arrow", "d.arrows"]:
        assert client.ingest(empty_sales, tmp_path / file_name).inserted_rows == 4000, file_name
    assert stored(client, empty_sales).equals(pa.concat_tables(parts))
    with pytest.raises(ValueError, match=r"expected a \.parquet"):
        client.ingest(empty_sales, tmp_path / "x.xlsx")
    with pytest.raises(TypeError, match="ingest takes"):
        client.ingest(empty_sales, [1, 2, 3])


def test_validation_errors_name_row_and_field(client: quiver.Client, empty_sales: str) -> None:
    table = sales_table(10_000).cast(SALES_SCHEMA)
    categories = table.column("category").to_pylist()
    categories[7321] = None
    broken = table.set_column(1, pa.field("category", pa.string()), pa.array(categories))
    with pytest.raises(quiver.ValidationError) as raised:
        client.ingest(empty_sales, broken)
    error = raised.value
    assert error.status == 422
    assert error.type == "urn:quiver:problem:validation-failed"
    assert [(e.row, e.field) for e in error.errors] == [(7321, "category")]
    assert "7321" in str(error)
    assert client.dataset(empty_sales).row_count == 0  # all or nothing
    client.ingest(empty_sales, table.slice(0, 10))
    with pytest.raises(quiver.ValidationError, match="id"):
        client.ingest(empty_sales, table.slice(5, 10))  # duplicate primary keys


def test_unknown_columns_rejected_or_ignored(client: quiver.Client, empty_sales: str) -> None:
    table = sales_table(100).cast(SALES_SCHEMA).append_column("extra", pa.array(range(100)))
    with pytest.raises(quiver.ValidationError) as raised:
        client.ingest(empty_sales, table)
    assert any(error.field == "extra" for error in raised.value.errors)
    assert client.ingest(empty_sales, table, on_unknown="ignore").inserted_rows == 100


def test_unknown_dataset_is_not_found(client: quiver.Client) -> None:
    with pytest.raises(quiver.NotFoundError):
        client.ingest("ghost", sales_table(10))


def test_upload_is_streamed_with_progress(client: quiver.Client, empty_sales: str) -> None:
    table = sales_table(300_000).cast(SALES_SCHEMA)
    reports: list[quiver.Progress] = []
    result = client.ingest(empty_sales, table, batch_rows=10_000, progress=reports.append)
    assert result.inserted_rows == 300_000
    final = reports[-1]
    assert final.done
    assert final.rows == final.total_rows == 300_000
    assert final.bytes > table.nbytes * 0.8
    assert final.fraction == 1.0
    assert [r.rows for r in reports] == sorted(r.rows for r in reports)


def test_upload_can_be_cancelled(client: quiver.Client, empty_sales: str) -> None:
    cancel = quiver.CancelToken()

    def batches() -> pa.RecordBatchReader:
        def generate() -> object:
            for index in range(1000):
                if index == 3:
                    cancel.cancel()
                yield sales_table(1000, start=index * 1000).cast(SALES_SCHEMA).to_batches()[0]

        return pa.RecordBatchReader.from_batches(SALES_SCHEMA, generate())

    with pytest.raises(quiver.QuiverCancelledError):
        client.ingest(empty_sales, batches(), cancel=cancel)
    assert client.dataset(empty_sales).row_count == 0

"""Datasets: list, describe, create from several schema forms, drop; types both ways."""

from __future__ import annotations

import datetime as dt
import socket

import polars as pl
import pyarrow as pa
import pytest

import quiver
from quiver import ColumnDef, arrow_type, type_name
from tests.conftest import DEMO_ROWS, SALES_SCHEMA

ALL_TYPES = pa.schema(
    [
        pa.field("id", pa.int64(), nullable=False),
        pa.field("flag", pa.bool_()),
        pa.field("i8", pa.int8()),
        pa.field("u64", pa.uint64()),
        pa.field("f32", pa.float32()),
        pa.field("price", pa.decimal128(12, 3)),
        pa.field("label", pa.string()),
        pa.field("blob", pa.binary()),
        pa.field("day", pa.date32()),
        pa.field("clock", pa.time64("us")),
        pa.field("seen", pa.timestamp("ms")),
        pa.field("seen_utc", pa.timestamp("us", tz="UTC")),
        pa.field("wait", pa.duration("ms")),
        pa.field("tags", pa.list_(pa.int32())),
        pa.field("point", pa.struct([("x", pa.float64()), ("name", pa.string())])),
    ]
)


def test_type_names_round_trip() -> None:
    for field in ALL_TYPES:
        assert arrow_type(type_name(field.type)) == field.type, field
    assert type_name(pa.large_string()) == "string"
    assert type_name(pa.timestamp("us")) == "timestamp"
    assert arrow_type("list<struct<a: int64, b: list<string>>>") == pa.list_(
        pa.struct([("a", pa.int64()), ("b", pa.list_(pa.string()))])
    )
    with pytest.raises(ValueError, match="not a column type"):
        arrow_type("list<int64")
    with pytest.raises(ValueError, match="no column type"):
        type_name(pa.map_(pa.string(), pa.int64()))


def test_datasets_and_dataset_describe_the_demo(client: quiver.Client) -> None:
    listed = {dataset.name: dataset for dataset in client.datasets()}
    demo = client.dataset("demo")
    assert listed["demo"] == demo
    assert demo.row_count == DEMO_ROWS
    assert demo.column_names == [
        "id",
        "ts",
        "category",
        "region",
        "value",
        "quantity",
        "flag",
        "label",
    ]
    assert demo.primary_key == ("id",)
    assert demo.column("TS").type == "timestamp(us, UTC)"
    assert demo.bytes > 0
    assert demo.created_at.tzinfo is not None
    assert demo.created_at <= demo.updated_at <= dt.datetime.now(dt.UTC)
    table = client.read_arrow("demo", limit=1)
    assert table.schema.equals(demo.arrow_schema())
    assert client.ready()
    assert client.exists("demo")
    assert not client.exists("ghost")


def test_create_from_a_pyarrow_schema_keeps_every_type(client: quiver.Client, name: str) -> None:
    created = client.create(name, ALL_TYPES, primary_key="id")
    assert created.name == name
    assert created.row_count == 0
    assert created.primary_key == ("id",)
    assert created.arrow_schema().equals(ALL_TYPES)
    assert client.dataset(name) == created


def test_create_from_polars_mapping_and_columns(client: quiver.Client, name: str) -> None:
    from_polars = client.create(
        name,
        pl.Schema({"id": pl.Int64(), "when": pl.Datetime("us", "UTC"), "s": pl.String()}),
        required=["id"],
    )
    assert [(c.name, c.type, c.required) for c in from_polars.columns] == [
        ("id", "int64", True),
        ("when", "timestamp(us, UTC)", False),
        ("s", "string", False),
    ]
    client.drop(name)
    from_mapping = client.create(name, {"a": "int32", "b": pa.float64(), "c": pl.Boolean})
    assert [c.type for c in from_mapping.columns] == ["int32", "float64", "boolean"]
    client.drop(name)
    from_columns = client.create(name, [ColumnDef("k", "string", required=True)])
    assert from_columns.columns == (ColumnDef("k", "string", True),)


def test_drop(client: quiver.Client, name: str) -> None:
    client.create(name, SALES_SCHEMA)
    client.drop(name)
    assert not client.exists(name)
    with pytest.raises(quiver.NotFoundError) as raised:
        client.drop(name)
    assert raised.value.status == 404
    assert name in raised.value.detail
    assert raised.value.type == "urn:quiver:problem:not-found"
    assert raised.value.request_id
    client.drop(name, missing_ok=True)


def test_create_errors_carry_the_problem_fields(client: quiver.Client, name: str) -> None:
    client.create(name, SALES_SCHEMA)
    with pytest.raises(quiver.ConflictError) as conflict:
        client.create(name, SALES_SCHEMA)
    assert conflict.value.status == 409
    assert conflict.value.title == "Conflict"
    assert conflict.value.instance == "/api/v1/datasets"
    with pytest.raises(quiver.ApiError) as bad:
        client.create("Bad Name!", SALES_SCHEMA)
    assert bad.value.status in (400, 422)
    assert bad.value.detail
    with pytest.raises(quiver.ApiError) as bad_type:
        client.create(f"{name}_x", {"a": "varchar(10)"})
    assert bad_type.value.status in (400, 422)
    assert any(error.field.startswith("columns") for error in bad_type.value.errors)
    with pytest.raises(ValueError, match="no column type"):
        client.create(f"{name}_y", {"m": pa.map_(pa.string(), pa.int64())})


def test_a_server_that_never_answers_is_a_timeout() -> None:
    with socket.create_server(("127.0.0.1", 0)) as silent:
        port = silent.getsockname()[1]
        with quiver.Client(f"http://127.0.0.1:{port}", timeout=0.3) as waiting:
            with pytest.raises(quiver.QuiverTimeoutError, match="within the timeout"):
                waiting.datasets()
            with pytest.raises(quiver.QuiverConnectionError):
                waiting.read("demo")


def test_unreachable_server_is_a_connection_error() -> None:
    with quiver.Client("http://127.0.0.1:9", timeout=2) as nowhere:
        assert not nowhere.ready()
        with pytest.raises(quiver.QuiverConnectionError, match="cannot reach"):
            nowhere.datasets()
    with pytest.raises(ValueError, match="http"):
        quiver.Client("ftp://example")

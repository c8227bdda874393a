"""Cursor pages (keyset, stable order) and buckets (time and numeric) in queries."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pyarrow as pa
import pytest

import quiver
from quiver import bucket, col, count
from tests.conftest import SALES_SCHEMA, sales_table


def frame_of(table: pa.Table) -> pl.DataFrame:
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    return frame


def test_pages_cover_every_row_once_in_a_stable_order(
    client: quiver.Client, sales: tuple[str, pa.Table]
) -> None:
    name, table = sales
    condition = col("category").isin(["A", "C"])
    pages = list(
        client.pages(
            name,
            page_size=7_000,
            filter=condition,
            order_by="-quantity",
            columns=["id", "quantity"],
        )
    )
    expected = (
        frame_of(table).filter(pl.col("category").is_in(["A", "C"])).select(["id", "quantity"])
    )
    assert [page.num_rows for page in pages[:-1]] == [7_000] * (len(pages) - 1)
    assert pages[-1].next_cursor is None
    got = pl.concat([page.frame for page in pages])
    assert got.height == expected.height
    assert got["id"].n_unique() == expected.height
    assert got["quantity"].to_list() == sorted(got["quantity"].to_list(), reverse=True)
    # Ties on quantity are broken by the primary key, so the order is the same each time.
    again = pl.concat(
        [
            p.frame
            for p in client.pages(
                name,
                page_size=7_000,
                filter=condition,
                order_by="-quantity",
                columns=["id", "quantity"],
            )
        ]
    )
    assert again.equals(got)


def test_page_by_page_with_explicit_cursors(client: quiver.Client) -> None:
    first = client.page("demo", limit=1000, columns=["id"])
    assert first.num_rows == 1000
    assert first.next_cursor
    second = client.page("demo", limit=1000, columns=["id"], cursor=first.next_cursor)
    assert set(first.frame["id"].to_list()).isdisjoint(second.frame["id"].to_list())
    last = client.page("demo", limit=1000, columns=["id"], filter=col("id") < 10)
    assert last.num_rows == 10
    assert last.next_cursor is None


def test_a_tampered_cursor_is_a_bad_request(client: quiver.Client) -> None:
    first = client.page("demo", limit=10)
    assert first.next_cursor
    with pytest.raises(quiver.BadRequestError):
        client.page("demo", limit=10, cursor=first.next_cursor[::-1] + "x")


def test_time_buckets_count_per_hour(client: quiver.Client, sales: tuple[str, pa.Table]) -> None:
    name, table = sales
    got = client.query(name, bucket=bucket("ts", every="1h"))
    expected = (
        frame_of(table)
        .group_by(pl.col("ts").dt.truncate("1h").alias("bucket"))
        .agg(pl.len().alias("count"))
        .sort("bucket")
    )
    assert got["bucket"].to_list() == expected["bucket"].to_list()
    assert got["count"].to_list() == expected["count"].to_list()
    assert got["bucket"][0] == dt.datetime(2024, 1, 1, tzinfo=dt.UTC)


def test_width_buckets_with_group_by_and_aggregates(
    client: quiver.Client, sales: tuple[str, pa.Table]
) -> None:
    name, table = sales
    got = client.query(
        name,
        bucket=bucket("value", width=25, origin=0, alias="band"),
        group_by="category",
        aggregates=[count().alias("rows"), col("quantity").sum().alias("quantity")],
        filter=col("value").is_not_null(),
    )
    expected = (
        frame_of(table)
        .filter(pl.col("value").is_not_null())
        .with_columns(((pl.col("value") / 25).floor() * 25).alias("band"))
        .group_by(["band", "category"])
        .agg(pl.len().alias("rows"), pl.col("quantity").sum().alias("quantity"))
        .sort(["band", "category"])
    )
    assert got.columns[:2] == ["band", "category"]
    assert got.sort(["band", "category"])["rows"].to_list() == expected["rows"].to_list()
    assert got["band"].to_list() == sorted(got["band"].to_list())


def test_a_cursor_of_replaced_rows_is_a_conflict(client: quiver.Client, name: str) -> None:
    client.create(name, SALES_SCHEMA, primary_key="id")
    client.ingest(name, sales_table(100).cast(SALES_SCHEMA))
    first = client.page(name, limit=10)
    assert first.next_cursor is not None
    client.ingest(name, sales_table(100).cast(SALES_SCHEMA), mode="replace")
    with pytest.raises(quiver.ConflictError) as raised:
        client.page(name, limit=10, cursor=first.next_cursor)
    assert raised.value.errors[0].field == "cursor"

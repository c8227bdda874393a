"""The Quiver client: datasets, uploads, reads, queries, pages, samples and downloads."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, TypeAlias, TypedDict

import polars as pl
import pyarrow as pa

from quiver._stream import BatchStream
from quiver._transport import ACCEPT_ENCODING, Timeout, Transport, WireBody, dataset_path
from quiver._upload import BATCH_ROWS, IngestSource, ipc_chunks, open_source
from quiver.errors import NotFoundError, QuiverError
from quiver.expressions import Aggregate, Bucket, Filter, order_terms
from quiver.progress import CancelToken, ProgressCallback, ProgressMeter
from quiver.schema import DatasetInfo, SchemaLike, columns_of

if TYPE_CHECKING:
    from typing_extensions import Unpack

ARROW_STREAM = "application/vnd.apache.arrow.stream"
FilterLike: TypeAlias = Filter | Mapping[str, Any]
OrderBy: TypeAlias = str | Sequence[str]
DownloadFormat = Literal["parquet", "arrow", "arrow-file", "csv", "json", "ndjson"]


@dataclass(frozen=True)
class IngestResult:
    """What the server stored."""

    inserted_rows: int
    elapsed_ms: int


@dataclass(frozen=True)
class Page:
    """One page of rows and the cursor of the next (None on the last page)."""

    table: pa.Table
    next_cursor: str | None

    @property
    def frame(self) -> pl.DataFrame:
        return _frame(self.table)

    @property
    def num_rows(self) -> int:
        return int(self.table.num_rows)


@dataclass(frozen=True)
class QueryStatus:
    """A streamed read as the server tracks it (GET /api/v1/queries/{id})."""

    id: str
    dataset: str
    format: str
    state: str
    rows_sent: int
    bytes_sent: int
    elapsed_ms: int

    @classmethod
    def from_json(cls, document: Mapping[str, Any]) -> QueryStatus:
        return cls(
            id=str(document["id"]),
            dataset=str(document.get("dataset", "")),
            format=str(document.get("format", "")),
            state=str(document["state"]),
            rows_sent=int(document.get("rows_sent", 0)),
            bytes_sent=int(document.get("bytes_sent", 0)),
            elapsed_ms=int(document.get("elapsed_ms", 0)),
        )


def _frame(table: pa.Table) -> pl.DataFrame:
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    return frame


def _filter_json(condition: FilterLike | None) -> dict[str, Any] | None:
    if condition is None:
        return None
    if isinstance(condition, Filter):
        return condition.to_json()
    return dict(condition)


def _names(value: str | Sequence[str] | None) -> list[str] | None:
    if value is None:
        return None
    return [value] if isinstance(value, str) else list(value)


def _row_query(
    columns: str | Sequence[str] | None,
    filter: FilterLike | None,
    order_by: OrderBy | None,
    limit: int | None,
    offset: int | None,
) -> dict[str, Any]:
    body: dict[str, Any] = {}
    names = _names(columns)
    if names is not None:
        body["select"] = names
    tree = _filter_json(filter)
    if tree is not None:
        body["filter"] = tree
    terms = order_terms(order_by)
    if terms:
        body["order_by"] = terms
    if limit is not None:
        body["limit"] = _non_negative("limit", limit)
    if offset is not None:
        body["offset"] = _non_negative("offset", offset)
    return body


def _non_negative(name: str, value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name} must be a non-negative integer, not {value!r}")
    return value


class ReadOptions(TypedDict, total=False):
    """The options of stream(), read() and read_arrow()."""

    columns: str | Sequence[str] | None
    filter: FilterLike | None
    order_by: OrderBy | None
    limit: int | None
    offset: int | None
    progress: ProgressCallback | None
    cancel: CancelToken | None
    total_rows: int | None


class QueryOptions(TypedDict, total=False):
    """The options of query() and query_arrow()."""

    select: str | Sequence[str] | None
    filter: FilterLike | None
    group_by: str | Sequence[str] | None
    aggregates: Sequence[Aggregate | Mapping[str, Any]] | None
    bucket: Bucket | Mapping[str, Any] | None
    order_by: OrderBy | None
    limit: int | None
    offset: int | None
    distinct: bool
    progress: ProgressCallback | None
    cancel: CancelToken | None


class Client:
    """A connection to one Quiver server; safe to share between threads.

    `timeout` bounds connecting and each wait for the next bytes (not a whole transfer),
    in seconds or as (connect, read). `arrow_compression` ("lz4" or "zstd") asks the
    server to compress the Arrow buffers of every read (pyarrow decodes them); otherwise
    reads accept gzip Content-Encoding, which the server uses only off loopback.
    """

    def __init__(
        self,
        base_url: str = "http://127.0.0.1:8080",
        token: str | None = None,
        timeout: Timeout = 60.0,
        arrow_compression: Literal["lz4", "zstd"] | None = None,
    ) -> None:
        if arrow_compression not in (None, "lz4", "zstd"):
            raise ValueError(f"arrow_compression is lz4 or zstd, not {arrow_compression!r}")
        self._transport = Transport(base_url, token, timeout)
        self._read_params = {"compression": arrow_compression} if arrow_compression else {}

    @property
    def base_url(self) -> str:
        return self._transport.base_url

    def close(self) -> None:
        """Closes pooled connections."""
        self._transport.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Client({self.base_url!r})"

    # --- server and datasets -------------------------------------------------------

    def ready(self) -> bool:
        """True once the server's storage is open (GET /api/v1/ready is 200)."""
        try:
            self._transport.send("GET", "/api/v1/ready")
        except QuiverError:
            return False
        return True

    def datasets(self) -> list[DatasetInfo]:
        """Every dataset with its schema and counts."""
        document = self._transport.json("GET", "/api/v1/datasets")
        return [DatasetInfo.from_json(item) for item in document["datasets"]]

    def dataset(self, name: str) -> DatasetInfo:
        """One dataset's schema and counts; NotFoundError when there is none."""
        return DatasetInfo.from_json(self._transport.json("GET", dataset_path(name)))

    def exists(self, name: str) -> bool:
        try:
            self.dataset(name)
        except NotFoundError:
            return False
        return True

    def create(
        self,
        name: str,
        schema: SchemaLike,
        *,
        primary_key: str | Sequence[str] | None = None,
        required: Sequence[str] = (),
    ) -> DatasetInfo:
        """Creates a dataset from a pyarrow or polars schema, {name: type} or Columns.

        Non-nullable pyarrow fields and the names in `required` refuse nulls.
        """
        body: dict[str, Any] = {
            "name": name,
            "columns": [column.to_json() for column in columns_of(schema, required)],
        }
        key = _names(primary_key)
        if key:
            body["primary_key"] = key
        return DatasetInfo.from_json(
            self._transport.json("POST", "/api/v1/datasets", json_body=body)
        )

    def drop(self, name: str, *, missing_ok: bool = False) -> None:
        """Drops a dataset and its rows."""
        try:
            self._transport.send("DELETE", dataset_path(name))
        except NotFoundError:
            if not missing_ok:
                raise

    # --- uploads -------------------------------------------------------------------

    def ingest(
        self,
        name: str,
        data: IngestSource,
        *,
        mode: Literal["append", "replace"] = "append",
        on_unknown: Literal["reject", "ignore"] = "reject",
        batch_rows: int = BATCH_ROWS,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> IngestResult:
        """Loads rows, all or nothing, streamed as Arrow IPC one batch at a time.

        `data` is a polars DataFrame or LazyFrame, a pyarrow Table or RecordBatchReader,
        or the path of a Parquet, CSV/TSV or Arrow IPC file (CSV is typed by the
        dataset's schema). A 422 ValidationError lists the bad rows and fields.
        """
        if mode not in ("append", "replace"):
            raise ValueError(f"mode is append or replace, not {mode!r}")
        dataset = self.dataset(name)
        source = open_source(data, dataset, batch_rows)
        meter = ProgressMeter(progress, source.total_rows)
        document = self._transport.json(
            "POST",
            dataset_path(name, "rows"),
            params={"mode": mode, "on_unknown": on_unknown},
            data=ipc_chunks(source, meter, cancel),
            headers={"Content-Type": ARROW_STREAM},
        )
        meter.finish()
        return IngestResult(int(document["inserted_rows"]), int(document["elapsed_ms"]))

    # --- reads ---------------------------------------------------------------------

    def stream(
        self,
        name: str,
        *,
        columns: str | Sequence[str] | None = None,
        filter: FilterLike | None = None,
        order_by: OrderBy | None = None,
        limit: int | None = None,
        offset: int | None = None,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
        total_rows: int | None = None,
    ) -> BatchStream:
        """Rows as record batches, one at a time: memory stays flat whatever the size.

        `total_rows`, when the caller knows it, fills Progress.total_rows (and fraction).
        """
        body = _row_query(columns, filter, order_by, limit, offset)
        return self._stream_query(name, body, progress, cancel, total_rows)

    def read_arrow(self, name: str, **options: Unpack[ReadOptions]) -> pa.Table:
        """Rows as a pyarrow Table; the options are stream()'s."""
        with self.stream(name, **options) as batches:
            return batches.read_all()

    def read(self, name: str, **options: Unpack[ReadOptions]) -> pl.DataFrame:
        """Rows as a polars DataFrame; the options are stream()'s."""
        return _frame(self.read_arrow(name, **options))

    def page(
        self,
        name: str,
        *,
        limit: int,
        cursor: str | None = None,
        columns: str | Sequence[str] | None = None,
        filter: FilterLike | None = None,
        order_by: OrderBy | None = None,
        cancel: CancelToken | None = None,
    ) -> Page:
        """One cursor page of at most `limit` rows, in a stable order.

        Pass the previous page's `next_cursor` (with the same query) for the next one.
        """
        if limit <= 0:
            raise ValueError("a page holds at least one row")
        body = _row_query(columns, filter, order_by, limit, None)
        if cursor is not None:
            body["cursor"] = cursor
        with self._stream_query(name, body, None, cancel) as batches:
            next_cursor = batches.headers.get("Quiver-Next-Cursor")
            table = batches.read_all()
        if next_cursor is None and table.num_rows >= limit:
            raise QuiverError(
                "the server sent a full page without a Quiver-Next-Cursor header: it does "
                "not support cursor pages (use limit and offset)"
            )
        return Page(table, next_cursor)

    def pages(
        self,
        name: str,
        *,
        page_size: int = 10_000,
        columns: str | Sequence[str] | None = None,
        filter: FilterLike | None = None,
        order_by: OrderBy | None = None,
        cursor: str | None = None,
        cancel: CancelToken | None = None,
    ) -> Iterator[Page]:
        """Every page of the read, fetched one at a time as you iterate (keyset cursors)."""
        while True:
            current = self.page(
                name,
                limit=page_size,
                cursor=cursor,
                columns=columns,
                filter=filter,
                order_by=order_by,
                cancel=cancel,
            )
            if current.num_rows or cursor is None:
                yield current
            if current.next_cursor is None:
                return
            cursor = current.next_cursor

    # --- queries -------------------------------------------------------------------

    def query_arrow(
        self,
        name: str,
        *,
        select: str | Sequence[str] | None = None,
        filter: FilterLike | None = None,
        group_by: str | Sequence[str] | None = None,
        aggregates: Sequence[Aggregate | Mapping[str, Any]] | None = None,
        bucket: Bucket | Mapping[str, Any] | None = None,
        order_by: OrderBy | None = None,
        limit: int | None = None,
        offset: int | None = None,
        distinct: bool = False,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> pa.Table:
        """The whole query, computed on the server, as a pyarrow Table.

        With `bucket` (`bucket("ts", every="1h")`) the bucket is the first group key and
        the rows come ordered by it; aggregates default to a count.
        """
        body = _row_query(select, filter, order_by, limit, offset)
        groups = _names(group_by)
        if groups:
            body["group_by"] = groups
        if aggregates:
            body["aggregates"] = [
                item.to_json() if isinstance(item, Aggregate) else dict(item) for item in aggregates
            ]
        if bucket is not None:
            body["bucket"] = bucket.to_json() if isinstance(bucket, Bucket) else dict(bucket)
        if distinct:
            body["distinct"] = True
        with self._stream_query(name, body, progress, cancel) as batches:
            return batches.read_all()

    def query(self, name: str, **options: Unpack[QueryOptions]) -> pl.DataFrame:
        """The whole query, computed on the server, as a polars DataFrame (see query_arrow)."""
        return _frame(self.query_arrow(name, **options))

    def count(self, name: str, *, filter: FilterLike | None = None) -> int:
        """Rows that pass `filter` (all rows without one), counted on the server."""
        table = self.query_arrow(
            name, filter=filter, aggregates=[Aggregate("count", alias_name="rows")]
        )
        return int(table.column("rows")[0].as_py())

    def sample(
        self,
        name: str,
        n: int | None = None,
        *,
        fraction: float | None = None,
        seed: int | None = None,
        columns: str | Sequence[str] | None = None,
        filter: FilterLike | None = None,
    ) -> pl.DataFrame:
        """A reproducible sample: `n` rows or a `fraction` of the filtered rows.

        The same seed gives the same rows.
        """
        if (n is None) == (fraction is None):
            raise ValueError("a sample has exactly one of n and fraction")
        spec: dict[str, Any] = (
            {"rows": _non_negative("n", n)} if n is not None else {"fraction": fraction}
        )
        if seed is not None:
            spec["seed"] = seed
        body = _row_query(columns, filter, None, None, None)
        body["sample"] = spec
        with self._stream_query(name, body, None, None) as batches:
            return _frame(batches.read_all())

    def download(
        self,
        name: str,
        path: str | os.PathLike[str],
        *,
        format: DownloadFormat = "parquet",
        compression: str | None = None,
        columns: str | Sequence[str] | None = None,
        filter: FilterLike | None = None,
        order_by: OrderBy | None = None,
        limit: int | None = None,
        offset: int | None = None,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> Path:
        """Streams the read, encoded by the server (Parquet by default), into a file.

        The file appears only when the transfer is complete; a failed or cancelled one
        leaves nothing behind. (JSON and CSV carry at most the server's text-row cap.)
        """
        target = Path(path)
        body = _row_query(columns, filter, order_by, limit, offset)
        params: dict[str, str] = {"format": format}
        if compression is not None:
            params["compression"] = compression
        response = self._transport.send(
            "POST",
            dataset_path(name, "query"),
            json_body=body,
            params=params,
            headers={"Accept-Encoding": ACCEPT_ENCODING},
            stream=True,
        )
        meter = ProgressMeter(progress)
        wire = WireBody(response, cancel, meter.add_bytes)
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent or ".")
        try:
            with wire, os.fdopen(handle, "wb") as output:
                while chunk := wire.read(1 << 20):
                    output.write(chunk)
            rows = wire.trailers.get("quiver-rows", "")
            meter.rows = int(rows) if rows.isdigit() else 0
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        meter.finish()
        return target

    # --- progress of server-side queries -------------------------------------------

    def queries(self) -> list[QueryStatus]:
        """The streamed reads in flight on the server, with their progress."""
        document = self._transport.json("GET", "/api/v1/queries")
        return [QueryStatus.from_json(item) for item in document["queries"]]

    def query_status(self, query_id: str) -> QueryStatus:
        """A streamed read's state and counts as the server sees them."""
        document = self._transport.json("GET", f"/api/v1/queries/{query_id}")
        return QueryStatus.from_json(document)

    def cancel_query(self, query_id: str) -> None:
        """Asks the server to stop a streamed read (its transfer then fails)."""
        self._transport.send("DELETE", f"/api/v1/queries/{query_id}")

    # --- plumbing ------------------------------------------------------------------

    def _stream_query(
        self,
        name: str,
        body: dict[str, Any],
        progress: ProgressCallback | None,
        cancel: CancelToken | None,
        total_rows: int | None = None,
    ) -> BatchStream:
        if cancel is not None:
            cancel.raise_if_cancelled()
        response = self._transport.send(
            "POST",
            dataset_path(name, "query"),
            json_body=body,
            params=self._read_params,
            headers={"Accept": ARROW_STREAM, "Accept-Encoding": ACCEPT_ENCODING},
            stream=True,
        )
        return BatchStream(response, progress, cancel, total_rows)

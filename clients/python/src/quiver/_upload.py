"""Upload sources as a stream of Arrow IPC bytes, one record batch at a time."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeAlias

import polars as pl
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
from pyarrow import ipc

from quiver.progress import CancelToken, ProgressMeter
from quiver.schema import DatasetInfo

IngestSource: TypeAlias = (
    pl.DataFrame | pl.LazyFrame | pa.Table | pa.RecordBatchReader | str | os.PathLike[str]
)
BATCH_ROWS = 65_536


@dataclass
class BatchSource:
    """Where the batches come from, their schema, and how many rows when that is known."""

    schema: pa.Schema
    batches: Iterable[pa.RecordBatch]
    total_rows: int | None


def open_source(data: IngestSource, dataset: DatasetInfo, batch_rows: int) -> BatchSource:
    """Batches of any accepted source; files are read lazily, never whole."""
    if isinstance(data, pl.LazyFrame):
        return _from_polars_lazy(data, batch_rows)
    if isinstance(data, pl.DataFrame):
        return _from_table(data.to_arrow(compat_level=pl.CompatLevel.oldest()), batch_rows)
    if isinstance(data, pa.Table):
        return _from_table(data, batch_rows)
    if isinstance(data, pa.RecordBatchReader):
        return BatchSource(data.schema, data, None)
    if isinstance(data, str | os.PathLike):
        return _from_path(Path(data), dataset, batch_rows)
    raise TypeError(
        "ingest takes a polars DataFrame or LazyFrame, a pyarrow Table or "
        f"RecordBatchReader, or a .parquet/.csv path; not {type(data).__name__}"
    )


def _from_table(table: pa.Table, batch_rows: int) -> BatchSource:
    return BatchSource(table.schema, table.to_batches(max_chunksize=batch_rows), table.num_rows)


def _from_polars_lazy(frame: pl.LazyFrame, batch_rows: int) -> BatchSource:
    def batches() -> Iterator[pa.RecordBatch]:
        for chunk in frame.collect_batches(chunk_size=batch_rows):
            yield from chunk.to_arrow(compat_level=pl.CompatLevel.oldest()).to_batches()

    iterator = batches()
    first = next(iterator, None)
    if first is None:
        empty = frame.head(0).collect().to_arrow(compat_level=pl.CompatLevel.oldest())
        return BatchSource(empty.schema, [], 0)

    def with_first() -> Iterator[pa.RecordBatch]:
        yield first
        yield from iterator

    return BatchSource(first.schema, with_first(), None)


def _from_path(path: Path, dataset: DatasetInfo, batch_rows: int) -> BatchSource:
    suffix = path.suffix.lower()
    if suffix in (".parquet", ".pq"):
        parquet = pq.ParquetFile(path)
        return BatchSource(
            parquet.schema_arrow,
            parquet.iter_batches(batch_size=batch_rows),
            parquet.metadata.num_rows,
        )
    if suffix in (".csv", ".tsv"):
        return _from_csv(path, dataset, delimiter="\t" if suffix == ".tsv" else ",")
    if suffix in (".arrow", ".arrows", ".feather", ".ipc"):
        return _from_ipc(path)
    raise ValueError(f"{path}: expected a .parquet, .csv, .tsv or Arrow IPC file")


def _from_csv(path: Path, dataset: DatasetInfo, delimiter: str) -> BatchSource:
    # Read the values as the dataset declares them; nested types have no CSV form.
    column_types = {
        column.name: column.arrow_type
        for column in dataset.columns
        if not pa.types.is_nested(column.arrow_type)
    }
    reader = pa_csv.open_csv(
        path,
        read_options=pa_csv.ReadOptions(block_size=8 << 20),
        parse_options=pa_csv.ParseOptions(delimiter=delimiter),
        # An empty field is null, as in the server's own CSV reader; "" stays an empty string.
        convert_options=pa_csv.ConvertOptions(
            column_types=column_types, strings_can_be_null=True, quoted_strings_can_be_null=False
        ),
    )
    return BatchSource(reader.schema, reader, None)


def _from_ipc(path: Path) -> BatchSource:
    with path.open("rb") as probe:
        is_file_format = probe.read(6) == b"ARROW1"
    if is_file_format:
        file_reader = ipc.open_file(pa.memory_map(str(path)))
        batches = (file_reader.get_batch(i) for i in range(file_reader.num_record_batches))
        return BatchSource(file_reader.schema, batches, None)
    stream_reader = ipc.open_stream(pa.memory_map(str(path)))
    return BatchSource(stream_reader.schema, stream_reader, None)


def plain_schema(schema: pa.Schema) -> pa.Schema:
    """The schema with large and view types replaced by the plain ones the server keeps."""
    return pa.schema([field.with_type(_plain(field.type)) for field in schema])


def _plain(kind: Any) -> Any:
    types = pa.types
    if types.is_large_string(kind) or types.is_string_view(kind):
        return pa.string()
    if types.is_large_binary(kind) or types.is_binary_view(kind):
        return pa.binary()
    if types.is_large_list(kind) or types.is_list_view(kind) or types.is_list(kind):
        return pa.list_(_plain(kind.value_type))
    if types.is_struct(kind):
        return pa.struct(
            [kind.field(i).with_type(_plain(kind.field(i).type)) for i in range(kind.num_fields)]
        )
    if types.is_dictionary(kind):
        return _plain(kind.value_type)
    return kind


class _Sink:
    """A write-only file that collects what the IPC writer writes, until it is taken."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.closed = False

    def write(self, data: Any) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        return None

    def close(self) -> None:
        self.closed = True

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        return data


def ipc_chunks(
    source: BatchSource, meter: ProgressMeter, cancel: CancelToken | None
) -> Iterator[bytes]:
    """The upload body: an Arrow IPC stream, one batch per chunk, never the whole."""
    schema = plain_schema(source.schema)
    sink = _Sink()
    writer = ipc.new_stream(sink, schema)
    yield sink.take()
    for batch in source.batches:
        if cancel is not None:
            cancel.raise_if_cancelled()
        if batch.num_rows == 0:
            continue
        writer.write_batch(batch if batch.schema.equals(schema) else batch.cast(schema))
        data = sink.take()
        meter.add_rows(batch.num_rows)
        meter.add_bytes(len(data))
        yield data
    writer.close()
    yield sink.take()

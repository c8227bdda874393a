"""The reference peer: a FastAPI + Polars backend written the way the sprint-3 brief describes.

Reads the Parquet file named by REFERENCE_PARQUET with pl.scan_parquet, so that filters,
column projections and slices are pushed down into the scan, collects the result into a
DataFrame, serialises it into a BytesIO (Arrow IPC stream or Parquet) and returns that
buffer through a StreamingResponse.

Two choices keep the comparison fair without departing from the brief:
- The handlers are plain `def` functions: FastAPI runs them in its thread pool, so a long
  collect never blocks the event loop (the brief's `async def` handlers would serialise
  every request behind the one running).
- The buffer is streamed in 1 MiB slices rather than by iterating the BytesIO, which would
  split binary data at every newline byte and send thousands of tiny chunks.

Run:  REFERENCE_PARQUET=data.parquet uvicorn bench.reference.app:app --port 8001
  or: python -m bench.reference --parquet data.parquet --port 8001
"""

from __future__ import annotations

import io
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

import polars as pl
from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.responses import StreamingResponse

PARQUET_ENVIRONMENT_VARIABLE = "REFERENCE_PARQUET"
ARROW_STREAM_MEDIA_TYPE = "application/vnd.apache.arrow.stream"
PARQUET_MEDIA_TYPE = "application/vnd.apache.parquet"
CHUNK_BYTES = 1 << 20
DEFAULT_PAGE_SIZE = 100


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    path = os.environ.get(PARQUET_ENVIRONMENT_VARIABLE)
    if not path:
        raise RuntimeError(f"set {PARQUET_ENVIRONMENT_VARIABLE} to the Parquet file to serve")
    source = pl.scan_parquet(path)
    app.state.source = source
    app.state.column_names = frozenset(source.collect_schema().names())
    yield


app = FastAPI(title="Quiver benchmark reference (FastAPI + Polars)", lifespan=lifespan)


def source_frame(request: Request) -> pl.LazyFrame:
    source: pl.LazyFrame = request.app.state.source
    return source


def parse_columns(request: Request, columns: str | None) -> list[str] | None:
    if not columns:
        return None
    names = [name.strip() for name in columns.split(",") if name.strip()]
    unknown = [name for name in names if name not in request.app.state.column_names]
    if unknown:
        raise HTTPException(status_code=400, detail=f"unknown columns: {', '.join(unknown)}")
    return names


def query_frame(
    request: Request,
    source: Annotated[pl.LazyFrame, Depends(source_frame)],
    *,
    columns: Annotated[str | None, Query(description="comma-separated column names")] = None,
    category: str | None = None,
    limit: Annotated[int | None, Query(ge=0)] = None,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> pl.LazyFrame:
    """The requested rows: filter by category, then project columns, then slice."""
    selected = parse_columns(request, columns)
    frame = source
    if category is not None:
        frame = frame.filter(pl.col("category") == category)
    if selected is not None:
        frame = frame.select(selected)
    if offset or limit is not None:
        frame = frame.slice(offset, limit)
    return frame


async def buffer_chunks(buffer: io.BytesIO) -> AsyncIterator[memoryview]:
    view = buffer.getbuffer()
    for start in range(0, len(view), CHUNK_BYTES):
        yield view[start : start + CHUNK_BYTES]


def arrow_stream_response(frame: pl.DataFrame) -> StreamingResponse:
    buffer = io.BytesIO()
    frame.write_ipc_stream(buffer)
    return StreamingResponse(buffer_chunks(buffer), media_type=ARROW_STREAM_MEDIA_TYPE)


def parquet_response(frame: pl.DataFrame) -> StreamingResponse:
    buffer = io.BytesIO()
    frame.write_parquet(buffer)
    return StreamingResponse(
        buffer_chunks(buffer),
        media_type=PARQUET_MEDIA_TYPE,
        headers={"Content-Disposition": "attachment; filename=data.parquet"},
    )


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/data/arrow_ipc")
def data_arrow_ipc(frame: Annotated[pl.LazyFrame, Depends(query_frame)]) -> StreamingResponse:
    return arrow_stream_response(frame.collect())


@app.get("/data/parquet")
def data_parquet(frame: Annotated[pl.LazyFrame, Depends(query_frame)]) -> StreamingResponse:
    return parquet_response(frame.collect())


@app.get("/data/aggregated_summary")
def data_aggregated_summary(
    source: Annotated[pl.LazyFrame, Depends(source_frame)],
    filter_category: str | None = None,
) -> StreamingResponse:
    frame = source
    if filter_category is not None:
        frame = frame.filter(pl.col("category") == filter_category)
    summary = (
        frame.group_by("category")
        .agg(
            pl.col("value").mean().alias("average_value"),
            pl.col("value").sum().alias("total_value"),
            pl.len().alias("record_count"),
        )
        .sort("category")
        .collect()
    )
    return arrow_stream_response(summary)


@app.get("/data/page")
def data_page(
    source: Annotated[pl.LazyFrame, Depends(source_frame)],
    limit: Annotated[int, Query(ge=0)] = DEFAULT_PAGE_SIZE,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> StreamingResponse:
    return arrow_stream_response(source.slice(offset, limit).collect())

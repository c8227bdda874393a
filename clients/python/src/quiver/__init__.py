"""Quiver's Python client: datasets in, Arrow out.

import quiver
from quiver import col

client = quiver.Client("http://127.0.0.1:8080")
frame = client.read("demo", filter=(col("value") > 5) & col("category").isin(["A", "B"]))
"""

from quiver._stream import BatchStream
from quiver.client import Client, IngestResult, Page, QueryStatus
from quiver.errors import (
    ApiError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    FieldError,
    ForbiddenError,
    NotAcceptableError,
    NotFoundError,
    PayloadTooLargeError,
    QuiverCancelledError,
    QuiverConnectionError,
    QuiverError,
    QuiverTimeoutError,
    QuiverTransferError,
    ServerError,
    UnsupportedMediaTypeError,
    ValidationError,
)
from quiver.expressions import Aggregate, Bucket, Column, Filter, bucket, col, count
from quiver.progress import CancelToken, Progress
from quiver.schema import Column as ColumnDef
from quiver.schema import DatasetInfo, arrow_type, type_name

__all__ = [
    "Aggregate",
    "ApiError",
    "AuthenticationError",
    "BadRequestError",
    "BatchStream",
    "Bucket",
    "CancelToken",
    "Client",
    "Column",
    "ColumnDef",
    "ConflictError",
    "DatasetInfo",
    "FieldError",
    "Filter",
    "ForbiddenError",
    "IngestResult",
    "NotAcceptableError",
    "NotFoundError",
    "Page",
    "PayloadTooLargeError",
    "Progress",
    "QueryStatus",
    "QuiverCancelledError",
    "QuiverConnectionError",
    "QuiverError",
    "QuiverTimeoutError",
    "QuiverTransferError",
    "ServerError",
    "UnsupportedMediaTypeError",
    "ValidationError",
    "arrow_type",
    "bucket",
    "col",
    "count",
    "type_name",
]
__version__ = "0.1.0"

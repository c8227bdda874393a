"""Exceptions raised by the client; every server error carries its problem+json fields."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


class QuiverError(Exception):
    """Base of every error this package raises."""


class QuiverConnectionError(QuiverError):
    """The server could not be reached, or the connection broke before an answer."""


class QuiverTimeoutError(QuiverConnectionError):
    """The server took longer than the client's timeout to answer."""


class QuiverTransferError(QuiverError):
    """A streamed response broke off after it began: the data is incomplete.

    Quiver leaves a failed transfer unfinished on purpose (a chunk is announced and never
    sent), so a failure can never pass for a short table. `reason` is the server's own
    words from the `quiver-error` chunk extension when it sent them.
    """

    def __init__(self, message: str, *, reason: str | None = None, bytes_received: int = 0) -> None:
        super().__init__(message)
        self.reason = reason
        self.bytes_received = bytes_received


class QuiverCancelledError(QuiverError):
    """The caller cancelled a read or an upload through its `CancelToken`."""


@dataclass(frozen=True)
class FieldError:
    """One problem the server found in a request: which field, which row (uploads), what."""

    field: str
    message: str
    row: int | None = None

    @classmethod
    def from_json(cls, document: Mapping[str, Any]) -> FieldError:
        row = document.get("row")
        return cls(
            field=str(document.get("field", "")),
            message=str(document.get("message", "")),
            row=int(row) if isinstance(row, int) else None,
        )

    def __str__(self) -> str:
        where = self.field if self.row is None else f"row {self.row}, {self.field}"
        return f"{where}: {self.message}"


class ApiError(QuiverError):
    """The server answered with an RFC 9457 problem document (or at least an error status)."""

    def __init__(
        self,
        status: int,
        *,
        title: str = "",
        detail: str = "",
        type: str = "about:blank",
        instance: str | None = None,
        errors: tuple[FieldError, ...] = (),
        request_id: str | None = None,
    ) -> None:
        self.status = status
        self.title = title
        self.detail = detail
        self.type = type
        self.instance = instance
        self.errors = errors
        self.request_id = request_id
        super().__init__(self._message())

    def _message(self) -> str:
        text = f"{self.status} {self.title}: {self.detail}" if self.detail else f"{self.status}"
        if self.errors:
            text += "; " + "; ".join(str(error) for error in self.errors[:5])
            if len(self.errors) > 5:
                text += f"; and {len(self.errors) - 5} more"
        return text


class BadRequestError(ApiError):
    """400: the request is malformed or names unknown columns, bad filters, bad cursors."""


class AuthenticationError(ApiError):
    """401: no token, or a token the server does not accept."""


class ForbiddenError(ApiError):
    """403: the token's role may not do this."""


class NotFoundError(ApiError):
    """404: no such dataset (or path)."""


class NotAcceptableError(ApiError):
    """406: the server cannot produce the requested format."""


class ConflictError(ApiError):
    """409: e.g. a dataset of that name already exists."""


class PayloadTooLargeError(ApiError):
    """413: the upload is over the server's body or memory limit."""


class UnsupportedMediaTypeError(ApiError):
    """415: the upload's Content-Type is not one the server reads."""


class ValidationError(ApiError):
    """422: the data or definition does not fit; `errors` names each field and row."""


class ServerError(ApiError):
    """5xx: the server failed, or is not ready."""


_BY_STATUS: dict[int, type[ApiError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: ForbiddenError,
    404: NotFoundError,
    406: NotAcceptableError,
    409: ConflictError,
    413: PayloadTooLargeError,
    415: UnsupportedMediaTypeError,
    422: ValidationError,
}


def error_for(
    status: int, document: Mapping[str, Any] | None, request_id: str | None = None
) -> ApiError:
    """The typed exception for an error status and its (possibly absent) problem document."""
    kind = _BY_STATUS.get(status, ServerError if status >= 500 else ApiError)
    body = document or {}
    raw_errors = body.get("errors")
    errors = tuple(
        FieldError.from_json(item)
        for item in (raw_errors if isinstance(raw_errors, list) else [])
        if isinstance(item, Mapping)
    )
    instance = body.get("instance")
    return kind(
        status,
        title=str(body.get("title", "")),
        detail=str(body.get("detail", "")),
        type=str(body.get("type", "about:blank")),
        instance=str(instance) if instance is not None else None,
        errors=errors,
        request_id=request_id,
    )

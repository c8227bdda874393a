"""HTTP plumbing: one requests.Session per thread, problem+json mapping, streamed bodies.

Streamed bodies are decoded chunk by chunk here rather than by urllib3, for two reasons:
a failed Quiver transfer announces a chunk with a `quiver-error="..."` extension (the
reason) that urllib3 and http.client drop, and the `Quiver-Rows` trailer that ends a
complete response is worth checking. The one seam into urllib3/http.client internals is
`_socket_file`; where it is missing the body is read through urllib3 instead (failures
are still errors, only without the server's reason).
"""

from __future__ import annotations

import contextlib
import io
import json
import socket
import threading
import zlib
from collections.abc import Callable, Iterable, Mapping
from typing import Any
from urllib.parse import quote

import requests
import urllib3

from quiver.errors import (
    QuiverCancelledError,
    QuiverConnectionError,
    QuiverError,
    QuiverTimeoutError,
    QuiverTransferError,
    error_for,
)
from quiver.progress import CancelToken

Timeout = float | tuple[float, float] | None
_MAX_LINE = 64 * 1024
_ERROR_EXTENSION = "quiver-error"


def dataset_path(name: str, *rest: str) -> str:
    return "/".join(["/api/v1/datasets", quote(name, safe=""), *rest])


class Transport:
    """Sends requests to one server; safe to share between threads."""

    def __init__(self, base_url: str, token: str | None, timeout: Timeout) -> None:
        if not base_url.startswith(("http://", "https://")):
            raise ValueError(f"base_url must start with http:// or https://, not {base_url!r}")
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self._headers = {"User-Agent": "quiver-python/0.1"}
        if token:
            self._headers["Authorization"] = f"Bearer {token}"
        self._local = threading.local()
        self._sessions: list[requests.Session] = []
        self._lock = threading.Lock()

    def _session(self) -> requests.Session:
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.headers.update(self._headers)
            self._local.session = session
            with self._lock:
                self._sessions.append(session)
        return session

    def close(self) -> None:
        with self._lock:
            sessions, self._sessions = self._sessions, []
        for session in sessions:
            session.close()
        self._local = threading.local()

    def send(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        params: Mapping[str, str] | None = None,
        data: bytes | Iterable[bytes] | None = None,
        headers: Mapping[str, str] | None = None,
        stream: bool = False,
    ) -> requests.Response:
        """Sends one request; raises the typed ApiError for any error status."""
        try:
            response = self._session().request(
                method,
                self.base_url + path,
                json=json_body,
                params=params,
                data=data,
                headers=dict(headers or {}),
                stream=stream,
                timeout=self.timeout,
            )
        except requests.exceptions.ChunkedEncodingError as error:
            raise QuiverTransferError(f"the response broke off: {error}") from error
        except requests.ReadTimeout as error:
            raise QuiverTimeoutError(
                f"no answer from {self.base_url} within the timeout ({self.timeout} s)"
            ) from error
        except (requests.ConnectionError, requests.Timeout) as error:
            raise QuiverConnectionError(
                f"cannot reach {self.base_url}: {_root_cause(error)}"
            ) from error
        if response.status_code >= 400:
            raise _problem(response)
        return response

    def json(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.send(method, path, **kwargs)
        if response.status_code == 204 or not response.content:
            return None
        return response.json()


def _root_cause(error: BaseException) -> str:
    while error.__context__ is not None and str(error.__context__):
        error = error.__context__
    return str(error)


def _problem(response: requests.Response) -> QuiverError:
    """The typed exception of an error response (reads its small body)."""
    request_id = response.headers.get("X-Request-Id")
    document: dict[str, Any] | None = None
    try:
        content = response.content
        parsed = json.loads(content) if content else None
        if isinstance(parsed, dict):
            document = parsed
    except (ValueError, requests.RequestException):
        document = None
    if document is None:
        text = response.text[:500] if response.content else ""
        document = {"title": response.reason or "", "detail": text}
    response.close()
    return error_for(response.status_code, document, request_id)


class WireBody(io.RawIOBase):
    """The body of a chunked streaming response, as a file that pyarrow can read.

    Raises QuiverTransferError when the transfer breaks off (with the server's reason
    when it gave one), QuiverCancelledError when the cancel token fires. After a clean
    end, `trailers` holds the response trailers (Quiver-Rows).
    """

    def __init__(
        self,
        response: requests.Response,
        cancel: CancelToken | None = None,
        on_bytes: Callable[[int], None] | None = None,
    ) -> None:
        super().__init__()
        self.response = response
        self.cancel = cancel
        self.on_bytes = on_bytes
        self.bytes_received = 0
        self.trailers: dict[str, str] = {}
        self.finished = False
        self._chunk_left = 0
        self._file = _socket_file(response)
        # urllib3 undoes Content-Encoding itself on its path; ours does it here.
        self._decoder = _decoder(response) if self._file is not None else None
        self._decoded = b""
        self._decoded_at = 0
        self._flushed = False
        self._wire_view = memoryview(bytearray(256 * 1024))
        self._remove_hook = cancel.on_cancel(self._interrupt) if cancel else (lambda: None)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        """Fills `buffer` entirely unless the body ends first (pyarrow counts on whole
        reads: a short one would look like a truncated message)."""
        view = memoryview(buffer).cast("B")
        filled = 0
        while filled < len(view):
            count = self._readinto_once(view[filled:])
            if count == 0:
                break
            filled += count
        return filled

    def _readinto_once(self, view: memoryview) -> int:
        if self.cancel is not None:
            self.cancel.raise_if_cancelled()
        try:
            if self._decoder is None:
                return self._read_wire(view)
            return self._read_decoded(view, self._decoder)
        except (OSError, urllib3.exceptions.HTTPError) as error:
            raise self._failure(f"the connection failed: {error}") from error
        except zlib.error as error:
            raise self._failure(f"the compressed body is corrupt: {error}") from error

    def _read_wire(self, view: memoryview) -> int:
        """Body bytes as sent (still content-encoded), counted for progress."""
        if self.finished:
            return 0
        count = self._read_into(view)
        self.bytes_received += count
        if self.on_bytes is not None and count:
            self.on_bytes(count)
        return count

    def _read_decoded(self, view: memoryview, decoder: Any) -> int:
        """Body bytes with the Content-Encoding (gzip or deflate) undone."""
        while self._decoded_at >= len(self._decoded):
            if self.finished:
                if self._flushed:
                    if not decoder.eof:
                        raise self._failure("the compressed body ended early")
                    return 0
                self._decoded, self._decoded_at = decoder.flush(), 0
                self._flushed = True
                continue
            count = self._read_wire(self._wire_view)
            if count:
                self._decoded, self._decoded_at = decoder.decompress(self._wire_view[:count]), 0
        end = min(len(self._decoded), self._decoded_at + len(view))
        count = end - self._decoded_at
        view[:count] = self._decoded[self._decoded_at : end]
        self._decoded_at = end
        return count

    def _read_into(self, view: memoryview) -> int:
        if self._file is None:
            return self._read_through_urllib3(view)
        if self._chunk_left == 0:
            self._next_chunk(self._file)
            if self.finished:
                return 0
        wanted = min(len(view), self._chunk_left)
        count = self._file.readinto(view[:wanted])
        if not count:
            raise self._failure("the server closed the connection in the middle of a chunk")
        self._chunk_left -= count
        if self._chunk_left == 0 and self._file.read(2) != b"\r\n":
            raise self._failure("a chunk did not end with CRLF")
        return count

    def _read_through_urllib3(self, view: memoryview) -> int:
        data = self.response.raw.read(len(view), decode_content=True)
        if not data:
            self.finished = True
            return 0
        view[: len(data)] = data
        return len(data)

    def _next_chunk(self, file: io.BufferedReader) -> None:
        line = file.readline(_MAX_LINE)
        if not line:
            raise self._failure("the server closed the connection before the end")
        if not line.endswith(b"\r\n"):
            raise self._failure("a chunk header was cut off")
        size_text, _, extensions = line[:-2].decode("latin-1").partition(";")
        reason = _extension(extensions, _ERROR_EXTENSION)
        if reason is not None:
            raise self._failure(f"the server failed while streaming: {reason}", reason)
        try:
            size = int(size_text.strip(), 16)
        except ValueError:
            raise self._failure(f"bad chunk size {size_text!r}") from None
        if size == 0:
            self._read_trailers(file)
            return
        self._chunk_left = size

    def _read_trailers(self, file: io.BufferedReader) -> None:
        while True:
            line = file.readline(_MAX_LINE)
            if not line.endswith(b"\r\n"):
                raise self._failure("the trailers were cut off")
            if line == b"\r\n":
                break
            name, _, value = line.decode("latin-1").partition(":")
            self.trailers[name.strip().lower()] = value.strip()
        self.finished = True

    def _failure(self, message: str, reason: str | None = None) -> QuiverError:
        if self.cancel is not None and self.cancel.cancelled:
            return QuiverCancelledError("cancelled")
        return QuiverTransferError(
            f"{message} (after {self.bytes_received} bytes)",
            reason=reason,
            bytes_received=self.bytes_received,
        )

    def _interrupt(self) -> None:
        """Wakes a read blocked on the socket (called from the cancelling thread)."""
        connection = getattr(self.response.raw, "connection", None)
        sock = getattr(connection, "sock", None)
        if isinstance(sock, socket.socket):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        if self.closed:
            return
        self._remove_hook()
        if self.finished and self._file is not None:
            # The whole message was read: hand the connection back for the next request.
            original = getattr(self.response.raw, "_fp", None)
            if original is not None:
                original.close()
            self.response.raw.release_conn()
        else:
            self.response.close()
        super().close()


ACCEPT_ENCODING = "gzip"  # what WireBody can undo with the standard library


def _decoder(response: requests.Response) -> Any:
    """A zlib decompressor for the response's Content-Encoding (None for identity)."""
    encoding = response.headers.get("Content-Encoding", "").strip().lower()
    if encoding in ("", "identity"):
        return None
    if encoding in ("gzip", "x-gzip", "deflate"):
        return zlib.decompressobj(zlib.MAX_WBITS | 32)  # gzip or zlib header, detected
    response.close()
    raise QuiverTransferError(f"the server sent Content-Encoding {encoding!r}, not asked for")


def _socket_file(response: requests.Response) -> io.BufferedReader | None:
    """The buffered socket file under a chunked response, or None to read via urllib3."""
    if "chunked" not in response.headers.get("Transfer-Encoding", "").lower():
        return None
    original = getattr(response.raw, "_fp", None)
    file = getattr(original, "fp", None)
    if getattr(original, "chunked", False) and isinstance(file, io.BufferedReader):
        return file
    return None


def _extension(extensions: str, wanted: str) -> str | None:
    """The value of one chunk extension (`name="quoted value"` or `name=token`)."""
    for part in _split_extensions(extensions):
        name, _, value = part.partition("=")
        if name.strip().lower() != wanted:
            continue
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = value[1:-1].replace('\\"', '"').replace("\\\\", "\\")
        return value
    return None


def _split_extensions(text: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    escaped = False
    for character in text:
        if escaped:
            escaped = False
        elif character == "\\" and quoted:
            escaped = True
        elif character == '"':
            quoted = not quoted
        elif character == ";" and not quoted:
            parts.append("".join(current))
            current = []
            continue
        current.append(character)
    parts.append("".join(current))
    return [part for part in parts if part.strip()]

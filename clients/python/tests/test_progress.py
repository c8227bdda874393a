"""Read progress as the server tracks it, and cancelling a read on the server."""

from __future__ import annotations

import pytest

import quiver


def test_query_progress_and_server_side_cancel(client: quiver.Client) -> None:
    with client.stream("demo") as stream:
        assert stream.query_id
        next(iter(stream))
        status = client.query_status(stream.query_id)
        assert stream.query_id in [query.id for query in client.queries()]
        assert status.id == stream.query_id
        assert status.dataset == "demo"
        assert status.state == "running"
        assert status.rows_sent > 0
        client.cancel_query(stream.query_id)
        assert status.bytes_sent > 0
        assert status.format == "arrow"
        with pytest.raises(quiver.QuiverTransferError) as stopped:
            for _ in stream:
                pass
        assert stopped.value.reason is not None
        assert "cancelled" in stopped.value.reason
    assert client.query_status(stream.query_id).state == "cancelled"
    with pytest.raises(quiver.NotFoundError):
        client.query_status("no-such-query")

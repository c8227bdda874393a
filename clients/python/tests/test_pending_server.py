"""Client features whose server side is still landing: query progress and server cancel.

scripts/test does not run this file until the server snapshot supports them.
"""

from __future__ import annotations

import pytest

import quiver


def test_query_progress_and_server_side_cancel(client: quiver.Client) -> None:
    with client.stream("demo") as stream:
        assert stream.query_id
        next(iter(stream))
        status = client.query_status(stream.query_id)
        assert status.id == stream.query_id
        assert status.dataset == "demo"
        assert status.state == "running"
        assert status.rows_sent > 0
        client.cancel_query(stream.query_id)
        with pytest.raises(quiver.QuiverTransferError):
            for _ in stream:
                pass
    assert client.query_status(stream.query_id).state == "cancelled"
    with pytest.raises(quiver.NotFoundError):
        client.query_status("no-such-query")

"""The web app's files: served at /, index.html as the app's fallback, nothing outside."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
import requests
from conftest import RunningServer, start_server


@pytest.fixture(scope="module")
def web_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    root = tmp_path_factory.mktemp("web")
    (root / "index.html").write_text("<!doctype html><title>Quiver</title>")
    (root / "assets").mkdir()
    (root / "assets" / "app-1234.js").write_text("console.log('quiver')")
    (root / "assets" / "style.css").write_text("body{}")
    outside = tmp_path_factory.mktemp("outside")
    (outside / "secret.txt").write_text("classified-content")
    (root / "escape").symlink_to(outside)
    server = start_server(tmp_path_factory.mktemp("data"), "--web-root", str(root))
    yield server
    server.stop()


def raw_get(server: RunningServer, target: str) -> bytes:
    """Sends the target as written, without a client normalising it first."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as connection:
        connection.sendall(
            f"GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode()
        )
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
    return received


def test_index_at_root(web_server: RunningServer) -> None:
    response = requests.get(web_server.url + "/", timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    assert "<title>Quiver</title>" in response.text
    assert response.headers["Cache-Control"] == "no-cache"


def test_head_answers_like_get_without_a_body(web_server: RunningServer) -> None:
    head = requests.head(web_server.url + "/assets/app-1234.js", timeout=10)
    assert head.status_code == 200
    assert head.headers["Content-Type"].startswith("text/javascript")
    assert head.headers["Content-Length"] == str(len("console.log('quiver')"))
    assert head.content == b""
    # The connection stays usable: no stray body bytes were sent.
    with requests.Session() as session:
        assert session.head(web_server.url + "/", timeout=10).status_code == 200
        assert session.get(web_server.url + "/assets/style.css", timeout=10).text == "body{}"


def test_assets_with_types_and_long_cache(web_server: RunningServer) -> None:
    script = requests.get(web_server.url + "/assets/app-1234.js", timeout=10)
    assert script.status_code == 200
    assert script.headers["Content-Type"].startswith("text/javascript")
    assert "immutable" in script.headers["Cache-Control"]
    assert script.text == "console.log('quiver')"
    style = requests.get(web_server.url + "/assets/style.css", timeout=10)
    assert style.headers["Content-Type"].startswith("text/css")


def test_app_routes_fall_back_to_index(web_server: RunningServer) -> None:
    response = requests.get(web_server.url + "/datasets/demo", timeout=10)
    assert response.status_code == 200
    assert "<title>Quiver</title>" in response.text


def test_missing_file_is_404_not_index(web_server: RunningServer) -> None:
    response = requests.get(web_server.url + "/assets/missing.js", timeout=10)
    assert response.status_code == 404
    assert response.headers["Content-Type"] == "application/problem+json"


def test_api_paths_never_fall_back(web_server: RunningServer) -> None:
    response = requests.get(web_server.url + "/api/v1/nothing", timeout=10)
    assert response.status_code == 404
    assert response.headers["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize(
    "target",
    [
        "/../../../../etc/passwd",
        "/assets/..%2f..%2f..%2fetc%2fpasswd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/assets/%5c..%5c..%5cetc%5cpasswd",
        "/escape/secret.txt",
    ],
)
def test_nothing_outside_the_root(web_server: RunningServer, target: str) -> None:
    answer = raw_get(web_server, target)
    status_line = answer.split(b"\r\n", 1)[0]
    assert b" 404 " in status_line, status_line
    assert b"root:" not in answer
    assert b"classified-content" not in answer


def test_without_web_root_nothing_is_served(server: RunningServer) -> None:
    assert requests.get(server.url + "/", timeout=10).status_code == 404

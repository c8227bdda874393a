"""quiverd's foundation against a real process: routes, errors, config, shutdown."""

from __future__ import annotations

import signal
import socket
import subprocess
import time
from pathlib import Path

import requests
from conftest import QUIVERD, RunningServer, start_server

PROBLEM_JSON = "application/problem+json"


def test_health_answers_ok_as_json(server: RunningServer) -> None:
    response = requests.get(f"{server.url}/api/v1/health", timeout=5)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok"}
    assert response.headers["X-Request-Id"]


def test_ready_once_storage_is_open_and_file_is_in_data_dir(
    server: RunningServer,
) -> None:
    response = requests.get(f"{server.url}/api/v1/ready", timeout=5)
    assert response.status_code == 200
    assert (server.data_dir / "quiver.duckdb").is_file()


def test_unknown_route_is_404_problem_json(server: RunningServer) -> None:
    response = requests.get(f"{server.url}/api/v1/no-such-thing", timeout=5)
    assert response.status_code == 404
    assert response.headers["Content-Type"] == PROBLEM_JSON
    problem = response.json()
    assert problem["status"] == 404
    assert problem["title"] == "Not Found"
    assert problem["instance"] == "/api/v1/no-such-thing"


def test_wrong_method_is_405_with_allow(server: RunningServer) -> None:
    response = requests.delete(f"{server.url}/api/v1/health", timeout=5)
    assert response.status_code == 405
    assert response.headers["Content-Type"] == PROBLEM_JSON
    assert response.headers["Allow"] == "GET"
    assert response.json()["status"] == 405


def test_keep_alive_serves_many_requests_on_one_connection(
    server: RunningServer,
) -> None:
    with requests.Session() as session:
        for _ in range(20):
            assert session.get(f"{server.url}/api/v1/health", timeout=5).status_code == 200
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as connection:
        request = b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n"
        connection.sendall(request * 3)  # pipelined
        received = b""
        while received.count(b"HTTP/1.1 200 OK") < 3:
            chunk = connection.recv(65536)
            assert chunk, "connection closed early"
            received += chunk


def test_client_request_id_is_echoed(server: RunningServer) -> None:
    response = requests.get(
        f"{server.url}/api/v1/health", headers={"X-Request-Id": "trace-42"}, timeout=5
    )
    assert response.headers["X-Request-Id"] == "trace-42"


def test_oversized_header_is_431(server: RunningServer) -> None:
    response = requests.get(
        f"{server.url}/api/v1/health", headers={"X-Big": "a" * 40_000}, timeout=5
    )
    assert response.status_code == 431
    assert response.headers["Content-Type"] == PROBLEM_JSON


def test_garbage_is_400_problem_json(server: RunningServer) -> None:
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as connection:
        connection.sendall(b"NOT HTTP AT ALL\r\n\r\n")
        reply = connection.recv(65536)
    assert reply.startswith(b"HTTP/1.1 400")
    assert PROBLEM_JSON.encode() in reply


def test_body_over_limit_is_413(tmp_path: Path) -> None:
    running = start_server(tmp_path / "data", "--max-body-bytes", "1000")
    try:
        response = requests.post(f"{running.url}/api/v1/health", data=b"x" * 5000, timeout=5)
        assert response.status_code == 413
        assert response.headers["Content-Type"] == PROBLEM_JSON
    finally:
        running.stop()


def test_request_log_is_one_json_line_per_request(tmp_path: Path) -> None:
    running = start_server(tmp_path / "data")
    requests.get(f"{running.url}/api/v1/health", headers={"X-Request-Id": "log-me"}, timeout=5)
    assert running.stop() == 0
    lines = running.read_log()
    request_lines = [line for line in lines if line.get("request_id") == "log-me"]
    assert len(request_lines) == 1
    line = request_lines[0]
    assert line["event"] == "request"
    assert line["method"] == "GET"
    assert line["path"] == "/api/v1/health"
    assert line["status"] == 200
    assert line["bytes"] == len(b'{"status":"ok"}')
    assert isinstance(line["duration_us"], int)


def test_sigterm_closes_idle_connections_and_exits_zero(tmp_path: Path) -> None:
    running = start_server(tmp_path / "data", "--shutdown-grace-seconds", "20")
    idle = socket.create_connection(("127.0.0.1", running.port), timeout=5)
    idle.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
    assert idle.recv(65536).startswith(b"HTTP/1.1 200")
    started = time.monotonic()
    running.process.send_signal(signal.SIGTERM)
    assert running.process.wait(timeout=15) == 0
    # An idle keep-alive connection must not hold the process for the grace period.
    assert time.monotonic() - started < 10
    assert idle.recv(65536) == b""
    events = [line["event"] for line in running.read_log()]
    assert "shutdown_started" in events
    assert "shutdown_complete" in events
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", running.port)) != 0


def test_sigint_also_stops_gracefully(tmp_path: Path) -> None:
    running = start_server(tmp_path / "data")
    running.process.send_signal(signal.SIGINT)
    assert running.process.wait(timeout=15) == 0


def test_sigterm_lets_an_in_flight_request_finish(tmp_path: Path) -> None:
    running = start_server(tmp_path / "data", "--shutdown-grace-seconds", "20")
    with socket.create_connection(("127.0.0.1", running.port), timeout=10) as connection:
        # Headers complete, body still coming: the request is in flight.
        connection.sendall(
            b"POST /api/v1/health HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nab"
        )
        time.sleep(0.2)
        running.process.send_signal(signal.SIGTERM)
        time.sleep(0.2)
        connection.sendall(b"cd")
        reply = connection.recv(65536)
    assert reply.startswith(b"HTTP/1.1 405")
    assert running.process.wait(timeout=15) == 0


def bad_config_error(variable: str, value: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(QUIVERD)],
        check=False,
        env={variable: value, "QUIVER_DATA_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=10,
    )


def test_bad_configuration_stops_with_one_line_naming_the_variable(
    tmp_path: Path,
) -> None:
    for variable, value in [
        ("QUIVER_PORT", "eighty"),
        ("QUIVER_HOST", "nowhere!"),
        ("QUIVER_LOG_LEVEL", "chatty"),
        ("QUIVER_THREADS", "-3"),
    ]:
        result = bad_config_error(variable, value, tmp_path)
        assert result.returncode == 2, (variable, result)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert variable in lines[0]
        assert value in lines[0]


def test_port_in_use_is_a_clear_error(server: RunningServer, tmp_path: Path) -> None:
    result = subprocess.run(
        [str(QUIVERD), "--port", str(server.port), "--data-dir", str(tmp_path)],
        check=False,
        capture_output=True,
        text=True,
        timeout=10,
    )
    assert result.returncode == 1
    assert "cannot listen" in result.stderr
    assert str(server.port) in result.stderr

"""Slowloris: clients that send half a request and wait. Against gunicorn's sync workers alone, each such
connection holds a worker until --timeout (30 s), so two of them stall a two-worker site; behind nginx as the
image runs it (docker/entrypoint.sh `web`), nginx holds them and /health/ still answers at once.

Bounded: 50 connections to 127.0.0.1 only, held for a few seconds, all closed after."""

import shutil
import socket
import sys
import time
from contextlib import contextmanager

import pytest

from .servers import answers, free_port, production_env, serving, single_container

HALF_OPEN = 50
PATIENCE = 3.0  # seconds a health probe waits for an answer here; the bar is 1 s
# Headers begun and never finished: the request line and one header, with no blank line after.
HALF_A_REQUEST = b"GET /health/ HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow\r\n"

pytestmark = pytest.mark.skipif(not shutil.which("nginx", path="/usr/sbin:/usr/bin"), reason="needs Debian's nginx")


@contextmanager
def half_open_connections(port, count=HALF_OPEN):
    connections = []
    try:
        for _ in range(count):
            connection = socket.create_connection(("127.0.0.1", port), timeout=2)
            connection.sendall(HALF_A_REQUEST)
            connections.append(connection)
        time.sleep(0.5)  # let the server take them up
        yield connections
    finally:
        for connection in connections:
            connection.close()


def still_open(connection):
    """True while the server neither answered nor closed this connection."""
    connection.setblocking(False)
    try:
        return connection.recv(1) != b""  # data: it answered (not expected of a half request)
    except BlockingIOError:
        return True
    except OSError:
        return False
    finally:
        connection.settimeout(2)


def health_answer_seconds(base):
    """How long /health/ took to answer 200, or None when it did not within PATIENCE."""
    started = time.monotonic()
    try:
        with socket.create_connection(("127.0.0.1", int(base.rsplit(":", 1)[1])), timeout=PATIENCE) as probe:
            probe.sendall(b"GET /health/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            status_line = probe.makefile("rb").readline()
    except TimeoutError:
        return None
    assert status_line.startswith(b"HTTP/1.1 200"), status_line
    return time.monotonic() - started


def two_worker_env(tmp_path):
    # The image's default worker count; no database is needed for /health/.
    return production_env(tmp_path, WEB_CONCURRENCY="2", SECURE_SSL_REDIRECT="false")


@contextmanager
def bare_sync_gunicorn(tmp_path):
    port = free_port()
    command = [
        sys.executable, "-m", "gunicorn", "config.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--workers", "2", "--no-control-socket",
    ]  # fmt: skip
    with serving(command, two_worker_env(tmp_path), f"http://127.0.0.1:{port}", what="gunicorn") as base:
        yield base


def test_health_answers_within_a_second_while_50_half_open_requests_are_held_by_nginx(tmp_path):
    with single_container(tmp_path, two_worker_env(tmp_path)) as base:
        assert health_answer_seconds(base) < 1  # warmed up
        with half_open_connections(int(base.rsplit(":", 1)[1])) as held:
            took = [health_answer_seconds(base) for _ in range(3)]
            assert all(still_open(connection) for connection in held)  # the attack is still on
        assert all(seconds is not None and seconds < 1 for seconds in took), took


def test_bare_sync_gunicorn_stalls_under_the_same_50_connections(tmp_path):
    """The attack itself, on the setup the image no longer uses: the test above would fail here."""
    with bare_sync_gunicorn(tmp_path) as base:
        assert health_answer_seconds(base) < 1
        with half_open_connections(int(base.rsplit(":", 1)[1])):
            stalled = health_answer_seconds(base)
        assert stalled is None or stalled >= 1
        assert answers(f"{base}/health/")  # the workers come back once the connections close

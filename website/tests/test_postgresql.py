"""The PostgreSQL backend's health check (website/postgresql/base.py) against a real server: a quiet connection
is reused without a query, one the server has ended is replaced, and anything else on the socket gets Django's
own `SELECT 1`. PostgreSQL only: bin/with-services sets DATABASE_URL."""

import select
import time

import pytest

from django.db import connections

pytestmark = [
    pytest.mark.skipif(
        connections["default"].vendor != "postgresql", reason="PostgreSQL only: bin/with-services sets DATABASE_URL"
    ),
    pytest.mark.django_db,
]


@pytest.fixture
def open_connection():
    """A connection of the site's own backend to the test database, outside the test's transaction, as a
    gunicorn worker holds one between requests."""
    connection = connections.create_connection("default")
    connection.ensure_connection()
    yield connection
    connection.close()


@pytest.fixture
def observer():
    """A second connection, to see what the first one's server process last ran."""
    connection = connections.create_connection("default")
    yield connection
    connection.close()


def last_statement(observer, connection):
    with observer.cursor() as cursor:
        cursor.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [connection.connection.info.backend_pid])
        return cursor.fetchone()[0]


def run(connection, sql):
    with connection.cursor() as cursor:
        cursor.execute(sql)


def next_request(connection):
    """What Django does for a connection at the start of a request (django.db.close_old_connections)."""
    connection.health_check_done = False
    connection.close_if_health_check_failed()


def wait_until_readable(connection, seconds=5):
    deadline = time.monotonic() + seconds
    socket = connection.connection.pgconn.socket
    while not select.select([socket], [], [], 0.05)[0]:
        assert time.monotonic() < deadline, "the server sent nothing"


def test_the_site_runs_on_its_own_backend_with_health_checks_on(open_connection):
    assert type(open_connection).__module__ == "website.postgresql.base"
    assert open_connection.health_check_enabled


def test_a_quiet_connection_is_reused_without_asking_the_server(open_connection, observer):
    run(open_connection, "SELECT 'the last request'")
    psycopg_connection = open_connection.connection

    next_request(open_connection)

    assert open_connection.connection is psycopg_connection
    assert open_connection.health_check_done
    assert last_statement(observer, open_connection) == "SELECT 'the last request'"


def test_a_connection_the_server_ended_is_replaced_before_the_request_uses_it(open_connection, observer):
    ended_pid = open_connection.connection.info.backend_pid
    run(observer, f"SELECT pg_terminate_backend({ended_pid})")
    wait_until_readable(open_connection)

    next_request(open_connection)

    assert open_connection.connection is None  # closed, to be opened again by the request's first query
    with open_connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid(), 1 + 1")
        pid, answer = cursor.fetchone()
    assert (pid != ended_pid, answer) == (True, 2)


def test_anything_else_waiting_on_the_socket_gets_djangos_own_check_and_a_good_connection_stays(
    open_connection, observer
):
    run(open_connection, "LISTEN pagecart_health")
    run(observer, "NOTIFY pagecart_health")
    wait_until_readable(open_connection)
    psycopg_connection = open_connection.connection

    next_request(open_connection)

    assert open_connection.connection is psycopg_connection
    assert last_statement(observer, open_connection) == "SELECT 1"


def test_a_connection_left_inside_a_transaction_is_not_quiet(open_connection):
    open_connection.connection.autocommit = False
    run(open_connection, "SELECT 1")

    assert not open_connection.connection_is_quiet()
    open_connection.connection.rollback()
    open_connection.connection.autocommit = True
    assert open_connection.connection_is_quiet()


@pytest.fixture
def descriptors_above_1023():
    """Enough files open that the next socket's descriptor is above 1,023, where select() cannot look."""
    import os
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < 1200:
        pytest.skip(f"this machine allows {hard} open files")
    enough = soft if soft == resource.RLIM_INFINITY or soft >= 1200 else 1200
    resource.setrlimit(resource.RLIMIT_NOFILE, (enough, hard))
    opened = []
    try:
        while not opened or opened[-1] < 1030:
            opened.append(os.open(os.devnull, os.O_RDONLY))
        yield
    finally:
        for descriptor in opened:
            os.close(descriptor)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def test_a_connection_whose_descriptor_is_above_1023_is_checked_without_a_round_trip_too(
    descriptors_above_1023, observer
):
    connection = connections.create_connection("default")
    try:
        run(connection, "SELECT 'the last request'")
        assert connection.connection.pgconn.socket > 1023

        next_request(connection)

        assert last_statement(observer, connection) == "SELECT 'the last request'"
    finally:
        connection.close()

"""Settings fail fast when a secret is missing, and SQLite is set up for a web server's concurrency."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from django.db import OperationalError, connections, transaction

PROJECT = Path(__file__).resolve().parents[2]


def import_production_settings(tmp_path, **env):
    """Import website.settings.production in a fresh interpreter with only the given environment."""
    clean_env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "DATA_DIR": str(tmp_path / "data"),
        # Set but empty: a developer's .env (read with overwrite=False) cannot supply a key behind our back.
        "SECRET_KEY": "",
        **env,
    }
    return subprocess.run(
        [sys.executable, "-c", "import website.settings.production"],
        cwd=PROJECT,
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_settings_refuse_to_load_without_a_secret_key(tmp_path):
    result = import_production_settings(tmp_path, ALLOWED_HOSTS="shop.example.com")

    assert result.returncode != 0
    assert "django.core.exceptions.ImproperlyConfigured: SECRET_KEY must be set in the environment" in result.stderr


def test_production_settings_refuse_to_load_without_allowed_hosts(tmp_path):
    result = import_production_settings(tmp_path, SECRET_KEY="x" * 20 + "-long-enough-and-random-0123456789abcdef")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_settings_load_with_a_secret_key_and_hosts(tmp_path):
    result = import_production_settings(
        tmp_path, SECRET_KEY="k3y-" + "a1b2c3d4e5" * 6, ALLOWED_HOSTS="shop.example.com"
    )

    assert result.returncode == 0, result.stderr


@pytest.fixture
def open_file_database(tmp_path, django_db_blocker):
    """Connections configured exactly like the project's SQLite database, on one file in tmp_path."""
    opened = []

    def open_connection(alias, **options):
        base = connections["default"].settings_dict
        settings_dict = {
            **base,
            "NAME": str(tmp_path / "concurrency.sqlite3"),
            "OPTIONS": {**base["OPTIONS"], **options},
        }
        connection = connections["default"].__class__(settings_dict, alias=alias)
        connections[alias] = connection
        opened.append(alias)
        return connection

    with django_db_blocker.unblock():
        yield open_connection
        for alias in opened:
            connections[alias].close()
            del connections[alias]


def pragma(connection, name):
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA {name}")
        return cursor.fetchone()[0]


sqlite_only = pytest.mark.skipif(connections["default"].vendor != "sqlite", reason="SQLite settings")


@sqlite_only
def test_sqlite_runs_in_wal_mode_with_a_busy_timeout_and_foreign_keys(open_file_database):
    connection = open_file_database("sqlite_file")

    assert pragma(connection, "journal_mode") == "wal"
    assert pragma(connection, "busy_timeout") == 20_000
    assert pragma(connection, "foreign_keys") == 1
    assert pragma(connection, "synchronous") == 1  # NORMAL


@sqlite_only
def test_a_transaction_holds_the_write_lock_from_its_start(open_file_database):
    """With IMMEDIATE transactions a second writer waits at BEGIN (and here, with a tiny timeout, gives up)
    instead of both proceeding and one failing half-way through with 'database is locked'."""
    first = open_file_database("sqlite_first")
    second = open_file_database("sqlite_second", timeout=0.1)
    with first.cursor() as cursor:
        cursor.execute("CREATE TABLE counter (n integer)")

    with transaction.atomic(using="sqlite_first"):
        assert pragma(first, "journal_mode") == "wal"
        with pytest.raises(OperationalError, match="locked"), transaction.atomic(using="sqlite_second"):
            pass

    with transaction.atomic(using="sqlite_second"), second.cursor() as cursor:
        cursor.execute("INSERT INTO counter VALUES (1)")

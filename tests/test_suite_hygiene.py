"""A test run cleans up after itself: what it writes beside its SQLite database goes when it ends (conftest.py)."""

from tests.cleanup import remove_sqlite_leftovers

LEFTOVERS = ("-wal", "-shm", "-journal", ".scheduler.lock")


def test_what_sqlite_and_the_scheduler_left_beside_a_deleted_database_goes(tmp_path):
    database = tmp_path / "pagecart-test-1.sqlite3"
    for suffix in LEFTOVERS:
        (tmp_path / f"{database.name}{suffix}").write_bytes(b"x")
    other = tmp_path / "pagecart-test-2.sqlite3-wal"  # another process's, still running
    other.write_bytes(b"x")

    remove_sqlite_leftovers(database)

    assert sorted(path.name for path in tmp_path.iterdir()) == [other.name]


def test_a_kept_database_keeps_its_files(tmp_path):
    database = tmp_path / "pagecart-test-1.sqlite3"
    database.write_bytes(b"x")
    for suffix in LEFTOVERS:
        (tmp_path / f"{database.name}{suffix}").write_bytes(b"x")

    remove_sqlite_leftovers(database)

    assert len(list(tmp_path.iterdir())) == 1 + len(LEFTOVERS)

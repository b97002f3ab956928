"""What a test run removes when it ends (conftest.py's pytest_sessionfinish)."""

from pathlib import Path


def remove_sqlite_leftovers(database: Path) -> None:
    """The files SQLite and the scheduler's lock (website.scheduler.scheduler_lock) keep beside a database: its
    write-ahead log and shared memory, which SQLite removes only when the last connection closes cleanly (a
    thread's connection or an exit can leave them), its rollback journal and the lock. Nothing goes while the
    database itself is still there (a database kept with `--reuse-db`)."""
    if database.exists():
        return
    for suffix in ("-wal", "-shm", "-journal", ".scheduler.lock"):
        database.with_name(database.name + suffix).unlink(missing_ok=True)

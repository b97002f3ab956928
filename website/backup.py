"""One-archive backups of the shop: the database, public media and private (paid) files.

SQLite is copied with its online backup API, so the copy is consistent while the site keeps serving and
writing (WAL readers see one snapshot). PostgreSQL is dumped with pg_dump in its custom format (one consistent
snapshot too) and loaded back with pg_restore in a single transaction, so a restore that fails changes nothing.
Files on S3 are refused here, with the advice to back the bucket up with the provider's own tools."""

import json
import os
import re
import shutil
import sqlite3
import subprocess  # runs pg_dump and pg_restore, our own tools with fixed arguments  # nosec B404
import tarfile
import tempfile
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.files.storage import FileSystemStorage, storages
from django.db import connections

ARCHIVE_FORMAT = "pagecart-backup-1"
MANIFEST = "manifest.json"
FOLDERS = {"media": "default", "private": "private"}  # archive folder -> storage alias
PG_TOOL_TIMEOUT = 3600  # seconds: a dump or restore that takes longer is stuck, not slow


class BackupError(Exception):
    """A backup or restore that cannot be done as asked; the message says what to do instead."""


class SqliteDatabase:
    vendor = "sqlite"
    member = "db.sqlite3"

    def __init__(self, settings_dict):
        self.path = Path(settings_dict["NAME"])

    @property
    def scratch_parent(self):
        """Unpacked beside the database file, so the copy back never crosses a file system."""
        return self.path.parent

    def describe(self):
        return str(self.path)

    def dump(self, destination):
        copy_database(self.path, destination)

    def has_tables(self):
        if not self.path.exists():
            return False
        with closing(sqlite3.connect(self.path)) as probe:
            return probe.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0] > 0

    def load(self, source):
        connections["default"].close()
        # Through the backup API again, so the live file's WAL and shared memory stay consistent.
        copy_database(source, self.path)


class PostgresDatabase:
    vendor = "postgresql"
    member = "db.pgdump"
    scratch_parent = None  # the system's temporary folder

    def __init__(self, settings_dict):
        self.settings_dict = settings_dict

    def describe(self):
        return f"The PostgreSQL database {self.settings_dict['NAME']!r}"

    def environment(self):
        """libpq's variables, so the password never shows in a process listing."""
        values = {
            "PGHOST": self.settings_dict.get("HOST"),
            "PGPORT": self.settings_dict.get("PORT"),
            "PGUSER": self.settings_dict.get("USER"),
            "PGPASSWORD": self.settings_dict.get("PASSWORD"),
            "PGDATABASE": self.settings_dict["NAME"],
            "PGSSLMODE": (self.settings_dict.get("OPTIONS") or {}).get("sslmode"),
        }
        return {**os.environ, **{name: str(value) for name, value in values.items() if value}}

    def tool(self, name):
        """pg_dump/pg_restore of the server's major version or newer (an older pg_dump refuses a newer server).
        Debian keeps each version's tools in /usr/lib/postgresql/<major>/bin and its /usr/bin wrapper runs the
        newest installed, so the server's own version is looked for first."""
        connection = connections["default"]
        connection.ensure_connection()
        major = connection.pg_version // 10000
        candidates = [Path(f"/usr/lib/postgresql/{major}/bin/{name}"), shutil.which(name)]
        path = next((str(found) for found in candidates if found and Path(found).is_file()), None)
        if path is None:
            raise BackupError(f"{name} not found: install the PostgreSQL {major} client (postgresql-client-{major}).")
        version = run_tool([path, "--version"]).stdout.strip()
        found = re.search(r"\b(\d+)(?:\.\d+)+", version)
        if found is None or int(found.group(1)) < major:
            raise BackupError(
                f"{path} is {version or 'of an unknown version'}, older than the PostgreSQL {major} server: "
                f"install postgresql-client-{major}."
            )
        return path

    def run(self, name, *arguments):
        result = run_tool([self.tool(name), *arguments], env=self.environment())
        if result.returncode != 0:
            raise BackupError(f"{name} failed: {result.stderr.strip()}")

    def dump(self, destination):
        # Custom format: compressed, and pg_restore recreates it object by object. Owners and grants are left
        # out, so the dump restores under another role (a new server's).
        self.run("pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={destination}")

    def has_tables(self):
        return bool(connections["default"].introspection.table_names())

    def load(self, source):
        connections.close_all()  # no connection of ours holds a lock on a table being replaced
        self.run(
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",  # all of it or, on any error, nothing
            "--exit-on-error",
            f"--dbname={self.settings_dict['NAME']}",
            str(source),
        )


DATABASES = {"sqlite": SqliteDatabase, "postgresql": PostgresDatabase}


def run_tool(command, env=None):
    # Our own tool's path and arguments, as a list and without a shell: nothing in them is interpreted.
    return subprocess.run(  # noqa: S603  # nosec B603
        command, env=env, capture_output=True, text=True, timeout=PG_TOOL_TIMEOUT, check=False
    )


def current_database():
    connection = connections["default"]
    settings_dict = connection.settings_dict
    kind = DATABASES.get(connection.vendor)
    if kind is None:
        raise BackupError(f"Backups cover SQLite and PostgreSQL, not {settings_dict['ENGINE']}.")
    return kind(settings_dict)


def storage_folders():
    """{archive folder: the folder on disk} for the public media and private storages."""
    folders = {}
    for folder, alias in FOLDERS.items():
        storage = storages[alias]
        if not isinstance(storage, FileSystemStorage):
            raise BackupError(
                f"The {alias!r} storage is not on this disk ({type(storage).__name__}): "
                "back its bucket up with the provider's tools."
            )
        folders[folder] = Path(storage.location)
    return folders


def copy_database(source, destination):
    """SQLite's online backup: page by page under a read snapshot, safe beside live writers."""
    with closing(sqlite3.connect(source)) as reader, closing(sqlite3.connect(destination)) as writer:
        reader.backup(writer)


def make_backup(destination):
    """Write the archive to `destination` (a .tar.gz) and return its path. Written beside it first and
    renamed, so a failed backup never leaves a truncated archive under the expected name."""
    database = current_database()
    folders = storage_folders()
    destination = Path(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=destination.parent) as scratch:
        snapshot = Path(scratch) / database.member
        database.dump(snapshot)
        manifest = Path(scratch) / MANIFEST
        manifest.write_text(
            json.dumps(
                {
                    "format": ARCHIVE_FORMAT,
                    "created": datetime.now(UTC).isoformat(),
                    "database": database.vendor,
                    "folders": list(folders),
                }
            )
        )
        partial = Path(scratch) / "partial.tar.gz"
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(manifest, MANIFEST)
            archive.add(snapshot, database.member)
            for folder, location in folders.items():
                if location.exists():
                    archive.add(location, folder)
        partial.replace(destination)
    return destination


def read_manifest(archive):
    try:
        member = archive.extractfile(MANIFEST)
        manifest = json.load(member)
    except (KeyError, AttributeError, ValueError) as error:
        raise BackupError(f"{archive.name} is not a Pagecart backup (no readable {MANIFEST}).") from error
    if manifest.get("format") != ARCHIVE_FORMAT:
        raise BackupError(f"{archive.name} is a backup in format {manifest.get('format')!r}, not {ARCHIVE_FORMAT!r}.")
    return manifest


def restore_backup(source, *, replace=False):
    """Put the archive's database and folders in place of the current ones. Refuses to overwrite a
    database that already has tables unless `replace` is set."""
    database = current_database()
    folders = storage_folders()
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"No backup at {source}.")
    if not replace and database.has_tables():
        raise BackupError(
            f"{database.describe()} already holds a database: pass --replace to overwrite it with the backup."
        )
    with tempfile.TemporaryDirectory(dir=database.scratch_parent) as scratch:
        manifest = unpack(source, scratch)
        unpacked = Path(scratch)
        backed_up = manifest.get("database", SqliteDatabase.vendor)  # the first archives were all SQLite
        if backed_up != database.vendor:
            raise BackupError(
                f"{source} holds a {backed_up} database and this shop runs on {database.vendor}: "
                "restore it into a shop on the same kind of database."
            )
        if not (unpacked / database.member).is_file():
            raise BackupError(f"{source} has no {database.member}.")
        database.load(unpacked / database.member)
        for folder, location in folders.items():
            if location.exists():
                shutil.rmtree(location)
            if (unpacked / folder).is_dir():
                shutil.move(unpacked / folder, location)
            else:
                location.mkdir(parents=True)
    # Cached pages and rate-limit counters describe the data that was just replaced.
    for alias in settings.CACHES:
        caches[alias].clear()


def unpack(source, folder):
    """Extract the archive into `folder` and return its manifest."""
    try:
        with tarfile.open(source, "r:gz") as archive:
            manifest = read_manifest(archive)
            # The "data" filter refuses absolute paths, "..", links out of the folder and device files.
            archive.extractall(folder, filter="data")
    except (tarfile.TarError, OSError, EOFError) as error:
        raise BackupError(f"{source} is not a readable Pagecart backup ({error}).") from error
    return manifest


ARCHIVE_GLOB = "pagecart-*.tar.gz"


def backup_folder():
    return Path(settings.DATA_DIR) / "backups"


def default_backup_name(folder):
    return Path(folder) / f"pagecart-{datetime.now(UTC):%Y%m%d-%H%M%S}.tar.gz"


def _archives(folder):
    """The archives backup wrote to `folder` by default, oldest first (their names sort by time)."""
    return sorted(Path(folder).glob(ARCHIVE_GLOB))


def newest_backup_time(folder) -> float | None:
    """When the newest archive in `folder` was written (epoch seconds), or None if there is none."""
    archives = _archives(folder)
    return archives[-1].stat().st_mtime if archives else None


def prune_backups(folder, keep: int) -> list[Path]:
    """Delete all but the newest `keep` archives in `folder`; returns the deleted ones."""
    stale = _archives(folder)[:-keep] if keep > 0 else []
    for archive in stale:
        archive.unlink()
    return stale

"""One-archive backups of a SQLite shop: the database, public media and private (paid) files.

The database is copied with SQLite's online backup API, so the copy is consistent while the site keeps
serving and writing (WAL readers see one snapshot). PostgreSQL shops back up with pg_dump instead, and
files on S3 with the provider's own tools: both are refused here with that advice, not half-done."""

import json
import shutil
import sqlite3
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
DATABASE_MEMBER = "db.sqlite3"
FOLDERS = {"media": "default", "private": "private"}  # archive folder -> storage alias


class BackupError(Exception):
    """A backup or restore that cannot be done as asked; the message says what to do instead."""


def sqlite_path():
    settings_dict = connections["default"].settings_dict
    if settings_dict["ENGINE"] != "django.db.backends.sqlite3":
        raise BackupError(
            "The database is not SQLite: back it up with pg_dump "
            '(pg_dump --format=custom --file=pagecart.dump "$DATABASE_URL") and restore with pg_restore.'
        )
    return Path(settings_dict["NAME"])


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
    database = sqlite_path()
    folders = storage_folders()
    destination = Path(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=destination.parent) as scratch:
        snapshot = Path(scratch) / DATABASE_MEMBER
        copy_database(database, snapshot)
        manifest = Path(scratch) / MANIFEST
        manifest.write_text(
            json.dumps({"format": ARCHIVE_FORMAT, "created": datetime.now(UTC).isoformat(), "folders": list(folders)})
        )
        partial = Path(scratch) / "partial.tar.gz"
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(manifest, MANIFEST)
            archive.add(snapshot, DATABASE_MEMBER)
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
    database = sqlite_path()
    folders = storage_folders()
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"No backup at {source}.")
    if not replace and database_has_tables(database):
        raise BackupError(f"{database} already holds a database: pass --replace to overwrite it with the backup.")
    with tempfile.TemporaryDirectory(dir=database.parent) as scratch:
        unpack(source, scratch)
        unpacked = Path(scratch)
        if not (unpacked / DATABASE_MEMBER).is_file():
            raise BackupError(f"{source} has no {DATABASE_MEMBER}.")
        connections["default"].close()
        # Through the backup API again, so the live file's WAL and shared memory stay consistent.
        copy_database(unpacked / DATABASE_MEMBER, database)
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
    try:
        with tarfile.open(source, "r:gz") as archive:
            read_manifest(archive)
            # The "data" filter refuses absolute paths, "..", links out of the folder and device files.
            archive.extractall(folder, filter="data")
    except (tarfile.TarError, OSError, EOFError) as error:
        raise BackupError(f"{source} is not a readable Pagecart backup ({error}).") from error


def database_has_tables(path):
    if not path.exists():
        return False
    with closing(sqlite3.connect(path)) as probe:
        return probe.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0] > 0


def default_backup_name(folder):
    return Path(folder) / f"pagecart-{datetime.now(UTC):%Y%m%d-%H%M%S}.tar.gz"

"""backup and restore: one archive with the database (SQLite: an online, consistent copy; PostgreSQL: a
pg_dump in custom format), public media and private files; a round trip brings all three back; bad archives
and archives of the other kind of database are refused.

The PostgreSQL tests run in the services suite (bin/with-services sets DATABASE_URL); the SQLite ones
everywhere else."""

import io
import json
import os
import sqlite3
import tarfile
from contextlib import closing
from decimal import Decimal

import pytest

from django.core.cache import caches
from django.core.management import CommandError, call_command
from django.db import connections

from products.factories import ProductPageFactory
from products.models import ProductPage
from website.backup import BackupError, make_backup, restore_backup
from website.factories import DocumentFactory, ImageFactory

# Committed rows, so the backup (SQLite's backup API or pg_dump: another connection) sees them; Wagtail's
# data migrations come back after each test.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
ON_SQLITE = connections["default"].vendor == "sqlite"
DATABASE_MEMBER = "db.sqlite3" if ON_SQLITE else "db.pgdump"
sqlite_only = pytest.mark.skipif(not ON_SQLITE, reason="backs up SQLite")
postgresql_only = pytest.mark.skipif(
    connections["default"].vendor != "postgresql", reason="PostgreSQL only: bin/with-services sets DATABASE_URL"
)


@pytest.fixture
def shop(product_index, site_settings):
    """Committed rows (a product, an image, a paid document) and their files on disk."""
    product = ProductPageFactory(parent=product_index, title="Field Guide", sku="G-1", price=Decimal("8.20"))
    image = ImageFactory(title="Cover")
    document = DocumentFactory(title="Guide PDF")
    return product, image, document


def test_a_backup_restores_the_database_media_and_private_files(shop, media_storage, tmp_path):
    product, image, document = shop
    image_file = media_storage["media"] / image.file.name
    paid_file = media_storage["private"] / document.file.name
    image_bytes, paid_bytes = image_file.read_bytes(), paid_file.read_bytes()

    call_command("backup", "--output", str(tmp_path / "shop.tar.gz"), stdout=io.StringIO())
    ProductPage.objects.filter(pk=product.pk).delete()
    paid_file.unlink()
    (media_storage["media"] / "stray.txt").write_text("made after the backup")
    caches["pages"].set("stale", "page")
    out = io.StringIO()
    call_command("restore", str(tmp_path / "shop.tar.gz"), "--replace", stdout=out)

    assert ProductPage.objects.get(pk=product.pk).title == "Field Guide"
    assert image_file.read_bytes() == image_bytes and paid_file.read_bytes() == paid_bytes
    assert not (media_storage["media"] / "stray.txt").exists()
    assert caches["pages"].get("stale") is None
    assert "Restored" in out.getvalue()


def test_the_archive_holds_a_manifest_the_database_and_both_folders(shop, tmp_path):
    _product, image, document = shop

    archive = make_backup(tmp_path / "nested" / "shop.tar.gz")

    with tarfile.open(archive) as opened:
        names = opened.getnames()
        manifest = json.load(opened.extractfile("manifest.json"))
    assert manifest["format"] == "pagecart-backup-1"
    assert {DATABASE_MEMBER, f"media/{image.file.name}", f"private/{document.file.name}"} <= set(names)
    assert not [name for name in os.listdir(tmp_path / "nested") if name != "shop.tar.gz"]  # no scratch left


@sqlite_only
def test_the_copy_is_consistent_beside_an_open_write_transaction(shop, tmp_path):
    """A writer mid-transaction (holding SQLite's write lock) neither blocks the backup nor leaks into it."""
    database = connections["default"].settings_dict["NAME"]
    with closing(sqlite3.connect(database, isolation_level=None)) as writer:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("INSERT INTO taggit_tag (name, slug) VALUES ('uncommitted', 'uncommitted')")
        make_backup(tmp_path / "shop.tar.gz")
        writer.execute("COMMIT")

    with tarfile.open(tmp_path / "shop.tar.gz") as opened:
        opened.extract("db.sqlite3", tmp_path, filter="data")
    with closing(sqlite3.connect(tmp_path / "db.sqlite3")) as copy:
        assert copy.execute("SELECT count(*) FROM taggit_tag WHERE name = 'uncommitted'").fetchone() == (0,)
        assert copy.execute("SELECT count(*) FROM products_productpage").fetchone() == (1,)


def test_restore_will_not_overwrite_a_database_unless_told(shop, tmp_path):
    make_backup(tmp_path / "shop.tar.gz")

    with pytest.raises(CommandError, match="already holds a database: pass --replace"):
        call_command("restore", str(tmp_path / "shop.tar.gz"))


def tar_with(path, members):
    with tarfile.open(path, "w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


MANIFEST = json.dumps({"format": "pagecart-backup-1", "database": connections["default"].vendor}).encode()


@pytest.mark.parametrize(
    ("members", "message"),
    [
        ({"notes.txt": b"hello"}, "is not a Pagecart backup (no readable manifest.json)"),
        ({"manifest.json": b'{"format": "other-9"}'}, "in format 'other-9', not 'pagecart-backup-1'"),
        ({"manifest.json": MANIFEST}, f"has no {DATABASE_MEMBER}"),
        ({"manifest.json": MANIFEST, "../escaped.txt": b"x"}, "is not a readable Pagecart backup"),
    ],
)
def test_a_bad_archive_is_refused_and_changes_nothing(shop, tmp_path, members, message):
    product, _image, _document = shop
    archive = tar_with(tmp_path / "bad.tar.gz", members)

    with pytest.raises(BackupError, match=message.replace("(", r"\(").replace(")", r"\)")):
        restore_backup(archive, replace=True)

    assert ProductPage.objects.filter(pk=product.pk).exists()
    assert not (tmp_path.parent / "escaped.txt").exists()


def test_a_file_that_is_not_an_archive_or_is_missing_is_refused(tmp_path):
    (tmp_path / "junk.tar.gz").write_bytes(b"not gzip at all")

    with pytest.raises(CommandError, match="is not a readable Pagecart backup"):
        call_command("restore", str(tmp_path / "junk.tar.gz"), "--replace")
    with pytest.raises(CommandError, match="No backup at"):
        call_command("restore", str(tmp_path / "missing.tar.gz"), "--replace")


def test_an_archive_of_the_other_kind_of_database_is_refused(shop, tmp_path):
    product, _image, _document = shop
    other = "postgresql" if ON_SQLITE else "sqlite"
    manifest = json.dumps({"format": "pagecart-backup-1", "database": other}).encode()
    archive = tar_with(tmp_path / "other.tar.gz", {"manifest.json": manifest, "db.pgdump": b"x", "db.sqlite3": b"x"})

    with pytest.raises(CommandError, match=f"holds a {other} database and this shop runs on"):
        call_command("restore", str(archive), "--replace")
    assert ProductPage.objects.filter(pk=product.pk).exists()


@postgresql_only
def test_a_postgresql_backup_is_a_custom_format_pg_dump_that_pg_restore_reads(shop, tmp_path):
    make_backup(tmp_path / "shop.tar.gz")

    with tarfile.open(tmp_path / "shop.tar.gz") as opened:
        manifest = json.load(opened.extractfile("manifest.json"))
        dump = opened.extractfile("db.pgdump").read()
    assert manifest["database"] == "postgresql"
    assert dump.startswith(b"PGDMP")  # pg_dump's custom format, not a plain SQL script


@postgresql_only
def test_a_failed_postgresql_restore_changes_nothing(shop, tmp_path):
    product, _image, _document = shop
    manifest = json.dumps({"format": "pagecart-backup-1", "database": "postgresql"}).encode()
    archive = tar_with(tmp_path / "broken.tar.gz", {"manifest.json": manifest, "db.pgdump": b"PGDMP but cut short"})

    with pytest.raises(CommandError, match="pg_restore failed"):
        call_command("restore", str(archive), "--replace")
    assert ProductPage.objects.get(pk=product.pk).title == "Field Guide"


def test_keep_deletes_all_but_the_newest_archives_in_the_backups_folder(shop, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    folder = tmp_path / "backups"
    folder.mkdir()
    for stamp in ("20260101-000000", "20260102-000000", "20260103-000000"):
        (folder / f"pagecart-{stamp}.tar.gz").write_bytes(b"an older backup")
    (folder / "notes.txt").write_text("not a backup: left alone")
    out = io.StringIO()

    call_command("backup", "--keep", "2", stdout=out)

    kept = sorted(path.name for path in folder.iterdir())
    assert len(kept) == 3 and "notes.txt" in kept and "pagecart-20260103-000000.tar.gz" in kept
    assert "Deleted 2 older backup(s), keeping the newest 2." in out.getvalue()
    with pytest.raises(CommandError, match="--keep must be at least 1"):
        call_command("backup", "--keep", "0")

"""backup and restore: one archive with the SQLite database (an online, consistent copy), public media
and private files; a round trip brings all three back; bad archives and other databases are refused."""

import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
from contextlib import closing
from decimal import Decimal
from pathlib import Path

import pytest

from django.core.cache import caches
from django.core.management import CommandError, call_command
from django.db import connections

from products.factories import ProductPageFactory
from products.models import ProductPage
from website.backup import BackupError, make_backup, restore_backup
from website.factories import DocumentFactory, ImageFactory

PROJECT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.skipif(connections["default"].vendor != "sqlite", reason="backs up SQLite"),
    # Committed rows, so SQLite's backup (another connection) sees them; Wagtail's data migrations come back.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


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
    assert {"db.sqlite3", f"media/{image.file.name}", f"private/{document.file.name}"} <= set(names)
    assert not [name for name in os.listdir(tmp_path / "nested") if name != "shop.tar.gz"]  # no scratch left


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


MANIFEST = json.dumps({"format": "pagecart-backup-1"}).encode()


@pytest.mark.parametrize(
    ("members", "message"),
    [
        ({"notes.txt": b"hello"}, "is not a Pagecart backup (no readable manifest.json)"),
        ({"manifest.json": b'{"format": "other-9"}'}, "in format 'other-9', not 'pagecart-backup-1'"),
        ({"manifest.json": MANIFEST}, "has no db.sqlite3"),
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


def test_on_postgresql_backup_points_at_pg_dump(tmp_path):
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "website.settings.test",
        "DATABASE_URL": "postgres://pagecart:secret@127.0.0.1:1/pagecart",  # never connected to
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "backup", "--output", str(tmp_path / "x.tar.gz")],
        cwd=PROJECT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip

    assert result.returncode != 0
    assert "The database is not SQLite: back it up with pg_dump" in result.stderr
    assert not (tmp_path / "x.tar.gz").exists()

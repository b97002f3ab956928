"""Settings fail fast when a secret is missing, SQLite is set up for a web server's concurrency, and naming
S3 buckets in the environment moves public media and paid files onto S3 (moto's server on 127.0.0.1)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from django.db import OperationalError, connections, transaction

PROJECT = Path(__file__).resolve().parents[2]


def import_production_settings(tmp_path, script="import config.settings.production", **env):
    """Run a script (by default: import config.settings.production) in a fresh interpreter with only
    the given environment."""
    clean_env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "DATA_DIR": str(tmp_path / "data"),
        # Set but empty: a developer's .env (read with overwrite=False) cannot supply a key behind our back.
        "SECRET_KEY": "",
        "STRIPE_SECRET_KEY": "",
        "STRIPE_PUBLISHABLE_KEY": "",
        "STRIPE_WEBHOOK_SECRET": "",
        **env,
    }
    return subprocess.run(
        [sys.executable, "-c", script],
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


def test_production_settings_load_with_a_secret_key_hosts_and_stripe_keys(tmp_path):
    result = import_production_settings(
        tmp_path, script="import config.settings.production as s; print(s.STRIPE_SECRET_KEY)", **STRIPE_KEYS
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "sk_live_abc"


def test_production_settings_refuse_to_load_without_stripe_keys(tmp_path):
    keys = {**STRIPE_KEYS, "STRIPE_PUBLISHABLE_KEY": "", "STRIPE_WEBHOOK_SECRET": ""}
    result = import_production_settings(tmp_path, **keys)

    assert result.returncode != 0
    assert (
        "ImproperlyConfigured: STRIPE_PUBLISHABLE_KEY, STRIPE_WEBHOOK_SECRET must be set in the environment for "
        "production checkout, or set CHECKOUT_ENABLED=false to run the shop without checkout."
    ) in result.stderr


def test_production_settings_refuse_a_stripe_key_in_the_wrong_variable(tmp_path):
    result = import_production_settings(tmp_path, **{**STRIPE_KEYS, "STRIPE_SECRET_KEY": "pk_live_abc"})

    assert result.returncode != 0
    assert "ImproperlyConfigured: STRIPE_SECRET_KEY should start with sk_ or rk_; is it the right key?" in result.stderr


def test_with_checkout_switched_off_stripe_keys_are_neither_needed_nor_used(tmp_path):
    script = "import config.settings.production as s; print(repr(s.STRIPE_SECRET_KEY), s.CHECKOUT_ENABLED)"
    result = import_production_settings(
        tmp_path, script=script, **{**STRIPE_KEYS, "STRIPE_WEBHOOK_SECRET": "", "CHECKOUT_ENABLED": "false"}
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["''", "False"]


STRIPE_KEYS = {
    "SECRET_KEY": "k3y-" + "a1b2c3d4e5" * 6,
    "ALLOWED_HOSTS": "shop.example.com",
    "STRIPE_SECRET_KEY": "sk_live_abc",
    "STRIPE_PUBLISHABLE_KEY": "pk_live_abc",
    "STRIPE_WEBHOOK_SECRET": "whsec_abc",
}


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


PRODUCTION = {"SECRET_KEY": "k3y-" + "a1b2c3d4e5" * 6, "ALLOWED_HOSTS": "shop.example.com", "CHECKOUT_ENABLED": "false"}

# Saves one public and one private file through the configured storages and reports what a plain HTTP
# client (no AWS credentials) gets back.
S3_PROBE = """
import json, os, urllib.error, urllib.request
import django
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
django.setup()
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages

def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, answer.headers.get("Cache-Control"), answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, None, ""

public_name = storages["default"].save("images/cover.txt", ContentFile(b"public cover"))
private_name = storages["private"].save("documents/guide.txt", ContentFile(b"paid guide"))
endpoint, bucket = os.environ["S3_ENDPOINT_URL"], os.environ["PRIVATE_S3_BUCKET"]
print(json.dumps({
    "delivery": settings.DOWNLOAD_DELIVERY,
    "public_url": storages["default"].url(public_name),
    "public": fetch(storages["default"].url(public_name)),
    "private_unsigned": fetch(f"{endpoint}/{bucket}/{private_name}"),
    "private_signed_url": storages["private"].url(private_name),
    "private_signed": fetch(storages["private"].url(private_name)),
}))
"""


@pytest.fixture
def s3_environment(moto_s3):
    endpoint, _client, new_bucket = moto_s3
    return {
        **PRODUCTION,
        "S3_ENDPOINT_URL": endpoint,
        "S3_REGION": "us-east-1",
        "S3_ACCESS_KEY_ID": "testing",
        "S3_SECRET_ACCESS_KEY": "testing",
        "S3_ADDRESSING_STYLE": "path",
        "MEDIA_S3_BUCKET": new_bucket("pagecart-media"),
        "PRIVATE_S3_BUCKET": new_bucket("pagecart-private"),
        "DOWNLOAD_SIGNED_URL_SECONDS": "45",
    }


def test_s3_buckets_in_the_environment_hold_public_media_and_signed_private_files(tmp_path, s3_environment):
    result = import_production_settings(tmp_path, script=S3_PROBE, **s3_environment)

    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    endpoint, media = s3_environment["S3_ENDPOINT_URL"], s3_environment["MEDIA_S3_BUCKET"]
    assert seen["public_url"] == f"{endpoint}/{media}/images/cover.txt"  # a plain, cacheable address
    assert seen["public"] == [200, "public, max-age=31536000", "public cover"]
    assert seen["private_unsigned"][0] == 403
    assert "X-Amz-Expires=45" in seen["private_signed_url"] and "X-Amz-Signature=" in seen["private_signed_url"]
    assert seen["private_signed"] == [200, None, "paid guide"]
    assert seen["delivery"] == "signed-url"  # the default once paid files are on S3


def test_s3_media_cache_lifetime_and_cdn_domain_come_from_the_environment(tmp_path, s3_environment):
    script = (
        "import config.settings.production as s; o = s.STORAGES['default']['OPTIONS']; "
        "print(o['object_parameters']['CacheControl'], o['custom_domain'])"
    )
    result = import_production_settings(
        tmp_path, script=script, **s3_environment, MEDIA_CACHE_SECONDS="600", MEDIA_S3_CUSTOM_DOMAIN="cdn.example.com"
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["public,", "max-age=600", "cdn.example.com"]


def test_without_buckets_files_stay_on_disk(tmp_path):
    script = (
        "import config.settings.production as s; "
        "print(s.STORAGES['default']['BACKEND'], s.STORAGES['private']['BACKEND'], s.DOWNLOAD_DELIVERY)"
    )
    result = import_production_settings(tmp_path, script=script, **PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "website.storage.MediaFileSystemStorage",
        "website.storage.PrivateFileSystemStorage",
        "stream",
    ]


@pytest.mark.parametrize("delivery", ["x-accel", "x-sendfile"])
def test_web_server_delivery_with_paid_files_on_s3_is_refused_at_start(tmp_path, delivery):
    result = import_production_settings(tmp_path, **PRODUCTION, PRIVATE_S3_BUCKET="paid", DOWNLOAD_DELIVERY=delivery)

    assert result.returncode != 0
    assert f"ImproperlyConfigured: DOWNLOAD_DELIVERY={delivery} hands a file on PRIVATE_ROOT" in result.stderr
    assert "use signed-url" in result.stderr


def test_production_logs_json_lines_to_stdout(tmp_path):
    script = (
        "import django, logging; django.setup(); logging.getLogger('checkout').info('hello', extra={'order': 'PC-1'})"
    )
    result = import_production_settings(
        tmp_path, script=script, **PRODUCTION, DJANGO_SETTINGS_MODULE="config.settings.production"
    )

    assert result.returncode == 0, result.stderr
    line = json.loads(result.stdout.strip().splitlines()[-1])
    assert (line["logger"], line["message"], line["order"]) == ("checkout", "hello", "PC-1")


def test_an_unknown_log_format_is_refused_at_start(tmp_path):
    result = import_production_settings(tmp_path, **PRODUCTION, LOG_FORMAT="xml")

    assert result.returncode != 0
    assert "ImproperlyConfigured: LOG_FORMAT must be one of plain, json, not 'xml'." in result.stderr


def test_without_redis_limits_are_shared_in_the_database_and_per_view_lookups_stay_in_memory(tmp_path):
    # Rate limits must count across workers; the header, footer and rendition lookups that every page view
    # reads must not each become a query on the database cache.
    script = (
        "import config.settings.production as s; print(*(s.CACHES[a]['BACKEND'].rsplit('.', 1)[-1] for a in s.CACHES))"
    )
    result = import_production_settings(tmp_path, script=script, **PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["DatabaseCache", "FileCache", "LocMemCache", "LocMemCache"]


def test_with_redis_the_counts_and_pages_are_shared_and_the_fragments_kept_in_each_process(tmp_path):
    # The fragments' keys carry the shared generation, so a worker's own copy is never stale after a publish.
    script = "import config.settings.production as s; print(*(f'{a}={c[\"BACKEND\"]}' for a, c in s.CACHES.items()))"
    result = import_production_settings(tmp_path, script=script, **PRODUCTION, REDIS_URL="redis://127.0.0.1:1/0")

    assert result.returncode == 0, result.stderr
    assert sorted(result.stdout.split()) == [
        "default=website.redis_cache.RedisCache",
        "fragments=django.core.cache.backends.locmem.LocMemCache",
        "pages=website.redis_cache.RedisCache",
    ]


@pytest.mark.parametrize(
    ("database_url", "engine"),
    [
        ("postgres://shop:secret@db.internal:5432/shop", "website.postgresql"),
        ("mysql://shop:secret@db.internal:3306/shop", "django.db.backends.mysql"),
    ],
)
def test_postgresql_gets_the_backend_whose_health_check_reads_the_socket_first(tmp_path, database_url, engine):
    script = (
        "import config.settings.production as s; "
        "d = s.DATABASES['default']; print(d['ENGINE'], d['CONN_HEALTH_CHECKS'])"
    )
    result = import_production_settings(tmp_path, script=script, **PRODUCTION, DATABASE_URL=database_url)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [engine, "True"]

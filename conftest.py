"""Project-wide fixtures: throwaway media folders, a site with a home page, pages and media to test with."""

import socket
import uuid
from pathlib import Path

import pytest

from django.conf import settings
from django.core.cache import caches
from django.core.files.storage import default_storage, storages
from django.test import TestCase, TransactionTestCase
from django.utils.functional import empty

from wagtail.models import Site

from accounts.factories import SuperuserFactory
from blog.factories import BlogIndexPageFactory
from home.factories import make_home_page
from products.factories import ProductIndexPageFactory
from tests.cleanup import remove_sqlite_leftovers
from website.factories import ImageFactory, SiteSettingsFactory
from website.models import PrivateDocument
from website.tests.html import soup


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Refuse an order in which a database test runs after one that flushes the database.

    pytest-django runs tests that flush the database (transactional ones, the browser tests) after the others,
    which find the rows migrations made (the root page, the default locale) still there. pytest can undo that
    order: a test that names a fixture with a session-wide parameter (pytest-playwright's `page`) is moved
    beside the other tests using it. Every test after a flush then fails for want of those rows, far from the
    cause; this names it instead."""
    first_flush = next((item for item in items if _database_use(item) == "flushes"), None)
    if first_flush is None:
        return
    after = items[items.index(first_flush) :]
    misplaced = next((item for item in after if _database_use(item) == "keeps"), None)
    if misplaced is not None:
        raise pytest.UsageError(
            f"{misplaced.nodeid} uses the database after {first_flush.nodeid}, which flushes it: see which fixture "
            "or parameter groups it with that test (a parameter named like a session-scoped fixture does)."
        )


def pytest_sessionfinish(session):
    """Remove what SQLite and the scheduler's lock leave beside this process's test database (config/settings/
    test.py names one per process in the temporary folder): Django deletes only the database file."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3" and (name := database.get("TEST", {}).get("NAME")):
        remove_sqlite_leftovers(Path(name))


def _database_use(item):
    """ "flushes", "keeps" or None, as pytest-django orders tests."""
    test_class = getattr(item, "cls", None)
    if test_class is not None and issubclass(test_class, TransactionTestCase):
        return "keeps" if issubclass(test_class, TestCase) else "flushes"
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    if (marker and marker.kwargs.get("transaction")) or {"transactional_db", "live_server"} & set(fixtures):
        return "flushes"
    if marker or "db" in fixtures:
        return "keeps"
    return None


@pytest.fixture(autouse=True)
def media_storage(settings, tmp_path, monkeypatch):
    """Every test writes public media and private files under its own tmp_path.

    The settings fixture fires setting_changed, whose Django receiver drops the cached storage backends
    and the cached default_storage; we clear them again explicitly so this does not rest on a detail.
    PrivateDocument.file called its storage callable once, when the model class was built, so the field
    still holds the old backend: point it at the fresh "private" one for the length of the test.
    """
    media_root = tmp_path / "media"
    private_root = tmp_path / "private"
    settings.MEDIA_ROOT = str(media_root)
    settings.PRIVATE_ROOT = private_root
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            **settings.STORAGES["default"],
            "OPTIONS": {**settings.STORAGES["default"]["OPTIONS"], "location": str(media_root)},
        },
        "private": {
            **settings.STORAGES["private"],
            "OPTIONS": {**settings.STORAGES["private"]["OPTIONS"], "location": str(private_root)},
        },
    }
    storages._backends = None
    storages.__dict__.pop("backends", None)
    storages._storages = {}
    default_storage._wrapped = empty
    monkeypatch.setattr(PrivateDocument._meta.get_field("file"), "storage", storages["private"])
    yield {"media": media_root, "private": private_root}
    storages._storages = {}
    default_storage._wrapped = empty


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Wagtail caches site root paths (and we fragments) in caches that outlive each test's rolled-back database."""
    for each in caches.all():
        each.clear()
    yield
    for each in caches.all():
        each.clear()


@pytest.fixture
def page_cache_missed(settings):
    """Fragments kept, whole pages not: every request is a page-cache miss that is not a new page."""
    settings.FRAGMENT_CACHE_SECONDS = 600
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture
def home_page(db):
    """A HomePage as the root of the default Site."""
    return make_home_page()


@pytest.fixture
def site(home_page):
    return Site.objects.get(is_default_site=True)


@pytest.fixture
def site_settings(site):
    return SiteSettingsFactory(site=site, currency="USD", contact_email="owner@example.com")


@pytest.fixture
def image(db):
    return ImageFactory(title="Blue planner cover")


@pytest.fixture
def product_index(home_page):
    return ProductIndexPageFactory(parent=home_page, title="Shop", slug="shop")


@pytest.fixture
def blog_index(home_page):
    return BlogIndexPageFactory(parent=home_page, title="Journal", slug="journal")


@pytest.fixture
def superuser(db):
    return SuperuserFactory()


@pytest.fixture
def editor_client(client, superuser):
    """A test client logged in as a superuser, as an editor using the Wagtail admin."""
    client.force_login(superuser)
    return client


@pytest.fixture
def get_soup(client):
    """GET a URL as a visitor and return (response, parsed HTML), failing on anything but 200."""

    def fetch(url, **kwargs):
        response = client.get(url, **kwargs)
        assert response.status_code == 200, f"GET {url} returned {response.status_code}"
        return response, soup(response)

    return fetch


@pytest.fixture
def moto_s3():
    """moto's S3 server on a free port on 127.0.0.1: yields (endpoint, boto3 client, new bucket name)."""
    import boto3
    from moto.server import ThreadedMotoServer

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    )

    def new_bucket(prefix):
        name = f"{prefix}-{uuid.uuid4().hex[:8]}"
        client.create_bucket(Bucket=name)
        return name

    yield endpoint, client, new_bucket
    server.stop()

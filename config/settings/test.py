"""Tests: fast hashing, in-memory email, media under a temporary folder the test fixtures set."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import REDIS_URL, STORAGES

DEBUG = False
SECRET_KEY = "test-only-key"  # signs only test data  # nosec B105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WAGTAILADMIN_BASE_URL = "http://testserver"
SITE_URL = ""  # the tests' Site keeps the host the fixtures give it, whatever a local .env says

# conftest.py points these at a fresh folder per test; this default keeps stray writes out of data/.
_scratch = Path(tempfile.gettempdir()) / "pagecart-test-media"
MEDIA_ROOT = _scratch / "media"
PRIVATE_ROOT = _scratch / "private"
STORAGES = {
    **STORAGES,
    "default": {**STORAGES["default"], "OPTIONS": {**STORAGES["default"]["OPTIONS"], "location": MEDIA_ROOT}},
    "private": {**STORAGES["private"], "OPTIONS": {**STORAGES["private"]["OPTIONS"], "location": PRIVATE_ROOT}},
    # The manifest needs collectstatic; tests serve from the finders instead.
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve static files from the apps' folders, as dev does, without needing collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# SQLite tests use a file, not shared-cache memory, so concurrency tests meet the same WAL and
# busy-timeout locking as the real site (shared-cache memory databases fail at once instead of waiting).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(Path(tempfile.gettempdir()) / f"pagecart-test-{os.getpid()}.sqlite3")}  # noqa: F405

# load_demo leaves the pictures uncut: demo/tests/test_renditions.py switches this on to prove the cut is complete.
DEMO_RENDITIONS = False
# The page and fragment caches are switched on by the tests that are about them; elsewhere each request
# renders afresh.
PAGE_CACHE_SECONDS = 0
FRAGMENT_CACHE_SECONDS = 0
# No writer thread (it would write outside each test's transaction): tests that count searches call
# search.hits.flush().
SEARCH_HITS_FLUSH_SECONDS = None
CACHES = {**CACHES, "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"}}  # noqa: F405
if not REDIS_URL:
    # Process memory, so tests without the database can use the cache; tests/security/test_shared_limits.py
    # proves the database cache that production uses across two worker processes.
    CACHES["default"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}

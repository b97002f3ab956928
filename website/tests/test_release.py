"""The release fingerprint the caches key their entries by: it moves with the static files' manifest, our
templates and our code, and stays put for what a release does not serve (tests, migrations, node_modules)."""

import json

import pytest

from django.test import Client

from products.factories import ProductPageFactory
from website import release
from website.page_cache import HIT_HEADER, page_cache


@pytest.fixture
def fresh_fingerprint():
    """fingerprint() is kept per process: worked out again for each change a test makes, and for later tests."""
    release.fingerprint.cache_clear()
    yield lambda: (release.fingerprint.cache_clear(), release.fingerprint())[1]
    release.fingerprint.cache_clear()


@pytest.fixture
def templates_folder(settings, tmp_path):
    folder = tmp_path / "templates"
    (folder / "tests").mkdir(parents=True)
    (folder / "node_modules").mkdir()
    (folder / "page.html").write_text("<h1>{{ page.title }}</h1>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], folder]}]
    return folder


def test_a_changed_template_is_a_new_release(templates_folder, fresh_fingerprint):
    before = fresh_fingerprint()
    (templates_folder / "page.html").write_text("<h1 class='title'>{{ page.title }}</h1>")

    assert fresh_fingerprint() != before


def test_a_new_template_is_a_new_release(templates_folder, fresh_fingerprint):
    before = fresh_fingerprint()
    (templates_folder / "footer.html").write_text("<footer></footer>")

    assert fresh_fingerprint() != before


def test_tests_and_installed_packages_beside_the_sources_are_not_part_of_it(templates_folder, fresh_fingerprint):
    before = fresh_fingerprint()
    (templates_folder / "tests" / "test_page.py").write_text("def test_page(): pass\n")
    (templates_folder / "node_modules" / "index.html").write_text("<p>a package's page</p>")
    (templates_folder / "notes.md").write_text("not served")

    assert fresh_fingerprint() == before


def test_new_hashed_static_files_are_a_new_release(settings, tmp_path, fresh_fingerprint):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    settings.STATIC_ROOT.mkdir()
    manifest = settings.STATIC_ROOT / "staticfiles.json"
    without_manifest = fresh_fingerprint()
    manifest.write_text(json.dumps({"paths": {"css/site.css": "css/site.0123abcd.css"}, "version": "1.1"}))
    first = fresh_fingerprint()
    manifest.write_text(json.dumps({"paths": {"css/site.css": "css/site.4567ef89.css"}, "version": "1.1"}))

    assert len({without_manifest, first, fresh_fingerprint()}) == 3


def test_the_same_files_give_the_same_fingerprint_in_every_process(fresh_fingerprint):
    assert fresh_fingerprint() == fresh_fingerprint()
    assert len(release.fingerprint()) == 12


def test_the_same_release_installed_in_two_folders_has_one_fingerprint(settings, tmp_path, fresh_fingerprint):
    """Machines serving one release share its cache entries, wherever each keeps the project."""
    fingerprints = []
    for folder in (tmp_path / "srv" / "shop", tmp_path / "app"):
        (folder / "templates").mkdir(parents=True)
        (folder / "templates" / "page.html").write_text("<h1>{{ page.title }}</h1>")
        settings.BASE_DIR = folder
        settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [folder / "templates"]}]
        fingerprints.append(fresh_fingerprint())

    assert fingerprints[0] == fingerprints[1]


@pytest.mark.django_db
def test_a_new_release_never_serves_a_page_the_last_one_kept(settings, monkeypatch, site_settings, product_index):
    """Its hashed CSS may be gone from the new image: the page is rendered again and kept for this release."""
    settings.PAGE_CACHE_SECONDS = 600
    page_cache().clear()
    product_page = ProductPageFactory(parent=product_index, title="Studio Mug")
    monkeypatch.setattr(release, "fingerprint", lambda: "oldrelease01")
    Client().get(product_page.url)
    assert Client().get(product_page.url)[HIT_HEADER] == "hit"

    monkeypatch.setattr(release, "fingerprint", lambda: "newrelease02")
    first, second = Client().get(product_page.url), Client().get(product_page.url)

    assert (first.status_code, first[HIT_HEADER], second[HIT_HEADER]) == (200, "miss", "hit")
    page_cache().clear()

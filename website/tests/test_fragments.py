"""The header navigation and footer are kept rendered between requests, for signed-in and anonymous
visitors alike, and go stale exactly when the page cache does."""

import pytest

from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.factories import UserFactory
from infopages.factories import InfoPageFactory
from website import fragments
from website.models import SiteSettings
from website.page_cache import page_cache
from website.tests.html import soup

pytestmark = [pytest.mark.django_db]


@pytest.fixture(autouse=True)
def fragments_on(settings):
    settings.FRAGMENT_CACHE_SECONDS = 600
    page_cache().clear()
    yield
    page_cache().clear()


@pytest.fixture
def about(home_page, site_settings):
    site_settings.footer_links = [
        {"type": "link", "value": {"label": "Our story", "page": None, "url": "https://example.com/story"}}
    ]
    site_settings.save()
    return InfoPageFactory(parent=home_page, title="About us", slug="about", show_in_menus=True)


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def header_links(response):
    """The desktop menu's links (the phone menu repeats them)."""
    return [a.get_text(strip=True) for a in soup(response).select_one("header nav[aria-label=Main]").select("a")]


def footer_text(response):
    return soup(response).footer.get_text(" ", strip=True)


def test_a_warm_render_skips_the_header_and_footer_queries_and_shows_the_same(client, about, settings):
    settings.FRAGMENT_CACHE_SECONDS = 0
    client.get(about.url)  # Wagtail's own caches (site root paths) warm
    built_each_time = queries(client, about.url)
    fresh = client.get(about.url)
    settings.FRAGMENT_CACHE_SECONDS = 600
    client.get(about.url)

    from_cache = queries(Client(), about.url)
    cached = client.get(about.url)

    assert from_cache < built_each_time
    assert header_links(cached) == header_links(fresh) == ["About us"]
    assert footer_text(cached) == footer_text(fresh)
    assert "Our story" in footer_text(cached)


def test_the_current_page_is_still_marked_per_request(client, about, home_page):
    client.get(home_page.url)  # fills the cache from the home page

    response = client.get(about.url)

    current = soup(response).select_one("header nav[aria-label=Main] a[aria-current]")
    assert current.get_text(strip=True) == "About us"
    assert current["aria-current"] == "page"


def test_each_page_gets_the_header_a_fresh_render_gives_it(client, about, home_page, settings):
    from django.urls import reverse

    addresses = [home_page.url, about.url, f"{about.url}?utm_source=mail", reverse("search"), reverse("checkout:cart")]
    addresses += [reverse("accounts:dashboard"), home_page.url, reverse("search") + "?q=about"]

    def headers():
        return [str(soup(client.get(address)).find("header")) for address in addresses]

    client.force_login(UserFactory())  # the account page's own header, not the sign-in page's
    settings.FRAGMENT_CACHE_SECONDS = 0
    fresh = headers()
    settings.FRAGMENT_CACHE_SECONDS = 600
    headers()  # keeps one header per variant
    kept = headers()

    assert kept == fresh
    assert len(set(kept)) == 5  # home, about (with or without a campaign's parameters), search, cart, account


def test_signed_in_shoppers_get_the_cached_fragments_too(client, about):
    client.get(about.url)
    shopper = Client()
    shopper.force_login(UserFactory())

    response = shopper.get(about.url)

    assert header_links(response) == ["About us"]
    assert "Our story" in footer_text(response)


def test_a_settings_change_shows_at_once(client, about, django_capture_on_commit_callbacks):
    client.get(about.url)
    settings_row = SiteSettings.objects.get()
    settings_row.footer_links = [
        {"type": "link", "value": {"label": "Stockists", "page": None, "url": "https://example.com/s"}}
    ]
    settings_row.tagline = "Paper goods, made slowly"

    with django_capture_on_commit_callbacks(execute=True):
        settings_row.save()
    response = client.get(about.url)

    assert "Stockists" in footer_text(response)
    assert "Our story" not in footer_text(response)
    assert "Paper goods, made slowly" in footer_text(response)


def test_publishing_a_page_puts_it_in_the_menu_at_once(client, about, home_page, django_capture_on_commit_callbacks):
    client.get(about.url)

    draft = InfoPageFactory(parent=home_page, title="Stockists", slug="stockists", show_in_menus=True, live=False)
    assert header_links(client.get(about.url)) == ["About us"]

    with django_capture_on_commit_callbacks(execute=True):
        draft.save_revision().publish()
    response = client.get(about.url)

    assert header_links(response)[:2] == ["About us", "Stockists"]


def test_switched_off_every_render_builds_them_afresh(client, about, settings, django_capture_on_commit_callbacks):
    settings.FRAGMENT_CACHE_SECONDS = 0
    client.get(about.url)
    settings_row = SiteSettings.objects.get()
    settings_row.tagline = "Changed without telling anyone"
    settings_row.save()  # no on-commit invalidation runs inside the test's transaction

    assert "Changed without telling anyone" in footer_text(client.get(about.url))


def test_a_preview_never_reads_or_fills_the_fragment_cache(rf, site):
    built = []
    live, preview = rf.get("/"), rf.get("/")
    preview.is_preview = True

    for request in (live, live, preview, preview):
        fragments.cached(request, "footer", lambda request=request: built.append(request) or "rendered")

    assert built == [live, preview, preview]


def test_the_header_and_footer_page_links_read_the_site_roots_once(client, about, home_page, settings, monkeypatch):
    """A link to a page works out its URL with the request, whose copy of Wagtail's site roots it shares: without
    the request each link read them from the default cache again (a query each, with the database cache)."""
    from wagtail.models import Site

    settings.FRAGMENT_CACHE_SECONDS = 0
    shop = InfoPageFactory(parent=home_page, title="Stockists", slug="stockists")
    link = {"type": "link", "value": {"label": "Stockists", "page": shop.pk, "url": ""}}
    about_link = {"type": "link", "value": {"label": "About", "page": about.pk, "url": ""}}
    site_settings = SiteSettings.objects.get()
    site_settings.header_links = [link, about_link]
    site_settings.footer_links = [link, about_link]
    site_settings.save()
    url = about.url
    reads = []
    real = Site.get_site_root_paths
    monkeypatch.setattr(Site, "get_site_root_paths", staticmethod(lambda: reads.append(1) or real()))

    response = client.get(url)

    assert header_links(response) == ["Stockists", "About"]
    footer_links = [a["href"] for a in soup(response).footer.select("nav a")]
    assert footer_links == ["/stockists/", "/about/"]
    assert len(reads) == 1


def test_the_site_settings_come_from_the_process_after_the_first_read_a_copy_for_each_request(
    rf, site_settings, monkeypatch
):
    loads = []
    with_logo = SiteSettings._with_logo.__func__
    monkeypatch.setattr(
        SiteSettings, "_with_logo", classmethod(lambda cls, request: loads.append(1) or with_logo(cls, request))
    )
    first, second = rf.get("/"), rf.get("/")

    kept = SiteSettings.for_request(first)
    caches["fragments"].clear()  # the process's copy serves the rest of the generation without it
    again = SiteSettings.for_request(second)

    assert len(loads) == 1
    assert again is not kept and again.pk == kept.pk and again.brand_name == kept.brand_name
    assert (kept._request, again._request) == (first, second)  # each request's page links resolve on its own


def test_a_new_generation_reads_the_settings_again(rf, site_settings, django_capture_on_commit_callbacks):
    SiteSettings.for_request(rf.get("/"))
    with django_capture_on_commit_callbacks(execute=True):
        SiteSettings.objects.filter(pk=site_settings.pk).update(tagline="Fresh")
        site_settings.refresh_from_db()
        site_settings.save()  # what the settings form does: a new generation when it commits

    assert SiteSettings.for_request(rf.get("/")).tagline == "Fresh"


def test_what_the_process_keeps_is_bounded(rf, site, monkeypatch):
    monkeypatch.setattr(fragments, "IN_PROCESS_KEPT", 2)
    monkeypatch.setattr(fragments, "_IN_PROCESS", {})
    request = rf.get("/")

    for name in ("one", "two", "three"):
        fragments.kept_in_process(request, name, lambda name=name: name)

    assert len(fragments._IN_PROCESS) == 1  # full at two: dropped, then the third kept
    assert fragments.kept_in_process(request, "three", lambda: "rebuilt") == "three"


def test_the_site_wide_parts_come_from_the_process_after_the_first_request(client, about, monkeypatch):
    first = client.get(about.url)
    asked = []
    cache = caches["fragments"]
    get, get_many = cache.get, cache.get_many
    monkeypatch.setattr(cache, "get", lambda key, *args, **kwargs: asked.append(key) or get(key, *args, **kwargs))
    monkeypatch.setattr(cache, "get_many", lambda keys, *args: asked.extend(keys) or get_many(keys, *args))

    second = client.get(about.url)

    assert header_links(second) == header_links(first) and footer_text(second) == footer_text(first)
    site_wide = ("header", "footer", "brand-mark", "site-settings")
    assert not [key for key in asked if key.rsplit(":", 1)[-1] in site_wide or ":header:" in key], asked

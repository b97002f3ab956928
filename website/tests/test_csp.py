"""Every response carries a Content-Security-Policy: a strict one on the site, Wagtail's needs in the
admin; and in Chromium neither the site nor the page editor trips over its own policy."""

import shutil
from contextlib import contextmanager
from decimal import Decimal

import pytest

from django.test import Client
from django.urls import reverse

from wagtail.test.utils.form_data import querydict_from_html

from products.factories import ProductPageFactory
from website.csp import media_origins


def policy(response):
    return {
        directive.split()[0]: directive.split()[1:] for directive in response["Content-Security-Policy"].split("; ")
    }


@pytest.mark.django_db
def test_site_pages_carry_the_strict_policy(client, product_index, site_settings):
    product = ProductPageFactory(parent=product_index, title="Guide", sku="G-1", price=Decimal("8.20"))

    for url in ("/", product.url, "/shop/", "/search/?q=guide", "/account/login/", "/no-such-page/"):
        response = client.get(url)
        assert response.status_code in (200, 404), url
        directives = policy(response)
        assert directives["script-src"] == ["'self'"], url
        assert directives["object-src"] == ["'none'"]
        assert directives["frame-ancestors"] == ["'none'"]
        assert "https://checkout.stripe.com" in directives["form-action"]


@pytest.mark.django_db
def test_a_page_from_the_page_cache_carries_the_policy_too(client, site_settings, settings):
    settings.PAGE_CACHE_SECONDS = 60
    client.get("/")

    cached = client.get("/")

    assert cached["X-Page-Cache"] == "hit"
    assert policy(cached)["script-src"] == ["'self'"]


def test_the_admin_gets_its_own_policy(editor_client):
    response = editor_client.get("/admin/")

    assert response.status_code == 200
    directives = policy(response)
    assert "'unsafe-inline'" in directives["script-src"]
    assert directives["frame-ancestors"] == ["'self'"]  # Wagtail frames its own previews
    assert "blob:" in directives["img-src"]  # image previews before upload


def test_a_preview_keeps_the_site_policy_but_lets_the_admin_frame_it(editor_client, product_index, site_settings):
    edit_url = reverse("wagtailadmin_pages:edit", args=[product_index.pk])
    preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=[product_index.pk])
    data = querydict_from_html(editor_client.get(edit_url).content.decode(), form_id="page-edit-form")
    assert editor_client.post(preview_url, data).json()["is_valid"]

    directives = policy(editor_client.get(preview_url))

    assert directives["frame-ancestors"] == ["'self'"]  # the preview panel is an iframe of the admin
    assert directives["script-src"] == ["'self'"]  # otherwise what the live page will get


def test_media_on_disk_needs_no_other_origin():
    assert media_origins() == ()


@pytest.mark.parametrize(
    ("options", "origins"),
    [
        ({"bucket_name": "m", "custom_domain": "cdn.example.com"}, ("https://cdn.example.com",)),
        ({"bucket_name": "m", "endpoint_url": "http://127.0.0.1:9000/"}, ("http://127.0.0.1:9000",)),
        (
            {"bucket_name": "m", "region_name": "eu-west-1"},
            ("https://m.s3.amazonaws.com", "https://m.s3.eu-west-1.amazonaws.com"),
        ),
    ],
)
@pytest.mark.django_db
def test_media_on_s3_is_allowed_as_images_from_its_origin(settings, options, origins):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options},
    }

    assert media_origins() == origins
    assert origins[0] in policy(Client().get("/no-such-page/"))["img-src"]


# -- In Chromium ----------------------------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@contextmanager
def chromium_page(session_cookie=None, base_url=None):
    """A Chromium page that records every CSP violation: console errors and securitypolicyviolation events."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
        )
        context = browser.new_context()
        if session_cookie:
            context.add_cookies([{"name": "sessionid", "value": session_cookie, "url": base_url}])
        context.add_init_script(
            "window.__cspViolations = [];"
            "document.addEventListener('securitypolicyviolation', e =>"
            " window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));"
        )
        page = context.new_page()
        page.console_messages = []
        page.on("console", lambda message: page.console_messages.append(message.text))
        yield page
        browser.close()


def violations(page):
    in_console = [text for text in page.console_messages if "Content Security Policy" in text]
    return in_console + page.evaluate("window.__cspViolations")


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(not shutil.which(CHROMIUM), reason="needs Debian's chromium")
def test_the_site_and_the_page_editor_run_under_their_policies(live_server, home_page, superuser, site_settings):
    editor = Client()
    editor.force_login(superuser)
    session = editor.cookies["sessionid"].value

    with chromium_page() as page:
        page.goto(live_server.url + "/")
        page.wait_for_load_state("networkidle")
        site_violations = violations(page)
    with chromium_page(session, live_server.url) as page:
        editor_page = page.goto(f"{live_server.url}/admin/pages/{home_page.pk}/edit/")
        page.wait_for_load_state("networkidle")
        editor_loaded = page.locator("[data-edit-form], form#page-edit-form").count() > 0
        title = page.title()
        admin_violations = violations(page)

    assert site_violations == []
    assert editor_page.status == 200 and editor_loaded, title
    assert admin_violations == []

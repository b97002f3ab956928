"""The security headers and cookie flags production really sends: config.settings.production under gunicorn,
reached as behind the TLS-terminating proxy it expects (X-Forwarded-Proto: https, SECURE_PROXY_SSL_HEADER)."""

import re
from urllib.parse import urlencode

import pytest

from website.tests.servers import fetch, gunicorn

# A home page, a shop and one product, made with the project's factories in the production database.
CONTENT = """
from home.factories import make_home_page
from products.factories import ProductIndexPageFactory, ProductPageFactory
from website.factories import SiteSettingsFactory

home = make_home_page()
SiteSettingsFactory(site=home.get_site(), currency="USD")
shop = ProductIndexPageFactory(parent=home, title="Shop", slug="shop")
ProductPageFactory(parent=shop, title="Field Guide", slug="field-guide")
"""
HTTPS = {"X-Forwarded-Proto": "https"}
PAGES = {"home page": "/", "product page": "/shop/field-guide/", "cart": "/cart/", "admin log-in": "/admin/login/"}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with gunicorn(tmp_path_factory.mktemp("production"), setup=[["shell", "-c", CONTENT]]) as base:
        yield base


def cookies(headers):
    """{name: {attribute: value}} from every Set-Cookie, attribute names in lower case."""
    jar = {}
    for line in headers.get_all("Set-Cookie") or []:
        pair, *attributes = [part.strip() for part in line.split(";")]
        name = pair.split("=", 1)[0]
        jar[name] = {key.lower(): value for key, _, value in (attr.partition("=") for attr in attributes)}
    return jar


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_every_page_sends_the_security_headers(site, path):
    status, headers, _body = fetch(f"{site}{path}", **HTTPS)

    assert status == 200
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    policy = headers["Content-Security-Policy"]
    ancestors = "'self'" if path.startswith("/admin/") else "'none'"
    assert f"frame-ancestors {ancestors}" in policy and "default-src 'self'" in policy


def test_the_csrf_cookie_is_secure_and_same_site(site):
    _status, headers, body = fetch(f"{site}/admin/login/", **HTTPS)

    csrf = cookies(headers)["csrftoken"]
    assert "secure" in csrf and csrf["samesite"] == "Lax"
    assert b'name="csrfmiddlewaretoken"' in body


def test_the_session_and_cart_cookies_are_secure_and_same_site_and_the_session_one_http_only(site):
    _status, headers, body = fetch(f"{site}/shop/field-guide/", **HTTPS)
    csrf_cookie = re.search(r"csrftoken=([^;]+)", headers["Set-Cookie"]).group(1)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    product = re.search(rb'name="product" value="(\d+)"', body).group(1).decode()

    status, headers, _body = fetch(
        f"{site}/cart/add/",
        urlencode({"csrfmiddlewaretoken": token, "product": product, "quantity": 1}).encode(),
        Cookie=f"csrftoken={csrf_cookie}",
        Origin=site.replace("http://", "https://"),
        follow=False,
        **HTTPS,
    )

    assert status == 302
    jar = cookies(headers)
    assert {"secure", "httponly"} <= jar["sessionid"].keys() and jar["sessionid"]["samesite"] == "Lax"
    # Read by the header's script to show the count, so not HttpOnly.
    assert "secure" in jar["cart_count"] and "httponly" not in jar["cart_count"]
    assert jar["cart_count"]["samesite"] == "Lax"


def test_the_health_probe_answers_before_the_security_middleware_and_sets_no_cookie(site):
    # By design (website/health.py): plain HTTP from a container's HEALTHCHECK must reach it, unredirected.
    status, headers, body = fetch(f"{site}/health/")

    assert status == 200 and body == b'{"status": "ok"}'
    assert headers["Content-Type"] == "application/json" and headers["Cache-Control"] == "no-store"
    assert headers.get_all("Set-Cookie") is None

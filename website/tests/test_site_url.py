"""SITE_URL names the host every absolute link uses: set on the default Site at migrate and by load_demo, whatever
host the request came in on."""

import json
import xml.etree.ElementTree as ET
from io import StringIO

import pytest

from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse

from wagtail.models import Site

from blog.factories import BlogPostPageFactory
from demo.loader import DemoLoader
from products.factories import ProductPageFactory
from website.site_url import parse_site_url
from website.tests.html import soup

SITE_URL = "https://shop.example.com"


def absolute_urls(text):
    """Every http(s) URL in a page's attributes, JSON-LD and XML text."""
    return {word.strip("\"'<>,") for word in text.replace(">", "> ").split() if "://" in word}


@pytest.mark.django_db
def test_after_migrate_canonical_og_json_ld_sitemap_and_feed_name_the_configured_host(
    settings, client, site_settings, product_index, blog_index, image
):
    product = ProductPageFactory(parent=product_index, title="Field guide", slug="field-guide", gallery=[image])
    post = BlogPostPageFactory(parent=blog_index, title="Ink notes", hero_image=image)
    for page in (product, post):
        page.save_revision().publish()
    settings.SITE_URL = SITE_URL

    call_command("migrate", verbosity=0, stdout=StringIO())  # as the image does at start

    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port, site.root_url) == ("shop.example.com", 443, SITE_URL)
    # The shopper's request names another host (a proxy, a raw address): the links still name SITE_URL.
    page = soup(client.get(product.url, HTTP_HOST="127.0.0.1"))
    assert page.find("link", rel="canonical")["href"] == f"{SITE_URL}/shop/field-guide/"
    assert page.find("meta", property="og:url")["content"] == f"{SITE_URL}/shop/field-guide/"
    assert page.find("meta", property="og:image")["content"].startswith(f"{SITE_URL}/media/")
    graph = json.loads(page.find("script", type="application/ld+json").string)["@graph"]
    linked = absolute_urls(json.dumps(graph).replace('"', " "))
    assert f"{SITE_URL}/shop/field-guide/" in linked
    assert {url for url in linked if not url.startswith("https://schema.org/")} <= {
        url for url in linked if url.startswith(f"{SITE_URL}/")
    }

    sitemap = ET.fromstring(client.get(reverse("sitemap"), HTTP_HOST="127.0.0.1").content)  # noqa: S314
    locations = [url[0].text for url in sitemap]
    assert f"{SITE_URL}/shop/field-guide/" in locations
    assert all(location.startswith(f"{SITE_URL}/") for location in locations)

    feed = ET.fromstring(client.get(reverse("journal_rss_feed"), HTTP_HOST="127.0.0.1").content)  # noqa: S314
    assert [item.findtext("link") for item in feed.iter("item")] == [f"{SITE_URL}/journal/ink-notes/"]


@pytest.mark.django_db
def test_without_site_url_migrate_leaves_the_site_as_it_is(settings, site):
    settings.SITE_URL = ""
    before = (site.hostname, site.port)
    call_command("migrate", verbosity=0, stdout=StringIO())
    site.refresh_from_db()
    assert (site.hostname, site.port) == before


@pytest.mark.parametrize(
    ("url", "address"),
    [
        ("https://shop.example.com", {"hostname": "shop.example.com", "port": 443}),
        ("https://shop.example.com:443/", {"hostname": "shop.example.com", "port": 443}),
        ("http://shop.example.com", {"hostname": "shop.example.com", "port": 80}),
        ("http://localhost:8000", {"hostname": "localhost", "port": 8000}),
    ],
)
def test_site_url_gives_the_sites_hostname_and_port(url, address):
    assert parse_site_url(url) == address


@pytest.mark.parametrize(
    ("url", "complaint"),
    [
        ("shop.example.com", "must look like"),
        ("ftp://shop.example.com", "must look like"),
        ("https://shop.example.com/shop/", "no path"),
        ("https://shop.example.com:8443", "exactly when the port is 443"),
        ("http://shop.example.com:443", "exactly when the port is 443"),
    ],
)
def test_a_site_url_wagtail_cannot_represent_is_refused_with_a_reason(url, complaint):
    with pytest.raises(ImproperlyConfigured, match=complaint):
        parse_site_url(url)


def test_manage_check_reports_a_bad_site_url(settings):
    settings.SITE_URL = "https://shop.example.com:8443"
    with pytest.raises(SystemCheckError, match="pagecart.E001"):
        call_command("check", stdout=StringIO(), stderr=StringIO())


@pytest.mark.django_db
def test_the_demo_site_takes_the_configured_address_and_the_demo_default_without_one(settings):
    settings.SITE_URL = "http://shop.example.com:8080"
    site, _home = DemoLoader().site_and_home()
    assert site.root_url == "http://shop.example.com:8080"

    settings.SITE_URL = ""
    site, _home = DemoLoader().site_and_home()
    assert site.root_url == "http://127.0.0.1:8000"  # `make run`'s address, for local use


def test_check_deploy_warns_without_site_url(settings):
    settings.SITE_URL = ""
    with pytest.raises(SystemCheckError, match="pagecart.W001"):
        call_command("check", deploy=True, fail_level="WARNING", stdout=StringIO(), stderr=StringIO())

import xml.etree.ElementTree as ET

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wagtail.models import PageViewRestriction

from blog.factories import BlogPostPageFactory
from infopages.factories import InfoPageFactory
from products.factories import ProductPageFactory

pytestmark = pytest.mark.django_db

SITEMAP = reverse("sitemap")
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sitemap_entries(client):
    """{loc: lastmod} of every <url> in the sitemap, as a crawler reads it."""
    response = client.get(SITEMAP)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own response
    return {url.findtext("sm:loc", namespaces=NS): url.findtext("sm:lastmod", namespaces=NS) for url in root}


def test_the_sitemap_lists_live_pages_with_absolute_urls_and_lastmod(client, home_page, blog_index, product_index):
    post = BlogPostPageFactory(parent=blog_index, title="Shipping our first kit")
    product = ProductPageFactory(parent=product_index, title="Weekly planner")
    about = InfoPageFactory(parent=home_page, title="About")
    expected = [home_page, blog_index, post, product_index, product, about]
    for page in expected:
        # Published as an editor does, which records the last-published time <lastmod> comes from.
        page.save_revision().publish()

    entries = sitemap_entries(client)

    assert set(entries) == {page.get_full_url() for page in expected}
    assert all(loc.startswith("http://localhost/") for loc in entries)
    post.refresh_from_db()
    assert entries[post.get_full_url()] == post.last_published_at.date().isoformat()
    assert all(entries.values()), "every <url> has a <lastmod>"


def test_drafts_private_and_noindex_pages_are_left_out(client, home_page, blog_index, product_index):
    listed = BlogPostPageFactory(parent=blog_index, title="Listed")
    draft = BlogPostPageFactory(parent=blog_index, title="Draft", draft=True)
    hidden_post = BlogPostPageFactory(parent=blog_index, title="Hidden", noindex=True)
    hidden_product = ProductPageFactory(parent=product_index, title="Hidden product", noindex=True)
    members = InfoPageFactory(parent=home_page, title="Members")
    members_only = InfoPageFactory(parent=members, title="Members only")
    PageViewRestriction.objects.create(
        page=members, restriction_type=PageViewRestriction.PASSWORD, password="opensesame"
    )

    entries = sitemap_entries(client)

    assert listed.get_full_url() in entries
    for page in (draft, hidden_post, hidden_product, members, members_only):
        assert page.get_full_url() not in entries, f"{page.title} should not be in the sitemap"


def test_a_noindex_section_still_lists_its_indexable_pages(client, home_page, blog_index):
    blog_index.noindex = True
    blog_index.save_revision().publish()
    post = BlogPostPageFactory(parent=blog_index, title="Indexable")

    entries = sitemap_entries(client)

    assert blog_index.get_full_url() not in entries
    assert post.get_full_url() in entries


def test_the_sitemap_takes_the_same_number_of_queries_for_more_pages(client, home_page, blog_index, product_index):
    def queries():
        client.get(SITEMAP)  # warm Wagtail's site-root cache and the site settings
        with CaptureQueriesContext(connection) as captured:
            assert client.get(SITEMAP).status_code == 200
        return len(captured)

    for _ in range(3):
        BlogPostPageFactory(parent=blog_index)
        ProductPageFactory(parent=product_index)
    BlogPostPageFactory(parent=blog_index, noindex=True)
    few = queries()
    for _ in range(7):
        BlogPostPageFactory(parent=blog_index)
        ProductPageFactory(parent=product_index)
        BlogPostPageFactory(parent=blog_index, noindex=True)

    assert queries() == few

import datetime
import xml.etree.ElementTree as ET

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wagtail.models import PageViewRestriction

from blog.factories import AuthorFactory, BlogCategoryFactory, BlogIndexPageFactory, BlogPostPageFactory

pytestmark = pytest.mark.django_db

RSS = reverse("journal_rss_feed")
ATOM = reverse("journal_atom_feed")
ATOM_NS = {"atom": "http://www.w3.org/2005/Atom"}
DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"


def fetch_xml(client, url):
    response = client.get(url)
    assert response.status_code == 200, f"GET {url} returned {response.status_code}"
    return response, ET.fromstring(response.content)  # noqa: S314 - our own response


def post_on(blog_index, day, **kwargs):
    return BlogPostPageFactory(parent=blog_index, date=datetime.date(2025, 3, day), **kwargs)


def test_the_rss_feed_lists_the_newest_posts_first(client, site_settings, blog_index):
    site_settings.brand_name = "Inkwell"
    site_settings.save()
    older = post_on(blog_index, 1, title="Older")
    newest = post_on(
        blog_index,
        20,
        title="Newest",
        summary="Why we print on 120 gsm.",
        author=AuthorFactory(name="Sam Rivera"),
        categories=[BlogCategoryFactory(name="Paper"), BlogCategoryFactory(name="Process")],
    )
    middle = post_on(blog_index, 10, title="Middle")

    response, rss = fetch_xml(client, RSS)

    assert response["Content-Type"].startswith("application/rss+xml")
    assert rss.tag == "rss"
    assert rss.get("version") == "2.0"
    channel = rss.find("channel")
    assert channel.findtext("title") == "Journal | Inkwell"
    assert channel.findtext("description") == "Notes from the workshop."
    assert channel.findtext("link") == blog_index.get_full_url()
    items = channel.findall("item")
    assert [item.findtext("link") for item in items] == [p.get_full_url() for p in (newest, middle, older)]
    assert all(item.findtext("link").startswith("http://") for item in items)
    first = items[0]
    assert first.findtext("title") == "Newest"
    assert first.findtext("description") == "Why we print on 120 gsm."
    assert first.findtext(DC_CREATOR) == "Sam Rivera"
    assert [category.text for category in first.findall("category")] == ["Paper", "Process"]
    assert first.findtext("pubDate") == "Thu, 20 Mar 2025 00:00:00 +0000"


def test_the_atom_feed_carries_the_same_entries(client, site_settings, blog_index):
    newest = post_on(blog_index, 20, title="Newest", author=AuthorFactory(name="Sam Rivera"))
    older = post_on(blog_index, 1, title="Older")

    response, feed = fetch_xml(client, ATOM)

    assert response["Content-Type"].startswith("application/atom+xml")
    assert feed.tag == "{http://www.w3.org/2005/Atom}feed"
    assert feed.findtext("atom:subtitle", namespaces=ATOM_NS) == "Notes from the workshop."
    entries = feed.findall("atom:entry", namespaces=ATOM_NS)
    assert [entry.find("atom:link", ATOM_NS).get("href") for entry in entries] == [
        newest.get_full_url(),
        older.get_full_url(),
    ]
    first = entries[0]
    assert first.findtext("atom:author/atom:name", namespaces=ATOM_NS) == "Sam Rivera"
    assert first.findtext("atom:published", namespaces=ATOM_NS) == "2025-03-20T00:00:00+00:00"
    assert first.findtext("atom:updated", namespaces=ATOM_NS)


@pytest.mark.parametrize("url", [RSS, ATOM])
def test_the_feeds_leave_out_drafts_private_and_noindex_posts(client, site_settings, blog_index, url):
    listed = post_on(blog_index, 1, title="Listed")
    post_on(blog_index, 2, title="Draft", draft=True)
    post_on(blog_index, 3, title="Hidden", noindex=True)
    private = post_on(blog_index, 4, title="Private")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)

    _response, feed = fetch_xml(client, url)

    links = [element.text or element.get("href") for element in feed.iter() if element.tag.endswith("link")]
    assert listed.get_full_url() in links
    titles = {element.text for element in feed.iter() if element.tag.endswith("title")}
    assert "Listed" in titles
    assert titles.isdisjoint({"Draft", "Hidden", "Private"})


def test_the_feed_holds_the_twenty_newest_posts(client, site_settings, blog_index):
    posts = [post_on(blog_index, day) for day in range(1, 23)]

    _response, rss = fetch_xml(client, RSS)

    links = [item.findtext("link") for item in rss.find("channel").findall("item")]
    assert links == [post.get_full_url() for post in reversed(posts[2:])]


def test_the_feed_follows_the_sites_first_journal(client, site_settings, home_page, blog_index):
    BlogIndexPageFactory(parent=home_page, title="Second journal", slug="second")
    post = post_on(blog_index, 1)

    _response, rss = fetch_xml(client, RSS)

    assert rss.find("channel").findtext("link") == blog_index.get_full_url()
    assert [item.findtext("link") for item in rss.find("channel").findall("item")] == [post.get_full_url()]


@pytest.mark.parametrize("url", [RSS, ATOM])
def test_there_is_no_feed_without_a_live_public_journal(client, site_settings, blog_index, url):
    PageViewRestriction.objects.create(page=blog_index, restriction_type=PageViewRestriction.LOGIN)
    assert client.get(url).status_code == 404

    blog_index.unpublish()
    PageViewRestriction.objects.all().delete()
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", [RSS, ATOM])
def test_the_feeds_take_the_same_number_of_queries_for_more_posts(client, site_settings, blog_index, url):
    def queries():
        client.get(url)  # warm Wagtail's site-root cache
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    def add_posts(count):
        for _ in range(count):
            post_on(blog_index, 1, author=AuthorFactory(), categories=[BlogCategoryFactory()])

    add_posts(3)
    few = queries()
    add_posts(7)

    assert queries() == few


def test_journal_pages_announce_both_feeds(get_soup, site_settings, blog_index):
    post = post_on(blog_index, 1)

    for url in (blog_index.url, post.url):
        _response, page = get_soup(url)
        head = page.find("head")
        assert head.find("link", rel="alternate", type="application/rss+xml")["href"] == RSS, url
        assert head.find("link", rel="alternate", type="application/atom+xml")["href"] == ATOM, url

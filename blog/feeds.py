"""RSS 2.0 and Atom feeds of the site's journal: its newest live, public posts that search engines may see."""

import datetime
from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from wagtail.models import Site

from blog.models import BlogIndexPage
from website.models import SiteSettings

FEED_SIZE = 20


@dataclass(frozen=True)
class Journal:
    """What one feed response is built from. Feed methods only receive this, so the request travels in it."""

    page: BlogIndexPage
    request: HttpRequest
    brand_name: str


def journal_for(request):
    """The first live, public journal of the requested site; 404 when it has none."""
    site = Site.find_for_request(request)
    page = None
    if site is not None:
        journals = BlogIndexPage.objects.live().public().descendant_of(site.root_page, inclusive=True)
        page = journals.order_by("path").first()
    if page is None:
        raise Http404("This site has no journal.")
    return Journal(page=page, request=request, brand_name=SiteSettings.for_request(request).brand_name)


class JournalRssFeed(Feed):
    def get_object(self, request):
        return journal_for(request)

    def title(self, journal):
        return f"{journal.page.title} | {journal.brand_name}"

    def link(self, journal):
        return journal.page.get_full_url(journal.request)

    def description(self, journal):
        return journal.page.intro or f"News and notes from {journal.brand_name}."

    def items(self, journal):
        posts = list(journal.page.get_posts().filter(noindex=False)[:FEED_SIZE])
        for post in posts:
            # Resolved here because item_* methods get no request, and the request picks the right site.
            post.feed_link = post.get_full_url(journal.request)
        return posts

    def item_link(self, post):
        return post.feed_link

    def item_description(self, post):
        # Feed readers treat the description as HTML; the summary is plain text.
        return escape(post.summary)

    def item_pubdate(self, post):
        return timezone.make_aware(datetime.datetime.combine(post.date, datetime.time.min))

    def item_updateddate(self, post):
        # Atom requires <updated> on every entry.
        return post.last_published_at or self.item_pubdate(post)

    def item_author_name(self, post):
        return post.author.name if post.author else None

    def item_categories(self, post):
        return [category.name for category in post.categories.all()]


class JournalAtomFeed(JournalRssFeed):
    feed_type = Atom1Feed

    def subtitle(self, journal):
        return self.description(journal)

"""The sitemap: Wagtail's live, public pages of the requested site, less those hidden from search engines.
Each page lists its own URLs (get_sitemap_urls); the shop adds its category landing pages."""

from functools import reduce
from operator import or_

from django.db.models import Q

from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import get_page_models

from website.models import BasePage


def hidden_from_search_engines():
    """A Q matching pages whose editor switched `noindex` on.

    The field lives on each page type's own table, so this is one subquery per page type: excluding it
    adds no query, however many pages there are.
    """
    conditions = [
        Q(pk__in=model._default_manager.filter(noindex=True).values("pk"))
        for model in get_page_models()
        if issubclass(model, BasePage)
    ]
    return reduce(or_, conditions, Q(pk__in=[]))


class PageSitemap(Sitemap):
    """Wagtail's sitemap (live, outside any view restriction, each page's own get_sitemap_urls) minus noindex."""

    def items(self):
        return super().items().exclude(hidden_from_search_engines())

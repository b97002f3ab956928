"""Each search result's card, rendered once per result and cache generation.

A search the page cache cannot answer (a query nobody asked since the last publish) still finds its results in one
full-text query, but fetching each result's specific page, categories and thumbnail renditions and rendering its card
was most of its cost. A card shows nothing of the search (not the query, not its position) and nothing per visitor,
so it is kept in the fragments cache under the page cache's generation, like the header and a page's parts: a publish,
a price or a shown stock change makes every card stale at once (website.page_cache), and the next search renders it
afresh. Promoted results carry an editor's description for one query and are few: they are rendered every time.
"""

from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

from website import fragments

from .query import Found, Result, page_result, specific_pages

TEMPLATE = "search/result.html"


def cards(request, found: Found) -> list[SafeString]:
    """The cards of a results page in order: promoted results first, then this page's own."""
    names = {f"search-card:{page.pk}": page for page in found.organic}

    def build(missing):
        specific = specific_pages(names[name] for name in missing)
        return {name: _render(request, page_result(specific.get(names[name].pk), request)) for name in missing}

    organic = fragments.cached_each(request, list(names), build)
    rendered = [*(_render(request, result) for result in found.promoted), *(organic[name] for name in names)]
    return [mark_safe(card) for card in rendered if card]  # noqa: S308 - our own template's output  # nosec B308 B703


def _render(request, result: Result | None) -> str:
    """One card's markup; "" for a page that cannot be shown (no address, hidden from search engines). The request
    goes in as a variable, not through the context processors: a card needs only the site's settings from it."""
    if result is None:
        return ""
    return get_template(TEMPLATE).render({"result": result, "request": request})

"""The /search/ page: the query and category from the URL, the results or, when nothing is found, where to go
next (search.query does the finding, search.cards the results' markup)."""

from functools import partial

from django.template.response import TemplateResponse
from django.utils.functional import SimpleLazyObject

from products.models import CATEGORY_SLUG, ProductCategory
from website.page_cache import reads_parameters

from .cards import cards
from .query import clean_query, find, suggestions

# What the results depend on: any other query parameter is ignored, and its address not stored (website.page_cache).
SEARCH_PARAMETERS = ("q", "category", "page", "exact")


def search_view(request):
    reads_parameters(request, SEARCH_PARAMETERS)
    query = clean_query(request.GET.get("q", ""))
    slug = request.GET.get("category", "")
    category = ProductCategory.objects.filter(slug=slug).first() if CATEGORY_SLUG.fullmatch(slug) else None
    found = None
    if query or category:
        found = find(
            request,
            query=query,
            category=category,
            page_number=request.GET.get("page"),
            exact=request.GET.get("exact") == "1",
        )
    context = {
        "query": query,
        "category": category,
        "found": found,
        "cards": cards(request, found) if found is not None else [],
        # Only worked out when the template's kept copy of their markup is stale.
        "suggestions": SimpleLazyObject(partial(suggestions, request)) if found is None or not found.total else None,
    }
    return TemplateResponse(request, "search/results.html", context)

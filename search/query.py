"""Site search: what a query finds, shared by the /search/ page and the pages API.

Results are live, public pages of the searchable types that are not hidden from search engines, matched by
Wagtail's search backend. Pages an editor promoted for the query (Promoted search results in the admin) come
first and are left out of the rest. `?category=<slug>` narrows the results to the products of one category, or
lists them all when there is no query. Categories' own pages are the shop's landing pages (products.catalogue),
which is where the suggestions link.
"""

import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property, reduce
from operator import or_
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import F, Lookup, Q, prefetch_related_objects
from django.db.models.expressions import RawSQL
from django.http import HttpRequest

from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.images.models import AbstractImage
from wagtail.models import Page, Site
from wagtail.query import PageQuerySet
from wagtail.search.utils import normalise_query_string

from blog.models import BlogIndexPage, BlogPostPage
from infopages.models import InfoPage
from products.models import ProductCategory, ProductIndexPage, ProductPage
from website import fragments, images
from website.paging import page_or_404

from . import fuzzy
from .backends.ranked import RANKED_AMONG, SCOPE_MARK

MAX_QUERY_LENGTH = 200
PAGE_SIZE = 10
SEARCHABLE_TYPES = (ProductPage, BlogPostPage, InfoPage)

# Control characters are dropped (PostgreSQL refuses NUL in a query). Only words reach the backend: SQLite's
# FTS5 reads punctuation such as ":", "*" or "(" as query syntax, and upper-case AND/OR/NOT as operators.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Result:
    title: str
    url: str
    kind: str  # "Product", "Journal", "Page", or "Link" for a promoted external link
    summary: str
    page: Page | None = None  # the specific page; None for an external link
    image: AbstractImage | None = None
    promoted: bool = False


@dataclass(frozen=True)
class Hit:
    """An organic result known by its pk and page type, which is all its card needs (search.cards keeps each
    card per generation, and fetches the specific pages of those it has not kept)."""

    pk: int
    content_type_id: int

    @property
    def specific_class(self) -> type[Page] | None:
        return ContentType.objects.get_for_id(self.content_type_id).model_class()


@dataclass(frozen=True)
class Searchable:
    """The searchable pages of a generation, told to the ranking query as the few pages that are not: `hidden`, a
    JSON array (unordered: only ever a set to look pks up in) of every other page up to `last_pk`, the newest page
    there was. Pages made after it are left out until the next generation, as the pages unknown to a list of the
    searchable ones would be. `content_types` is each searchable page's type, so a result needs no query of its
    own and a page not in it is never shown."""

    hidden: str
    last_pk: int
    content_types: dict[int, int]

    @cached_property
    def pages(self) -> PageQuerySet:
        """The searchable pages as a queryset, built once: building its filters took 0.1 ms of every search, a copy
        takes 3 us. Never evaluated itself (results() hands out copies), and never stored with the rest."""
        return Page.objects.live().filter(pk__lte=self.last_pk).exclude(_pk_among(self.hidden))

    @cached_property
    def _results(self) -> PageQuerySet:
        return self.pages.only("pk", "content_type")

    def results(self) -> PageQuerySet:
        """A copy of the searchable pages, their pk and type only, marked with what its SQL is made of for the
        ranking (search.backends.ranked.SCOPE_MARK): this generation's two values; and with the pks it holds
        (RANKED_AMONG), which PostgreSQL's ranking keeps its matches among instead of joining the pages."""
        queryset = self._results.all()
        setattr(queryset, SCOPE_MARK, ("searchable", self.hidden, self.last_pk))
        setattr(queryset, RANKED_AMONG, self.content_types)
        return queryset

    def __getstate__(self) -> dict[str, Any]:
        return {name: value for name, value in self.__dict__.items() if name not in ("pages", "_results")}


@dataclass(frozen=True)
class Found:
    promoted: list[Result]  # what editors promoted for the query (first page only)
    organic: list[Page | Hit]  # this page's own results, best first, made into cards by search.cards
    page_obj: PaginatorPage  # the paginator page of organic results
    total: int  # promoted and organic results across all pages
    corrected: str = ""  # the spelling searched instead when the query as typed found nothing
    alternatives: tuple[str, ...] = ()  # "Did you mean" words when even the correction found nothing


def clean_query(raw: str | None) -> str:
    """The query as typed, whitespace trimmed and collapsed, cut at a word boundary to MAX_QUERY_LENGTH."""
    query = " ".join(_CONTROL.sub(" ", raw or "").split())
    if len(query) <= MAX_QUERY_LENGTH:
        return query
    cut = query[:MAX_QUERY_LENGTH]
    if query[MAX_QUERY_LENGTH] != " " and " " in cut:
        cut = cut.rsplit(" ", 1)[0]  # a word cut in half would be searched for as a word of its own
    return cut.strip()


def search_terms(query: str) -> str:
    return " ".join(_WORD.findall(query.lower()))


def indexable_q() -> Q:
    """Pages of the searchable types that are not hidden from search engines. Written as id lookups because
    the search backend only filters on indexed fields, and noindex is not one of Page's."""
    return reduce(or_, (Q(pk__in=model.objects.filter(noindex=False).values("pk")) for model in SEARCHABLE_TYPES))


def searchable(request: HttpRequest) -> PageQuerySet:
    """Live, public pages of the searchable types that are not hidden from search engines. Which pages are public
    and not hidden is worked out once per page-cache generation and kept (website.fragments) as a list of pks, the
    query's one parameter: working it out (the view restrictions, a subquery per page type, every page of the
    site) cost SQLite as long as the search itself, and more as the catalogue grows. It stays right until the
    generation changes: publishing, unpublishing, moving or deleting a page and saving or deleting a view
    restriction set a new one. On SQLite whether a page is live is still read as the search runs; PostgreSQL ranks
    the index entries alone and keeps the matches among the kept pks (search.backends.postgres). With nothing kept
    (fragments off), the choice runs inside the search's own query instead, not as a query of its own. Only the
    pages' pk and type are loaded: a result's card needs no more (search.cards keeps each card per generation),
    and the rest of a page's columns cost more to load than the search took."""
    kept = _kept_searchable(request)
    if kept is None:
        return _searchable_pages().only("pk", "content_type")
    return kept.results()


def _kept_searchable(request: HttpRequest) -> Searchable | None:
    if not fragments.enabled(request):
        return None
    return fragments.kept_in_process(request, "search:searchable", _searchable)


def _searchable_pages() -> PageQuerySet:
    return Page.objects.live().public().filter(indexable_q())


def _searchable() -> Searchable:
    """The searchable pages, and the rest as the filter's parameter: a shop's pages are nearly all searchable (its
    products and posts), so the rest are a handful however large the catalogue, where the searchable ones were a
    thousand pks for PostgreSQL to read and hash on every search (0.88 ms a ranking instead of 0.70)."""
    content_types = dict(_searchable_pages().order_by().values_list("pk", "content_type_id"))
    every_pk = list(Page.objects.order_by().values_list("pk", flat=True))
    hidden = [pk for pk in every_pk if pk not in content_types]
    return Searchable(
        hidden=json.dumps(hidden, separators=(",", ":")), last_pk=max(every_pk, default=0), content_types=content_types
    )


class _AnyOfArrayText(Lookup):
    """`pk = ANY(%s::integer[])`, the array given as its text (`{1,2,3}`): PostgreSQL hashes the array and checks
    each page against it as it scans them, where `pk IN (SELECT unnest(...))` made the array a table, removed its
    duplicates and joined it. The ranking of `?q=brush` ran in 1.2 ms instead of 0.84 with 1,000 products, 15
    instead of 10-11 with 10,000."""

    lookup_name = "any_of_array_text"
    prepare_rhs = False  # the array's text, not a pk

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s::integer[])", (*params, self.rhs)


def _pk_among(pks: str) -> Q | Lookup:
    """A filter for the pages whose pks a JSON array holds, as one parameter each database reads whole. PostgreSQL
    gets an array, whose length its planner reads (it takes a JSON array's for 100, and then walked every page's
    index entry instead of using search/migrations/0001's index: 6 ms a search instead of 0.8). The array goes
    as its text, cast in SQL: given a list, psycopg typed and quoted each of a thousand pks on every search (1.4
    ms of a 4.4 ms search)."""
    vendor = connection.vendor
    if vendor == "sqlite":
        return Q(pk__in=RawSQL("SELECT value FROM json_each(%s)", (pks,)))  # noqa: S611 - constant SQL  # nosec B611
    if vendor == "postgresql":
        return _AnyOfArrayText(F("pk"), "{" + pks[1:-1] + "}")  # the JSON array of integers, as PostgreSQL writes one
    return Q(pk__in=json.loads(pks))


def find(
    request: HttpRequest,
    *,
    query: str,
    category: ProductCategory | None = None,
    page_number: str | None = None,
    exact: bool = False,
) -> Found:
    """Results for the query (and/or category), paginated; when the query finds nothing as typed (and `exact` is
    not asked for), the results of its spelling correction, or words it may have meant. (The search is counted for
    the admin's report by search.hits.SearchHitsMiddleware, which sees the page cache's answers too.)"""
    promotions: list[SearchPromotion] = []
    if query and category is None and (query_string := normalise_query_string(query)) in _promoted_queries(request):
        promotions = list(SearchPromotion.objects.filter(query__query_string=query_string))
    promoted_ids = [promotion.page_id for promotion in promotions if promotion.page_id]

    organic = searchable(request)
    if promoted_ids:
        organic = organic.exclude(pk__in=promoted_ids)
    if category is not None:
        organic = organic.filter(pk__in=category.products.values("pk"))
    terms = search_terms(query)
    corrected = ""
    alternatives: tuple[str, ...] = ()
    if terms:
        paginator = Paginator(organic.search(terms, operator="and"), PAGE_SIZE)
        if not paginator.count and not promotions and not exact:
            corrected, alternatives, paginator = _corrected(organic, terms)
    elif query:
        paginator = Paginator(organic.none(), PAGE_SIZE)
    else:
        paginator = Paginator(organic.order_by("-first_published_at", "-pk"), PAGE_SIZE)
    page_obj = page_or_404(paginator, page_number)
    organic_results = _hits(page_obj, kept) if (kept := _kept_searchable(request)) else list(page_obj)

    specific = specific_pages(Page.objects.live().public().filter(pk__in=promoted_ids)) if promoted_ids else {}
    promoted = [result for promotion in promotions if (result := _promoted_result(promotion, specific, request))]
    return Found(
        promoted=promoted if page_obj.number == 1 else [],
        organic=organic_results,
        page_obj=page_obj,
        total=len(promoted) + page_obj.paginator.count,
        corrected=corrected,
        alternatives=alternatives,
    )


def _hits(page_obj: PaginatorPage, kept: Searchable) -> list[Page | Hit]:
    """This page's results as hits, read from the search's ranking and the kept page types without loading a
    page (fetching ten pages, even their pk and type only, was a fifth of an uncached search). Results that are
    not a ranked search (a category's products with no query) are loaded as before."""
    results = page_obj.object_list
    if not hasattr(results, "ranked_pks"):
        return list(page_obj)
    types = kept.content_types
    return [Hit(pk, types[pk]) for pk in results.ranked_pks() if pk in types]


def _promoted_queries(request: HttpRequest) -> frozenset[str]:
    """The queries editors promoted results for, kept per generation (saving a promotion sets a new one): most
    searches have none, and now skip asking."""
    return fragments.kept_in_process(
        request,
        "search:promoted-queries",
        lambda: frozenset(SearchPromotion.objects.values_list("query__query_string", flat=True).distinct()),
    )


def _corrected(organic: PageQuerySet, terms: str) -> tuple[str, tuple[str, ...], Paginator]:
    """For a search that found nothing as typed: (the corrected terms, "", their results) when a correction finds
    something, else ("", words to suggest, no results)."""
    vocab = fuzzy.vocabulary()
    corrected = fuzzy.correct(terms, vocab)
    if corrected != terms:
        paginator = Paginator(organic.search(corrected, operator="and"), PAGE_SIZE)
        if paginator.count:
            return corrected, (), paginator
    offered = tuple(word for word in fuzzy.alternatives(terms, vocab) if word not in (terms, corrected))
    return "", offered, Paginator(organic.none(), PAGE_SIZE)


def corrected_terms(queryset_search: Callable[[str], Any], terms: str) -> Any:
    """The API's search: the terms as typed, or their correction when they find nothing (as the /search/ page)."""
    results = queryset_search(terms)
    if results.count() or (corrected := fuzzy.correct(terms)) == terms:
        return results
    return queryset_search(corrected)


def _queryset_for(model: type[Page]) -> PageQuerySet:
    """What a result shows, fetched for all results of the type at once."""
    if model is ProductPage:
        return ProductPage.objects.with_card_data().prefetch_related("categories")  # a result names its categories
    if model is BlogPostPage:
        return BlogPostPage.objects.select_related("hero_image")
    return model.objects.all()


def _image_of(page: Page) -> AbstractImage | None:
    if isinstance(page, ProductPage):
        return page.main_image
    return getattr(page, "hero_image", None)


def specific_pages(pages: Iterable[Page]) -> dict[int, Page]:
    """{pk: specific page} for the given base pages: one query per page type, plus the types' prefetches."""
    ids_by_model: defaultdict[type[Page], list[int]] = defaultdict(list)
    for page in pages:
        if page.specific_class is not None:
            ids_by_model[page.specific_class].append(page.pk)
    specific: dict[int, Page] = {}
    for model, ids in ids_by_model.items():
        specific.update((page.pk, page) for page in _queryset_for(model).filter(pk__in=ids))
    thumbnails = [image for page in specific.values() if (image := _image_of(page))]
    prefetch_related_objects(thumbnails, images.renditions(images.THUMB))
    return specific


def page_result(
    page: Page | None, request: HttpRequest, *, promoted: bool = False, description: str = ""
) -> Result | None:
    if page is None or getattr(page, "noindex", False):
        return None
    url = page.get_url(request)
    if not url:
        return None
    if isinstance(page, ProductPage):
        kind, summary = "Product", page.summary
    elif isinstance(page, BlogPostPage):
        kind, summary = "Journal", page.summary
    else:
        kind, summary = "Page", getattr(page, "seo_description", "") or page.search_description
    return Result(
        title=page.title,
        url=url,
        kind=kind,
        summary=description or summary,
        page=page,
        image=_image_of(page),
        promoted=promoted,
    )


def _promoted_result(promotion: SearchPromotion, specific: Mapping[int, Page], request: HttpRequest) -> Result | None:
    if promotion.page_id:
        return page_result(specific.get(promotion.page_id), request, promoted=True, description=promotion.description)
    if promotion.external_link_url:
        return Result(
            title=promotion.external_link_text or promotion.external_link_url,
            url=promotion.external_link_url,
            kind="Link",
            summary=promotion.description,
            promoted=True,
        )
    return None


@dataclass(frozen=True)
class Suggestions:
    shop: Page | None
    journal: Page | None
    categories: list[ProductCategory]


def suggestions(request: HttpRequest) -> Suggestions:
    """Where to go next when a search finds nothing: the shop, the journal and the product categories."""
    site = Site.find_for_request(request)
    shop = ProductIndexPage.objects.live().public().in_site(site).first() if site else None
    journal = BlogIndexPage.objects.live().public().in_site(site).first() if site else None
    categories = ProductCategory.objects.filter(products__in=ProductPage.objects.live().public()).distinct()
    return Suggestions(shop=shop, journal=journal, categories=list(categories))

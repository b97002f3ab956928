"""The shop's listings: which products a URL asks for, in what order and on which page, and how that URL
presents itself to search engines.

`browse()` is the one entry point. ProductIndexPage calls it for `/shop/` and for each category's landing
page `/shop/category/<slug>/`; products.forms reads the GET parameters. A listing's URL keeps its filters
(`category`, `min_price`, `max_price`, `kind`), its sort order (`sort`) and its page (`page`), so it can be
shared; whatever does not validate is left out and explained on the page.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import Exists, F, Max, OuterRef, Prefetch, Window, prefetch_related_objects
from django.db.models.functions import Coalesce, Lower, RowNumber
from django.forms import BoundField
from django.http import HttpRequest
from django.utils.functional import cached_property

from website import images
from website.descriptions import meta_description
from website.models import SiteSettings
from website.money import format_money
from website.paging import page_or_404
from website.seo import UrlMeta

from .forms import DEFAULT_SORT, KIND_CHOICES, SORT_CHOICES, CatalogueFilterForm
from .models import ProductCategory, ProductGalleryImage, ProductIndexPage, ProductPage, ProductPageQuerySet

# Every order ends on a unique column, so products that tie (same price, same name) keep one order across pages.
ORDERINGS = {
    "newest": ("-first_published_at", "-pk"),
    "price-asc": ("price", Lower("title"), "pk"),
    "price-desc": ("-price", Lower("title"), "pk"),
    "name": (Lower("title"), "pk"),
}
KIND_LABELS = dict(KIND_CHOICES)

# (name, value) pairs of a listing's query string, in the order they are written.
QueryParams = list[tuple[str, str | int]]


@dataclass(frozen=True)
class Filters:
    """What narrows a listing, in the one normal form its URLs are built from."""

    categories: tuple[ProductCategory, ...] = ()  # ordered by slug
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    kind: str = ""

    def apply(self, products: ProductPageQuerySet) -> ProductPageQuerySet:
        if self.categories:
            in_categories = ProductPage.categories.through.objects.filter(productcategory__in=self.categories)
            products = products.filter(pk__in=in_categories.values("productpage"))
        if self.min_price is not None:
            products = products.filter(price__gte=self.min_price)
        if self.max_price is not None:
            products = products.filter(price__lte=self.max_price)
        if self.kind:
            products = products.filter(kind=self.kind)
        return products

    @property
    def refined(self) -> bool:
        """Narrowed by anything beyond a single category."""
        return len(self.categories) > 1 or self.min_price is not None or self.max_price is not None or bool(self.kind)

    @property
    def single_category(self) -> ProductCategory | None:
        return self.categories[0] if len(self.categories) == 1 else None

    def params(self, *, with_categories: bool = True) -> QueryParams:
        """(name, value) pairs in a fixed order: equal filters always make the same URL."""
        params: QueryParams = [("category", category.slug) for category in self.categories] if with_categories else []
        params += [(name, _price_param(value)) for name, value in self.prices if value is not None]
        if self.kind:
            params.append(("kind", self.kind))
        return params

    @property
    def prices(self) -> tuple[tuple[str, Decimal | None], ...]:
        return (("min_price", self.min_price), ("max_price", self.max_price))

    def without(self, name: str, value: ProductCategory | None = None) -> "Filters":
        if name == "category":
            return Filters(tuple(c for c in self.categories if c != value), self.min_price, self.max_price, self.kind)
        return Filters(
            self.categories,
            None if name == "min_price" else self.min_price,
            None if name == "max_price" else self.max_price,
            "" if name == "kind" else self.kind,
        )


def _price_param(value: Decimal) -> str:
    """10.00 -> "10", 9.50 -> "9.5": one spelling per amount."""
    return format(value.normalize(), "f")


@dataclass(frozen=True)
class ActiveFilter:
    """One filter in force, as a chip that removes it."""

    name: str
    label: str
    remove_url: str


@dataclass(frozen=True)
class CategoryLink:
    category: ProductCategory
    url: str
    current: bool


def visible_products(shop: ProductIndexPage) -> ProductPageQuerySet:
    """Live products of this shop outside any view restriction (one query, for the restrictions)."""
    return ProductPage.objects.live().public().child_of(shop)


def categories_with_products(products: ProductPageQuerySet) -> list[ProductCategory]:
    """Every category, each marked `listed` when one of these products is in it."""
    listed = ProductPage.categories.through.objects.filter(
        productcategory=OuterRef("pk"), productpage__in=products.values("pk")
    )
    return list(ProductCategory.objects.annotate(listed=Exists(listed)))


def category_url(
    shop: ProductIndexPage, category: ProductCategory, request: HttpRequest | None = None, *, full: bool = False
) -> str:
    """The category's landing page in this shop: /shop/category/<slug>/ (with the site's root URL when full)."""
    base = shop.get_full_url(request) if full else shop.get_url(request)
    return f"{base}{shop.reverse_subpage('category', kwargs={'slug': category.slug})}"


def browse(shop: ProductIndexPage, request: HttpRequest, *, category: ProductCategory | None = None) -> "Listing":
    """The listing `request` asks of `shop` (a ProductIndexPage); `category` is a landing page's own. Its queries
    run as the page reads it: a visit whose page parts are kept (website.fragments) reads only its title."""
    return Listing(shop=shop, request=request, category=category)


def prefetch_card_renditions(products: Iterable[ProductPage]) -> None:
    """The renditions of the cards' images in one query, so a page of cards costs what one card does."""
    products = list(products)
    main_images = [product.main_image for product in products if product.main_image]
    prefetch_related_objects(main_images, images.renditions(images.CARD))


class Listing:
    """One page of a listing, and the URLs around it: its filters' removal chips, its pages, its canonical."""

    def __init__(self, *, shop: ProductIndexPage, request: HttpRequest, category: ProductCategory | None) -> None:
        self.shop = shop
        self.request = request
        self.category = category  # a landing page's category, or None for the whole shop
        if "page" in request.GET:
            self.page_obj  # noqa: B018 - a page out of range answers 404 before anything is rendered

    @cached_property
    def products(self) -> ProductPageQuerySet:
        return visible_products(self.shop)

    @cached_property
    def categories(self) -> list[ProductCategory]:
        return categories_with_products(self.products)

    @cached_property
    def form(self) -> CatalogueFilterForm:
        form = CatalogueFilterForm(self.request.GET, categories=self.categories)
        form.is_valid()  # invalid fields are left out of cleaned_data; form.notes says which and why
        return form

    @cached_property
    def filters(self) -> Filters:
        form = self.form
        if self.category is None:
            chosen = tuple(form.categories_by_slug[slug] for slug in form.value_of("category", []))
        else:
            chosen = (self.category,)
        return Filters(chosen, form.value_of("min_price"), form.value_of("max_price"), form.value_of("kind", ""))

    @cached_property
    def sort(self) -> str:
        return self.form.value_of("sort", DEFAULT_SORT)

    @cached_property
    def page_obj(self) -> Page:
        listed = self.filters.apply(self.products).with_card_data().order_by(*ORDERINGS[self.sort])
        page_obj = page_or_404(Paginator(listed, self.shop.page_size), self.request.GET.get("page"))
        prefetch_card_renditions(page_obj.object_list)
        return page_obj

    @property
    def page_number(self) -> int:
        """The page shown: the first unless the address names another (then paginated as the listing was made)."""
        return self.page_obj.number if "page" in self.request.GET else 1

    sort_choices = SORT_CHOICES
    default_sort = DEFAULT_SORT
    kind_choices = [("", "All products"), *KIND_CHOICES]

    @property
    def count(self) -> int:
        return self.page_obj.paginator.count

    @property
    def price_fields(self) -> list[BoundField]:
        return [self.form["min_price"], self.form["max_price"]]

    @property
    def crumbs(self) -> list[tuple[str, str]]:
        """(name, URL) after the shop in the breadcrumb trail: a landing page's category."""
        return [(self.category.name, self.path)] if self.category else []

    @property
    def notes(self) -> list[str]:
        return self.form.notes

    @cached_property
    def path(self) -> str:
        """This listing's own address: the shop's, or its category landing page's."""
        if self.category is not None:
            return category_url(self.shop, self.category, self.request)
        return self.shop.get_url(self.request)

    def link(self, filters: Filters | None = None, *, sort: str | None = None, path: str | None = None) -> str:
        """A URL of this listing (page 1) with other filters and/or sort order."""
        filters = self.filters if filters is None else filters
        sort = self.sort if sort is None else sort
        params = filters.params(with_categories=self.category is None)
        if sort != DEFAULT_SORT:
            params.append(("sort", sort))
        return _with_query(path or self.path, params)

    @cached_property
    def has_filters(self) -> bool:
        """Whether the shopper narrowed the listing (a landing page's own category does not count)."""
        return bool(self.filters.params(with_categories=self.category is None))

    @cached_property
    def clear_url(self) -> str:
        return self.link(Filters(self.filters.categories if self.category else ()), sort=DEFAULT_SORT)

    @cached_property
    def active_filters(self) -> list[ActiveFilter]:
        currency = SiteSettings.for_request(self.request).currency
        chips: list[ActiveFilter] = []
        if self.category is None:
            chips += [
                ActiveFilter("category", category.name, self.link(self.filters.without("category", category)))
                for category in self.filters.categories
            ]
        for name, value in self.filters.prices:
            if value is not None:
                label = f"{'From' if name == 'min_price' else 'Up to'} {format_money(value, currency)}"
                chips.append(ActiveFilter(name, label, self.link(self.filters.without(name))))
        if self.filters.kind:
            chips.append(ActiveFilter("kind", KIND_LABELS[self.filters.kind], self.link(self.filters.without("kind"))))
        return chips

    @cached_property
    def category_links(self) -> list[CategoryLink]:
        """On a landing page: every category with products, each keeping the other filters and the sort order."""
        others = Filters((), self.filters.min_price, self.filters.max_price, self.filters.kind)
        return [
            CategoryLink(
                category,
                self.link(others, path=category_url(self.shop, category, self.request)),
                category == self.category,
            )
            for category in self.categories
            if category.listed or category == self.category
        ]

    @cached_property
    def all_products_url(self) -> str:
        """The whole shop with the same filters (bar the category) and sort order."""
        others = Filters((), self.filters.min_price, self.filters.max_price, self.filters.kind)
        params = others.params()
        if self.sort != DEFAULT_SORT:
            params.append(("sort", self.sort))
        return _with_query(self.shop.get_url(self.request), params)

    @cached_property
    def offered_categories(self) -> list[ProductCategory]:
        """On the shop: the categories a shopper can tick (those with products, and any already ticked)."""
        chosen = set(self.filters.categories)
        return [category for category in self.categories if category.listed or category in chosen]

    # What search engines are told (website.seo reads it through ProductIndexPage.get_url_meta).

    @cached_property
    def canonical_url(self) -> str:
        """Filters and page number stay; the sort order goes (it lists the same products), and so do empty and
        default values. One category alone is that category's landing page, however it was asked for."""
        filters, page = self.filters, self.page_obj.number
        if not filters.params() and page == 1 and self.shop.canonical_url:
            return self.shop.canonical_url  # the editor's own choice for the shop
        landing = filters.single_category
        if landing is not None:
            url = category_url(self.shop, landing, self.request, full=True)
        else:
            url = self.shop.get_full_url(self.request)
        params = filters.params(with_categories=landing is None)
        if page > 1:
            params.append(("page", page))
        return _with_query(url, params)

    @cached_property
    def noindex(self) -> bool:
        """Search engines index the shop and each category landing page (every page number of them), whose
        canonical URLs carry no filters. Price, type and multi-category combinations multiply without end into
        near-copies of those pages, and each product they list is reachable from the indexed ones, so they are
        noindex (their links are still followed). An empty category page is noindex too: it has nothing in it."""
        if self.shop.noindex or self.filters.refined:
            return True
        return self.filters.single_category is not None and self.count == 0

    @property
    def heading(self) -> str:
        return self.category.name if self.category else self.shop.title

    @property
    def intro(self) -> str:
        return self.category.description if self.category else self.shop.intro

    @cached_property
    def title(self) -> str:
        title = self.category.name if self.category else self.shop.seo_pagetitle
        if self.page_number > 1:
            title = f"{title} – page {self.page_number}"
        return title

    def url_meta(self) -> UrlMeta:
        description = self.shop.seo_description
        crumbs: tuple[tuple[str, str], ...] = ()
        if self.category is not None:
            description = meta_description(self.category.description) or description
            crumbs = ((self.category.name, category_url(self.shop, self.category, self.request, full=True)),)
        return UrlMeta(
            title=self.title,
            description=description,
            canonical=self.canonical_url,
            noindex=self.noindex,
            crumbs=crumbs,
        )


def category_sitemap_urls(shop: ProductIndexPage, request: HttpRequest | None) -> list[dict[str, Any]]:
    """Sitemap entries for the shop's category landing pages that list something; lastmod is the newest
    publication among their products."""
    products = visible_products(shop)
    published = Coalesce("products__last_published_at", "products__first_published_at")
    categories = (
        ProductCategory.objects.filter(products__in=products.values("pk"))
        .annotate(lastmod=Max(published))
        .order_by("slug")
    )
    return [
        {"location": category_url(shop, category, request, full=True), "lastmod": category.lastmod}
        for category in categories
    ]


def _with_query(path: str, params: QueryParams) -> str:
    return f"{path}?{urlencode(params)}" if params else path


# The product blocks' queries (products.blocks).


def first_product() -> ProductPage | None:
    """The first live, public product: what a product block shows in the editor's block preview."""
    return ProductPage.objects.live().public().order_by("pk").first()


def card_renditions() -> Prefetch:
    """A card's picture: its sizes come with the gallery, in one query for every card on the page, which
    costs less than each picture tag looking them up in the cache."""
    return images.renditions(images.CARD, through="gallery_images__image__")


def prefetch_teaser_gallery(products: Iterable[object]) -> None:
    """The gallery a teaser's picture comes from, for every teaser's product (the page chooser's) at once."""
    teased = [product for product in products if isinstance(product, ProductPage)]
    gallery = ProductGalleryImage.objects.select_related("image").order_by("sort_order")
    prefetch_related_objects(teased, Prefetch("gallery_images", queryset=gallery), card_renditions())


def grid_products(grids: Sequence[Mapping[str, Any]]) -> dict[int, list[ProductPage]]:
    """The products each grid shows, for any number of grids in a constant number of queries:
    {id(grid value): [product, ...]}. Chosen products keep the editor's order; otherwise the newest
    (in the grid's category, if it has one) up to the grid's limit. Only live, public products."""
    visible = ProductPage.objects.live().public()  # public() queries the view restrictions: build it once
    newest_first = [F("first_published_at").desc(), F("pk").desc()]
    chosen = {id(grid): [page.pk for page in grid.get("products") or [] if page] for grid in grids}
    newest_limit = 0
    category_limits: dict[int, int] = {}
    for grid in grids:
        if chosen[id(grid)]:
            continue
        if grid.get("category"):
            category_pk = grid["category"].pk
            category_limits[category_pk] = max(category_limits.get(category_pk, 0), grid["limit"])
        else:
            newest_limit = max(newest_limit, grid["limit"])

    newest = list(visible.order_by(*newest_first).values_list("pk", flat=True)[:newest_limit]) if newest_limit else []
    in_category: defaultdict[int, list[int]] = defaultdict(list)
    if category_limits:
        # The newest few of each category in one query: rank each category's products by date.
        memberships = (
            ProductPage.categories.through.objects.filter(
                productcategory_id__in=category_limits, productpage_id__in=visible.values("pk")
            )
            .annotate(
                rank=Window(
                    RowNumber(),
                    partition_by=F("productcategory_id"),
                    order_by=[F("productpage__first_published_at").desc(), F("productpage_id").desc()],
                )
            )
            .filter(rank__lte=max(category_limits.values()))
            .order_by("productcategory_id", "rank")
            .values_list("productcategory_id", "productpage_id")
        )
        for category_pk, product_pk in memberships:
            in_category[category_pk].append(product_pk)

    wanted = {pk for pks in [*chosen.values(), newest, *in_category.values()] for pk in pks}
    products = visible.with_card_data().prefetch_related(card_renditions()).in_bulk(wanted) if wanted else {}
    shown: dict[int, list[ProductPage]] = {}
    for grid in grids:
        if chosen[id(grid)]:
            pks = chosen[id(grid)]
        elif grid.get("category"):
            pks = in_category[grid["category"].pk][: grid["limit"]]
        else:
            pks = newest[: grid["limit"]]
        shown[id(grid)] = [products[pk] for pk in pks if pk in products]
    return shown

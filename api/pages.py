"""The pages endpoint: Wagtail's API v2 narrowed to public pages, with the shop's filters and safe search."""

from decimal import Decimal, InvalidOperation

from rest_framework.filters import BaseFilterBackend

from django.core.exceptions import ValidationError
from django.db.models import Prefetch

from wagtail.api.v2.filters import FieldsFilter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.search.backends import get_search_backend
from wagtail.search.backends.base import FilterFieldError, OrderByFieldError

from blog.models import BlogPostPage
from products.models import CATEGORY_SLUG, ProductGalleryImage, ProductPage
from search.query import clean_query, corrected_terms, indexable_q, search_terms

from .fields import DETAIL_ONLY, PAGE_FIELDS
from .pagination import BoundedPagination
from .throttling import PublicThrottle
from .visibility import public_pages

PRODUCT_FILTERS = ("category", "price_min", "price_max")
PRODUCT_TYPE = "products.ProductPage"


class SafeFieldsFilter(FieldsFilter):
    """Wagtail's ?field=value filters, with a value the field cannot hold (?price=abc) a 400, not a 500."""

    def filter_queryset(self, request, queryset, view):
        try:
            return super().filter_queryset(request, queryset, view)
        except (ValueError, ValidationError) as error:
            raise BadRequestError(f"field filter error: {error}") from error


class ProductFilter(BaseFilterBackend):
    """?category=<slug>, ?price_min= and ?price_max= (inclusive, in the store's currency)."""

    def filter_queryset(self, request, queryset, view):
        if "category" in request.GET:
            slug = request.GET["category"]
            in_category = ProductPage.objects.filter(categories__slug=slug)
            if not CATEGORY_SLUG.fullmatch(slug):
                in_category = in_category.none()
            queryset = queryset.filter(pk__in=in_category.values("pk"))
        for name, lookup in (("price_min", "price__gte"), ("price_max", "price__lte")):
            if name in request.GET:
                queryset = queryset.filter(**{lookup: _price(name, request.GET[name])})
        return queryset


def _price(name, raw):
    try:
        price = Decimal(raw)
    except InvalidOperation:
        price = None
    if price is None or not price.is_finite() or price < 0 or price.as_tuple().exponent < -2 or price >= 10**8:
        raise BadRequestError(f"{name} must be an amount such as 10 or 19.99")
    return price


class IndexableSearchFilter(BaseFilterBackend):
    """?search= finds what the site search finds: words only (SQLite's FTS5 reads punctuation as syntax), spelling
    corrected when the words as typed find nothing, and never a page hidden from search engines."""

    def filter_queryset(self, request, queryset, view):
        operator = request.GET.get("search_operator")
        if operator not in (None, "and", "or"):
            raise BadRequestError("search_operator must be 'and' or 'or'")
        if "search" not in request.GET:
            return queryset
        terms = search_terms(clean_query(request.GET["search"]))
        if not terms:
            return queryset.none()
        try:
            return corrected_terms(
                lambda words: get_search_backend().search(
                    words,
                    queryset.filter(indexable_q()),
                    operator=operator,
                    order_by_relevance="order" not in request.GET,
                ),
                terms,
            )
        except (FilterFieldError, OrderByFieldError) as error:
            raise BadRequestError(f"cannot filter or order by '{error.field_name}' while searching") from error


# Parameters whose empty value Wagtail reads as "not given": ?type= would list every page type and ?fields=
# the default fields, hiding a client's empty value (an unset variable, ",".join([])) behind a 200.
NON_EMPTY_PARAMETERS = ("type", "fields")


def reject_empty_parameters(request):
    for name in NON_EMPTY_PARAMETERS:
        if request.GET.get(name) == "":
            raise BadRequestError(f"{name} cannot be empty: give a value or leave {name} out")


class PublicPagesAPIViewSet(PagesAPIViewSet):
    pagination_class = BoundedPagination
    throttle_classes = [PublicThrottle]
    filter_backends = [SafeFieldsFilter, ProductFilter, *PagesAPIViewSet.filter_backends[1:-1], IndexableSearchFilter]
    # One site, one language: the site and locale switches of Wagtail's endpoint have nothing to choose.
    known_query_parameters = (PagesAPIViewSet.known_query_parameters - {"site", "locale", "translation_of"}) | set(
        PRODUCT_FILTERS
    )
    detail_only_fields = PagesAPIViewSet.detail_only_fields + DETAIL_ONLY

    @classmethod
    def get_body_fields(cls, model):
        return cls._convert_api_fields(cls.body_fields + PAGE_FIELDS.get(model, []))

    def get_serializer_class(self):
        reject_empty_parameters(self.request)
        return super().get_serializer_class()

    def get_base_queryset(self):
        return public_pages(self.request)

    def get_queryset(self):
        if any(name in self.request.GET for name in PRODUCT_FILTERS):
            # The shop's filters imply the product type, as Wagtail's own ?type=products.ProductPage would.
            if self.request.GET.get("type", PRODUCT_TYPE) != PRODUCT_TYPE:
                raise BadRequestError(f"category, price_min and price_max filter products: use type={PRODUCT_TYPE}")
            queryset = ProductPage.objects.filter(pk__in=self.get_base_queryset().values_list("pk", flat=True))
        else:
            queryset = super().get_queryset()
        return _with_related(queryset)


def _with_related(queryset):
    """What PAGE_FIELDS read, fetched for the whole listing at once."""
    if queryset.model is ProductPage:
        gallery = ProductGalleryImage.objects.select_related("image").order_by("sort_order")
        return queryset.prefetch_related(
            Prefetch("gallery_images", queryset=gallery), "gallery_images__image__renditions", "categories"
        )
    if queryset.model is BlogPostPage:
        return queryset.select_related("author", "hero_image").prefetch_related("hero_image__renditions", "categories")
    return queryset

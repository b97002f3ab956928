"""The shopper's wishlist: saving and unsaving products, and what a page needs to show the hearts."""

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.http import HttpRequest

from products.models import ProductPage, ProductPageQuerySet

from .models import User, WishlistItem

REQUEST_CACHE_ATTR = "_wishlist_product_ids"


def add(user: User, product: ProductPage) -> bool:
    """Save a product; saving it twice is harmless. Returns True when it was not saved before."""
    try:
        with transaction.atomic():
            WishlistItem.objects.create(user=user, product=product)
    except IntegrityError:
        return False
    return True


def remove(user: User, product: ProductPage) -> bool:
    """Unsave a product. Returns True when it had been saved."""
    deleted, _ = WishlistItem.objects.filter(user=user, product=product).delete()
    return bool(deleted)


def saved_product_ids(request: HttpRequest) -> frozenset[int]:
    """Ids of the visitor's saved products, looked up once per request (no query for anonymous visitors)."""
    if not request.user.is_authenticated:
        return frozenset()
    ids = getattr(request, REQUEST_CACHE_ATTR, None)
    if ids is None:
        ids = frozenset(WishlistItem.objects.filter(user=request.user).values_list("product_id", flat=True))
        setattr(request, REQUEST_CACHE_ATTR, ids)
    return ids


def saved_among(user: User, product_ids: Iterable[int]) -> list[int]:
    """Which of these products the user saved (one query, whatever the number of products)."""
    saved = WishlistItem.objects.filter(user=user, product_id__in=product_ids)
    return sorted(saved.values_list("product_id", flat=True))


def saved_products(user: User) -> ProductPageQuerySet:
    """The user's saved products that are still published, newest first, ready for product cards."""
    return (
        ProductPage.objects.live()
        .public()
        .filter(wishlisted_by__user=user)
        .order_by("-wishlisted_by__added_at")
        .with_card_data()
    )

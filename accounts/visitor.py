"""The visitor's own parts of a shared page, as JSON for site.js.

Wagtail's pages and search results are rendered the same for everyone and served from the page cache
(website.page_cache), signed in or not. A signed-in visitor's browser then asks /account/visitor/ once per
page, naming the products the page shows, and site.js fills in what is theirs: the header's account link,
the wishlist hearts (as working forms), "you bought this" and the cart badge. The answer reads only the
session's own user, so nobody can ask about anyone else; it is private and never stored.
"""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.dateformat import format as format_date
from django.utils.timezone import localtime

from checkout.cart import item_count

from . import purchases, wishlist

MAX_PRODUCTS = 100  # a listing shows 24 cards; more is not a page's worth
DATE_FORMAT = "j M Y"  # as the page's own dates


def product_ids(raw: str) -> list[int]:
    """ "3,1,2" -> [1, 2, 3]. ValueError, with a message for the caller, for anything else."""
    if not raw:
        return []
    parts = raw.split(",")
    if len(parts) > MAX_PRODUCTS:
        raise ValueError(f"At most {MAX_PRODUCTS} products at a time.")
    if not all(part.isascii() and part.isdigit() and len(part) <= 18 for part in parts):
        raise ValueError("products must be product ids separated by commas.")
    return sorted({int(part) for part in parts})


def parts_for(request: HttpRequest, ids: list[int]) -> dict[str, Any]:
    """What a page shows to this visitor. Four queries in all for a signed-in visitor, however many products
    are named: the session, its user, their saved products and their purchases among those."""
    user = request.user
    if not user.is_authenticated:
        return {"signed_in": False}
    saved = wishlist.saved_among(user, ids) if ids else []
    owned = purchases.last_purchases_of(user, ids) if ids else {}
    return {
        "signed_in": True,
        "name": user.first_name or user.email,
        "cart_count": item_count(request.session),
        "wishlist": saved,
        "owned": {
            str(product_id): {
                "bought_on": format_date(localtime(order.created_at), DATE_FORMAT),
                "order_url": reverse("accounts:order", args=[order.number]),
            }
            for product_id, order in owned.items()
        },
        "urls": {
            "wishlist_add": reverse("accounts:wishlist_add"),
            "wishlist_remove": reverse("accounts:wishlist_remove"),
        },
    }

"""The shopper's cart, kept in the session.

The session stores only product ids and quantities. Prices, currency and availability are read from
the live product pages every time the cart is shown, never from the request or the session.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.contrib.sessions.backends.base import SessionBase
from django.http import Http404

from products.models import MAX_LINE_QUANTITY, ProductPage, ProductPageQuerySet

from .attribution import SOURCES_KEY
from .exceptions import CartError
from .models import SavedCart

if TYPE_CHECKING:
    from website.types import AnyUser, User

SESSION_KEY = "cart"
COUNT_COOKIE = "cart_count"


@dataclass
class CartLine:
    product: ProductPage
    quantity: int
    unit_price: Decimal
    problem: str = ""

    @property
    def line_total(self) -> Decimal:
        return self.unit_price * self.quantity

    @property
    def max_quantity(self) -> int | None:
        """None for digital items, which are always bought once."""
        if self.product.is_digital:
            return None
        return min(self.product.stock or 0, MAX_LINE_QUANTITY)


NO_SUCH_PRODUCT = "No such product."


def purchasable_products() -> ProductPageQuerySet:
    return ProductPage.objects.live().public()


def product_for_line(product_id: int) -> ProductPage:
    """The product a posted cart line names, read from the live, public pages, for the web cart and the API
    alike: a draft, a private page or an id that is no product is a 404 ("No such product.") for both."""
    product = purchasable_products().filter(pk=product_id).first()
    if product is None:
        raise Http404(NO_SUCH_PRODUCT)
    return product


# The request's session, or (for an app signed in by token) a dict of the account's saved cart.
CartStore = SessionBase | dict[str, Any]


class Cart:
    def __init__(self, session: CartStore, currency: str, user: "AnyUser | None" = None) -> None:
        self.session = session
        self.currency = currency
        self.user = user if user is not None and user.is_authenticated else None
        self._quantities = {int(pk): int(qty) for pk, qty in session.get(SESSION_KEY, {}).items()}
        # Product id -> the page and block whose buy button added it (checkout/attribution.py).
        self.sources = {int(pk): source for pk, source in (session.get(SOURCES_KEY) or {}).items()}
        self._lines: list[CartLine] | None = None

    # -- reading ------------------------------------------------------------------------------
    @property
    def lines(self) -> list[CartLine]:
        if self._lines is None:
            self._lines = self._build_lines()
        return self._lines

    def _build_lines(self) -> list[CartLine]:
        products = purchasable_products().filter(pk__in=self._quantities).with_card_data().in_bulk()
        lines = []
        for pk, quantity in self._quantities.items():
            product = products.get(pk)
            if product is None:
                continue  # Unpublished or deleted since it was added: it silently leaves the cart.
            lines.append(CartLine(product, quantity, product.price, problem=_line_problem(product, quantity)))
        return lines

    @property
    def subtotal(self) -> Decimal:
        return sum((line.line_total for line in self.lines), Decimal("0"))

    @property
    def count(self) -> int:
        return sum(self._quantities.values())

    @property
    def has_physical_items(self) -> bool:
        return any(not line.product.is_digital for line in self.lines)

    @property
    def is_empty(self) -> bool:
        return not self.lines

    @property
    def has_problems(self) -> bool:
        return any(line.problem for line in self.lines)

    # -- changing -----------------------------------------------------------------------------
    def add(self, product: ProductPage, quantity: int = 1, *, source: dict[str, Any] | None = None) -> None:
        """`source` names the page (and block) of the buy button. The click that first put the product in the
        cart keeps the line: adding more of it later, from anywhere, changes only the quantity."""
        if not product.is_available:
            raise CartError(f"{product.title} is {_unavailable_reason(product)}.")
        current = self._quantities.get(product.pk, 0)
        if source and not current:
            self.sources[product.pk] = source
        if product.is_digital:
            if current:
                raise CartError(f"{product.title} is already in your cart.")
            self._set(product.pk, 1)
            return
        self._set(product.pk, self._checked_quantity(product, current + quantity))

    def update(self, product: ProductPage, quantity: int) -> None:
        if quantity == 0:
            self.remove(product.pk)
            return
        if product.pk not in self._quantities:
            raise CartError(f"{product.title} is not in your cart.")
        quantity = 1 if product.is_digital else self._checked_quantity(product, quantity)
        self._set(product.pk, quantity)

    def remove(self, product_id: int) -> None:
        self._quantities.pop(product_id, None)
        self._save()

    def clear(self) -> None:
        self._quantities = {}
        self._save()

    def _checked_quantity(self, product: ProductPage, quantity: int) -> int:
        if not product.is_available:
            raise CartError(f"{product.title} is {_unavailable_reason(product)}.")
        limit = min(product.stock or 0, MAX_LINE_QUANTITY)
        if quantity > limit:
            raise CartError(f"Only {limit} of {product.title} can be ordered right now.")
        return quantity

    def _set(self, product_id: int, quantity: int) -> None:
        self._quantities[product_id] = quantity
        self._save()

    def _save(self) -> None:
        items = {str(pk): qty for pk, qty in self._quantities.items()}
        sources = {str(pk): source for pk, source in self.sources.items() if pk in self._quantities}
        self.session[SESSION_KEY] = items
        self.session[SOURCES_KEY] = sources
        if self.user is not None:
            SavedCart.objects.update_or_create(user=self.user, defaults={"items": items, "sources": sources})
        self._lines = None


def item_count(session: CartStore) -> int:
    """How many items the cart in this session holds (the header's badge), without a query."""
    return sum(int(quantity) for quantity in session.get(SESSION_KEY, {}).values())


def merge_saved_cart(session: SessionBase, user: "User") -> dict[str, int]:
    """At login: the cart built as a guest joins the one saved for the account. Items in both keep the larger
    quantity (the same cart seen twice should not double); digital items stay at one. Each line keeps the page
    that sold it: the saved cart's where it has one, else the guest cart's."""
    saved = SavedCart.objects.filter(user=user).first()
    merged = dict(saved.items) if saved else {}
    sources = {**(session.get(SOURCES_KEY) or {}), **(saved.sources if saved else {})}
    for pk, quantity in session.get(SESSION_KEY, {}).items():
        merged[pk] = max(int(quantity), int(merged.get(pk, 0)))
    digital_ids = ProductPage.objects.filter(pk__in=merged, kind=ProductPage.Kind.DIGITAL).values_list("pk", flat=True)
    digital = {str(pk) for pk in digital_ids}
    merged = {pk: 1 if pk in digital else min(int(quantity), MAX_LINE_QUANTITY) for pk, quantity in merged.items()}
    sources = {pk: source for pk, source in sources.items() if pk in merged}
    session[SESSION_KEY] = merged
    session[SOURCES_KEY] = sources
    if merged or saved:
        SavedCart.objects.update_or_create(user=user, defaults={"items": merged, "sources": sources})
    return merged


def _unavailable_reason(product: ProductPage) -> str:
    return "not on sale" if not product.on_sale else "sold out"


def _line_problem(product: ProductPage, quantity: int) -> str:
    if not product.is_available:
        return "No longer on sale" if not product.on_sale else "Sold out"
    if not product.is_digital and quantity > (product.stock or 0):
        return f"Only {product.stock} left"
    return ""

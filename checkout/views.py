from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from website.models import SiteSettings

from .cart import COUNT_COOKIE, Cart, purchasable_products
from .exceptions import CartError
from .forms import CartLineForm


def _cart_for(request):
    return Cart(request.session, SiteSettings.for_request(request).currency)


def _with_count_cookie(response, cart):
    # Read by a few lines of JS to fill the header badge, so cached pages need nothing per visitor.
    response.set_cookie(COUNT_COOKIE, str(cart.count), samesite="Lax", secure=settings.SESSION_COOKIE_SECURE)
    return response


def _back(request, form):
    target = form.cleaned_data.get("next") if form.is_valid() else ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("checkout:cart")


def _render_cart(request, cart, status=200):
    response = TemplateResponse(request, "checkout/cart.html", {"cart": cart, "checkout_enabled": False}, status=status)
    return _with_count_cookie(response, cart)


@require_GET
def cart_detail(request):
    return _render_cart(request, _cart_for(request))


def _cart_change(change):
    """Wrap a POST view that changes one cart line: parse, look the product up, apply, answer."""

    @require_POST
    def view(request):
        cart = _cart_for(request)
        form = CartLineForm(request.POST)
        if not form.is_valid():
            messages.error(request, "That cart change was not understood. Please try again.")
            return _render_cart(request, cart, status=400)
        product = purchasable_products().filter(pk=form.cleaned_data["product"]).first()
        if product is None:
            raise Http404("No such product.")
        try:
            note = change(cart, product, form.cleaned_data["quantity"])
        except CartError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, note)
        return _with_count_cookie(redirect(_back(request, form)), cart)

    return view


def _add(cart, product, quantity):
    cart.add(product, quantity or 1)
    return f"Added {product.title} to your cart."


def _update(cart, product, quantity):
    cart.update(product, quantity if quantity is not None else 1)
    return "Your cart was updated." if quantity else f"Removed {product.title} from your cart."


def _remove(cart, product, _quantity):
    cart.remove(product.pk)
    return f"Removed {product.title} from your cart."


cart_add = _cart_change(_add)
cart_update = _cart_change(_update)
cart_remove = _cart_change(_remove)

"""The web cart (checkout.cart.Cart), reached from the API.

A browser signed in by session shares the cart it shows on the site. An app signed in by token has no
session that lasts, so its cart is read from the account's saved cart, which Cart writes on every change
and which joins the browser's cart at log-in (checkout.cart.merge_saved_cart): one cart per shopper.
"""

from rest_framework.authentication import SessionAuthentication

from checkout.attribution import SOURCES_KEY
from checkout.cart import SESSION_KEY, Cart
from checkout.models import SavedCart
from website.models import SiteSettings


def cart_for(request):
    if isinstance(request.successful_authenticator, SessionAuthentication):
        store = request.session
    else:
        saved = SavedCart.objects.filter(user=request.user).first()
        store = {SESSION_KEY: dict(saved.items) if saved else {}, SOURCES_KEY: dict(saved.sources) if saved else {}}
    return Cart(store, SiteSettings.for_request(request).currency, user=request.user)

"""The shopper's endpoints: thin views that parse, call the shop's own services and answer.

The cart is checkout.cart's (the web cart's rules), checkout is checkout.orders' place_order and
start_payment, orders and files are what the dashboard shows (accounts.purchases, checkout.delivery.downloads).
"""

from allauth.account.models import EmailAddress
from rest_framework import status
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import ParseError, PermissionDenied
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from django.contrib.auth import authenticate
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from accounts.purchases import order_for, orders_for
from checkout import buyer
from checkout.admin.attribution import query_form, rows_for
from checkout.admin.sales import can_see_sales
from checkout.cart import NO_SUCH_PRODUCT, product_for_line
from checkout.exceptions import CartError
from checkout.forms import MAX_ID, CartLineForm
from checkout.models import Order
from checkout.orders import place_order, start_payment
from checkout.payments.gateway import PaymentProviderError, get_gateway
from website import login_delay
from website.models import SiteSettings
from website.ratelimit import client_ip

from .cart import cart_for
from .exceptions import BadRequest, CheckoutUnavailable, Conflict, PaymentProviderDown
from .parsers import NestingSafeJSONParser
from .representations import cart_json, order_json, order_summary_json, sold_by_json
from .throttling import ShopperThrottle, TokenEmailThrottle, TokenIpThrottle

ORDERS_PAGE_MAX = 100


class JSONAPIView(APIView):
    renderer_classes = [JSONRenderer]
    parser_classes = [NestingSafeJSONParser]
    metadata_class = None  # OPTIONS is not part of the API: 405, like any method a view does not answer

    def json_object(self):
        if not isinstance(self.request.data, dict):
            raise ParseError("The request body must be a JSON object.")
        return self.request.data


class ShopperView(JSONAPIView):
    # A token needs no CSRF token; DRF's session authentication checks CSRF on every unsafe method.
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]
    throttle_classes = [ShopperThrottle]


# -- Cart -----------------------------------------------------------------------------------------


class CartChange(ShopperView):
    """What the cart endpoints share: the cart's JSON, the line input check and the change itself."""

    def cart_response(self, cart, status_code=status.HTTP_200_OK):
        shipping_rate = SiteSettings.for_request(self.request).shipping_rate
        return Response(cart_json(cart, shipping_rate), status=status_code)

    def line_input(self, data):
        """The web cart's own form checks the numbers, so the app and the site refuse the same things."""
        form = CartLineForm(data)
        if not form.is_valid():
            raise BadRequest("; ".join(f"{field}: {' '.join(errors)}" for field, errors in form.errors.items()))
        return product_for_line(form.cleaned_data["product"]), form.cleaned_data["quantity"]

    def change(self, apply):
        cart = cart_for(self.request)
        try:
            apply(cart)
        except CartError as error:
            raise Conflict(str(error)) from error
        return cart


class CartView(CartChange):
    def get(self, request):
        return self.cart_response(cart_for(request))


class CartLinesView(CartChange):
    def post(self, request):
        product, quantity = self.line_input(self.json_object())
        cart = self.change(lambda cart: cart.add(product, quantity or 1))
        return self.cart_response(cart, status.HTTP_201_CREATED)


class CartLineView(CartChange):
    def patch(self, request, product_id):
        data = self.json_object()
        if data.get("quantity") is None:
            raise BadRequest("quantity: This field is required.")
        product, quantity = self.line_input({"product": product_id, "quantity": data["quantity"]})
        return self.cart_response(self.change(lambda cart: cart.update(product, quantity)))

    def delete(self, request, product_id):
        # By id, without looking the product up: one unpublished since it was added can still go.
        if not 1 <= product_id <= MAX_ID:
            raise Http404(NO_SUCH_PRODUCT)
        return self.cart_response(self.change(lambda cart: cart.remove(product_id)))


# -- Checkout -------------------------------------------------------------------------------------


class CheckoutView(ShopperView):
    def post(self, request):
        """Cart -> pending order with stock held -> the payment page's URL, for the app to open."""
        gateway = get_gateway()
        if gateway is None:
            raise CheckoutUnavailable()
        cart = cart_for(request)
        if cart.has_problems:
            raise Conflict("Some items need your attention: change or remove the ones marked before checking out.")
        email = buyer.verified_email(request.user)
        if email is None:
            raise PermissionDenied(buyer.VERIFY_FIRST)
        site_settings = SiteSettings.for_request(request)
        # An unchanged cart resubmitted reaches the same payment session; a changed one closes the old one.
        previous = Order.objects.filter(user=request.user, status=Order.Status.PENDING).order_by("-created_at").first()
        try:
            order = place_order(
                cart,
                email=email,
                user=request.user,
                site_settings=site_settings,
                gateway=gateway,
                previous=previous,
                ip=client_ip(request),
            )
            payment_url = start_payment(order, request._request, gateway, site_settings=site_settings)
        except CartError as error:
            raise Conflict(str(error)) from error
        except PaymentProviderError as error:
            raise PaymentProviderDown() from error
        body = {"order": order.number, "payment_url": payment_url, "expires_at": order.expires_at.isoformat()}
        return Response(body, status=status.HTTP_201_CREATED)


# -- Orders ---------------------------------------------------------------------------------------


class OrderListView(ShopperView):
    def get(self, request):
        limit = _bounded_int(request.query_params, "limit", default=20, low=1, high=ORDERS_PAGE_MAX)
        offset = _bounded_int(request.query_params, "offset", default=0, low=0, high=10**6)
        orders = orders_for(request.user)
        page = orders[offset : offset + limit]
        return Response({"count": orders.count(), "orders": [order_summary_json(order) for order in page]})


class OrderDetailView(ShopperView):
    def get(self, request, number):
        order = order_for(request.user, number)
        if order is None:
            raise Http404("No such order.")  # another shopper's order is simply not found
        return Response(order_json(order, request))


# -- Reports ---------------------------------------------------------------------------------------


class CanSeeSales(BasePermission):
    """Staff who may see orders (as Shop › Sold by asks); any other signed-in caller is refused (403)."""

    def has_permission(self, request, view):
        return bool(request.user.is_staff and can_see_sales(request.user))


class SoldByView(ShopperView):
    """Shop › Sold by as JSON: per page, block, campaign or day, with Shop › Sold by's parameters and defaults."""

    permission_classes = [IsAuthenticated, CanSeeSales]

    def get(self, request):
        form = query_form(request.query_params)
        if not form.is_valid():
            raise BadRequest("; ".join(f"{field}: {' '.join(errors)}" for field, errors in form.errors.items()))
        currency = SiteSettings.for_request(request).currency
        return Response(sold_by_json(form.cleaned_data, rows_for(form.cleaned_data), currency))


def _bounded_int(params, name, *, default, low, high):
    raw = params.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        raise BadRequest(f"{name} must be a whole number from {low} to {high}.")
    return value


# -- Tokens ---------------------------------------------------------------------------------------


class TokenView(JSONAPIView):
    """POST email + password -> the account's API token; DELETE (with the token) -> it stops working."""

    authentication_classes = [TokenAuthentication]

    def get_throttles(self):
        return [TokenIpThrottle(), TokenEmailThrottle()] if self.request.method == "POST" else [ShopperThrottle()]

    def get_permissions(self):
        return [IsAuthenticated()] if self.request.method == "DELETE" else []

    def post(self, request):
        data = self.json_object()
        email, password = data.get("email"), data.get("password")
        if not isinstance(email, str) or not isinstance(password, str) or not email or not password:
            raise BadRequest("Send your email and password as strings.")
        if "\x00" in email + password:  # no account has one, and PostgreSQL refuses it in a query
            raise BadRequest("That email and password do not match an account.")
        login_delay.pause_before_checking("shop", email)
        user = authenticate(request._request, email=email.strip(), password=password)
        if user is None or not user.is_active:
            login_delay.record_failure("shop", email)
            raise BadRequest("That email and password do not match an account.")
        if not _verified(user):
            raise BadRequest("Confirm your email address first: we sent you a link.")
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})

    def delete(self, request):
        Token.objects.filter(user=request.user).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


def _verified(user):
    return EmailAddress.objects.filter(Q(user=user) & Q(verified=True) & Q(email__iexact=user.email)).exists()


@csrf_exempt  # it changes nothing, whatever the method
def no_such_endpoint(request):
    return JsonResponse({"detail": "No such endpoint."}, status=404)

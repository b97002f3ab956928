import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from website.models import SiteSettings
from website.money import format_money
from website.ratelimit import allow, client_ip

from . import attribution, buyer, grants, recovery
from .cart import COUNT_COOKIE, Cart, product_for_line
from .delivery import downloads, rates
from .exceptions import CartError
from .forms import CartLineForm, CheckoutForm, FindOrderForm
from .mail import emails
from .models import Order, TestPaymentSession
from .orders import (
    SESSION_ORDER_KEY,
    check_payable,
    place_order,
    release_hold,
    release_lapsed_holds,
    start_payment,
)
from .payments import fulfilment, webhooks
from .payments.gateway import LocalTestGateway, PaymentProviderError, get_gateway

logger = logging.getLogger(__name__)

# Order numbers this browser placed, so the success page can show them without a login.
SESSION_PLACED_KEY = "checkout_placed"


def _cart_for(request):
    return Cart(request.session, SiteSettings.for_request(request).currency, user=request.user)


def _with_count_cookie(response, cart):
    # Read by a few lines of JS to fill the header badge, so cached pages need nothing per visitor.
    response.set_cookie(COUNT_COOKIE, str(cart.count), samesite="Lax", secure=settings.SESSION_COOKIE_SECURE)
    return response


def _back(request, form):
    target = form.cleaned_data.get("next") if form.is_valid() else ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("checkout:cart")


def _ship_to_countries(cart):
    """The checkout form asks for a country only when the cart ships and shipping zones are set up."""
    return rates.zone_countries() if cart.has_physical_items else []


def _checkout_form(request, cart, data=None):
    """The cart's checkout form. A signed-in buyer's receipt goes to their verified address (checkout/buyer.py):
    the form has no email field for them, and one without a verified address is asked to verify first."""
    account_email = buyer.verified_email(request.user) if request.user.is_authenticated else None
    if request.user.is_authenticated and account_email is None:
        account_email = ""
    return CheckoutForm(data, countries=_ship_to_countries(cart), account_email=account_email)


def _render_cart(request, cart, status=200, form=None):
    gateway = get_gateway()
    countries = _ship_to_countries(cart)
    if form is None:
        form = _checkout_form(request, cart)
    rate = SiteSettings.for_request(request).shipping_rate
    # With zones the price depends on the country and the buyer's choice, so the payment page shows it.
    shipping = rate if cart.has_physical_items and rate is not None and not countries else None
    context = {
        "cart": cart,
        "shipping": shipping,
        "total": cart.subtotal + (shipping or 0),
        "checkout_enabled": gateway is not None,
        "gateway": gateway,
        "checkout_form": form,
    }
    return _with_count_cookie(TemplateResponse(request, "checkout/cart.html", context, status=status), cart)


@require_GET
def cart_detail(request):
    return _render_cart(request, _cart_for(request))


def _wants_json(request):
    """A buy form sent by site.js (fetch, Accept: application/json) is answered with the cart, not a redirect."""
    return "application/json" in request.headers.get("Accept", "")


def cart_state(request, cart):
    """The visitor's cart as site.js's drawer shows it. Per visitor, so it is only ever fetched, never cached."""
    account_email = buyer.verified_email(request.user) if request.user.is_authenticated else None
    currency = cart.currency
    return {
        "count": cart.count,
        "lines": [
            {
                "product": line.product.pk,
                "title": line.product.title,
                "url": line.product.url,
                "quantity": line.quantity,
                "total": format_money(line.line_total, currency),
                "problem": line.problem,
            }
            for line in cart.lines
        ],
        "subtotal": format_money(cart.subtotal, currency),
        "checkout": {
            "url": reverse("checkout:start"),
            "cart_url": reverse("checkout:cart"),
            "enabled": get_gateway() is not None and not cart.is_empty and not cart.has_problems,
            # Where the drawer cannot check out in one click, it sends the shopper to the cart and says why.
            "needs_cart": _needs_cart(request, cart, account_email),
            "email": account_email or "",
        },
    }


def _needs_cart(request, cart, account_email):
    """Why the drawer's one-click checkout cannot be used, or "". A guest's address is asked on Stripe's page;
    a free cart has no payment page, so the cart page asks for it."""
    if _ship_to_countries(cart):
        return "Choose the country your order ships to in your cart, then check out."
    if request.user.is_authenticated and not account_email:
        return buyer.VERIFY_FIRST
    if not request.user.is_authenticated and cart.subtotal == 0:
        return "Enter your email in your cart: your free items are sent there."
    return ""


def _json_answer(request, cart, status, *, message="", error=""):
    body = {"cart": cart_state(request, cart), "message": message, "error": error}
    return _with_count_cookie(JsonResponse(body, status=status), cart)


@require_GET
def cart_summary(request):
    response = _json_answer(request, _cart_for(request), 200)
    response["Cache-Control"] = "private, no-store"
    return response


def _cart_change(change):
    """Wrap a POST view that changes one cart line: parse, look the product up, apply, answer (a redirect with
    a message, or for site.js the cart as JSON with a 4xx and the reason when the change was refused)."""

    @require_POST
    def view(request):
        cart = _cart_for(request)
        as_json = _wants_json(request)
        form = CartLineForm(request.POST)
        if not form.is_valid():
            if as_json:
                error = "That quantity is not one we can take: choose between 1 and 99."
                if form.has_error("product"):
                    error = "That cart change was not understood. Please reload the page and try again."
                return _json_answer(request, cart, 400, error=error)
            messages.error(request, "That cart change was not understood. Please try again.")
            return _render_cart(request, cart, status=400)
        try:
            product = product_for_line(form.cleaned_data["product"])
        except Http404:
            if as_json:
                return _json_answer(request, cart, 404, error="That product is no longer on sale.")
            raise
        if not product.is_digital and release_lapsed_holds(get_gateway()):
            product.refresh_from_db(fields=["stock"])  # a lapsed checkout's units are back on sale
        try:
            note = change(cart, product, form.cleaned_data["quantity"], request)
        except CartError as error:
            if as_json:
                return _json_answer(request, cart, 409, error=str(error))
            messages.error(request, str(error))
        else:
            if as_json:
                return _json_answer(request, cart, 200, message=note)
            messages.success(request, note)
        return _with_count_cookie(redirect(_back(request, form)), cart)

    return view


def _add(cart, product, quantity, request):
    cart.add(product, quantity or 1, source=attribution.source_from_post(request.POST))
    attribution.record_visit(request.session, request.POST)
    return f"Added {product.title} to your cart."


def _update(cart, product, quantity, _request):
    cart.update(product, quantity if quantity is not None else 1)
    return "Your cart was updated." if quantity else f"Removed {product.title} from your cart."


def _remove(cart, product, _quantity, _request):
    cart.remove(product.pk)
    return f"Removed {product.title} from your cart."


cart_add = _cart_change(_add)
cart_update = _cart_change(_update)
cart_remove = _cart_change(_remove)


# -- Checkout ---------------------------------------------------------------------------------------


def _previous_order(request):
    pk = request.session.get(SESSION_ORDER_KEY)
    return Order.objects.filter(pk=pk, status=Order.Status.PENDING).first() if pk else None


# Checkout starts, (attempts, seconds) per browser session and per visitor address. Each start holds stock and
# asks the provider for a payment session; a shopper starts a few times at most, while many shoppers may share
# one address (an office, a mobile network), so that figure is the larger.
CHECKOUT_STARTS_PER_SESSION = (10, 60)
CHECKOUT_STARTS_PER_IP = (30, 60)


def _checkout_allowed(request):
    per_session, per_ip = CHECKOUT_STARTS_PER_SESSION, CHECKOUT_STARTS_PER_IP
    session_key = request.session.session_key
    return allow("checkout-start-ip", client_ip(request), limit=per_ip[0], period=per_ip[1]) and (
        session_key is None or allow("checkout-start-session", session_key, limit=per_session[0], period=per_session[1])
    )


@require_POST
def checkout_start(request):
    """Cart -> pending order with stock held -> the payment page. Answers 303 to the provider."""
    cart = _cart_for(request)
    gateway = get_gateway()
    form = _checkout_form(request, cart, request.POST)
    if not _checkout_allowed(request):
        messages.error(request, "That was many checkouts in a short while. Your cart is saved: try again in a minute.")
        response = _render_cart(request, cart, status=429, form=form)
        response["Retry-After"] = str(CHECKOUT_STARTS_PER_IP[1])
        return response
    if gateway is None:
        messages.error(request, "Online payment is switched off at the moment. Your cart is saved.")
        return _render_cart(request, cart, status=503, form=form)
    if not form.is_valid():
        return _render_cart(request, cart, status=400, form=form)
    if form.account_email == "":
        messages.error(request, buyer.VERIFY_FIRST)
        return _render_cart(request, cart, status=403, form=form)
    if not form.receipt_email and cart.subtotal == 0:
        # Nothing to pay means no payment page to ask on: free items are sent to the address given here.
        form.add_error("email", "Enter your email: your free items are sent there.")
        return _render_cart(request, cart, status=400, form=form)
    site_settings = SiteSettings.for_request(request)
    try:
        if cart.has_problems:
            raise CartError("Some items need your attention: change or remove the ones marked before checking out.")
        order, payment_url = _place_and_pay(
            request, cart, email=form.receipt_email, gateway=gateway, site_settings=site_settings,
            ship_to=form.cleaned_data.get("ship_to", ""),
        )  # fmt: skip
    except (CartError, PaymentProviderError) as error:
        messages.error(request, str(error))
        return _render_cart(request, _cart_for(request), status=409, form=form)
    if order.total == 0:
        # Fulfilled already (nothing to pay): the cart is done with, as after a payment.
        cart.clear()
        request.session.pop(SESSION_ORDER_KEY, None)
        return _with_count_cookie(_see_other(payment_url), cart)
    return _see_other(payment_url)


def _place_and_pay(request, cart, *, email, gateway, site_settings, ship_to=""):
    """The cart (the shopper's, or Buy now's one item) -> a pending order with stock held -> the payment page's
    URL; the browser remembers the order. CartError or PaymentProviderError with what went wrong."""
    check_payable(cart, site_settings, ship_to=ship_to)
    release_lapsed_holds(gateway)  # a lost "expired" notice must not keep stock from this shopper
    order = place_order(
        cart,
        email=email,
        user=request.user,
        site_settings=site_settings,
        gateway=gateway,
        previous=_previous_order(request),
        session_key=request.session.session_key or "",
        ip=client_ip(request),
        touches=attribution.visit_touches(request.session),
        ship_to=ship_to,
    )
    payment_url = start_payment(order, request, gateway, site_settings=site_settings)
    request.session[SESSION_ORDER_KEY] = order.pk
    request.session[SESSION_PLACED_KEY] = [*request.session.get(SESSION_PLACED_KEY, [])[-9:], order.number]
    return order, payment_url


# Orders this browser started with "Buy now": paying for one leaves the shopper's cart as it was.
SESSION_BUY_NOW_KEY = "checkout_buy_now"


@require_POST
def buy_now(request):
    """One item straight to the payment page, the cart left as it was: the buy form's second button. The same
    services as the cart's checkout (limits, holds, promotion codes on the payment page); Stripe's page asks a
    guest for their email. Items that ship, and free items for a guest, go to the cart instead, with why."""
    form = CartLineForm(request.POST)
    if not form.is_valid():
        messages.error(request, "That purchase was not understood. Please try again.")
        return redirect(_back(request, form))
    product = product_for_line(form.cleaned_data["product"])
    back = _back(request, form)
    gateway = get_gateway()
    if not _checkout_allowed(request):
        messages.error(request, "That was many checkouts in a short while. Please try again in a minute.")
        return redirect(back)
    if gateway is None:
        messages.error(request, "Online payment is switched off at the moment. Nothing was charged.")
        return redirect(back)
    email = buyer.verified_email(request.user) if request.user.is_authenticated else ""
    if email is None:
        messages.error(request, buyer.VERIFY_FIRST)
        return redirect(back)
    if not product.is_digital or (not email and product.price == 0):
        return _buy_in_cart(request, product, form)
    site_settings = SiteSettings.for_request(request)
    single = Cart({}, site_settings.currency)
    attribution.record_visit(request.session, request.POST)
    try:
        single.add(product, source=attribution.source_from_post(request.POST))
        order, payment_url = _place_and_pay(request, single, email=email, gateway=gateway, site_settings=site_settings)
    except (CartError, PaymentProviderError) as error:
        messages.error(request, str(error))
        return redirect(back)
    request.session[SESSION_BUY_NOW_KEY] = [*request.session.get(SESSION_BUY_NOW_KEY, [])[-9:], order.number]
    return _see_other(payment_url)


def _buy_in_cart(request, product, form):
    """ "Buy now" for an item the cart's checkout must handle: it goes into the cart, and the cart says why."""
    cart = _cart_for(request)
    try:
        _add(cart, product, form.cleaned_data["quantity"], request)
    except CartError as error:
        if str(error) != f"{product.title} is already in your cart.":
            messages.error(request, str(error))
            return redirect(_back(request, form))
    if product.is_digital:
        messages.info(request, f"{product.title} is in your cart: enter your email to get it free.")
    else:
        messages.info(request, f"{product.title} is in your cart: choose where it ships, then check out.")
    return _with_count_cookie(redirect("checkout:cart"), cart)


def _see_other(url):
    response = redirect(url)
    response.status_code = 303
    return response


def _visible_to(request, order):
    return order.number in request.session.get(SESSION_PLACED_KEY, []) or (
        request.user.is_authenticated and order.user_id == request.user.pk
    )


@require_GET
def checkout_success(request):
    """Where the provider sends the buyer back. Fulfils too (idempotently), in case the webhook is late."""
    session_id = request.GET.get("session_id", "")[:255]
    gateway = get_gateway()
    order = None
    if session_id and gateway is not None:
        try:
            order = fulfilment.fulfil(session_id, gateway).order
        except PaymentProviderError:
            order = Order.objects.filter(payment_session_id=session_id).first()
    if order is not None and not _visible_to(request, order):
        order = None  # A shared or guessed link shows the thanks, not someone else's order.
    context = {"order": order, "files": _files(order)}
    bought_now = order is not None and order.number in request.session.get(SESSION_BUY_NOW_KEY, [])
    if order is not None and not bought_now and (order.grants_access or order.status in WAITING_STATES):
        cart = _cart_for(request)
        cart.clear()
        request.session.pop(SESSION_ORDER_KEY, None)
        return _with_count_cookie(TemplateResponse(request, "checkout/success.html", context), cart)
    if bought_now:
        request.session.pop(SESSION_ORDER_KEY, None)
    return TemplateResponse(request, "checkout/success.html", context)


# A payment on its way: the buyer is done with the cart.
WAITING_STATES = {Order.Status.PENDING, Order.Status.AWAITING_PAYMENT}


def _files(order):
    return grants.file_links(order) if order is not None and order.paid_at else []


@require_GET
def checkout_cancelled(request):
    """The shopper left the payment page: its stock goes back now, not when the page would have lapsed."""
    order = _previous_order(request)
    if (
        order is not None
        and order.number == request.GET.get("order")
        and order.cancel_check_matches(request.GET.get("check"))
    ):
        try:
            release_hold(order, get_gateway(), note="Cancelled by the shopper on the payment page")
        except PaymentProviderError:
            pass  # the page could not be closed: the hold stays until it lapses
        else:
            request.session.pop(SESSION_ORDER_KEY, None)
    messages.info(request, "Checkout cancelled: nothing was charged, and your cart is just as you left it.")
    return redirect("checkout:cart")


@require_GET
def order_status(request, number, token):
    order = (
        Order.objects.filter(number=number)
        .prefetch_related("lines__grants__document", *Order.PROGRESS_PREFETCH)
        .first()
    )
    if order is None or not constant_time_compare(order.access_token, token):
        raise Http404("No such order.")
    return TemplateResponse(request, "checkout/order.html", {"order": order, "files": _files(order)})


# Order links by email: (attempts, seconds) per visitor address and per email address.
FIND_ORDER_PER_IP = (10, 60 * 60)
FIND_ORDER_PER_EMAIL = (3, 60 * 60)


@require_http_methods(["GET", "POST"])
def find_order(request):
    """Email + order number -> the order's private link, mailed to the order's own address. The answer is
    the same whether or not they match, so the page tells nobody which addresses bought what."""
    form = FindOrderForm(request.POST if request.method == "POST" else None)
    if request.method == "GET":
        return TemplateResponse(request, "checkout/find_order.html", {"form": form})
    if not form.is_valid():
        return TemplateResponse(request, "checkout/find_order.html", {"form": form}, status=400)
    email, number = form.cleaned_data["email"], form.cleaned_data["number"]
    if not (
        allow("find-order-ip", client_ip(request), limit=FIND_ORDER_PER_IP[0], period=FIND_ORDER_PER_IP[1])
        and allow("find-order-email", email.lower(), limit=FIND_ORDER_PER_EMAIL[0], period=FIND_ORDER_PER_EMAIL[1])
    ):
        form.add_error(None, "You have asked several times already. Please check your inbox, or try again in an hour.")
        return TemplateResponse(request, "checkout/find_order.html", {"form": form}, status=429)
    order = form.matching_order()
    if order is not None:
        emails.send_order_link(order)
    messages.success(
        request,
        f"If order {number} was placed with {email}, a link to it is on its way to that address. "
        "It can take a few minutes; check your spam folder too.",
    )
    return redirect("checkout:find_order")


# -- Downloads ------------------------------------------------------------------------------------


def _owned_grant(request, token):
    """The grant behind the token and, when the requester must log in first, the redirect to do it.
    An unknown token and someone else's grant are the same 404."""
    grant = downloads.find(token)
    if grant is None:
        raise Http404("No such download.")
    access = grants.access_for(grant, request.user)
    if access is grants.Access.NOT_FOUND:
        raise Http404("No such download.")
    if access is grants.Access.LOG_IN:
        return grant, redirect_to_login(grant.get_absolute_url())
    return grant, None


def _private_page(request, template, context, status):
    response = TemplateResponse(request, template, context, status=status)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_GET
def download(request, token):
    limit, period = downloads.OPENINGS_PER_IP
    if not allow("download-ip", client_ip(request), limit=limit, period=period):
        refusal = grants.Refusal(
            "limited", 429, "Many download links were opened from your address just now. Please wait a minute."
        )
        response = _private_page(request, "checkout/download_refused.html", {"refusal": refusal}, 429)
        response["Retry-After"] = str(period)
        return response
    grant, log_in = _owned_grant(request, token)
    if log_in:
        return log_in
    try:
        return downloads.serve(
            grant, user=request.user, ip_address=client_ip(request), user_agent=request.headers.get("User-Agent", "")
        )
    except downloads.DownloadRefused as refused:
        refusal = refused.refusal
    except downloads.FileUnavailable:
        refusal = grants.Refusal(
            "unavailable", 503, "This file cannot be reached right now. Nothing was counted: please try again later."
        )
    context = {"grant": grant, "refusal": refusal, "masked_email": downloads.mask_email(grant.line.order.email)}
    if refusal.code == "expired":
        context["can_renew"] = grant.downloads_left > 0
        return _private_page(request, "checkout/download_expired.html", context, refusal.status)
    return _private_page(request, "checkout/download_refused.html", context, refusal.status)


@require_POST
def download_renew(request, token):
    """'Email me a fresh link' on the expired page. The same answer whether or not a link was sent."""
    grant, log_in = _owned_grant(request, token)
    if log_in:
        return log_in
    context = {"grant": grant, "masked_email": downloads.mask_email(grant.line.order.email)}
    per_grant, per_ip = downloads.RENEWALS_PER_GRANT, downloads.RENEWALS_PER_IP
    if not (
        allow("download-renew-ip", client_ip(request), limit=per_ip[0], period=per_ip[1])
        and allow("download-renew-grant", grant.pk, limit=per_grant[0], period=per_grant[1])
    ):
        return _private_page(request, "checkout/download_link_sent.html", {**context, "limited": True}, 429)
    downloads.renew(grant, on_renewed=emails.send_download_link)
    return _private_page(request, "checkout/download_link_sent.html", context, 200)


# -- The local test-payment page (DEBUG, no Stripe keys) ---------------------------------------------


def test_payment(request, session_id):
    """A clearly labelled stand-in for Stripe's payment page. It exists only while the local gateway does."""
    if not isinstance(get_gateway(), LocalTestGateway):
        raise Http404("Test payments are off.")
    session = TestPaymentSession.objects.select_related("order").filter(session_id=session_id).first()
    if session is None:
        raise Http404("No such payment session.")
    if request.method == "POST":
        if session.status != TestPaymentSession.Status.OPEN:
            messages.error(request, "This payment page has already been used or has expired.")
            return redirect("checkout:cart")
        if request.POST.get("action") == "pay":
            TestPaymentSession.objects.filter(pk=session.pk, status="open").update(
                status=TestPaymentSession.Status.COMPLETE, payment_status="paid"
            )
            return _see_other(f"{session.success_url}?session_id={session.session_id}")
        return _see_other(session.cancel_url)
    order = session.order
    return TemplateResponse(
        request, "checkout/test_payment.html", {"session": session, "order": order, "lines": order.lines.all()}
    )


# -- Stripe's webhook -----------------------------------------------------------------------------


@csrf_exempt
@require_POST
def stripe_webhook(request):
    try:
        event = webhooks.verify(request.body, request.headers.get("Stripe-Signature", ""))
    except webhooks.BadSignature as error:
        return JsonResponse({"error": f"Bad signature: {error}"}, status=400)
    except webhooks.MalformedEvent as error:
        logger.warning("A signed webhook body was refused: %s", error, extra={"event": "webhook.malformed"})
        return JsonResponse({"error": f"Malformed event: {error}"}, status=400)
    return JsonResponse({"received": True, "outcome": webhooks.handle(event)})


@require_http_methods(["GET", "POST"])
def restore_cart(request, token):
    """The abandoned-checkout reminder's link: GET shows what it puts back; the POST puts it in the cart."""
    try:
        abandoned = recovery.abandoned_from_link(token)
    except recovery.BadRecoveryLink as error:
        return TemplateResponse(request, "checkout/restore_cart.html", {"problem": str(error)}, status=400)
    if request.method == "GET":
        context = {"lines": list(abandoned.order.lines.all()), "token": token}
        return TemplateResponse(request, "checkout/restore_cart.html", context)
    cart = _cart_for(request)
    restored = recovery.restore(abandoned, cart)
    if restored.added:
        messages.success(request, f"Back in your cart: {', '.join(restored.added)}.")
    for reason in restored.dropped:
        messages.warning(request, f"Left out: {reason}")
    return _with_count_cookie(redirect("checkout:cart"), cart)

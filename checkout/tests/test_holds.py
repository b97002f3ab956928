"""Stock held by unpaid checkouts cannot be farmed: each browser, address and email holds only so many units,
a browser's new checkout lets its earlier one go, the payment page closes when the hold lapses (so nobody pays
for stock that went back on sale), and the owner sees the holds and can release one.

The real stripe library speaks to the FakeStripe on 127.0.0.1 throughout.
"""

import time
from datetime import timedelta
from decimal import Decimal

import pytest
import stripe

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.factories import UserFactory
from checkout.models import Order
from products.factories import ProductPageFactory
from products.models import ProductPage
from tests.fake_stripe.server import StripeAPIError
from website.tests.html import soup, text_of

pytestmark = pytest.mark.django_db

STOCK = "/admin/shop/stock/"


@pytest.fixture
def mug(product_index, site_settings):
    return ProductPageFactory(
        parent=product_index, title="Studio Mug", sku="MUG-1", price=Decimal("14.50"), kind="physical", stock=10
    )


@pytest.fixture
def small_caps(settings):
    settings.CHECKOUT_HOLD_UNITS_PER_SESSION = 3
    settings.CHECKOUT_HOLD_UNITS_PER_EMAIL = 4
    settings.CHECKOUT_HOLD_UNITS_PER_IP = 5


def shopper(address=1):
    return Client(REMOTE_ADDR=f"198.51.100.{address}")


def check_out(client, product, quantity, email="buyer@example.com"):
    client.post(reverse("checkout:cart_add"), {"product": product.pk, "quantity": quantity})
    return client.post(reverse("checkout:start"), {"email": email})


def stock_of(product):
    return ProductPage.objects.get(pk=product.pk).stock


def assert_refused(response, reason):
    assert response.status_code == 409
    assert reason in text_of(soup(response).find(role="status"))
    assert "Studio Mug" in text_of(soup(response).main)  # the cart, as it was, to lower the quantity


# -- Caps --------------------------------------------------------------------------------------------------


@pytest.mark.usefixtures("small_caps")
def test_one_browser_cannot_hold_more_than_its_cap(fake_stripe, mug):
    response = check_out(shopper(), mug, 4)

    assert_refused(response, "checkouts in one browser can hold at most 3 items at a time")
    assert stock_of(mug) == 10 and not Order.objects.exists() and fake_stripe.sessions == {}


@pytest.mark.usefixtures("small_caps")
def test_new_sessions_from_one_address_cannot_farm_the_stock(fake_stripe, mug):
    first = check_out(shopper(1), mug, 3, email="a@example.com")
    second = check_out(shopper(1), mug, 3, email="b@example.com")  # a fresh browser, same address
    elsewhere = check_out(shopper(2), mug, 3, email="c@example.com")

    assert first.status_code == 303 and elsewhere.status_code == 303
    assert_refused(second, "checkouts from one network can hold at most 5 items at a time (3 already held")
    assert stock_of(mug) == 4


@pytest.mark.usefixtures("small_caps")
def test_one_email_cannot_hold_more_than_its_cap_from_many_addresses(fake_stripe, mug):
    assert check_out(shopper(3), mug, 3, email="Farmer@example.com").status_code == 303

    again = check_out(shopper(4), mug, 2, email="farmer@example.com")

    assert_refused(again, "checkouts for one email address can hold at most 4 items at a time")
    assert stock_of(mug) == 7


def test_digital_items_hold_nothing_and_count_against_no_cap(fake_stripe, settings, product_index, mug):
    settings.CHECKOUT_HOLD_UNITS_PER_SESSION = 0
    guide = ProductPageFactory(parent=product_index, title="Field Guide", sku="EBOOK-1")

    client = shopper()
    client.post(reverse("checkout:cart_add"), {"product": guide.pk, "quantity": 1})

    assert client.post(reverse("checkout:start"), {"email": "buyer@example.com"}).status_code == 303


# -- One checkout per browser --------------------------------------------------------------------------------


def test_a_browser_checking_out_again_releases_its_earlier_hold(fake_stripe, mug):
    client = shopper()
    check_out(client, mug, 2, email="first@example.com")
    earlier = Order.objects.get()

    again = client.post(reverse("checkout:start"), {"email": "second@example.com"})

    earlier.refresh_from_db()
    assert again.status_code == 303
    assert earlier.status == Order.Status.EXPIRED and not earlier.stock_reserved
    assert fake_stripe.sessions[earlier.payment_session_id]["status"] == "expired"  # nobody can pay it now
    assert stock_of(mug) == 8  # only the new checkout's two are held
    assert Order.objects.get(status=Order.Status.PENDING).email == "second@example.com"


def test_leaving_the_payment_page_releases_the_hold_at_once(fake_stripe, mug):
    client = shopper()
    check_out(client, mug, 2)
    order = Order.objects.get()

    back = client.get(fake_stripe.sessions[order.payment_session_id]["cancel_url"], follow=True)

    order.refresh_from_db()
    assert "Checkout cancelled: nothing was charged" in back.content.decode()
    assert order.status == Order.Status.EXPIRED and stock_of(mug) == 10
    assert fake_stripe.sessions[order.payment_session_id]["status"] == "expired"
    assert "Studio Mug" in text_of(soup(back).main)  # the cart is kept, to check out again
    assert client.post(reverse("checkout:start"), {"email": "buyer@example.com"}).status_code == 303
    assert stock_of(mug) == 8


def test_a_cancel_link_from_another_site_releases_nothing(fake_stripe, mug):
    # The cancel page is a GET (Stripe's cancel link); only the link made for this order may release it.
    client = shopper()
    check_out(client, mug, 2)
    order = Order.objects.get()

    for forged in (reverse("checkout:cancelled"), f"{reverse('checkout:cancelled')}?order={order.number}&check=0"):
        client.get(forged)

    order.refresh_from_db()
    assert order.status == Order.Status.PENDING and stock_of(mug) == 8
    assert fake_stripe.sessions[order.payment_session_id]["status"] == "open"


# -- The payment page lives as long as the hold -----------------------------------------------------------


def test_the_payment_page_expires_when_the_hold_does(fake_stripe, mug):
    check_out(shopper(), mug, 1)
    order = Order.objects.get()

    session = fake_stripe.sessions[order.payment_session_id]
    assert session["expires_at"] == int(order.expires_at.timestamp())
    assert session["expires_at"] >= time.time() + 30 * 60  # Stripe's minimum


def test_a_lapsed_hold_closes_its_payment_page_and_goes_back_on_sale(fake_stripe, mug):
    mug.stock = 1
    mug.save(update_fields=["stock"])
    check_out(shopper(1), mug, 1, email="slow@example.com")
    lapsed = Order.objects.get()
    # Its "expired" notice was lost: the order still holds the last mug past its expiry.
    Order.objects.filter(pk=lapsed.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    response = check_out(shopper(2), mug, 1, email="next@example.com")

    lapsed.refresh_from_db()
    assert response.status_code == 303  # the next shopper gets the mug
    assert lapsed.status == Order.Status.EXPIRED
    assert fake_stripe.sessions[lapsed.payment_session_id]["status"] == "expired"
    with pytest.raises(StripeAPIError):
        fake_stripe.complete_session(lapsed.payment_session_id)  # the slow buyer cannot pay for it any more
    assert stock_of(mug) == 0 and Order.objects.get(status=Order.Status.PENDING).email == "next@example.com"


def test_the_fake_holds_expires_at_to_stripes_rule_and_closes_the_page_when_it_passes(fake_stripe, settings):
    client = stripe.StripeClient(settings.STRIPE_SECRET_KEY, base_addresses={"api": settings.STRIPE_API_BASE})
    params = {
        "mode": "payment",
        "success_url": "https://shop.example/ok",
        "line_items": [
            {"price_data": {"currency": "usd", "unit_amount": 100, "product_data": {"name": "x"}}, "quantity": 1}
        ],
    }
    with pytest.raises(stripe.InvalidRequestError, match="between 30 minutes and 24 hours"):
        client.v1.checkout.sessions.create(params={**params, "expires_at": int(time.time()) + 29 * 60})

    session = client.v1.checkout.sessions.create(params={**params, "expires_at": int(time.time()) + 31 * 60})
    fake_stripe.sessions[session.id]["expires_at"] = int(time.time()) - 1  # time passes

    assert client.v1.checkout.sessions.retrieve(session.id).status == "expired"


# -- The owner's view ----------------------------------------------------------------------------------------


def test_the_owner_sees_the_holds_and_releases_one(editor_client, fake_stripe, product_index, mug):
    check_out(shopper(7), mug, 2, email="holder@example.com")
    order = Order.objects.get()
    guide = ProductPageFactory(parent=product_index, title="Field Guide", sku="EBOOK-1")
    check_out(shopper(8), guide, 1, email="reader@example.com")  # digital: holds no stock
    digital = Order.objects.get(email="reader@example.com")

    page = editor_client.get(STOCK)
    row = text_of(soup(page).find("table", attrs={"aria-labelledby": "holds"}).find("tbody"))
    assert digital.number not in row
    released = editor_client.post(reverse("products_release_hold", args=[order.pk]))

    assert order.number in row and "holder@example.com" in row and "Studio Mug × 2" in row
    assert "198.51.100.7" in row
    assert released.status_code == 302 and released["Location"] == STOCK
    order.refresh_from_db()
    assert order.status == Order.Status.EXPIRED and stock_of(mug) == 10
    assert fake_stripe.sessions[order.payment_session_id]["status"] == "expired"
    after = editor_client.get(STOCK)
    assert "its payment page is closed and the stock is back" in after.text
    assert "No unpaid checkout holds stock right now." in after.text


def test_releasing_a_hold_needs_the_stock_permission_and_the_csrf_token(fake_stripe, superuser, mug):
    check_out(shopper(), mug, 1)
    order = Order.objects.get()
    url = reverse("products_release_hold", args=[order.pk])
    stranger = Client()
    stranger.force_login(UserFactory(is_staff=True))
    no_token = Client(enforce_csrf_checks=True)
    no_token.force_login(superuser)

    assert stranger.post(url).status_code in (302, 403)
    assert no_token.post(url).status_code == 403
    assert Client().get(url).status_code in (302, 405)

    order.refresh_from_db()
    assert order.status == Order.Status.PENDING and stock_of(mug) == 9

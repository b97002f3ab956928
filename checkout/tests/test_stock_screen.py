"""Checkout's answers to the Stock screen (products.stock_holds), registered from CheckoutConfig.ready: the
units unpaid checkouts hold, and each way releasing one can end, as the owner is told it."""

import pytest

from django.urls import reverse

from checkout.admin.stock_holds import CheckoutStockHolds
from checkout.models import Order
from checkout.tests.test_holds import STOCK, check_out, shopper, stock_of
from products.factories import ProductPageFactory
from products.models import ProductPage
from products.stock_holds import Outcome, Release, stock_holds

pytestmark = pytest.mark.django_db


@pytest.fixture
def mug(product_index, site_settings):
    return ProductPageFactory(parent=product_index, title="Studio Mug", physical=True)  # 10 in stock


@pytest.fixture
def held(fake_stripe, mug):
    check_out(shopper(), mug, 2)
    return Order.objects.get()


def release(editor_client, order):
    response = editor_client.post(reverse("products_release_hold", args=[order.pk]), follow=True)
    order.refresh_from_db()
    return response.text


def test_checkout_is_what_the_stock_screen_asks():
    assert isinstance(stock_holds(), CheckoutStockHolds)


def test_held_units_are_counted_per_product_in_the_products_own_query(held, mug, product_index):
    apron = ProductPageFactory(parent=product_index, title="Apron", physical=True)
    products = CheckoutStockHolds().with_held_units(ProductPage.objects.filter(pk__in=[mug.pk, apron.pk]))

    assert {product.pk: product.held for product in products} == {mug.pk: 2, apron.pk: 0}


def test_a_released_hold_gives_its_stock_back(editor_client, held, mug):
    assert "its payment page is closed and the stock is back" in release(editor_client, held)
    assert held.status == Order.Status.EXPIRED and stock_of(mug) == 10


def test_a_hold_paid_meanwhile_keeps_its_stock(editor_client, fake_stripe, held, mug):
    fake_stripe.complete_session(held.payment_session_id)  # the buyer paid; the webhook is still on its way

    assert f"Order {held.number} was paid meanwhile, so it keeps its stock." in release(editor_client, held)
    assert held.status == Order.Status.PENDING and held.stock_reserved and stock_of(mug) == 8


def test_when_stripe_cannot_be_reached_the_hold_stays(editor_client, fake_stripe, held, mug):
    fake_stripe.fail_next(f"/v1/checkout/sessions/{held.payment_session_id}/expire", status=500, times=3)

    assert f"Order {held.number}: Stripe could not be reached, so the hold stays." in release(editor_client, held)
    assert held.status == Order.Status.PENDING and stock_of(mug) == 8
    assert fake_stripe.sessions[held.payment_session_id]["status"] == "open"


def test_a_checkout_that_holds_nothing_any_more_is_not_released_again(editor_client, held):
    assert CheckoutStockHolds().release(held.pk, note="first") == Release(Outcome.RELEASED, held.number)

    assert CheckoutStockHolds().release(held.pk, note="again") == Release(Outcome.GONE)
    assert "That checkout no longer holds stock" in release(editor_client, held)
    assert editor_client.get(STOCK).status_code == 200

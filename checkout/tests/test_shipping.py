"""Shipping physical goods: the address from Checkout, parcels with tracking, partial shipments, delivery,
completion and cancelling before anything has left, as services and as the owner's admin actions."""

from decimal import Decimal

import pytest

from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.factories import BuyerFactory
from checkout import carriers
from checkout.delivery import shipping
from checkout.exceptions import OrderStateError, TransitionNotAllowed
from checkout.models import Order, Shipment
from products.factories import ProductFileFactory, ProductPageFactory
from products.models import ProductPage
from website.tests.html import soup

from .shopping import buy, deliver, mail_to
from .test_admin_orders import admin_user, assert_denied, client_for, inspect_url, paid_locally

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("requests_commit")]

S = Order.Status


@pytest.fixture
def mug(product_index, shop):
    return ProductPageFactory(
        parent=product_index, title="Studio Mug", sku="MUG-1", price=Decimal("14.50"), kind="physical", stock=3
    )


@pytest.fixture
def print_(product_index, shop):
    return ProductPageFactory(
        parent=product_index, title="Harbour Print", sku="PRINT-1", price=Decimal("30.00"), kind="physical", stock=5
    )


@pytest.fixture
def guide(product_index, shop):
    product = ProductPageFactory(parent=product_index, title="Field Guide", sku="EBOOK-1", price=Decimal("8.20"))
    ProductFileFactory(page=product)
    return product


@pytest.fixture
def order(fake_stripe, mug, print_, guide):
    """Paid through (fake) Stripe: two physical lines and a digital one."""
    paid = buy(Client(), fake_stripe, mug, print_, guide)
    mail.outbox.clear()
    return paid


def line(order, sku):
    return order.lines.get(sku=sku)


def stock_of(product):
    return ProductPage.objects.get(pk=product.pk).stock


def test_checkout_collects_an_address_for_physical_goods(fake_stripe, order):
    create = next(request for request in fake_stripe.requests if request["path"] == "/v1/checkout/sessions")
    assert create["params"]["shipping_address_collection"] == {"allowed_countries": ["GB", "US"]}
    assert create["params"]["shipping_options"][0]["shipping_rate_data"]["fixed_amount"]["amount"] == "600"
    assert order.shipping_address_lines == ["Ada Lovelace", "12 St James's Square", "SW1Y 4JH London", "GB"]


def test_digital_goods_collect_no_address(fake_stripe, guide):
    order = buy(Client(), fake_stripe, guide)
    create = next(request for request in fake_stripe.requests if request["path"] == "/v1/checkout/sessions")
    assert "shipping_address_collection" not in create["params"] and order.shipping_address == {}


@pytest.mark.parametrize(
    ("carrier", "number", "url"),
    [
        ("ups", "1Z 999", "https://www.ups.com/track?tracknum=1Z%20999"),
        ("royal_mail", "AB123456789GB", "https://www.royalmail.com/track-your-item#/tracking-results/AB123456789GB"),
        ("dhl", "a/b?c", "https://www.dhl.com/global-en/home/tracking.html?tracking-id=a%2Fb%3Fc"),
        ("other", "XYZ", ""),
        ("ups", "", ""),
    ],
)
def test_the_tracking_url_is_built_from_the_carrier(carrier, number, url):
    assert carriers.tracking_url(carrier, number) == url


def test_shipping_every_physical_line_ships_the_order(order, superuser):
    shipment = shipping.ship(
        order, [line(order, "MUG-1"), line(order, "PRINT-1")], carrier="ups", tracking_number=" 1Z999 ", actor=superuser
    )

    order.refresh_from_db()
    assert order.status == S.SHIPPED
    assert shipment.tracking_number == "1Z999" and shipment.shipped_by == superuser
    assert set(shipment.lines.values_list("sku", flat=True)) == {"MUG-1", "PRINT-1"}
    change = order.status_changes.last()
    assert (change.to_status, change.actor, change.note) == (S.SHIPPED, superuser, "2 line(s) with UPS, tracking 1Z999")


def test_a_partial_shipment_then_the_rest(order):
    shipping.ship(order, [line(order, "MUG-1")], carrier="royal_mail", tracking_number="AB1GB")
    order.refresh_from_db()
    assert order.status == S.PARTIALLY_SHIPPED

    shipping.ship(order, [line(order, "PRINT-1")], carrier="dhl", tracking_number="D2")
    order.refresh_from_db()
    assert order.status == S.SHIPPED and order.shipments.count() == 2
    assert [c.to_status for c in order.status_changes.all()][-2:] == [S.PARTIALLY_SHIPPED, S.SHIPPED]


@pytest.mark.parametrize(
    ("skus", "carrier", "message"),
    [
        ([], "ups", "Choose the lines in this parcel."),
        (["EBOOK-1"], "ups", "Only physical lines that are not shipped or refunded can go in a parcel."),
        (["MUG-1"], "pigeon", "Unknown carrier 'pigeon'."),
    ],
)
def test_a_parcel_that_cannot_be_shipped_changes_nothing(order, skus, carrier, message):
    with pytest.raises(OrderStateError, match=message):
        shipping.ship(order, [line(order, sku) for sku in skus], carrier=carrier)

    order.refresh_from_db()
    assert order.status == S.PAID and not Shipment.objects.exists()


def test_a_line_cannot_be_shipped_twice(order):
    shipping.ship(order, [line(order, "MUG-1")], carrier="ups")

    with pytest.raises(OrderStateError):
        shipping.ship(order, [line(order, "MUG-1")], carrier="ups")
    assert Shipment.objects.count() == 1


def test_delivered_then_completed(order):
    shipping.ship(order, [line(order, "MUG-1"), line(order, "PRINT-1")], carrier="ups")

    shipping.mark_delivered(order)
    order.refresh_from_db()
    assert order.status == S.DELIVERED and order.shipments.get().delivered_at

    shipping.complete(order, note="All good")
    order.refresh_from_db()
    assert order.status == S.COMPLETED and order.status_changes.last().note == "All good"


def test_an_order_is_not_delivered_while_lines_wait(order):
    shipping.ship(order, [line(order, "MUG-1")], carrier="ups")

    with pytest.raises(OrderStateError, match="all been shipped"):
        shipping.mark_delivered(order)
    order.refresh_from_db()
    assert order.status == S.PARTIALLY_SHIPPED


def test_an_order_is_completed_only_after_delivery(order):
    with pytest.raises(TransitionNotAllowed):
        shipping.ship(order, [line(order, "MUG-1"), line(order, "PRINT-1")], carrier="ups") and shipping.complete(order)
    order.refresh_from_db()
    assert order.status == S.SHIPPED


def test_cancelling_before_shipping_restocks_and_refunds_through_stripe(fake_stripe, order, mug, print_, superuser):
    assert (stock_of(mug), stock_of(print_)) == (2, 4)

    shipping.cancel(order, actor=superuser, note="Customer changed their mind")

    order.refresh_from_db()
    assert order.status == S.CANCELLED and (stock_of(mug), stock_of(print_)) == (3, 5)
    refund_request = fake_stripe.requests[-1]
    assert (refund_request["method"], refund_request["path"]) == ("POST", "/v1/refunds")
    assert refund_request["params"]["amount"] == str(1450 + 3000 + 820 + 600)
    assert order.status_changes.last().note == "Customer changed their mind"
    assert not order.grants_access  # downloads stop at once, before Stripe confirms

    stripe_refund = fake_stripe.refunds[next(iter(fake_stripe.refunds))]
    deliver(fake_stripe, fake_stripe.event("refund.created", stripe_refund))

    order.refresh_from_db()
    assert order.status == S.CANCELLED and order.refunded_amount == order.total
    [notice] = mail_to(order.email)
    assert "cancelled and refunded" in notice.body and "$58.70" in notice.body


def test_a_cancellation_stripe_refuses_changes_nothing(fake_stripe, order, mug):
    fake_stripe.fail_next("/v1/refunds", status=500, times=3)

    with pytest.raises(OrderStateError, match="Stripe had a problem with the refund"):
        shipping.cancel(order)

    order.refresh_from_db()
    assert order.status == S.PAID and stock_of(mug) == 2 and not order.status_changes.filter(to_status=S.CANCELLED)


def test_an_order_with_a_shipped_line_cannot_be_cancelled(order, mug):
    shipping.ship(order, [line(order, "MUG-1")], carrier="ups")

    with pytest.raises(TransitionNotAllowed):
        shipping.cancel(order)
    order.refresh_from_db()
    assert order.status == S.PARTIALLY_SHIPPED and stock_of(mug) == 2


def test_a_partly_refunded_order_with_a_shipped_line_cannot_be_cancelled(order, mug):
    shipping.ship(order, [line(order, "MUG-1")], carrier="ups")
    Order.objects.filter(pk=order.pk).update(status=S.PARTIALLY_REFUNDED)

    with pytest.raises(OrderStateError, match="Part of this order has shipped"):
        shipping.cancel(order)
    assert stock_of(mug) == 2


# -- The owner's actions in the admin --------------------------------------------------------------


def post_step(client, order, step, **data):
    return client.post(inspect_url(order), {"step": step, **data})


def test_the_owner_takes_an_order_from_paid_to_completed(editor_client, order):
    page = editor_client.get(inspect_url(order)).content.decode()
    assert "Ship a parcel" in page and "Ada Lovelace" in page and "Cancel, restock and refund" in page

    mug_line, print_line = line(order, "MUG-1"), line(order, "PRINT-1")
    shipped = post_step(
        editor_client, order, "ship", lines=[mug_line.pk, print_line.pk], carrier="ups", tracking_number="1Z9"
    )
    assert shipped.status_code == 302
    page = editor_client.get(shipped["Location"]).content.decode()
    assert "Shipped with UPS; the customer has been emailed." in page
    assert "https://www.ups.com/track?tracknum=1Z9" in page and "Mark delivered" in page

    assert post_step(editor_client, order, "deliver").status_code == 302
    assert post_step(editor_client, order, "complete").status_code == 302

    order.refresh_from_db()
    assert order.status == S.COMPLETED
    assert [c.to_status for c in order.status_changes.all()] == [S.PAID, S.SHIPPED, S.DELIVERED, S.COMPLETED]
    assert "Completed" in editor_client.get(inspect_url(order)).content.decode()


def test_a_parcel_without_lines_re_renders_with_the_message(editor_client, order):
    response = post_step(editor_client, order, "ship", carrier="ups")

    assert response.status_code == 200
    assert "Lines: Choose the lines in this parcel." in response.content.decode()
    assert not Shipment.objects.exists()


def test_a_refused_step_re_renders_with_the_message(editor_client, order):
    response = post_step(editor_client, order, "deliver")

    assert response.status_code == 200
    assert "Only an order whose physical lines have all been shipped can be delivered." in response.content.decode()
    order.refresh_from_db()
    assert order.status == S.PAID


def test_cancelling_from_the_admin(editor_client, order, mug):
    response = post_step(editor_client, order, "cancel", note="Out of glaze")

    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == S.CANCELLED and stock_of(mug) == 3
    assert "Order cancelled" in editor_client.get(response["Location"]).content.decode()


def test_a_viewer_sees_no_fulfilment_buttons_and_cannot_post(order):
    viewer = client_for(admin_user("view_order"))

    page = viewer.get(inspect_url(order)).content.decode()
    assert "Ship a parcel" not in page and "Mark delivered" not in page and "Cancel, restock" not in page
    for step in ("ship", "deliver", "complete", "cancel"):
        assert_denied(post_step(viewer, order, step, lines=[line(order, "MUG-1").pk], carrier="ups"))
    order.refresh_from_db()
    assert order.status == S.PAID and not Shipment.objects.exists()


def test_an_editor_without_the_order_permission_cannot_see_or_ship(order):
    editor = client_for(admin_user("add_page", "change_page"))

    assert_denied(editor.get(inspect_url(order)))
    assert_denied(post_step(editor, order, "ship", lines=[line(order, "MUG-1").pk], carrier="ups"))
    order.refresh_from_db()
    assert order.status == S.PAID and not Shipment.objects.exists()


def test_fulfilment_steps_need_a_csrf_token(superuser, order):
    client = client_for(superuser, enforce_csrf_checks=True)

    response = post_step(client, order, "ship", lines=[line(order, "MUG-1").pk], carrier="ups")

    assert response.status_code == 403 and not Shipment.objects.exists()


# -- What the customer sees --------------------------------------------------------------------------


def test_the_guest_order_page_shows_each_step_and_the_tracking_link(client, order):
    shipping.ship(order, [line(order, "MUG-1")], carrier="royal_mail", tracking_number="AB1GB")
    url = reverse("checkout:order", args=[order.number, order.access_token])

    page = soup(client.get(url))

    progress = page.find("section", attrs={"aria-labelledby": "progress-heading"})
    assert [p.get_text() for p in progress.select("ol li p.font-medium")] == ["Placed", "Paid", "Partly shipped"]
    [track] = [link for link in progress.find_all("a") if "Track parcel" in link.get_text()]
    assert track["href"] == "https://www.royalmail.com/track-your-item#/tracking-results/AB1GB"
    assert "Royal Mail · AB1GB" in progress.get_text()


def test_the_dashboard_order_page_shows_the_same(fake_stripe, mug):
    shopper = BuyerFactory(email="shopper@example.com")
    client = client_for(shopper)
    paid = buy(client, fake_stripe, mug, email="shopper@example.com")
    shipping.ship(paid, list(paid.lines.all()), carrier="ups", tracking_number="1Z5")

    page = client.get(reverse("accounts:order", args=[paid.number])).content.decode()

    assert "Shipped" in page and "https://www.ups.com/track?tracknum=1Z5" in page


@pytest.mark.parametrize("name", ["guest", "account"])
def test_order_pages_cost_the_same_queries_however_many_parcels(fake_stripe, product_index, shop, name):
    shopper = BuyerFactory(email="shopper@example.com")
    client = client_for(shopper)
    products = [
        ProductPageFactory(parent=product_index, sku=f"P-{n}", price=Decimal("5.00"), kind="physical", stock=5)
        for n in range(6)
    ]
    paid = buy(client, fake_stripe, *products, email="shopper@example.com")
    url = (
        reverse("checkout:order", args=[paid.number, paid.access_token])
        if name == "guest"
        else reverse("accounts:order", args=[paid.number])
    )
    lines = list(paid.lines.all())
    shipping.ship(paid, lines[:1], carrier="ups", tracking_number="1")
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for index, parcel in enumerate(lines[1:], start=2):
        shipping.ship(paid, [parcel], carrier="dhl", tracking_number=str(index))
    shipping.mark_delivered(paid)

    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_cancelling_a_test_payment_refunds_it_at_once(settings, mug, guide):
    settings.DEBUG, settings.STRIPE_SECRET_KEY = True, ""  # the local test-payment page stands in for Stripe
    paid = paid_locally(mug, guide)

    shipping.cancel(paid)

    paid.refresh_from_db()
    assert paid.status == S.CANCELLED and paid.refunded_amount == paid.total == Decimal("28.70")
    assert stock_of(mug) == 3 and all(line.refunded for line in paid.lines.all())

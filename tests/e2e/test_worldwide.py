"""A shopper abroad buys a print: the cart asks where it ships, the (fake) Stripe page offers the zone's choices,
the shopper takes Express and pays by SEPA Direct Debit. The order waits, visibly, until the debit clears, then
is paid with the chosen shipping on the order page and the receipt. In Chromium, as a phone and a desktop."""

import re
from decimal import Decimal

from playwright.sync_api import expect

from django.core import mail

from checkout.models import Order, ShippingRate, ShippingZone
from products.models import ProductPage
from tests.e2e.conftest import ARTIFACTS


def test_a_shopper_abroad_picks_express_and_pays_by_bank_debit(page, live_server, stripe_page, catalogue, viewport):
    from products.factories import ProductPageFactory

    shop = catalogue["product"].get_parent()
    ProductPageFactory(
        parent=shop, title="Harbour Print", slug="harbour-print", price="30.00", sku="PRINT-1", kind="physical",
        stock=4, weight=400,
    )  # fmt: skip
    zone = ShippingZone.objects.create(name="Europe", countries="DE, FR")
    ShippingRate.objects.create(zone=zone, sort_order=0, name="Standard", price=Decimal("5.00"), days_min=3, days_max=5)
    ShippingRate.objects.create(zone=zone, sort_order=1, name="Express", price=Decimal("15.00"), days_min=1, days_max=2)

    page.goto(live_server.url + "/shop/harbour-print/")
    page.get_by_role("button", name=re.compile("Add")).first.click()
    expect(page.get_by_role("dialog", name="Your cart")).to_be_visible()
    page.goto(live_server.url + "/cart/")
    expect(page.locator("main")).to_contain_text("Shipping is added on the payment page")
    page.get_by_label("Email").fill("abroad@example.com")
    page.get_by_role("button", name="Check out").click()
    expect(page.get_by_text("This field is required.")).to_be_visible()  # no country chosen: nothing placed
    assert not Order.objects.exists()
    page.get_by_label("Email").fill("abroad@example.com")
    page.get_by_label("Country it ships to").select_option("DE")
    page.screenshot(path=shot(viewport, "cart"), full_page=True)
    page.get_by_role("button", name="Check out").click()
    page.wait_for_url(f"{stripe_page.base_url}/pay/**")

    page.get_by_label(re.compile("Express")).check()
    page.screenshot(path=shot(viewport, "stripe-page"), full_page=True)
    page.get_by_role("button", name="Bank debit (SEPA), clears later").click()
    page.wait_for_url("**/checkout/success/**")
    expect(page.get_by_role("heading", name=re.compile("waiting for your payment to clear"))).to_be_visible()
    expect(page.locator("main")).to_contain_text("Awaiting bank payment")

    order = Order.objects.get(email="abroad@example.com")
    assert order.status == Order.Status.AWAITING_PAYMENT and order.ship_to == "DE"
    assert ProductPage.objects.get(sku="PRINT-1").stock == 3
    assert not [message for message in mail.outbox if message.to == ["abroad@example.com"]]

    stripe_page.settle_delayed_payment(order.payment_session_id)
    [cleared] = stripe_page.take_events()
    assert stripe_page.deliver(cleared)[0] == 200

    page.reload()
    main = page.locator("main")
    expect(main).to_contain_text("Paid")
    expect(main).to_contain_text("Shipping (Express)")
    expect(main).to_contain_text("$45.00")
    page.screenshot(path=shot(viewport, "order-paid"), full_page=True)
    order.refresh_from_db()
    assert (order.status, order.shipping_method, order.total) == (Order.Status.PAID, "Express", Decimal("45.00"))
    receipt = next(message for message in mail.outbox if message.to == ["abroad@example.com"])
    assert "Shipping (Express): $15.00" in receipt.body


def shot(viewport, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / f"worldwide-{name}-{viewport}.png"

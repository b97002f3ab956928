"""A shopper types a promotion code on the (fake) Stripe payment page, pays the discounted amount, and downloads
the file at once: the discount is on the confirmation, the order page and the receipt. In Chromium, as a
phone and a desktop. Before issue 18 such an order went to review, with no downloads and no receipt."""

import re

from playwright.sync_api import expect

from django.core import mail

from checkout.models import Order


def test_a_shopper_pays_with_a_promotion_code_and_downloads(page, live_server, stripe_page, catalogue):
    stripe_page.add_promotion_code("SPRING25", percent_off=25)

    page.goto(live_server.url + "/shop/")
    page.get_by_role("button", name=re.compile("Add Weekly Planner Kit")).click()
    expect(page.get_by_text("Added Weekly Planner Kit to your cart.")).to_be_visible()
    page.goto(live_server.url + "/cart/")
    page.get_by_label("Email").fill("saver@example.com")
    page.get_by_role("button", name="Check out").click()
    page.wait_for_url(f"{stripe_page.base_url}/pay/**")

    page.get_by_label("Promotion code").fill("NOPE")
    page.get_by_role("button", name=re.compile("Pay")).click()
    expect(page.get_by_role("alert")).to_have_text("This code is invalid.")
    page.get_by_label("Promotion code").fill("spring25")
    page.get_by_role("button", name=re.compile("Pay")).click()
    page.wait_for_url("**/checkout/success/**")

    expect(page.get_by_role("heading", name="Thank you, your order is confirmed")).to_be_visible()
    main = page.locator("main")
    expect(main).to_contain_text("Discount (SPRING25)")
    expect(main).to_contain_text("$9.00")
    with page.expect_download() as download:
        main.get_by_role("link", name=re.compile("Download")).first.click()
    assert download.value.path().read_bytes() == catalogue["file_bytes"]

    order = Order.objects.get(email="saver@example.com")
    assert order.status == Order.Status.COMPLETED
    assert (order.discount, order.amount_paid, order.promotion_code) == (3, 9, "SPRING25")
    assert stripe_page.webhook_responses[-1][0] == 200
    receipt = next(message for message in mail.outbox if message.to == ["saver@example.com"])
    assert "Discount" in receipt.body and "−$3.00" in receipt.body and "promo_" not in receipt.body
    assert "Total paid: $9.00" in receipt.body

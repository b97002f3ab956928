"""A guest buys without an account, comes back from another device through the receipt's link to download,
and later finds the order again with "find my order": in Chromium, as a phone and a desktop."""

import re
from urllib.parse import urlsplit

from playwright.sync_api import expect

from django.core import mail

from checkout.models import Order


def link_path(message, pattern):
    """The path of the first link in `message` matching `pattern` (emails carry the site's own host)."""
    url = re.search(rf"https?://\S*{pattern}\S*", message.body).group(0)
    return urlsplit(url).path


def test_a_guest_buys_then_downloads_from_the_receipt_and_finds_the_order_again(
    page, browser, viewport, live_server, stripe_page, catalogue
):
    from tests.e2e.conftest import VIEWPORTS

    main = page.locator("main")
    page.goto(live_server.url + "/shop/")
    page.get_by_role("button", name=re.compile("Add Weekly Planner Kit")).click()
    expect(page.get_by_text("Added Weekly Planner Kit to your cart.")).to_be_visible()
    page.goto(live_server.url + "/cart/")
    page.get_by_label("Email").fill("guest@example.com")
    page.get_by_role("button", name="Check out").click()
    page.wait_for_url(f"{stripe_page.base_url}/pay/**")
    page.get_by_role("button", name=re.compile("Pay")).click()
    page.wait_for_url("**/checkout/success/**")
    expect(page.get_by_role("heading", name="Thank you, your order is confirmed")).to_be_visible()

    order = Order.objects.get(email="guest@example.com")
    assert order.user is None and order.paid_at
    receipt = next(message for message in mail.outbox if message.to == ["guest@example.com"])
    assert order.number in receipt.subject

    # Another device: nothing but the receipt.
    other = browser.new_context(**VIEWPORTS[viewport]).new_page()
    other.goto(live_server.url + link_path(receipt, f"/orders/{order.number}/"))
    expect(other.get_by_role("heading", level=1)).to_have_text(f"Order {order.number}")
    with other.expect_download() as download:
        other.get_by_role("link", name=re.compile("Download")).first.click()
    assert download.value.path().read_bytes() == catalogue["file_bytes"]
    other.context.close()

    # Later, the receipt lost: the footer's "Find my order".
    mail.outbox.clear()
    page.goto(live_server.url + "/")
    page.get_by_role("contentinfo").get_by_role("link", name="Find my order").click()
    page.get_by_label("Email you ordered with").fill("guest@example.com")
    page.get_by_label("Order number").fill(f"#{order.number.lower()}")  # as people type it
    page.get_by_role("button", name=re.compile("Send|Email")).click()
    expect(page.get_by_role("status")).to_contain_text(f"If order {order.number} was placed with guest@example.com")
    assert [message.to for message in mail.outbox] == [["guest@example.com"]]
    page.goto(live_server.url + link_path(mail.outbox[0], f"/orders/{order.number}/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Order {order.number}")
    expect(main).to_contain_text("Weekly Planner Kit")


def test_find_my_order_says_the_same_for_a_wrong_number_and_mails_nothing(page, live_server, catalogue):
    page.goto(live_server.url + "/orders/find/")
    page.get_by_label("Email you ordered with").fill("guest@example.com")
    page.get_by_label("Order number").fill("ZZZZ9999")
    page.get_by_role("button", name=re.compile("Send|Email")).click()
    expect(page.get_by_role("status")).to_contain_text("If order ZZZZ9999 was placed with guest@example.com")
    assert mail.outbox == []

"""A shopper reads the journal, buys the product an article features, downloads it, signs up with the
same email, finds the purchase in the account and keeps a wishlist: in Chromium, as a phone and a desktop."""

import re

from playwright.sync_api import expect

from django.core import mail

from checkout.models import Order
from tests.e2e.conftest import main_nav


def confirm_link(message):
    return re.search(r"https?://\S+/account/confirm-email/\S+/", message.body).group(0)


def test_a_shopper_buys_from_an_article_downloads_signs_up_and_keeps_a_wishlist(
    page, viewport, live_server, stripe_page, catalogue
):
    product = catalogue["product"]
    main = page.locator("main")
    page.goto(live_server.url + "/")
    main_nav(page, viewport, "Journal").click()
    page.get_by_role("link", name="How we plan a calm week").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How we plan a calm week")

    teaser = page.get_by_role("complementary", name="Product: Weekly Planner Kit")
    teaser.get_by_role("link", name="Weekly Planner Kit").click()
    page.wait_for_url(f"**{product.url}")
    expect(main).to_contain_text("$12.00")

    page.get_by_role("button", name=re.compile("Add to cart")).first.click()
    expect(page.get_by_text("Added Weekly Planner Kit to your cart.")).to_be_visible()
    page.keyboard.press("Escape")  # the cart drawer closes; the header's count has changed
    page.get_by_role("banner").get_by_role("link", name="Cart, 1 item").click()
    page.wait_for_url("**/cart/")
    expect(main).to_contain_text("Weekly Planner Kit")
    page.get_by_label("Email").fill("jane@example.com")
    page.get_by_role("button", name="Check out").click()

    page.wait_for_url(f"{stripe_page.base_url}/pay/**")
    expect(main).to_contain_text("Total due: 12.00 USD")
    page.get_by_role("button", name="Pay 12.00 USD").click()

    page.wait_for_url("**/checkout/success/**")
    expect(page.get_by_role("heading", name="Thank you, your order is confirmed")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Download")).first.click()
    assert download.value.path().read_bytes() == catalogue["file_bytes"]
    order = Order.objects.get(email="jane@example.com")
    assert order.status == Order.Status.COMPLETED and order.paid_at  # a digital order is done once paid
    assert [status for status, _ in stripe_page.webhook_responses] == [200]  # the event reached the shop too
    # One receipt to the buyer, one new-order notice to the owner: the webhook and the success page both
    # fulfilled, and only one of them did the work.
    assert sorted(message.to for message in mail.outbox) == [["jane@example.com"], ["owner@example.com"]]
    mail.outbox.clear()

    page.goto(live_server.url + "/account/signup/")
    page.get_by_label("Email").fill("jane@example.com")
    page.get_by_label("Password", exact=True).fill("a long and unusual passphrase")
    page.get_by_label(re.compile(r"Password \(again\)|Confirm")).fill("a long and unusual passphrase")
    page.get_by_role("button", name=re.compile("Sign up|Create")).click()
    expect(page.get_by_role("heading", name=re.compile("Check your email|Verify"))).to_be_visible()
    page.goto(confirm_link(mail.outbox[-1]))
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/account/**")

    page.goto(live_server.url + "/account/")
    expect(main).to_contain_text(order.number)  # the guest purchase joined the new account
    page.get_by_role("link", name=re.compile("Downloads")).first.click()
    expect(main).to_contain_text("Weekly Planner Kit")

    page.goto(live_server.url + product.url)
    page.get_by_role("button", name="Save to wishlist").click()
    expect(page.get_by_role("button", name="Saved to wishlist")).to_be_visible()
    page.goto(live_server.url + "/account/wishlist/")
    expect(main.get_by_role("link", name="Weekly Planner Kit").first).to_be_visible()
    page.get_by_role("button", name=re.compile("Remove")).first.click()
    expect(main).not_to_contain_text("Weekly Planner Kit")

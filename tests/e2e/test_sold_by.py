"""A reader arrives on a journal post from a newsletter link, buys from the post's product teaser and pays on
the (fake) Stripe page; the post's edit view and Shop › Sold by then show the sale against that post, its block
and the campaign, and a refund takes it off again. In Chromium, as a phone and a desktop."""

import re

from playwright.sync_api import expect

from accounts.factories import SuperuserFactory
from checkout.models import Order
from checkout.payments.gateway import StripeGateway
from tests.e2e.conftest import ARTIFACTS, admin_login

CAMPAIGN = "?utm_source=newsletter&utm_medium=email&utm_campaign=calm-week"


def test_a_teaser_sale_shows_on_the_posts_edit_view_and_in_the_report_until_refunded(
    page, live_server, stripe_page, catalogue, viewport
):
    post, teaser = catalogue["post"], catalogue["post"].body[1]
    page.goto(live_server.url + post.url + CAMPAIGN)
    page.get_by_role("button", name=re.compile("Add Weekly Planner Kit")).click()
    expect(page.get_by_text("Added Weekly Planner Kit to your cart.")).to_be_visible()
    page.goto(live_server.url + "/cart/")
    page.get_by_label("Email").fill("reader@example.com")
    page.get_by_role("button", name="Check out").click()
    page.wait_for_url(f"{stripe_page.base_url}/pay/**")
    page.get_by_role("button", name=re.compile("Pay")).click()
    page.wait_for_url("**/checkout/success/**")

    order = Order.objects.get(email="reader@example.com")
    line = order.lines.get()
    assert (line.source_page, line.source_block) == (post.pk, teaser.id)
    assert order.touches["last"] == {
        "landing": post.url,
        "utm_source": "newsletter",
        "utm_medium": "email",
        "utm_campaign": "calm-week",
    }

    owner = SuperuserFactory()
    admin_login(page, live_server, email=owner.email)
    page.goto(f"{live_server.url}/admin/pages/{post.pk}/edit/")
    sold = page.locator("[data-page-sold-by]")
    expect(sold).to_contain_text("This page sold 1 item, $12.00, in the last 30 days")
    sold.screenshot(path=shot(viewport, "edit-view"))
    page.screenshot(path=shot(viewport, "edit-view-page"))

    sold.get_by_role("link", name="Sales per block").click()
    report = page.locator("table.listing")
    row = report.get_by_role("row", name=re.compile("How we plan a calm week"))
    expect(row).to_contain_text(teaser.id[:6])
    expect(row).to_contain_text("$12.00")
    page.screenshot(path=shot(viewport, "report-blocks"), full_page=True)
    page.goto(live_server.url + "/admin/shop/sold-by/?by=campaign")
    expect(report.get_by_role("row", name=re.compile("newsletter"))).to_contain_text("calm-week")

    refund(stripe_page, order)

    page.goto(f"{live_server.url}/admin/pages/{post.pk}/edit/")
    expect(sold).to_contain_text("This page sold nothing in the last 30 days")
    page.goto(live_server.url + "/admin/shop/sold-by/?by=page")
    row = report.get_by_role("row", name=re.compile("How we plan a calm week"))
    expect(row.get_by_role("cell").last).to_have_text("$0.00")  # net: revenue less the refund
    page.screenshot(path=shot(viewport, "report-refunded"), full_page=True)


def refund(stripe_page, order):
    """The whole payment back through Stripe, whose refund events reach the shop's webhook."""
    gateway = StripeGateway(stripe_page.api_key, stripe_page.base_url)
    gateway.client.v1.refunds.create(params={"payment_intent": order.payment_intent_id, "amount": 1200})
    for event in stripe_page.take_events():
        assert stripe_page.deliver(event)[0] == 200


def shot(viewport, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / f"sold-by-{name}-{viewport}.png"

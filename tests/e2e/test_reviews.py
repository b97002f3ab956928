"""A verified buyer reviews what they bought, a moderator approves it in the Wagtail admin, its stars reach the
product page, the shop's card and the page's JSON-LD; a full refund takes it down again. In Chromium, with the
page cache on (the "Write a review" link is the buyer's own, shown by site.js on the shared page)."""

from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from accounts.factories import SuperuserFactory, UserFactory
from checkout.factories import OrderFactory, OrderLineFactory
from checkout.payments.fulfilment import record_refund
from reviews.models import Review
from tests.e2e.conftest import ARTIFACTS, PASSWORD, admin_login
from tests.structured_data import assert_valid_product_ratings, graph
from website.page_cache import page_cache

SCREENSHOT_WIDTHS = {"phone": 390, "desktop": 1280}
WORDS = "Clear weekly pages. I print one every Sunday & the habit tracker <really> works."


@pytest.fixture
def cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 600
    page_cache().clear()
    yield
    page_cache().clear()


def shoot(page, viewport, name, locator=None):
    target = locator or page
    target.screenshot(path=ARTIFACTS / f"reviews-{name}-{SCREENSHOT_WIDTHS[viewport]}.png")


def test_a_buyer_reviews_a_moderator_approves_and_a_refund_takes_it_down(
    page, browser, viewport, live_server, catalogue, cache_on
):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": SCREENSHOT_WIDTHS[viewport], "height": 900})
    product = catalogue["product"]
    buyer = UserFactory(email="ada@example.com", first_name="Ada", last_name="Lovelace")
    EmailAddress.objects.create(user=buyer, email=buyer.email, verified=True, primary=True)
    order = OrderFactory(
        user=buyer, email=buyer.email, payment_intent_id="pi_review", subtotal=Decimal("12"), total=Decimal("12")
    )
    OrderLineFactory(order=order, product=product, unit_price=Decimal("12"))
    product_url = live_server.url + product.url

    # A visitor who is not signed in gets the shared page: no link to write a review.
    page.goto(product_url)
    expect(page.get_by_text("No reviews yet. Only people who bought this can review it.")).to_be_visible()
    expect(page.get_by_role("link", name="Write a review")).to_be_hidden()

    page.goto(live_server.url + "/account/login/")
    page.get_by_label("Email").fill(buyer.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/account/")
    page.goto(product_url)
    response = page.goto(product_url)
    assert response.headers["x-page-cache"] == "hit"  # the same page as everyone's; site.js shows the link
    write = page.get_by_role("link", name="Write a review")
    expect(write).to_be_visible()
    shoot(page, viewport, "section-empty", page.locator("#reviews"))
    write.click()

    page.get_by_role("button", name="Send review").click()  # nothing chosen: errors, nothing saved
    expect(page.get_by_text("Choose a rating from 1 to 5 stars.")).to_be_visible()
    page.get_by_label("4 stars").check()
    page.get_by_label("Your review").fill(WORDS)
    shoot(page, viewport, "form", page.locator("main"))
    page.get_by_role("button", name="Send review").click()
    page.wait_for_url(product_url)
    expect(page.get_by_text("your review will appear once a moderator has read it")).to_be_visible()
    assert Review.objects.get().status == Review.Status.PENDING
    expect(page.locator("#reviews").get_by_text("Clear weekly pages.")).to_have_count(0)

    # The moderator, in a browser of their own.
    moderator = SuperuserFactory(email="editor@example.com")
    admin_context = browser.new_context(viewport={"width": 1280, "height": 900})
    admin = admin_context.new_page()
    admin_login(admin, live_server, email=moderator.email)
    admin.goto(live_server.url + "/admin/snippets/reviews/review/?status=pending")
    admin.get_by_role("table").get_by_role("link", name="Weekly Planner Kit").click()
    expect(admin.get_by_text(WORDS)).to_be_visible()
    admin.get_by_role("combobox", name="Status").select_option("approved")
    admin.get_by_role("button", name="Save").click()
    expect(admin.get_by_text("Review '4★ by Ada L.' updated.")).to_be_visible()
    admin_context.close()
    assert Review.objects.get().status == Review.Status.APPROVED

    page.goto(product_url)
    section = page.locator("#reviews")
    expect(section.get_by_text(WORDS)).to_be_visible()  # escaped, not markup
    expect(section.get_by_role("img", name="Rated 4 out of 5").first).to_be_visible()
    expect(section.get_by_text("Ada L.")).to_be_visible()
    node = graph(page.content())["Product"]
    assert_valid_product_ratings(node)
    assert node["aggregateRating"]["ratingValue"] == "4.0" and node["review"][0]["reviewBody"] == WORDS
    shoot(page, viewport, "section", section)

    page.goto(live_server.url + "/shop/")
    card = page.locator("main article").filter(has_text="Weekly Planner Kit")
    expect(card.get_by_text("4.0")).to_be_visible()
    shoot(page, viewport, "card", card)

    # The owner refunds the whole order; Stripe's refund event enters the ledger, and the review comes down.
    record_refund(refund_id="re_review", payment_intent="pi_review", amount_minor=1200, currency="usd")
    page.goto(product_url)
    expect(page.locator("#reviews").get_by_text(WORDS)).to_have_count(0)
    expect(page.get_by_text("No reviews yet.")).to_be_visible()
    assert "aggregateRating" not in graph(page.content())["Product"]
    expect(page.get_by_role("link", name="Write a review")).to_be_hidden()  # no longer a buyer
    assert Review.objects.get().status == Review.Status.REMOVED

"""Fewer steps to pay: "Buy now" from an article's teaser straight to Stripe's page, the cart drawer's one-click
checkout, the same forms with JavaScript off, and catalogue filters that apply as they change. In Chromium,
as a phone and a desktop; screenshots of the drawer and the buttons land in test-results/e2e/quick_buy/."""

import re
from pathlib import Path

from playwright.sync_api import expect

from checkout.models import Order
from products.factories import ProductPageFactory
from tests.e2e.conftest import ARTIFACTS, VIEWPORTS

SHOTS = ARTIFACTS / "quick_buy"


def shoot(page, viewport, name):
    """A screenshot at 390 px (phone) or 1280 px (desktop), to look at."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    if viewport == "desktop":
        page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=Path(SHOTS) / f"{name}-{viewport}.png")


def test_buy_now_from_an_article_pays_on_stripe_and_downloads_in_two_screens(
    page, viewport, live_server, stripe_page, catalogue, product_index
):
    other = ProductPageFactory(parent=product_index, title="Desk Calendar", sku="CAL-1", price="9.00")
    page.goto(live_server.url + other.url)
    page.get_by_role("button", name="Add to cart").click()
    expect(page.get_by_role("dialog", name="Your cart")).to_contain_text("Desk Calendar")
    page.goto(live_server.url + catalogue["post"].url)
    teaser = page.get_by_role("complementary", name="Product: Weekly Planner Kit")
    expect(teaser.get_by_role("button", name="Buy now: Weekly Planner Kit")).to_be_visible()
    teaser.scroll_into_view_if_needed()
    shoot(page, viewport, "teaser-buy-now")
    screens = []
    page.on("framenavigated", lambda frame: screens.append(frame.url) if frame == page.main_frame else None)

    teaser.get_by_role("button", name="Buy now: Weekly Planner Kit").click()
    page.wait_for_url(f"{stripe_page.base_url}/pay/**")
    expect(page.locator("main")).to_contain_text("Weekly Planner Kit × 1")
    expect(page.locator("main")).not_to_contain_text("Desk Calendar")
    page.get_by_label("Email").fill("reader@example.com")  # Stripe's page asks a guest
    page.get_by_role("button", name="Pay 12.00 USD").click()
    page.wait_for_url("**/checkout/success/**")
    expect(page.get_by_role("heading", name="Thank you, your order is confirmed")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Download")).first.click()
    assert download.value.path().read_bytes() == catalogue["file_bytes"]
    assert len([url for url in screens if not url.startswith(live_server.url + "/media")]) <= 2, screens

    order = Order.objects.get()
    assert order.email == "reader@example.com" and order.status == Order.Status.COMPLETED
    assert [line.title for line in order.lines.all()] == ["Weekly Planner Kit"]
    expect(page.get_by_role("banner").get_by_role("link", name="Cart, 1 item")).to_be_visible()  # left as it was


def test_add_to_cart_opens_the_drawer_and_checks_out_in_one_click(page, viewport, live_server, stripe_page, catalogue):
    product = catalogue["product"]
    page.goto(live_server.url + product.url)
    expect(page.get_by_role("button", name="Buy now")).to_be_visible()
    shoot(page, viewport, "product-buttons")
    page.get_by_role("button", name="Add to cart").click()

    drawer = page.get_by_role("dialog", name="Your cart")
    expect(drawer).to_be_visible()
    expect(drawer).to_contain_text("Added Weekly Planner Kit to your cart.")
    expect(drawer.get_by_role("link", name="Weekly Planner Kit")).to_be_visible()
    expect(drawer).to_contain_text("$12.00")
    expect(page.locator("#cart-announcer")).to_have_text(re.compile("Your cart has 1 item"))
    expect(page.get_by_role("banner").get_by_role("link", name="Cart, 1 item")).to_be_attached()
    shoot(page, viewport, "drawer")
    assert page.evaluate("document.activeElement.closest('dialog') !== null")  # focus is inside the drawer
    page.keyboard.press("Escape")
    expect(drawer).to_be_hidden()
    expect(page.get_by_role("button", name="Add to cart")).to_be_focused()  # back where the shopper was

    page.get_by_role("banner").get_by_role("link", name="Cart, 1 item").click()
    page.wait_for_url("**/cart/")
    page.go_back()
    page.get_by_role("button", name="Add to cart").click()
    expect(drawer).to_contain_text("Weekly Planner Kit is already in your cart.")
    drawer.get_by_role("button", name="Check out").click()  # one click, from the drawer to Stripe's page
    page.wait_for_url(f"{stripe_page.base_url}/pay/**")
    expect(page.locator("main")).to_contain_text("Total due: 12.00 USD")
    assert Order.objects.get().email == ""  # the guest gives it on Stripe's page


def test_without_javascript_add_to_cart_and_buy_now_still_work(browser, viewport, live_server, stripe_page, catalogue):
    context = browser.new_context(**VIEWPORTS[viewport], java_script_enabled=False)
    page = context.new_page()
    product = catalogue["product"]
    page.goto(live_server.url + product.url)
    page.get_by_role("button", name="Add to cart").click()
    expect(page.get_by_text("Added Weekly Planner Kit to your cart.")).to_be_visible()
    page.goto(live_server.url + catalogue["post"].url)
    page.get_by_role("button", name="Buy now: Weekly Planner Kit").click()
    page.wait_for_url(f"{stripe_page.base_url}/pay/**")
    expect(page.locator("main")).to_contain_text("Weekly Planner Kit × 1")
    context.close()


def test_catalogue_filters_and_sort_apply_as_they_change(page, viewport, live_server, catalogue, product_index):
    ProductPageFactory(parent=product_index, title="Brass Bookmark", sku="BM-1", price="4.00", kind="physical", stock=5)
    page.goto(live_server.url + product_index.url)
    expect(page.get_by_role("button", name="Apply")).to_be_hidden()
    expect(page.get_by_role("button", name="Sort")).to_be_hidden()

    page.get_by_label("Sort by").focus()
    page.get_by_label("Sort by").select_option("price-asc")
    page.wait_for_url("**sort=price-asc**")
    expect(page.locator("main")).to_contain_text("Brass Bookmark")
    expect(page.locator("#cart-announcer")).to_have_text(re.compile("2 products"))
    expect(page.get_by_label("Sort by")).to_be_focused()

    if viewport == "phone":
        page.locator("summary", has_text="Filters").click()
    page.get_by_label("Digital downloads").check()
    page.wait_for_url(re.compile(r"kind=digital"))
    expect(page.locator("#catalogue-count")).to_contain_text("1 product")
    expect(page.locator("[data-catalogue-results]")).not_to_contain_text("Brass Bookmark")
    assert "sort=price-asc" in page.url  # the address is the shareable one
    page.goto(page.url)  # the same address loaded afresh shows the same results
    expect(page.locator("#catalogue-count")).to_contain_text("1 product")

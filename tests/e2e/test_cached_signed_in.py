"""A signed-in shopper with a cart gets the cached product page, and site.js fills in their own parts from
/account/visitor/: their name, their saved heart (a working form) and the cart badge. In Chromium."""

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from accounts.factories import UserFactory
from accounts.models import WishlistItem
from tests.e2e.conftest import ARTIFACTS, PASSWORD
from website.page_cache import page_cache


@pytest.fixture
def cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 600
    page_cache().clear()
    yield
    page_cache().clear()


def test_a_signed_in_shopper_with_a_cart_sees_their_parts_on_a_cached_product_page(
    page, viewport, live_server, catalogue, cache_on
):
    if viewport == "phone":
        pytest.skip("the header shows the account name from the small-tablet width up")
    product = catalogue["product"]
    user = UserFactory(email="ada@example.com", first_name="Ada")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    WishlistItem.objects.create(user=user, product=product)
    page.goto(live_server.url + "/account/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/account/")
    page.goto(live_server.url + product.url)
    page.get_by_role("button", name="Add to cart").first.click()
    expect(page.get_by_text("Added Weekly Planner Kit to your cart.")).to_be_visible()

    page.goto(live_server.url + product.url)  # stored by this render
    response = page.goto(live_server.url + product.url)

    assert response.headers["x-page-cache"] == "hit"
    banner = page.get_by_role("banner")
    expect(banner.get_by_role("link", name="Your account Ada")).to_be_visible()
    expect(banner.get_by_role("link", name="Cart, 1 item")).to_be_visible()
    saved = page.get_by_role("button", name="Saved to wishlist")
    expect(saved).to_have_attribute("aria-pressed", "true")
    page.screenshot(path=ARTIFACTS / "signed-in-cached-product.png")

    saved.click()  # the form site.js made posts with the page's CSRF token
    expect(page.get_by_text("Removed “Weekly Planner Kit” from your wishlist.")).to_be_visible()
    expect(page.get_by_role("button", name="Save to wishlist")).to_have_attribute("aria-pressed", "false")
    assert not WishlistItem.objects.filter(user=user).exists()

"""axe-core, injected into the real pages in Chromium at a phone and a desktop size: the pages a shopper
uses have no serious or critical WCAG 2.1 A/AA violations. PAGECART_SCREENSHOTS=<folder> also saves each
page as it was checked, for a person to look at."""

import json
import os
import re
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from accounts.factories import UserFactory

AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}

pytestmark = pytest.mark.skipif(not AXE.exists(), reason="needs axe-core: make e2e-deps")


def violations(page):
    """axe's serious and critical violations on the page as it is now, each with where it happened."""
    page.evaluate(AXE.read_text())  # DevTools evaluation: the site's CSP rightly refuses injected <script>s
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_AA)
    return [
        {
            "id": rule["id"],
            "impact": rule["impact"],
            "help": rule["help"],
            "where": [node["target"] for node in rule["nodes"]],
        }
        for rule in result["violations"]
        if rule["impact"] in BLOCKING
    ]


def check(page, viewport, name):
    folder = os.environ.get("PAGECART_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=Path(folder) / f"{name}-{viewport}.png", full_page=True)
    found = violations(page)
    assert found == [], f"{name} ({page.url}):\n{json.dumps(found, indent=2)}"


def test_shop_pages_have_no_serious_accessibility_violations(page, viewport, live_server, stripe_page, catalogue):
    site = live_server.url
    for name, path in [
        ("home", "/"),
        ("shop", "/shop/"),
        ("product", catalogue["product"].url),
        ("journal", "/journal/"),
        ("post", catalogue["post"].url),
        ("search", "/search/?q=planner"),
        ("find-order", "/orders/find/"),
        ("login", "/account/login/"),
        ("signup", "/account/signup/"),
        ("empty-cart", "/cart/"),
    ]:
        page.goto(site + path)
        check(page, viewport, name)

    page.goto(site + catalogue["product"].url)
    page.get_by_role("button", name=re.compile("Add to cart")).first.click()
    expect(page.get_by_role("dialog", name="Your cart")).to_be_visible()
    page.goto(site + "/cart/")
    check(page, viewport, "cart")
    page.get_by_role("button", name="Check out").click()  # no email: the form's errors
    expect(page.get_by_role("alert").or_(page.locator("[aria-invalid=true]")).first).to_be_visible()
    check(page, viewport, "checkout-errors")
    page.get_by_label("Email").fill("ally@example.com")
    page.get_by_role("button", name="Check out").click()
    page.wait_for_url(f"{stripe_page.base_url}/pay/**")
    page.get_by_role("button", name=re.compile("Pay")).click()
    page.wait_for_url("**/checkout/success/**")
    check(page, viewport, "success")


def test_account_pages_have_no_serious_accessibility_violations(page, viewport, live_server, catalogue):
    member = UserFactory(email="member@example.com", password="a long and unusual passphrase")
    EmailAddress.objects.create(user=member, email=member.email, verified=True, primary=True)
    site = live_server.url
    page.goto(site + "/account/login/")
    page.get_by_label("Email").fill("member@example.com")
    page.get_by_label("Password").fill("a long and unusual passphrase")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/account/")
    for name, path in [
        ("dashboard", "/account/"),
        ("orders", "/account/orders/"),
        ("downloads", "/account/downloads/"),
        ("wishlist", "/account/wishlist/"),
        ("membership", "/account/membership/"),
        ("settings", "/account/settings/"),
    ]:
        page.goto(site + path)
        check(page, viewport, f"account-{name}")

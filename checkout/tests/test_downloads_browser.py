"""The expired-link page in a real browser (Debian's Chromium): what a test client cannot show, such as the
Origin header a browser sends with the form under the page's referrer policy."""

import shutil
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal

import pytest

from django.core import mail
from django.test import Client
from django.utils import timezone

from checkout.models import DownloadGrant
from products.factories import ProductFileFactory, ProductPageFactory

from .shopping import buy, grant_for

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason="needs Debian's chromium"),
]


@contextmanager
def chromium_page():
    """A page in Chromium. Playwright's sync API runs an event loop in this thread, so the test sets the
    database up before and checks it after, and touches it not at all while the browser is open."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
        )
        yield browser.new_page()
        browser.close()


def test_a_buyer_asks_for_a_fresh_link_from_the_expired_page(live_server, fake_stripe, product_index, site_settings):
    product = ProductPageFactory(parent=product_index, title="Guide", sku="GUIDE-7", price=Decimal("8.20"))
    ProductFileFactory(page=product, document__title="Guide (PDF)")
    grant = grant_for(buy(Client(), fake_stripe, product, email="jane@example.com"))
    DownloadGrant.objects.filter(pk=grant.pk).update(expires_at=timezone.now() - timedelta(days=1))
    mail.outbox.clear()

    with chromium_page() as page:
        expired = page.goto(live_server.url + grant.get_absolute_url())
        page.get_by_role("button", name="Email me a fresh link").click()
        confirmed = page.get_by_role("heading", name="Check your email").is_visible()
        text = page.locator("main").inner_text()

    assert expired.status == 410
    assert confirmed and "j•••@example.com" in text
    assert [message.to for message in mail.outbox] == [["jane@example.com"]]
    renewed = DownloadGrant.objects.get(pk=grant.pk)
    assert renewed.token != grant.token and renewed.expires_at > timezone.now()

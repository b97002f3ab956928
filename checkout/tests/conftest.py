from decimal import Decimal

import pytest

from django.test import Client

from products.factories import ProductPageFactory
from tests.fake_stripe.server import FakeStripe


def point_stripe_at(fake, settings):
    """The Stripe settings, for the length of the test, name the started `fake`."""
    settings.STRIPE_SECRET_KEY = fake.api_key
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_fake"
    settings.STRIPE_WEBHOOK_SECRET = fake.webhook_secret
    settings.STRIPE_API_BASE = fake.base_url
    settings.STRIPE_CHECKOUT_ORIGIN = fake.base_url
    return fake


@pytest.fixture
def fake_stripe(settings):
    """A FakeStripe on 127.0.0.1, with the Stripe settings pointing at it for the length of the test."""
    fake = point_stripe_at(FakeStripe().start(), settings)
    yield fake
    fake.stop()


@pytest.fixture
def shop(site_settings):
    """Site settings of a shop that ships to GB and US at a flat 6.00."""
    site_settings.ships_to = "GB,US"
    site_settings.shipping_rate = Decimal("6.00")
    site_settings.save()
    return site_settings


@pytest.fixture
def mug(product_index, shop):
    """A physical product, three in stock (a test module may have its own)."""
    return ProductPageFactory(
        parent=product_index, title="Studio Mug", sku="MUG-1", price=Decimal("14.50"), kind="physical", stock=3
    )


@pytest.fixture
def requests_commit(monkeypatch, django_capture_on_commit_callbacks):
    """Each test-client request ends as if its transaction committed, so on_commit work (the receipt email)
    runs when the response is done, as in production, although the test's own transaction never commits."""
    original = Client.request

    def request(self, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return original(self, **kwargs)

    monkeypatch.setattr(Client, "request", request)

from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from rest_framework.authtoken.models import Token

from django.test import Client

from accounts.factories import UserFactory
from checkout.tests.conftest import fake_stripe, requests_commit  # noqa: F401  (shared fixtures)
from products.factories import ProductCategoryFactory, ProductFileFactory, ProductPageFactory

PASSWORD = "correct horse battery staple"


def verified_user(email):
    user = UserFactory(email=email)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


@pytest.fixture
def shopper(site_settings):
    return verified_user("ada@example.com")


@pytest.fixture
def token(shopper):
    return Token.objects.create(user=shopper).key


@pytest.fixture
def app(token):
    """The shopper's app: a client that sends the API token and keeps no cookies between calls."""
    return Client(HTTP_AUTHORIZATION=f"Token {token}")


@pytest.fixture
def kits(db):
    return ProductCategoryFactory(name="Kits", slug="kits")


@pytest.fixture
def ebook(product_index, site_settings, kits, image):
    product = ProductPageFactory(
        parent=product_index,
        title="Field Guide",
        sku="EBOOK-1",
        price=Decimal("8.20"),
        gallery=[image],
        categories=[kits],
    )
    ProductFileFactory(page=product)
    return product


@pytest.fixture
def mug(product_index, site_settings):
    return ProductPageFactory(
        parent=product_index, title="Studio Mug", sku="MUG-1", price=Decimal("14.50"), physical=True, stock=2
    )

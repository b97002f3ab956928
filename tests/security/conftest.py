from decimal import Decimal

import pytest

# The checkout tests' fixtures (a FakeStripe on 127.0.0.1, requests that end as if committed), for these too.
from checkout.tests.conftest import fake_stripe, requests_commit  # noqa: F401
from products.factories import ProductFileFactory, ProductPageFactory


@pytest.fixture
def guide(product_index, site_settings):
    """A digital product on sale, with its file."""
    product = ProductPageFactory(parent=product_index, title="Field Guide", sku="GUIDE-1", price=Decimal("8.20"))
    ProductFileFactory(page=product, document__title="Field Guide (PDF)")
    return product

from decimal import Decimal

import pytest

from accounts.factories import UserFactory
from checkout.factories import OrderFactory, OrderLineFactory
from products.factories import ProductPageFactory


@pytest.fixture
def product(product_index, site_settings):
    return ProductPageFactory(parent=product_index, title="Field Guide", slug="field-guide", sku="FG-1")


@pytest.fixture
def other_product(product_index):
    return ProductPageFactory(parent=product_index, title="Brush Set", slug="brush-set", sku="BR-1")


def paid_order(user, *products, number="ORDER001"):
    """A paid order of `products` for `user`, as fulfilment leaves it (10.00 each)."""
    total = Decimal("10.00") * len(products)
    order = OrderFactory(
        user=user, email=user.email, number=number, payment_intent_id=f"pi_{number}", subtotal=total, total=total
    )
    for product in products:
        OrderLineFactory(order=order, product=product)
    return order


@pytest.fixture
def buyer(product, other_product):
    user = UserFactory(first_name="Ada", last_name="Shopper")
    user.order = paid_order(user, product, other_product)
    return user


@pytest.fixture
def buyer_client(client, buyer):
    client.force_login(buyer)
    return client

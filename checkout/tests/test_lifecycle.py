"""The order lifecycle: every allowed step is taken and recorded, every other one is refused and changes nothing."""

from decimal import Decimal

import pytest

from checkout import lifecycle
from checkout.exceptions import TransitionNotAllowed
from checkout.factories import OrderFactory
from checkout.models import Order, OrderStatusChange
from products.factories import ProductFileFactory, ProductPageFactory

from .shopping import buy

pytestmark = pytest.mark.django_db

S = Order.Status
ALLOWED = sorted((source, target) for source, targets in lifecycle.ALLOWED_TRANSITIONS.items() for target in targets)
FORBIDDEN = sorted(
    (source, target) for source in S for target in S if target not in lifecycle.ALLOWED_TRANSITIONS[source]
)


def test_the_table_names_every_state():
    assert set(lifecycle.ALLOWED_TRANSITIONS) == set(S)


@pytest.mark.parametrize(("source", "target"), ALLOWED)
def test_an_allowed_step_is_taken_and_recorded(source, target, superuser):
    order = OrderFactory(status=source)

    change = lifecycle.transition(order, target, actor=superuser, note="by hand")

    order.refresh_from_db()
    assert order.status == target
    assert (change.from_status, change.to_status, change.actor, change.note) == (source, target, superuser, "by hand")
    assert list(order.status_changes.all()) == [change] and change.created_at


@pytest.mark.parametrize(("source", "target"), FORBIDDEN)
def test_a_forbidden_step_raises_and_changes_nothing(source, target):
    order = OrderFactory(status=source)

    with pytest.raises(TransitionNotAllowed) as raised:
        lifecycle.transition(order, target, note="should not happen")

    assert (raised.value.from_status, raised.value.to_status) == (source, target)
    assert str(raised.value).startswith(f"Order {order.number} cannot go from ")
    order.refresh_from_db()
    assert order.status == source and not OrderStatusChange.objects.exists()


def test_a_second_partial_refund_is_a_step_of_its_own():
    order = OrderFactory(status=S.PARTIALLY_REFUNDED)

    lifecycle.transition(order, S.PARTIALLY_REFUNDED, note="second refund")

    assert order.status_changes.get().from_status == S.PARTIALLY_REFUNDED


def test_steps_by_the_shop_itself_have_no_actor():
    order = OrderFactory(status=S.PAID)

    assert lifecycle.transition(order, S.COMPLETED).actor is None


@pytest.fixture
def guide(product_index, site_settings):
    product = ProductPageFactory(parent=product_index, title="Field Guide", sku="EBOOK-1", price=Decimal("8.20"))
    ProductFileFactory(page=product)
    return product


@pytest.fixture
def mug(product_index, site_settings):
    return ProductPageFactory(
        parent=product_index, title="Studio Mug", sku="MUG-1", price=Decimal("14.50"), kind="physical", stock=3
    )


def history(order):
    return list(order.status_changes.values_list("from_status", "to_status"))


def test_a_digital_only_order_completes_at_payment(client, fake_stripe, guide):
    order = buy(client, fake_stripe, guide)

    assert order.status == S.COMPLETED
    assert history(order) == [(S.PENDING, S.PAID), (S.PAID, S.COMPLETED)]


def test_an_order_with_physical_goods_waits_for_shipping(client, fake_stripe, guide, mug):
    order = buy(client, fake_stripe, guide, mug)

    assert order.status == S.PAID and order.grants_access
    assert history(order) == [(S.PENDING, S.PAID)]
    assert order.status_changes.get().note.startswith("Payment pi_")

"""Guest orders join the account that verifies their email address, with the memberships they paid for;
an unverified or different address gets nothing."""

import re
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress

from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.factories import UserFactory
from accounts.orders import claim_guest_orders
from checkout.models import Order, OrderLine
from products.factories import ProductPageFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a quiet lighthouse at dawn"


@pytest.fixture
def members(db):
    return Group.objects.create(name="Studio members")


@pytest.fixture
def membership(product_index, site_settings, members):
    return ProductPageFactory(parent=product_index, title="Studio membership", membership_group=members)


@pytest.fixture
def ebook(product_index, site_settings):
    return ProductPageFactory(parent=product_index, title="Field guide")


def guest_order(email, *products, status=Order.Status.PAID, user=None):
    order = Order.objects.create(
        email=email, user=user, status=status, currency="USD", subtotal=Decimal("10.00"), total=Decimal("10.00")
    )
    for product in products:
        OrderLine.objects.create(
            order=order,
            product=product,
            title=product.title,
            sku=product.sku,
            is_digital=product.is_digital,
            unit_price=product.price,
            quantity=1,
        )
    return order


def sign_up(client, email):
    response = client.post(reverse("account_signup"), {"email": email, "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302
    return response


def confirm_link(email):
    for message in reversed(mail.outbox):
        if message.to == [email]:
            for url in re.findall(r"https?://\S+", message.body):
                if urlsplit(url).path.startswith("/account/confirm-email/"):
                    return urlsplit(url).path
    raise AssertionError(f"no confirmation link sent to {email}")


def verified_user(email):
    user = UserFactory(email=email, password=PASSWORD)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def owner_of(order):
    order.refresh_from_db()
    return order.user


def test_confirming_the_address_attaches_its_guest_orders_and_grants_paid_memberships(client, membership, members):
    paid = guest_order("Grace@Example.COM", membership)
    pending = guest_order("grace@example.com", membership, status=Order.Status.PENDING)
    someone_elses = guest_order("someone@example.com", membership)

    sign_up(client, "grace@example.com")
    user = EmailAddress.objects.get(email="grace@example.com").user
    assert owner_of(paid) is None  # signed up, not yet verified: nothing joins

    client.post(confirm_link("grace@example.com"))

    assert owner_of(paid) == user
    assert owner_of(pending) == user
    assert owner_of(someone_elses) is None
    assert list(user.groups.all()) == [members]
    assert set(Order.objects.filter(user=user)) == {paid, pending}


def test_a_verified_log_in_attaches_orders_placed_as_a_guest_since(client, membership, members):
    user = verified_user("ada@example.com")
    order = guest_order("ADA@example.com", membership)

    response = client.post(reverse("account_login"), {"login": "ada@example.com", "password": PASSWORD})

    assert response["Location"] == reverse("accounts:dashboard")
    assert owner_of(order) == user
    assert list(user.groups.all()) == [members]


def test_an_unverified_address_attaches_nothing(client, membership):
    order = guest_order("victim@example.com", membership)

    # Someone signs up with an address they cannot read, and tries to log in with it.
    sign_up(client, "victim@example.com")
    client.post(reverse("account_login"), {"login": "victim@example.com", "password": PASSWORD})

    assert owner_of(order) is None
    impostor = EmailAddress.objects.get(email="victim@example.com").user
    assert not impostor.groups.exists()
    assert not Order.objects.filter(user=impostor).exists()


def test_only_the_verified_addresses_of_an_account_count(client, membership):
    user = verified_user("ada@example.com")
    EmailAddress.objects.create(user=user, email="unconfirmed@example.com", verified=False, primary=False)
    mine = guest_order("ada@example.com", membership)
    not_proven = guest_order("unconfirmed@example.com", membership)

    client.post(reverse("account_login"), {"login": "ada@example.com", "password": PASSWORD})

    assert owner_of(mine) == user
    assert owner_of(not_proven) is None


def test_a_new_account_never_sees_orders_of_another_address(client, membership):
    guest_order("ada@example.com", membership)
    guest_order("ada@example.org", membership)

    sign_up(client, "ada@example.net")
    client.post(confirm_link("ada@example.net"))

    user = EmailAddress.objects.get(email="ada@example.net").user
    assert not Order.objects.filter(user=user).exists()
    assert not user.groups.exists()
    assert Order.objects.filter(user__isnull=True).count() == 2


def test_an_order_already_on_an_account_stays_there(membership):
    first_owner = verified_user("first@example.com")
    order = guest_order("ada@example.com", membership, user=first_owner)
    ada = verified_user("ada@example.com")

    assert claim_guest_orders(ada) == []
    assert owner_of(order) == first_owner


@pytest.mark.parametrize(
    "status",
    [
        Order.Status.PENDING,
        Order.Status.REVIEW,
        Order.Status.FAILED,
        Order.Status.EXPIRED,
        Order.Status.REFUNDED,
        Order.Status.DISPUTED,
    ],
)
def test_unpaid_orders_join_the_account_without_memberships(membership, status):
    order = guest_order("ada@example.com", membership, status=status)
    ada = verified_user("ada@example.com")

    claim_guest_orders(ada)

    assert owner_of(order) == ada
    assert not ada.groups.exists()


def test_a_partly_refunded_order_grants_only_the_lines_still_paid_for(product_index, site_settings):
    kept_group = Group.objects.create(name="Kept")
    refunded_group = Group.objects.create(name="Refunded")
    kept = ProductPageFactory(parent=product_index, membership_group=kept_group)
    refunded = ProductPageFactory(parent=product_index, membership_group=refunded_group)
    order = guest_order("ada@example.com", kept, refunded, status=Order.Status.PARTIALLY_REFUNDED)
    order.lines.filter(product=refunded).update(refunded=True)
    ada = verified_user("ada@example.com")

    claim_guest_orders(ada)

    assert list(ada.groups.all()) == [kept_group]


def test_claiming_again_attaches_nothing_more(membership, ebook, members):
    order = guest_order("ada@example.com", membership, ebook)
    ada = verified_user("ada@example.com")

    assert claim_guest_orders(ada) == [order]
    assert claim_guest_orders(ada) == []
    assert list(ada.groups.all()) == [members]


def test_a_user_with_no_verified_address_claims_nothing(membership):
    order = guest_order("ada@example.com", membership)
    ada = UserFactory(email="ada@example.com")  # e.g. made with createsuperuser: no verified EmailAddress

    client = Client()
    client.force_login(ada)

    assert owner_of(order) is None
    assert claim_guest_orders(ada) == []

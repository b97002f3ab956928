"""A signed-in buyer's receipt goes to the account's primary verified address, whatever the POST says;
guests give theirs. The cart shows the address instead of an input."""

from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress

from django.urls import reverse

from accounts.factories import UserFactory
from checkout.models import Order
from products.factories import ProductFileFactory, ProductPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ebook(product_index, site_settings):
    product = ProductPageFactory(parent=product_index, title="Field Guide", sku="EBOOK-1", price=Decimal("8.20"))
    ProductFileFactory(page=product)
    return product


@pytest.fixture
def member(client):
    user = UserFactory(email="ada@example.com")
    EmailAddress.objects.create(user=user, email="ada@example.com", verified=True, primary=True)
    client.force_login(user)
    return user


def add(client, product):
    assert client.post(reverse("checkout:cart_add"), {"product": product.pk}).status_code == 302


def test_the_cart_shows_a_members_verified_address_instead_of_an_input(client, fake_stripe, member, ebook):
    add(client, ebook)
    page = client.get(reverse("checkout:cart")).content.decode()
    assert "ada@example.com" in page and "Your account's verified address" in page
    assert 'name="email"' not in page


def test_a_tampered_email_in_the_post_is_ignored_for_a_member(client, fake_stripe, member, ebook):
    add(client, ebook)
    response = client.post(reverse("checkout:start"), {"email": "thief@example.com"})
    assert response.status_code == 303
    order = Order.objects.get()
    assert order.email == "ada@example.com" and order.user == member
    assert fake_stripe.requests[-1]["params"]["customer_email"] == "ada@example.com"


def test_the_primary_address_wins_over_the_account_field(client, fake_stripe, member, ebook):
    EmailAddress.objects.filter(user=member).update(primary=False)
    EmailAddress.objects.create(user=member, email="ada.work@example.com", verified=True, primary=True)
    add(client, ebook)
    client.post(reverse("checkout:start"), {"email": "ada@example.com"})
    assert Order.objects.get().email == "ada.work@example.com"


def test_a_member_without_a_verified_address_is_told_to_verify_first(client, fake_stripe, member, ebook):
    EmailAddress.objects.filter(user=member).update(verified=False)
    add(client, ebook)
    page = client.get(reverse("checkout:cart")).content.decode()
    assert "Confirm your email address before checking out" in page
    response = client.post(reverse("checkout:start"), {"email": "ada@example.com"})
    assert response.status_code == 403
    assert "Confirm your email address before checking out" in response.content.decode()
    assert not Order.objects.exists() and not fake_stripe.sessions


def test_guests_still_type_their_address(client, fake_stripe, ebook):
    add(client, ebook)
    assert 'name="email"' in client.get(reverse("checkout:cart")).content.decode()
    assert client.post(reverse("checkout:start"), {"email": "guest@example.com"}).status_code == 303
    assert Order.objects.get().email == "guest@example.com"

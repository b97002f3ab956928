from decimal import Decimal

import pytest

from django.urls import reverse

from wagtail.models import Page, Site

from home.models import HomePage
from products import inventory
from products.models import ProductIndexPage, ProductPage


@pytest.fixture
def shop(db):
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Home", slug="shop-home", hero_heading="Hello"))
    Site.objects.update_or_create(is_default_site=True, defaults={"root_page": home, "hostname": "testserver"})
    return home.add_child(instance=ProductIndexPage(title="Shop", slug="shop"))


def make_product(shop, **fields):
    defaults = {"summary": "A thing.", "price": Decimal("19.00"), "kind": ProductPage.Kind.DIGITAL}
    defaults.update(fields)
    defaults.setdefault("slug", defaults["sku"].lower())
    return shop.add_child(instance=ProductPage(**defaults))


@pytest.fixture
def ebook(shop):
    return make_product(shop, title="Field Guide", sku="EBOOK-1", price=Decimal("8.20"))


@pytest.fixture
def mug(shop):
    return make_product(
        shop, title="Studio Mug", sku="MUG-1", price=Decimal("14.50"), kind=ProductPage.Kind.PHYSICAL, stock=3
    )


def post(client, name, **data):
    return client.post(reverse(f"checkout:{name}"), data)


def cart_session(client):
    return client.session.get("cart", {})


def test_adding_uses_the_page_price_not_the_request(client, ebook):
    response = post(client, "cart_add", product=ebook.pk, price="0.01", next=ebook.url)

    assert response.status_code == 302
    assert response["Location"] == ebook.url
    assert response.cookies["cart_count"].value == "1"
    page = client.get(reverse("checkout:cart"))
    assert page.context["cart"].subtotal == Decimal("8.20")


def test_price_change_after_adding_shows_the_new_price(client, ebook):
    post(client, "cart_add", product=ebook.pk)
    ebook.price = Decimal("9.99")
    ebook.save_revision().publish()

    cart = client.get(reverse("checkout:cart")).context["cart"]
    assert [line.unit_price for line in cart.lines] == [Decimal("9.99")]


def test_digital_items_stay_at_quantity_one(client, ebook):
    post(client, "cart_add", product=ebook.pk, quantity=5)
    response = post(client, "cart_add", product=ebook.pk)
    post(client, "cart_update", product=ebook.pk, quantity=4)

    assert cart_session(client) == {str(ebook.pk): 1}
    messages = [str(m) for m in response.wsgi_request._messages]
    assert "Field Guide is already in your cart." in messages


def test_physical_quantity_is_capped_by_stock(client, mug):
    post(client, "cart_add", product=mug.pk, quantity=2)
    response = post(client, "cart_add", product=mug.pk, quantity=2)

    assert cart_session(client) == {str(mug.pk): 2}
    assert "Only 3 of Studio Mug can be ordered right now." in [str(m) for m in response.wsgi_request._messages]


def test_update_and_remove(client, mug, ebook):
    post(client, "cart_add", product=mug.pk)
    post(client, "cart_add", product=ebook.pk)

    post(client, "cart_update", product=mug.pk, quantity=3)
    assert cart_session(client)[str(mug.pk)] == 3

    post(client, "cart_update", product=mug.pk, quantity=0)
    response = post(client, "cart_remove", product=ebook.pk)
    assert cart_session(client) == {}
    assert response.cookies["cart_count"].value == "0"


def test_sold_out_and_off_sale_products_cannot_be_added(client, mug, ebook):
    inventory.set_stock(mug.pk, 0)
    ebook.on_sale = False
    ebook.save_revision().publish()

    first = post(client, "cart_add", product=mug.pk)
    second = post(client, "cart_add", product=ebook.pk)

    assert cart_session(client) == {}
    assert "Studio Mug is sold out." in [str(m) for m in first.wsgi_request._messages]
    assert "Field Guide is not on sale." in [str(m) for m in second.wsgi_request._messages]


def test_line_that_became_unavailable_is_flagged(client, mug):
    post(client, "cart_add", product=mug.pk, quantity=3)
    inventory.set_stock(mug.pk, 1)

    cart = client.get(reverse("checkout:cart")).context["cart"]
    assert [line.problem for line in cart.lines] == ["Only 1 left"]
    assert cart.has_problems


def test_unpublished_products_leave_the_cart(client, ebook):
    post(client, "cart_add", product=ebook.pk)
    ebook.unpublish()

    cart = client.get(reverse("checkout:cart")).context["cart"]
    assert cart.is_empty


@pytest.mark.parametrize(
    "data",
    [
        {"product": "abc"},
        {"product": "-1"},
        {},
        {"product": "1", "quantity": "-5"},
        {"product": "1", "quantity": "1e9"},
    ],
)
def test_malformed_posts_get_a_400_and_change_nothing(client, ebook, data):
    response = post(client, "cart_add", **data)

    assert response.status_code == 400
    assert cart_session(client) == {}


def test_unknown_product_is_404(client, shop):
    assert post(client, "cart_add", product=999999).status_code == 404


def test_draft_product_cannot_be_added(client, ebook):
    ebook.unpublish()
    assert post(client, "cart_add", product=ebook.pk).status_code == 404


def test_offsite_next_is_ignored(client, ebook):
    response = post(client, "cart_add", product=ebook.pk, next="https://evil.example/")
    assert response["Location"] == reverse("checkout:cart")


def test_cart_changes_need_post_and_csrf(ebook):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    assert csrf_client.get(reverse("checkout:cart_add")).status_code == 405
    assert csrf_client.post(reverse("checkout:cart_add"), {"product": ebook.pk}).status_code == 403
    assert csrf_client.session.get("cart") is None


def test_cart_page_lists_lines_and_total(client, ebook, mug):
    post(client, "cart_add", product=ebook.pk)
    post(client, "cart_add", product=mug.pk, quantity=2)

    response = client.get(reverse("checkout:cart"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Field Guide" in html and "Studio Mug" in html
    assert "$37.20" in html  # 8.20 + 2 x 14.50


# -- A signed-in shopper's cart --------------------------------------------------------------------


@pytest.fixture
def shopper(django_user_model):
    return django_user_model.objects.create_user(email="shopper@example.com", password="a-long-password-1")


def test_a_signed_in_cart_is_saved_and_returns_after_logging_out_and_in(client, shopper, ebook, mug):
    client.force_login(shopper)
    post(client, "cart_add", product=mug.pk, quantity=2)
    client.logout()
    assert cart_session(client) == {}

    client.force_login(shopper)

    assert cart_session(client) == {str(mug.pk): 2}


def test_a_guest_cart_merges_into_the_saved_one_at_login(client, shopper, ebook, mug):
    from checkout.models import SavedCart

    SavedCart.objects.create(user=shopper, items={str(mug.pk): 1, str(ebook.pk): 1})
    post(client, "cart_add", product=mug.pk, quantity=3)
    post(client, "cart_add", product=ebook.pk)

    client.force_login(shopper)

    assert cart_session(client) == {str(mug.pk): 3, str(ebook.pk): 1}
    assert SavedCart.objects.get(user=shopper).items == {str(mug.pk): 3, str(ebook.pk): 1}


def test_carts_of_different_shoppers_stay_apart(client, shopper, django_user_model, mug):
    other = django_user_model.objects.create_user(email="other@example.com", password="a-long-password-2")
    client.force_login(shopper)
    post(client, "cart_add", product=mug.pk)
    client.logout()

    client.force_login(other)

    assert cart_session(client) == {}

"""The owner's Stock screen: physical products with their counts and held units, setting a new count, the
page history entry it leaves, and who may use it."""

from decimal import Decimal

import pytest

from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from wagtail.models import PageLogEntry

from accounts.factories import UserFactory
from checkout.models import Order, OrderLine
from products.factories import ProductPageFactory
from products.models import ProductPage
from website.tests.html import soup, text_of

pytestmark = pytest.mark.django_db

STOCK = "/admin/shop/stock/"


@pytest.fixture
def mug(product_index):
    return ProductPageFactory(parent=product_index, title="Studio Mug", sku="MUG-1", physical=True, stock=10)


@pytest.fixture
def apron(product_index):
    return ProductPageFactory(parent=product_index, title="Apron", sku="APR-1", physical=True, stock=0)


def hold(product, quantity, *, status=Order.Status.PENDING, reserved=True):
    order = Order.objects.create(
        email="buyer@example.com",
        status=status,
        stock_reserved=reserved,
        currency="USD",
        subtotal=Decimal("1.00"),
        total=Decimal("1.00"),
    )
    OrderLine.objects.create(
        order=order,
        product=product,
        title=product.title,
        sku=product.sku,
        is_digital=False,
        unit_price=1,
        quantity=quantity,
    )


def stock_of(product):
    return ProductPage.objects.get(pk=product.pk).stock


def set_stock(client, product, value, expected=None):
    expected = stock_of(product) if expected is None else expected
    return client.post(STOCK, {"product": product.pk, "expected": expected, "stock": value})


def rows(response):
    return [text_of(row) for row in soup(response).select("#stock-counts tbody tr")]


def assert_denied(response):
    """Wagtail's answer to a missing permission: back to the dashboard, with "Sorry, you do not have permission"."""
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")


def admin_client(*codenames, **kwargs):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["access_admin", *codenames]))
    client = Client(**kwargs)
    client.force_login(user)
    return client


def test_the_stock_screen_lists_physical_products_with_held_units(editor_client, product_index, mug, apron):
    ProductPageFactory(parent=product_index, title="Field Guide", sku="EBOOK-1")
    hold(mug, 2)
    hold(mug, 1)
    hold(mug, 5, status=Order.Status.PAID, reserved=False)  # sold: no longer held
    hold(mug, 4, status=Order.Status.EXPIRED, reserved=False)  # lapsed: given back

    response = editor_client.get(STOCK)

    assert response.status_code == 200
    assert [row.split(" Set")[0] for row in rows(response)] == ["Apron APR-1 0 Sold out 0", "Studio Mug MUG-1 10 3"]
    link = soup(response).find("a", string="Studio Mug")
    assert link["href"] == reverse("wagtailadmin_pages:edit", args=[mug.pk])


def test_setting_a_count_changes_the_stock_and_the_page_history(editor_client, superuser, mug):
    response = set_stock(editor_client, mug, "25")

    assert response.status_code == 302 and response["Location"] == STOCK
    assert stock_of(mug) == 25
    assert "Studio Mug: stock set from 10 to 25." in editor_client.get(STOCK).text
    entry = PageLogEntry.objects.get(page=mug, action="pagecart.stock_set")
    assert entry.data == {"from": 10, "to": 25} and entry.user == superuser
    history = editor_client.get(reverse("wagtailadmin_pages:history", args=[mug.pk]))
    assert "Stock set from 10 to 25" in text_of(soup(history))


def test_setting_a_count_leaves_other_fields_alone(editor_client, mug):
    mug.title = "Draft title"
    mug.save_revision()

    set_stock(editor_client, mug, "7")

    mug = ProductPage.objects.get(pk=mug.pk)
    assert mug.stock == 7 and mug.title == "Studio Mug"


def test_saving_the_same_count_changes_nothing(editor_client, mug):
    response = set_stock(editor_client, mug, "10", expected=10)

    assert "Studio Mug: the stock is already 10." in editor_client.get(response["Location"]).text
    assert not PageLogEntry.objects.filter(action="pagecart.stock_set").exists()


@pytest.mark.parametrize(
    ("value", "message"),
    [("-1", "Ensure this value is greater than or equal to 0."), ("ten", "Enter a whole number."), ("", "required")],
)
def test_a_bad_count_is_refused_and_changes_nothing(editor_client, mug, value, message):
    response = set_stock(editor_client, mug, value)

    assert response.status_code == 200
    mug_row = next(row for row in soup(response).select("tbody tr") if "Studio Mug" in text_of(row))
    assert message in text_of(mug_row)
    assert mug_row.find("input", {"name": "stock"})["aria-invalid"] == "true"
    assert stock_of(mug) == 10 and not PageLogEntry.objects.filter(action="pagecart.stock_set").exists()


def test_a_sale_made_meanwhile_is_not_overwritten(editor_client, mug):
    from products import inventory

    inventory.reserve(mug.pk, 1)

    response = set_stock(editor_client, mug, "25", expected=10)

    assert response.status_code == 200
    assert "The stock changed to 9 since this page was loaded" in response.text
    assert stock_of(mug) == 9


def test_a_digital_product_has_no_stock_to_set(editor_client, product_index):
    ebook = ProductPageFactory(parent=product_index, title="Field Guide", sku="EBOOK-1")

    response = editor_client.post(STOCK, {"product": ebook.pk, "expected": 0, "stock": 5}, follow=True)

    assert "not a physical product" in response.text
    assert stock_of(ebook) is None


def test_an_editor_without_the_permission_cannot_use_the_stock_screen(mug):
    editor = admin_client()

    assert_denied(editor.get(STOCK))
    assert_denied(set_stock(editor, mug, "99"))
    assert stock_of(mug) == 10
    assert STOCK not in editor.get(reverse("wagtailadmin_home")).text  # no menu item


def test_the_change_productpage_permission_opens_the_stock_screen(mug):
    stock_keeper = admin_client("change_productpage")

    assert stock_keeper.get(STOCK).status_code == 200
    assert set_stock(stock_keeper, mug, "12").status_code == 302
    assert stock_of(mug) == 12
    dashboard = stock_keeper.get(reverse("wagtailadmin_home")).text
    assert STOCK in dashboard and "/admin/shop/orders/" not in dashboard


def test_setting_stock_needs_a_csrf_token(superuser, mug):
    client = Client(enforce_csrf_checks=True)
    client.force_login(superuser)

    response = set_stock(client, mug, "99")

    assert response.status_code == 403 and stock_of(mug) == 10

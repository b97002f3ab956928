"""checkout.cart.product_for_line(): the one lookup from a posted product id to a product that can be bought,
shared by the web cart and the API, which therefore refuse the same products with the same answer."""

import pytest

from django.http import Http404
from django.urls import reverse

from wagtail.models import PageViewRestriction

from checkout.cart import NO_SUCH_PRODUCT, product_for_line
from products.factories import ProductPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(product_index, site_settings):
    return ProductPageFactory(parent=product_index, title="Draft Mug", draft=True)


@pytest.fixture
def private(product_index, site_settings):
    product = ProductPageFactory(parent=product_index, title="Members' Guide")
    PageViewRestriction.objects.create(page=product, restriction_type=PageViewRestriction.PASSWORD, password="x")
    return product


def test_a_live_public_product_is_found(ebook):
    assert product_for_line(ebook.pk) == ebook


@pytest.mark.parametrize("which", ["draft", "private", "unknown"])
def test_a_draft_a_private_page_or_an_unknown_id_is_no_such_product(request, which):
    product_id = 999999 if which == "unknown" else request.getfixturevalue(which).pk

    with pytest.raises(Http404, match=NO_SUCH_PRODUCT):
        product_for_line(product_id)


def test_the_web_cart_and_the_api_both_refuse_an_unpublished_product(client, app, draft):
    web = client.post(reverse("checkout:cart_add"), {"product": draft.pk, "quantity": 1})
    api = app.post("/api/v2/cart/lines/", {"product": draft.pk}, content_type="application/json")

    assert web.status_code == 404 and "cart" not in client.session
    assert (api.status_code, api.json()) == (404, {"detail": NO_SUCH_PRODUCT})

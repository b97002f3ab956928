"""The generated catalogue behind `load_demo --products` (demo.catalogue): real, published pages in a
valid tree, found by search."""

import pytest

from wagtail.models import Page

from demo.catalogue import fill_catalogue, generated_product
from products.factories import ProductCategoryFactory, ProductPageFactory
from products.models import ProductPage
from website.factories import ImageFactory


@pytest.fixture
def stock(db):
    return {
        "images": ImageFactory.create_batch(2),
        "categories": [ProductCategoryFactory(slug="brushes-textures"), ProductCategoryFactory(slug="printables")],
    }


def test_products_are_the_same_on_every_run_and_varied():
    assert generated_product(7) == generated_product(7)
    products = [generated_product(n) for n in range(1, 61)]
    assert len({p.title for p in products}) == 60
    assert len({p.slug for p in products}) == 60
    assert {p.kind for p in products} == {"digital", "physical"}
    assert len({p.price for p in products}) > 3
    assert any(p.stock == 0 for p in products) and not all(p.on_sale for p in products)


def test_the_shop_is_filled_up_to_the_total_counting_the_products_already_there(
    client, site_settings, product_index, stock
):
    ProductPageFactory(parent=product_index, title="Hand-made")

    report = fill_catalogue(30, shop=product_index, **stock)

    assert (report.created, report.existing) == (29, 0)
    assert ProductPage.objects.live().child_of(product_index).count() == 30
    assert Page.find_problems() == ([], [], [], [], [])
    product_index.refresh_from_db()
    assert product_index.numchild == 30
    page = ProductPage.objects.get(sku=generated_product(29).sku)
    assert page.url == f"/shop/{generated_product(29).slug}/"
    assert client.get(page.url).status_code == 200
    assert [category.slug for category in page.categories.all()] == [generated_product(29).category]
    assert page.main_image in stock["images"]


def test_filling_again_adds_only_the_difference(product_index, stock):
    fill_catalogue(10, shop=product_index, **stock)

    again = fill_catalogue(10, shop=product_index, **stock)
    more = fill_catalogue(15, shop=product_index, **stock)
    fewer = fill_catalogue(5, shop=product_index, **stock)

    assert (again.created, again.existing) == (0, 10)
    assert (more.created, more.existing) == (5, 10)
    assert (fewer.created, fewer.kept) == (0, 10)
    assert ProductPage.objects.count() == 15
    assert Page.find_problems() == ([], [], [], [], [])


def test_generated_products_are_found_by_search(get_soup, site_settings, product_index, stock):
    fill_catalogue(24, shop=product_index, **stock)
    brushes = {generated_product(n).title for n in range(1, 25) if "Brush" in generated_product(n).title}

    _response, page = get_soup("/search/", data={"q": "brush"})

    found = {heading.get_text(strip=True) for heading in page.select("main ol h2")}
    assert brushes and brushes <= found

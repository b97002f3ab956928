from decimal import Decimal

import pytest

from django.urls import reverse

from products.factories import ProductCategoryFactory, ProductPageFactory
from products.models import MAX_LINE_QUANTITY, STOCK_SHOWN_UP_TO
from website.factories import ImageFactory, SiteSettingsFactory
from website.tests.html import main_text, text_of

pytestmark = pytest.mark.django_db

CART_ADD = reverse("checkout:cart_add")


def add_to_cart_forms(page_soup, product=None):
    forms = page_soup.find_all("form", action=CART_ADD)
    if product is not None:
        forms = [form for form in forms if form.find("input", attrs={"name": "product", "value": str(product.pk)})]
    return forms


def test_the_shop_lists_its_live_products_but_not_drafts(get_soup, site_settings, product_index):
    planner = ProductPageFactory(parent=product_index, title="Weekly planner", price=Decimal("19"))
    tote = ProductPageFactory(parent=product_index, title="Canvas tote", price=Decimal("24.5"), physical=True)
    ProductPageFactory(parent=product_index, title="Secret prototype", draft=True)

    _response, page = get_soup(product_index.url)

    assert text_of(page.find("h1")) == "Shop"
    links = {text_of(link): link["href"] for link in page.find_all("a") if link.get("href") in (planner.url, tote.url)}
    assert links == {"Weekly planner": planner.url, "Canvas tote": tote.url}
    text = main_text(page)
    assert "$19.00" in text
    assert "$24.50" in text
    assert "Secret prototype" not in text
    assert product_index.intro in text


def test_the_shop_lists_the_newest_products_first_and_pages_them(get_soup, site_settings, product_index):
    from datetime import timedelta

    from django.utils import timezone

    start = timezone.now() - timedelta(days=30)
    products = [
        ProductPageFactory(parent=product_index, title=f"Kit {n:02d}", first_published_at=start + timedelta(days=n))
        for n in range(13)
    ]

    _response, first = get_soup(product_index.url)
    _response, second = get_soup(product_index.url, data={"page": 2})

    def titles(page_soup):
        urls = {product.url: product.title for product in products}
        return [urls[link["href"]] for link in page_soup.find_all("a", href=True) if link["href"] in urls]

    first_titles = list(dict.fromkeys(titles(first)))
    assert first_titles == [f"Kit {n:02d}" for n in range(12, 0, -1)]
    assert list(dict.fromkeys(titles(second))) == ["Kit 00"]


def test_an_empty_shop_offers_nothing_to_buy(get_soup, site_settings, product_index):
    _response, page = get_soup(product_index.url)

    assert not add_to_cart_forms(page)
    assert "Shop" in text_of(page.find("h1"))


def test_a_product_page_shows_title_price_summary_and_sku(get_soup, site_settings, product_index):
    product = ProductPageFactory(
        parent=product_index,
        title="Weekly planner",
        price=Decimal("19"),
        sku="PLAN-WEEK-01",
        summary="A printable planner for a calmer week.",
    )

    _response, page = get_soup(product.url)

    assert text_of(page.find("h1")) == "Weekly planner"
    text = main_text(page)
    assert "$19.00" in text
    assert "A printable planner for a calmer week." in text
    assert "PLAN-WEEK-01" in text


def test_prices_are_shown_in_the_shops_currency(get_soup, site, product_index):
    SiteSettingsFactory(site=site, currency="JPY")
    product = ProductPageFactory(parent=product_index, price=Decimal("500"))

    _response, page = get_soup(product.url)

    text = main_text(page)
    assert "¥500" in text
    assert "$" not in text


def test_euro_prices_keep_their_cents(get_soup, site, product_index):
    SiteSettingsFactory(site=site, currency="EUR")
    product = ProductPageFactory(parent=product_index, price=Decimal("1234.5"))

    _response, page = get_soup(product.url)

    assert "€1,234.50" in main_text(page)


def test_an_available_digital_product_can_be_added_to_the_cart(get_soup, site_settings, product_index):
    product = ProductPageFactory(parent=product_index)

    _response, page = get_soup(product.url)

    [form] = add_to_cart_forms(page, product)
    assert form["method"].lower() == "post"
    assert form.find("input", attrs={"name": "csrfmiddlewaretoken"})
    assert form.find("button", attrs={"type": "submit"}) is not None
    assert form.find("input", attrs={"name": "quantity"}) is None


def test_a_physical_product_in_stock_asks_for_a_quantity_up_to_the_stock(get_soup, site_settings, product_index):
    product = ProductPageFactory(parent=product_index, physical=True, stock=7)

    _response, page = get_soup(product.url)

    [form] = add_to_cart_forms(page, product)
    quantity = form.find("input", attrs={"name": "quantity"})
    assert quantity["max"] == "7"
    assert "7" in main_text(page)


def test_a_well_stocked_product_says_in_stock_without_its_count(get_soup, site_settings, product_index):
    # Above STOCK_SHOWN_UP_TO no page names the count, so a sale from a full shelf changes no cached page.
    product = ProductPageFactory(parent=product_index, physical=True, stock=STOCK_SHOWN_UP_TO + 130)

    _response, page = get_soup(product.url)

    [form] = add_to_cart_forms(page, product)
    quantity = form.find("input", attrs={"name": "quantity"})
    assert quantity["max"] == str(MAX_LINE_QUANTITY)
    assert not quantity.get("aria-describedby")
    text = main_text(page)
    assert "In stock" in text
    assert str(STOCK_SHOWN_UP_TO + 130) not in text
    assert "per order" not in text


def test_a_product_at_the_shown_limit_names_its_stock(get_soup, site_settings, product_index):
    product = ProductPageFactory(parent=product_index, physical=True, stock=STOCK_SHOWN_UP_TO)

    _response, page = get_soup(product.url)

    [form] = add_to_cart_forms(page, product)
    assert form.find("input", attrs={"name": "quantity"})["max"] == str(STOCK_SHOWN_UP_TO)
    text = main_text(page)
    assert f"In stock, {STOCK_SHOWN_UP_TO} available" in text
    assert f"Up to {STOCK_SHOWN_UP_TO} per order." in text


def test_the_product_page_a_shop_card_and_an_article_teaser_post_the_same_add_to_cart_form(
    get_soup, site_settings, product_index, blog_index
):
    from blog.factories import BlogPostPageFactory

    product = ProductPageFactory(parent=product_index, title="Canvas tote", physical=True, stock=7)
    post = BlogPostPageFactory(
        parent=blog_index, body=[{"type": "product_teaser", "value": {"product": product.pk, "blurb": ""}}]
    )

    def sent_fields(url):
        _response, page = get_soup(url)
        [form] = add_to_cart_forms(page, product)
        assert form["method"].lower() == "post"
        assert form.find("input", attrs={"name": "csrfmiddlewaretoken"})
        assert form.find("input", attrs={"name": "next"})["value"] == url  # back to where the shopper was
        inputs = form.find_all("input", attrs={"name": ["product", "quantity"]})
        return {field["name"]: (field["type"], field["value"], field.get("min"), field.get("max")) for field in inputs}

    expected = {"product": ("hidden", str(product.pk), None, None), "quantity": ("number", "1", "1", "7")}
    assert sent_fields(product.url) == expected
    assert sent_fields(product_index.url) == expected
    assert sent_fields(post.url) == expected


def test_a_physical_product_with_no_stock_is_sold_out(get_soup, site_settings, product_index):
    product = ProductPageFactory(parent=product_index, physical=True, stock=0)

    _response, page = get_soup(product.url)

    assert "sold out" in main_text(page).lower()
    assert not add_to_cart_forms(page, product)


def test_a_product_taken_off_sale_stays_visible_but_cannot_be_bought(get_soup, site_settings, product_index):
    product = ProductPageFactory(parent=product_index, title="Retired kit", on_sale=False)

    _response, page = get_soup(product.url)

    text = main_text(page).lower()
    assert "retired kit" in text
    assert "not on sale" in text
    assert "sold out" not in text
    assert not add_to_cart_forms(page, product)


def test_a_draft_product_is_not_found(client, site_settings, product_index):
    product = ProductPageFactory(parent=product_index, slug="unreleased", draft=True)

    assert client.get(f"{product_index.url}unreleased/").status_code == 404
    assert product.url is None or client.get(product.url).status_code == 404


def test_the_gallery_shows_every_picture_with_its_alt_text(get_soup, site_settings, product_index):
    front = ImageFactory(title="Planner front cover")
    back = ImageFactory(title="Planner back cover")
    product = ProductPageFactory(parent=product_index, gallery=[front, back])

    _response, page = get_soup(product.url)

    alts = [img.get("alt") for img in page.find("main").find_all("img")]
    assert "Planner front cover" in alts
    assert "Planner back cover" in alts


def test_a_product_page_names_its_categories(get_soup, site_settings, product_index):
    kits = ProductCategoryFactory(name="Starter kits")
    product = ProductPageFactory(parent=product_index, categories=[kits])

    _response, page = get_soup(product.url)

    assert "Starter kits" in main_text(page)

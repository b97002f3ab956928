"""Each page type's <head>: meta tags, Open Graph, and one JSON-LD @graph that cannot be broken out of."""

import json
from datetime import date, datetime
from decimal import Decimal

import pytest

from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from wagtailseo.models import SeoSettings

from blog.factories import AuthorFactory, BlogPostPageFactory
from infopages.factories import InfoPageFactory
from products.factories import BrandFactory, ProductCategoryFactory, ProductPageFactory
from website.factories import ImageFactory, tiny_png

ATTACK = "</script><script>alert(1)</script>"
# Rich text typed in the editor is stored with its text escaped, as Draftail's converter writes it.
ATTACK_RICH_TEXT = f"<p>{escape(ATTACK)}</p>"
ROOT = "http://localhost"  # the test site's root URL (conftest's home_page)


def graph(soup):
    scripts = soup.find_all("script", type="application/ld+json")
    assert len(scripts) == 1
    data = json.loads(scripts[0].string)
    assert data["@context"] == "https://schema.org"
    return {node["@type"]: node for node in data["@graph"]}


def meta(soup, key, value):
    tag = soup.find("meta", attrs={key: value})
    return tag["content"] if tag else None


def assert_no_empty_meta(soup):
    empty = [str(tag) for tag in soup.find_all("meta") if tag.has_attr("content") and not tag["content"].strip()]
    assert empty == []


@pytest.fixture
def product(product_index, site_settings, image):
    return ProductPageFactory(
        parent=product_index, title="Field Guide", slug="field-guide", sku="FG-1", price=Decimal("8.2"), gallery=[image]
    )


def test_product_page_graph_has_store_site_breadcrumbs_and_product_offer(get_soup, product):
    _response, soup = get_soup(product.url)
    nodes = graph(soup)

    assert {"OnlineStore", "WebSite", "BreadcrumbList", "Product"} <= set(nodes)
    assert nodes["OnlineStore"]["url"] == f"{ROOT}/"
    assert [item["item"] for item in nodes["BreadcrumbList"]["itemListElement"]] == [
        f"{ROOT}/",
        f"{ROOT}/shop/",
        f"{ROOT}/shop/field-guide/",
    ]
    item = nodes["Product"]
    assert item["name"] == "Field Guide" and item["sku"] == "FG-1"
    assert item["url"] == f"{ROOT}/shop/field-guide/"
    assert item["brand"]["@type"] == "Brand"
    assert len(item["image"]) == 3 and all(url.startswith(f"{ROOT}/") for url in item["image"])
    assert item["offers"] == {
        "@type": "Offer",
        "url": f"{ROOT}/shop/field-guide/",
        "price": "8.20",
        "priceCurrency": "USD",
        "priceValidUntil": f"{timezone.localdate().year + 1}-12-31",
        "availability": "https://schema.org/InStock",
        "seller": {"@id": f"{ROOT}/#organization"},
    }


@pytest.mark.parametrize(
    ("fields", "schema_availability", "og_availability"),
    [
        ({"kind": "physical", "stock": 0}, "https://schema.org/OutOfStock", "out of stock"),
        ({"on_sale": False}, "https://schema.org/Discontinued", "discontinued"),
    ],
)
def test_product_availability_follows_stock_and_the_on_sale_switch(
    get_soup, product, fields, schema_availability, og_availability
):
    for name, value in fields.items():
        setattr(product, name, value)
    product.save_revision().publish()

    _response, soup = get_soup(product.url)

    assert graph(soup)["Product"]["offers"]["availability"] == schema_availability
    assert meta(soup, "property", "product:availability") == og_availability


def test_physical_products_state_their_condition(get_soup, product_index, site_settings):
    mug = ProductPageFactory(parent=product_index, physical=True)
    _response, soup = get_soup(mug.url)
    assert graph(soup)["Product"]["offers"]["itemCondition"] == "https://schema.org/NewCondition"


def test_product_open_graph_tags_and_social_image_rendition(get_soup, product):
    _response, soup = get_soup(product.url)

    assert meta(soup, "property", "og:type") == "product"
    assert meta(soup, "property", "product:price:amount") == "8.20"
    assert meta(soup, "property", "product:price:currency") == "USD"
    assert meta(soup, "property", "product:availability") == "in stock"
    og_image = meta(soup, "property", "og:image")
    assert og_image.startswith(f"{ROOT}/") and ".fill-1200x630" in og_image
    assert "original_images" not in og_image
    assert soup.find("link", rel="canonical")["href"] == f"{ROOT}/shop/field-guide/"
    assert_no_empty_meta(soup)


def test_blog_post_graph_has_a_blog_posting_with_author_and_iso_dates(get_soup, blog_index, site_settings, image):
    author = AuthorFactory(name="Maya", url="https://maya.example", profiles=[("url", "https://x.com/maya")])
    post = BlogPostPageFactory(
        parent=blog_index, title="Ink notes", author=author, hero_image=image, date=date(2026, 3, 14)
    )
    post.save_revision().publish()
    post.refresh_from_db()

    _response, soup = get_soup(post.url)
    posting = graph(soup)["BlogPosting"]

    assert posting["headline"] == "Ink notes"
    assert posting["datePublished"] == "2026-03-14T00:00:00+00:00"  # published later than its date
    assert posting["dateModified"] == post.last_published_at.replace(microsecond=0).isoformat()
    assert posting["author"] == {
        "@type": "Person",
        "name": "Maya",
        "url": "https://maya.example",
        "sameAs": ["https://x.com/maya"],
        "jobTitle": "Editor",
    }
    assert posting["publisher"] == {"@id": f"{ROOT}/#organization"}
    assert posting["image"][0].startswith(f"{ROOT}/")
    assert meta(soup, "property", "og:type") == "article"
    assert_no_empty_meta(soup)


def test_blog_posting_dates_carry_the_site_time_zone_offset(get_soup, blog_index, site_settings, settings):
    settings.TIME_ZONE = "America/New_York"
    dated = BlogPostPageFactory(parent=blog_index, title="Dated", date=date(2026, 3, 14))
    dated.save_revision().publish()
    today = BlogPostPageFactory(parent=blog_index, title="Today", date=timezone.localdate())
    today.save_revision().publish()
    today.refresh_from_db()

    _response, soup = get_soup(dated.url)
    assert graph(soup)["BlogPosting"]["datePublished"] == "2026-03-14T00:00:00-04:00"  # EDT from 8 March

    _response, soup = get_soup(today.url)
    posting = graph(soup)["BlogPosting"]
    went_live = timezone.localtime(today.first_published_at).replace(microsecond=0)
    assert posting["datePublished"] == went_live.isoformat()
    assert posting["datePublished"].endswith(("-05:00", "-04:00"))
    assert datetime.fromisoformat(posting["dateModified"]) == today.last_published_at.replace(microsecond=0)
    assert posting["dateModified"].endswith(("-05:00", "-04:00"))


def test_faq_blocks_add_an_faq_page_node(get_soup, home_page, site_settings):
    page = InfoPageFactory(
        parent=home_page,
        body=[
            {
                "type": "faq",
                "value": {
                    "heading": "FAQ",
                    "items": [{"question": "Refunds?", "answer": "<p>Within <b>30</b> days.</p>"}],
                },
            }
        ],
    )
    _response, soup = get_soup(page.url)
    assert graph(soup)["FAQPage"]["mainEntity"] == [
        {"@type": "Question", "name": "Refunds?", "acceptedAnswer": {"@type": "Answer", "text": "Within 30 days."}}
    ]


def test_description_falls_back_from_search_description_to_summary_to_body(get_soup, blog_index, site_settings):
    post = BlogPostPageFactory(parent=blog_index, summary="The summary.", search_description="")
    _response, soup = get_soup(post.url)
    assert meta(soup, "name", "description") == "The summary."

    post.search_description = "Chosen by marketing."
    post.save_revision().publish()
    _response, soup = get_soup(post.url)
    assert meta(soup, "name", "description") == "Chosen by marketing."

    page = InfoPageFactory(
        parent=blog_index.get_parent(), intro="", body=[{"type": "paragraph", "value": "<p>Body text.</p>"}]
    )
    _response, soup = get_soup(page.url)
    assert meta(soup, "name", "description") == "Body text."


def test_a_long_description_is_cut_after_a_whole_word_with_an_ellipsis(get_soup, blog_index, site_settings):
    summary = "Pigment inks " + "keep their colour for decades on archival paper, " * 5
    post = BlogPostPageFactory(parent=blog_index, summary=summary, search_description="")

    _response, soup = get_soup(post.url)
    description = meta(soup, "name", "description")

    assert len(description) <= 160 and description.endswith("…")
    kept = description.removesuffix("…")
    assert summary.startswith(kept) and summary[len(kept)] in " ,"  # ends on a whole word
    assert not kept.endswith((",", " "))
    assert graph(soup)["BlogPosting"]["description"] == description
    assert meta(soup, "property", "og:description") == description


def test_noindex_pages_say_so_and_others_do_not(get_soup, home_page, site_settings):
    hidden = InfoPageFactory(parent=home_page, noindex=True)
    shown = InfoPageFactory(parent=home_page)

    assert meta(get_soup(hidden.url)[1], "name", "robots") == "noindex"
    assert meta(get_soup(shown.url)[1], "name", "robots") is None


def test_every_page_type_offers_the_site_search_as_a_search_action(
    get_soup, home_page, product_index, blog_index, site_settings
):
    pages = [
        home_page,
        product_index,
        ProductPageFactory(parent=product_index),
        blog_index,
        BlogPostPageFactory(parent=blog_index),
        InfoPageFactory(parent=home_page),
    ]

    for page in pages:
        website = graph(get_soup(page.url)[1])["WebSite"]
        assert website["potentialAction"] == {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": f"{ROOT}/search/?q={{search_term_string}}"},
            "query-input": "required name=search_term_string",
        }, page


def test_script_breakout_in_title_summary_and_body_stays_inert(get_soup, product_index, site_settings, image):
    product = ProductPageFactory(
        parent=product_index,
        title=ATTACK,
        slug="attack",
        summary=ATTACK,
        gallery=[image],
        body=[
            {"type": "paragraph", "value": ATTACK_RICH_TEXT},
            {
                "type": "faq",
                "value": {"heading": ATTACK, "items": [{"question": ATTACK, "answer": ATTACK_RICH_TEXT}]},
            },
        ],
    )

    response, soup = get_soup(product.url)
    html = response.content.decode()

    assert ATTACK not in html
    assert "<script>alert(1)" not in html
    # Only the page's own scripts exist; the attack text survives as data inside the JSON-LD.
    assert sorted(script.get("src") or script.get("type") for script in soup.find_all("script")) == [
        "/static/js/site.js",
        "application/ld+json",
    ]
    nodes = graph(soup)
    assert nodes["Product"]["name"] == ATTACK
    assert nodes["FAQPage"]["mainEntity"][0]["name"] == ATTACK


def test_a_product_names_its_brand_snippet_or_else_the_store(get_soup, product_index, site_settings, image):
    maker = BrandFactory(name="Fernhill Paper Co.", url="https://fernhill.example", logo=image)
    branded = ProductPageFactory(parent=product_index, brand=maker)
    own = ProductPageFactory(parent=product_index)

    _response, soup = get_soup(branded.url)
    brand = graph(soup)["Product"]["brand"]
    assert brand["name"] == "Fernhill Paper Co." and brand["url"] == "https://fernhill.example"
    assert brand["logo"].startswith(f"{ROOT}/") and brand["logo"].endswith(".png")
    assert "By" in soup.find("h1").find_next("p").get_text() and soup.find("a", href="https://fernhill.example")

    _response, soup = get_soup(own.url)
    assert graph(soup)["Product"]["brand"] == {"@type": "Brand", "name": site_settings.brand_name}


@pytest.fixture
def shipping_settings(site_settings):
    site_settings.ships_to = "us, CA"
    site_settings.shipping_rate = Decimal("6")
    site_settings.handling_days_min, site_settings.handling_days_max = 1, 2
    site_settings.transit_days_min, site_settings.transit_days_max = 3, 7
    site_settings.return_policy = "finite"
    site_settings.return_days = 30
    site_settings.return_fees = "customer"
    site_settings.full_clean()
    site_settings.save()
    return site_settings


def test_physical_offers_carry_shipping_and_returns_from_site_settings(get_soup, product_index, shipping_settings):
    mug = ProductPageFactory(parent=product_index, physical=True)
    _response, soup = get_soup(mug.url)
    offer = graph(soup)["Product"]["offers"]

    assert offer["shippingDetails"] == {
        "@type": "OfferShippingDetails",
        "shippingRate": {"@type": "MonetaryAmount", "value": "6.00", "currency": "USD"},
        "shippingDestination": [
            {"@type": "DefinedRegion", "addressCountry": "US"},
            {"@type": "DefinedRegion", "addressCountry": "CA"},
        ],
        "deliveryTime": {
            "@type": "ShippingDeliveryTime",
            "handlingTime": {"@type": "QuantitativeValue", "minValue": 1, "maxValue": 2, "unitCode": "DAY"},
            "transitTime": {"@type": "QuantitativeValue", "minValue": 3, "maxValue": 7, "unitCode": "DAY"},
        },
    }
    assert offer["hasMerchantReturnPolicy"] == {
        "@type": "MerchantReturnPolicy",
        "applicableCountry": ["US", "CA"],
        "returnPolicyCategory": "https://schema.org/MerchantReturnFiniteReturnWindow",
        "merchantReturnDays": 30,
        "returnMethod": "https://schema.org/ReturnByMail",
        "returnFees": "https://schema.org/ReturnFeesCustomerResponsibility",
    }
    shown = " ".join(soup.find("dl").get_text().split())
    assert "$6.00 per order to US, CA, arrives in 4–9 business days" in shown
    assert "Within 30 days, you pay return postage" in shown


def test_every_offer_states_how_long_its_price_holds(get_soup, product_index, site_settings):
    for product in (ProductPageFactory(parent=product_index), ProductPageFactory(parent=product_index, physical=True)):
        _response, soup = get_soup(product.url)
        valid_until = date.fromisoformat(graph(soup)["Product"]["offers"]["priceValidUntil"])
        assert valid_until == date(timezone.localdate().year + 1, 12, 31)


def test_a_download_carries_the_return_window_but_no_parcel_terms(get_soup, product_index, shipping_settings):
    download = ProductPageFactory(parent=product_index)
    _response, soup = get_soup(download.url)
    offer = graph(soup)["Product"]["offers"]

    assert "shippingDetails" not in offer
    assert offer["hasMerchantReturnPolicy"] == {
        "@type": "MerchantReturnPolicy",
        "applicableCountry": ["US", "CA"],
        "returnPolicyCategory": "https://schema.org/MerchantReturnFiniteReturnWindow",
        "merchantReturnDays": 30,
    }


def test_stores_without_policies_state_neither(get_soup, product_index, shipping_settings):
    shipping_settings.shipping_rate = None
    shipping_settings.return_policy = ""
    shipping_settings.save()
    for product in (ProductPageFactory(parent=product_index), ProductPageFactory(parent=product_index, physical=True)):
        _response, soup = get_soup(product.url)
        assert not {"shippingDetails", "hasMerchantReturnPolicy"} & set(graph(soup)["Product"]["offers"])
        assert soup.find("dl") is None


def test_a_no_returns_policy_states_no_window_method_or_fees(get_soup, product_index, shipping_settings):
    shipping_settings.return_policy = "none"
    shipping_settings.save()
    mug = ProductPageFactory(parent=product_index, physical=True)
    _response, soup = get_soup(mug.url)
    assert graph(soup)["Product"]["offers"]["hasMerchantReturnPolicy"] == {
        "@type": "MerchantReturnPolicy",
        "applicableCountry": ["US", "CA"],
        "returnPolicyCategory": "https://schema.org/MerchantReturnNotPermitted",
    }


def test_listing_and_info_pages_share_the_site_default_image_then_the_logo(
    get_soup, product_index, blog_index, home_page, site_settings, image
):
    info = InfoPageFactory(parent=home_page, title="About us")
    category = ProductCategoryFactory(name="Kits", slug="kits")
    ProductPageFactory(parent=product_index, title="Kit", categories=[category])
    pages = [product_index.url, f"{product_index.url}category/kits/", blog_index.url, info.url]
    for url in pages:
        _response, soup = get_soup(url)
        assert meta(soup, "property", "og:image") is None  # no image of their own, no site default, no logo
        assert meta(soup, "name", "twitter:card") == "summary"

    site_settings.logo = ImageFactory(title="Logo", file=tiny_png("logo.png", size=(80, 40)))
    site_settings.save()
    for url in pages:
        _response, soup = get_soup(url)
        og_image = meta(soup, "property", "og:image")
        assert og_image.startswith(f"{ROOT}/") and ".max-1200x630.format-png" in og_image, url
        # The logo whole, at its own size: a 1200x630 crop would cut it.
        assert (meta(soup, "property", "og:image:width"), meta(soup, "property", "og:image:height")) == ("80", "40")
        assert meta(soup, "name", "twitter:image") == og_image
        assert meta(soup, "name", "twitter:card") == "summary"
        assert_no_empty_meta(soup)

    SeoSettings.objects.update_or_create(site=site_settings.site, defaults={"og_image_default": image})
    for url in pages:
        _response, soup = get_soup(url)
        assert ".fill-1200x630" in meta(soup, "property", "og:image"), url
        assert meta(soup, "name", "twitter:card") == "summary_large_image"


def test_a_page_view_reads_the_seo_default_without_creating_the_settings_or_emptying_the_page_cache(
    client, site_settings, blog_index, settings
):
    settings.PAGE_CACHE_SECONDS = 600
    client.get(reverse("search"), {"q": "brush"})  # stored in the page cache
    assert not SeoSettings.objects.exists()

    client.get(blog_index.url)  # no picture of its own: asks for the site default

    assert not SeoSettings.objects.exists()
    assert client.get(reverse("search"), {"q": "brush"})["X-Page-Cache"] == "hit"


def test_a_description_from_a_field_leaves_the_body_unbuilt(blog_index, product_index, django_assert_num_queries):
    """Every page's head reads its description: with a summary it must not build the body's blocks (a teaser's
    product, a picture) or strip each paragraph's tags to get there."""
    product = ProductPageFactory(parent=product_index)
    body = [
        {"type": "product_teaser", "value": {"product": product.pk, "blurb": ""}},
        {"type": "paragraph", "value": "<p>Body text.</p>"},
    ]
    post = BlogPostPageFactory(parent=blog_index, summary="The summary.", search_description="", body=body)
    post = type(post).objects.get(pk=post.pk)

    with django_assert_num_queries(0):
        assert post.seo_description == "The summary."
    post.summary = ""
    with django_assert_num_queries(1):  # now the body is read: the teaser's product comes with it
        assert post.seo_description == "Body text."

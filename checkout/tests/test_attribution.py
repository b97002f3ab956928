"""Which page and block sold a line: the buy forms name them, the cart keeps them, the order line and Stripe's
metadata carry them; the visit's first and last touch ride along in the session. (checkout/attribution.py)"""

import json
from decimal import Decimal

import pytest

from django.urls import reverse
from django.utils import timezone

from blog.factories import BlogPostPageFactory
from checkout import attribution
from checkout.admin import attribution_report
from checkout.models import Order, OrderLine, SavedCart
from checkout.payments import limits
from checkout.payments.gateway import attribution_metadata, split_metadata
from products.factories import ProductPageFactory
from tests.fake_stripe import limits as stripe_limits
from website.page_cache import page_cache

from .shopping import deliver, refund

ADD = reverse("checkout:cart_add")


@pytest.fixture
def tote(product_index):
    return ProductPageFactory(parent=product_index, title="Canvas tote", sku="TOTE-1", physical=True, stock=9)


@pytest.fixture
def post(blog_index, tote):
    """A journal post selling the tote twice: a teaser, then a grid that picks it too."""
    return BlogPostPageFactory(
        parent=blog_index,
        title="Packing for a weekend",
        body=[
            {"type": "product_teaser", "value": {"product": tote.pk, "blurb": ""}},
            {"type": "product_grid", "value": {"heading": "More", "products": [tote.pk], "limit": 4}},
        ],
    )


def buy_form(get_soup, url, product):
    _response, soup = get_soup(url)
    forms = [
        form
        for form in soup.find_all("form", attrs={"action": ADD})
        if form.find("input", attrs={"name": "product", "value": str(product.pk)})
    ]
    return [
        {field["name"]: field["value"] for field in form.find_all("input", attrs={"type": "hidden"})} for form in forms
    ]


def cart_sources(client):
    return client.session.get(attribution.SOURCES_KEY)


def touch(**fields):
    return json.dumps(fields)


# -- the forms --------------------------------------------------------------------------------------------


def test_an_article_names_itself_and_each_block_around_a_buy_button(get_soup, site_settings, post, tote):
    teaser, grid = buy_form(get_soup, post.url, tote)

    assert teaser["source_page"] == grid["source_page"] == str(post.pk)
    assert [teaser["source_block"], grid["source_block"]] == [post.body[0].id, post.body[1].id]


def test_the_product_pages_own_buy_box_names_the_product_page_and_no_block(get_soup, site_settings, tote):
    [box] = buy_form(get_soup, tote.url, tote)

    assert box["source_page"] == str(tote.pk)
    assert "source_block" not in box


def test_buy_forms_are_the_same_for_every_visitor_so_the_page_cache_still_stores_them(
    client, site_settings, post, tote, settings
):
    settings.PAGE_CACHE_SECONDS = 600
    page_cache().clear()
    first = client.get(post.url)
    again = client.get(post.url)

    assert again["X-Page-Cache"] == "hit"
    assert set(first.cookies) <= {settings.CSRF_COOKIE_NAME}
    page_cache().clear()


# -- the cart ---------------------------------------------------------------------------------------------


def test_the_click_that_first_added_a_product_keeps_the_line(client, site_settings, post, tote):
    client.post(ADD, {"product": tote.pk, "source_page": post.pk, "source_block": post.body[1].id})
    client.post(ADD, {"product": tote.pk, "source_page": tote.pk})  # more of it, from its own page

    assert cart_sources(client) == {str(tote.pk): {"page": post.pk, "block": post.body[1].id}}
    assert client.session["cart"] == {str(tote.pk): 2}


@pytest.mark.parametrize(
    "sent",
    [
        {"source_page": "abc", "source_block": "x"},
        {"source_page": "-4"},
        {"source_page": " 7"},
        {"source_page": "1_0"},
        {"source_page": "99999999999999999999"},
        {"source_page": str(2**31)},
        {"source_page": "٣"},
    ],
)
def test_a_malformed_source_is_dropped_and_the_product_still_added(client, site_settings, tote, sent):
    response = client.post(ADD, {"product": tote.pk, **sent})

    assert response.status_code == 302
    assert client.session["cart"] == {str(tote.pk): 1}
    assert cart_sources(client) == {}


def test_a_block_id_that_is_no_uuid_is_dropped_and_the_page_kept(client, site_settings, post, tote):
    client.post(ADD, {"product": tote.pk, "source_page": post.pk, "source_block": "<script>" * 20})

    assert cart_sources(client) == {str(tote.pk): {"page": post.pk, "block": ""}}


def test_the_visit_keeps_its_first_touch_and_its_latest_one(client, site_settings, tote, product_index):
    other = ProductPageFactory(parent=product_index, sku="OTHER-1")
    first = touch(landing="/journal/packing/", utm_source="newsletter", utm_medium="email", utm_campaign="spring")
    client.post(ADD, {"product": tote.pk, "touch_first": first, "touch_last": first})
    later = touch(landing="/shop/", utm_source="ig", utm_campaign="x" * 500, utm_medium="\x00social\n")
    client.post(ADD, {"product": other.pk, "touch_first": later, "touch_last": later})

    touches = client.session[attribution.TOUCHES_KEY]
    assert touches["first"] == json.loads(first)
    assert touches["last"] == {
        "landing": "/shop/",
        "utm_source": "ig",
        "utm_medium": "social",
        "utm_campaign": "x" * attribution.UTM_MAX_LENGTH,
    }


@pytest.mark.parametrize(
    "raw",
    ["not json", "[1, 2]", touch(landing="https://evil.example/"), touch(landing="//evil.example/"), "{" * 5000],
)
def test_a_touch_that_makes_no_sense_is_not_kept(client, site_settings, tote, raw):
    response = client.post(ADD, {"product": tote.pk, "touch_first": raw, "touch_last": raw})

    assert response.status_code == 302
    assert client.session.get(attribution.TOUCHES_KEY) is None


def test_carts_merged_at_login_keep_where_each_line_came_from(client, site_settings, post, tote, django_user_model):
    shopper = django_user_model.objects.create_user(email="shopper@example.com", password="a-long-password-1")
    saved = ProductPageFactory(parent=tote.get_parent(), sku="SAVED-1")
    SavedCart.objects.create(user=shopper, items={str(saved.pk): 1}, sources={str(saved.pk): {"page": saved.pk}})
    client.post(ADD, {"product": tote.pk, "source_page": post.pk, "source_block": post.body[0].id})

    client.force_login(shopper)

    expected = {str(saved.pk): {"page": saved.pk}, str(tote.pk): {"page": post.pk, "block": post.body[0].id}}
    assert cart_sources(client) == expected
    assert SavedCart.objects.get(user=shopper).sources == expected


# -- the order and Stripe ---------------------------------------------------------------------------------


def checkout(client, fake, email="buyer@example.com"):
    response = client.post(reverse("checkout:start"), {"email": email})
    assert response.status_code == 303, response.content[:500]
    order = Order.objects.get(email=email, status=Order.Status.PENDING)
    session = fake.complete_session(order.payment_session_id)
    assert deliver(fake, fake.event("checkout.session.completed", session)).json()["outcome"] == "fulfilled"
    order.refresh_from_db()
    return order, session


def test_an_order_line_keeps_the_article_block_and_visit_and_stripe_is_told(
    client, site_settings, fake_stripe, post, tote
):
    visit = touch(landing="/journal/packing-for-a-weekend/", utm_source="newsletter", utm_campaign="spring")
    block = post.body[0].id
    client.post(ADD, {"product": tote.pk, "source_page": post.pk, "source_block": block, "touch_last": visit})

    order, session = checkout(client, fake_stripe)

    [line] = order.lines.all()
    assert (line.source_page, line.source_title, line.source_url, line.source_block) == (
        post.pk,
        "Packing for a weekend",
        post.url,
        block,
    )
    assert order.touches == {"last": json.loads(visit)}
    assert session["metadata"]["src"] == f"{line.pk}:{post.pk}:{block.replace('-', '')}"
    assert session["metadata"]["last"] == "newsletter||spring|/journal/packing-for-a-weekend/"


def test_without_cookies_or_storage_the_line_still_knows_its_page_and_block(
    client, site_settings, fake_stripe, post, tote
):
    client.post(ADD, {"product": tote.pk, "source_page": post.pk, "source_block": post.body[1].id})

    order, session = checkout(client, fake_stripe)

    assert order.touches == {}
    assert order.lines.get().source_block == post.body[1].id
    assert set(session["metadata"]) == {"order", "revision", "src"}


def test_a_page_deleted_before_checkout_is_dropped_from_the_line(client, site_settings, fake_stripe, post, tote):
    client.post(ADD, {"product": tote.pk, "source_page": post.pk})
    post.delete()

    order, _session = checkout(client, fake_stripe)

    line = order.lines.get()
    assert (line.source_page, line.source_title, line.source_block) == (None, "", "")


def test_a_full_order_of_attributed_lines_fits_stripes_metadata_limits():
    longest = {"landing": "/" + "l" * 299, **dict.fromkeys(attribution.UTM_FIELDS, "u" * 100)}
    block = "ffffffff-ffff-ffff-ffff-ffffffffffff"
    lines = [
        OrderLine(pk=2**31 - 1 - n, source_page=2**31 - 1, source_block=block) for n in range(limits.MAX_LINE_ITEMS)
    ]

    metadata = {
        "order": "ABCD2345",
        "revision": "99",
        **attribution_metadata(lines, {"first": longest, "last": longest}),
    }

    assert stripe_limits.metadata_problem(metadata) == ""
    assert limits.metadata_problem(metadata) == ""
    entries = ",".join(value for key, value in metadata.items() if key.startswith("src")).split(",")
    assert len(entries) == limits.MAX_LINE_ITEMS  # every line, none cut in two
    assert metadata["first"].startswith("|".join(["u" * 100] * 3) + "|/lll")


def test_metadata_is_split_without_cutting_an_entry():
    entries = [f"{n:09d}" for n in range(120)]

    split = split_metadata("src", entries)

    assert all(len(value) <= limits.METADATA_MAX_VALUE_LENGTH for value in split.values())
    assert list(split) == ["src", "src_2", "src_3"]
    assert ",".join(split.values()).split(",") == entries


def test_the_fake_stripe_and_the_shop_refuse_what_stripes_metadata_docs_refuse():
    # docs.stripe.com/metadata: 50 keys, keys up to 40 characters without square brackets, values up to 500.
    refused = [
        {f"k{n}": "v" for n in range(51)},
        {"k" * 41: "v"},
        {"src[1]": "v"},
        {"src": "v" * 501},
    ]
    for metadata in refused:
        assert stripe_limits.metadata_problem(metadata)
        assert limits.metadata_problem(metadata)
    fits = {**{f"k{n:02d}": "v" * 500 for n in range(49)}, "k" * 40: "v"}
    assert stripe_limits.metadata_problem(fits) == limits.metadata_problem(fits) == ""


# -- refunds, through Stripe's events ---------------------------------------------------------------------


def test_a_partly_refunded_order_takes_its_refund_off_the_page_that_sold_the_line(
    client, site_settings, fake_stripe, post, tote, product_index
):
    ebook = ProductPageFactory(parent=product_index, title="Field Guide", sku="EBOOK-9", price=Decimal("8.00"))
    client.post(ADD, {"product": tote.pk, "source_page": post.pk, "source_block": post.body[0].id})
    client.post(ADD, {"product": ebook.pk, "source_page": ebook.pk})
    order, _session = checkout(client, fake_stripe)
    tote_line = order.lines.get(product=tote)
    today = timezone.localdate()

    refund(fake_stripe, order, int(tote_line.line_total * 100), lines=[tote_line])

    rows = {row["page_id"]: row for row in attribution_report.table(today, today, by="page")}
    assert (rows[post.pk]["revenue"], rows[post.pk]["refunds"], rows[post.pk]["net"]) == (
        tote_line.line_total,
        tote_line.line_total,
        Decimal("0.00"),
    )
    assert (rows[ebook.pk]["refunds"], rows[ebook.pk]["net"]) == (Decimal("0.00"), Decimal("8.00"))


def test_a_refund_naming_no_lines_is_shared_by_value_once(
    client, site_settings, fake_stripe, post, tote, product_index
):
    ebook = ProductPageFactory(parent=product_index, title="Field Guide", sku="EBOOK-9", price=tote.price)
    client.post(ADD, {"product": tote.pk, "source_page": post.pk})
    client.post(ADD, {"product": ebook.pk, "source_page": ebook.pk})
    order, _session = checkout(client, fake_stripe)
    today = timezone.localdate()

    refund(fake_stripe, order, 400)  # 4.00 back, from Stripe's dashboard say: no lines named

    rows = {row["page_id"]: row for row in attribution_report.table(today, today, by="page")}
    assert rows[post.pk]["refunds"] == rows[ebook.pk]["refunds"] == Decimal("2.00")

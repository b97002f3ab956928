"""Every block of the shared body library renders what an editor put in, and shows a preview in the picker."""

from datetime import timedelta
from decimal import Decimal

import pytest

from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone

from wagtail import blocks as wagtail_blocks

from infopages.factories import InfoPageFactory
from infopages.models import InfoPage
from products.blocks import BodyBlock
from products.factories import ProductCategoryFactory, ProductPageFactory
from products.models import ProductPage
from website.blocks import LinkBlock, video_embed_url
from website.factories import ImageFactory
from website.tests.html import main_text, soup, text_of

BODY = InfoPage._meta.get_field("body").stream_block
CART_ADD = reverse("checkout:cart_add")


def render(block_type, raw_value):
    block = BODY.child_blocks[block_type]
    return soup(block.render(block.to_python(raw_value)))


def page_with_body(parent, *blocks):
    """An info page whose body is the given (type, raw value) blocks, rendered as a visitor sees it."""
    return InfoPageFactory(parent=parent, body=[{"type": kind, "value": value} for kind, value in blocks])


# Heading, paragraph, quote


@pytest.mark.parametrize("level", ["h2", "h3", "h4"])
def test_a_heading_renders_at_its_level_with_a_link_anchor(level):
    html = render("heading", {"text": "Why makers love it", "level": level})

    heading = html.find(level)
    assert text_of(heading) == "Why makers love it"
    assert heading["id"] == "why-makers-love-it"


def test_a_heading_anchor_is_safe_for_a_url_fragment():
    html = render("heading", {"text": "Sizes & fit: what’s right?", "level": "h2"})

    assert html.find("h2")["id"] == "sizes-fit-whats-right"


@pytest.mark.django_db
def test_a_paragraph_renders_its_rich_text_and_resolves_page_links(home_page):
    about = InfoPageFactory(parent=home_page, title="About", slug="about")

    html = render(
        "paragraph",
        f'<p>Read <a linktype="page" id="{about.pk}">our story</a>, <b>bold</b> and <i>italic</i>.</p>'
        "<ul><li>One</li><li>Two</li></ul>",
    )

    assert html.find("a", string="our story")["href"] == about.url
    assert html.find("b", string="bold") is not None
    assert html.find("i", string="italic") is not None
    assert [text_of(item) for item in html.find_all("li")] == ["One", "Two"]


def test_a_quote_shows_its_words_and_who_said_them():
    html = render("quote", {"quote": "Paid for itself\nin a week.", "attribution": "Sam Rivera", "role": "Illustrator"})

    assert "Paid for itself" in text_of(html.find("blockquote"))
    assert "in a week." in text_of(html.find("blockquote"))
    text = text_of(html)
    assert "Sam Rivera" in text
    assert "Illustrator" in text


def test_a_quote_without_attribution_renders_just_the_quote():
    html = render("quote", {"quote": "Simply lovely.", "attribution": "", "role": ""})

    assert text_of(html) == "Simply lovely."


def test_quotes_are_escaped():
    html = render("quote", {"quote": "<script>alert(1)</script>", "attribution": "<b>Eve</b>", "role": ""})

    assert html.find("script") is None
    assert html.find("b") is None
    assert "<script>alert(1)</script>" in text_of(html)


# Figure


@pytest.mark.django_db
def test_a_figure_renders_the_image_with_its_alt_text_and_caption():
    image = ImageFactory(title="File title nobody should read")

    html = render(
        "image",
        {
            "image": {"image": image.pk, "alt_text": "A planner open on a desk", "decorative": False},
            "caption": "The weekly spread.",
            "width": "content",
        },
    )

    img = html.find("figure").find("img")
    assert img["alt"] == "A planner open on a desk"
    assert img["src"]
    assert text_of(html.find("figcaption")) == "The weekly spread."


@pytest.mark.django_db
def test_a_decorative_figure_has_an_empty_alt():
    image = ImageFactory(title="Texture")

    html = render(
        "image",
        {"image": {"image": image.pk, "alt_text": "", "decorative": True}, "caption": "", "width": "wide"},
    )

    img = html.find("img")
    assert img.has_attr("alt")
    assert img["alt"] == ""
    assert html.find("figcaption") is None


@pytest.mark.django_db
def test_a_figure_offers_modern_formats():
    image = ImageFactory()

    html = render(
        "image",
        {"image": {"image": image.pk, "alt_text": "Swatch", "decorative": False}, "caption": "", "width": "content"},
    )

    source_types = {source.get("type") for source in html.find_all("source")}
    assert {"image/avif", "image/webp"} <= source_types


# Call to action and links


@pytest.mark.django_db
def test_a_call_to_action_button_links_to_the_chosen_page(home_page):
    shop = InfoPageFactory(parent=home_page, title="Shop", slug="shop")

    html = render(
        "call_to_action",
        {
            "heading": "Ready to start?",
            "text": "Pick a kit.",
            "button": {"label": "Browse kits", "page": shop.pk, "url": ""},
            "style": "brand",
        },
    )

    assert "Ready to start?" in text_of(html)
    assert "Pick a kit." in text_of(html)
    button = html.find("a", href="/shop/")
    assert text_of(button) == "Browse kits"


@pytest.mark.parametrize("style", ["brand", "subtle"])
def test_a_call_to_action_button_links_to_a_url(style):
    html = render(
        "call_to_action",
        {
            "heading": "Join the newsletter",
            "text": "",
            "button": {"label": "Sign up", "page": None, "url": "https://example.com/newsletter/"},
            "style": style,
        },
    )

    assert text_of(html.find("a", href="https://example.com/newsletter/")) == "Sign up"
    assert text_of(html.find(["h2", "h3"])) == "Join the newsletter"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("button", "valid"),
    [
        ({"label": "Go", "page": None, "url": "https://example.com/"}, True),
        ({"label": "Go", "page": "PAGE", "url": ""}, True),
        ({"label": "Go", "page": None, "url": ""}, False),
        ({"label": "Go", "page": "PAGE", "url": "https://example.com/"}, False),
    ],
)
def test_a_link_needs_exactly_one_of_page_or_url(home_page, button, valid):
    link = LinkBlock()
    if button["page"] == "PAGE":
        button = {**button, "page": home_page.pk}
    value = link.to_python(button)

    if valid:
        assert link.clean(value)["label"] == "Go"
    else:
        with pytest.raises(wagtail_blocks.StructBlockValidationError) as error:
            link.clean(value)
        assert "url" in error.value.block_errors


# Products inside content


@pytest.mark.django_db
def test_a_product_teaser_shows_the_live_price_and_an_add_to_cart_form(get_soup, site_settings, product_index):
    product = ProductPageFactory(
        parent=product_index, title="Weekly planner", price=Decimal("19"), summary="Plan a calmer week."
    )
    article = page_with_body(product_index.get_parent(), ("product_teaser", {"product": product.pk, "blurb": ""}))

    ProductPage.objects.filter(pk=product.pk).update(price=Decimal("24"))
    _response, html = get_soup(article.url)

    text = main_text(html)
    assert "Weekly planner" in text
    assert "Plan a calmer week." in text
    assert "$24.00" in text
    assert "$19.00" not in text
    assert html.find("main").find("a", href=product.url) is not None
    [form] = html.find_all("form", action=CART_ADD)
    assert form.find("input", attrs={"name": "product"})["value"] == str(product.pk)


@pytest.mark.django_db
def test_a_product_teaser_prefers_the_editors_blurb(get_soup, site_settings, product_index):
    product = ProductPageFactory(parent=product_index, summary="The catalogue summary.")
    article = page_with_body(
        product_index.get_parent(), ("product_teaser", {"product": product.pk, "blurb": "Perfect for this recipe."})
    )

    _response, html = get_soup(article.url)

    assert "Perfect for this recipe." in main_text(html)
    assert "The catalogue summary." not in main_text(html)


@pytest.mark.django_db
def test_a_teaser_for_a_sold_out_product_offers_no_cart_button(get_soup, site_settings, product_index):
    product = ProductPageFactory(parent=product_index, physical=True, stock=0)
    article = page_with_body(product_index.get_parent(), ("product_teaser", {"product": product.pk, "blurb": ""}))

    _response, html = get_soup(article.url)

    assert "sold out" in main_text(html).lower()
    assert not html.find_all("form", action=CART_ADD)


@pytest.mark.django_db
def test_a_teaser_for_an_unpublished_product_shows_nothing(get_soup, site_settings, product_index):
    product = ProductPageFactory(parent=product_index, title="Withdrawn kit")
    article = page_with_body(product_index.get_parent(), ("product_teaser", {"product": product.pk, "blurb": ""}))
    product.unpublish()

    _response, html = get_soup(article.url)

    assert "Withdrawn kit" not in main_text(html)
    assert not html.find_all("form", action=CART_ADD)


def grid_titles(html, products):
    urls = {product.url: product.title for product in products}
    linked = [urls[link["href"]] for link in html.find("main").find_all("a", href=True) if link["href"] in urls]
    return list(dict.fromkeys(linked))


@pytest.mark.django_db
def test_a_product_grid_shows_the_chosen_products_in_the_editors_order(get_soup, site_settings, product_index):
    first, second, third = (ProductPageFactory(parent=product_index, title=title) for title in ("A", "B", "C"))
    draft = ProductPageFactory(parent=product_index, title="Draft", draft=True)
    article = page_with_body(
        product_index.get_parent(),
        (
            "product_grid",
            {"heading": "Staff picks", "products": [third.pk, draft.pk, first.pk], "category": None, "limit": 4},
        ),
    )

    _response, html = get_soup(article.url)

    assert "Staff picks" in main_text(html)
    assert grid_titles(html, [first, second, third, draft]) == ["C", "A"]
    assert len(html.find_all("form", action=CART_ADD)) == 2


@pytest.mark.django_db
def test_an_empty_product_grid_shows_the_newest_products_up_to_its_limit(get_soup, site_settings, product_index):
    now = timezone.now()
    products = [
        ProductPageFactory(parent=product_index, title=f"Kit {n}", first_published_at=now - timedelta(days=10 - n))
        for n in range(5)
    ]
    article = page_with_body(
        product_index.get_parent(),
        ("product_grid", {"heading": "New in", "products": [], "category": None, "limit": 3}),
    )

    _response, html = get_soup(article.url)

    assert grid_titles(html, products) == ["Kit 4", "Kit 3", "Kit 2"]


@pytest.mark.django_db
def test_a_product_grid_can_show_the_newest_of_one_category(get_soup, site_settings, product_index):
    kits = ProductCategoryFactory(name="Kits")
    now = timezone.now()
    in_category = ProductPageFactory(parent=product_index, title="Kit", categories=[kits], first_published_at=now)
    elsewhere = ProductPageFactory(parent=product_index, title="Poster", first_published_at=now + timedelta(hours=1))
    article = page_with_body(
        product_index.get_parent(),
        ("product_grid", {"heading": "", "products": [], "category": kits.pk, "limit": 4}),
    )

    _response, html = get_soup(article.url)

    assert grid_titles(html, [in_category, elsewhere]) == ["Kit"]


# FAQ, video, table


def test_a_faq_lists_every_question_with_its_answer():
    html = render(
        "faq",
        {
            "heading": "Good to know",
            "items": [
                {"question": "When do I get my files?", "answer": "<p>Straight after <b>payment</b>.</p>"},
                {"question": "Can I get a refund?", "answer": "<p>Yes, within 30 days.</p>"},
            ],
        },
    )

    text = text_of(html)
    assert "Good to know" in text
    assert text.index("When do I get my files?") < text.index("Straight after payment.")
    assert text.index("Straight after payment.") < text.index("Can I get a refund?")
    assert "Yes, within 30 days." in text
    assert html.find("b", string="payment") is not None


def test_a_faq_needs_at_least_one_question():
    faq = BODY.child_blocks["faq"]

    with pytest.raises(wagtail_blocks.StructBlockValidationError) as error:
        faq.clean(faq.to_python({"heading": "FAQ", "items": []}))

    assert "items" in error.value.block_errors


@pytest.mark.parametrize(
    ("url", "player"),
    [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://youtube.com/watch?v=dQw4w9WgXcQ&t=42s", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://m.youtube.com/watch?v=dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://youtu.be/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://www.youtube.com/shorts/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://www.youtube.com/embed/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871?dnt=1"),
        ("https://player.vimeo.com/video/76979871", "https://player.vimeo.com/video/76979871?dnt=1"),
    ],
)
def test_video_links_become_privacy_friendly_players(url, player):
    assert video_embed_url(url) == player


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/video.mp4",
        "https://www.youtube.com/watch?v=tooshort",
        "https://www.youtube.com/channel/UCabcdefghijk",
        "https://youtu.be/",
        "https://vimeo.com/channels/staffpicks",
        "https://evil.example/www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
        "javascript:alert(1)",
        "",
    ],
)
def test_other_links_are_not_embedded(url):
    assert video_embed_url(url) is None


def test_a_video_block_refuses_a_link_that_is_not_youtube_or_vimeo():
    video = BODY.child_blocks["video"]

    with pytest.raises(wagtail_blocks.StructBlockValidationError) as error:
        video.clean(video.to_python({"url": "https://example.com/clip.mp4", "title": "Clip", "caption": ""}))

    assert "url" in error.value.block_errors


def test_a_video_block_accepts_a_youtube_link():
    video = BODY.child_blocks["video"]

    value = video.clean(video.to_python({"url": "https://youtu.be/dQw4w9WgXcQ", "title": "Walkthrough", "caption": ""}))

    assert value.embed_url == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"


def _elements_pointing_at(html, url):
    return [tag for tag in html.find_all(True) if url in tag.attrs.values()]


@pytest.mark.parametrize(
    ("url", "player"),
    [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871?dnt=1"),
    ],
)
def test_a_video_renders_the_cookieless_player_and_never_the_tracking_one(url, player):
    html = render("video", {"url": url, "title": "A short walkthrough", "caption": "Two minutes, no sound."})

    assert _elements_pointing_at(html, player), "the privacy-friendly player URL is not in the markup"
    for frame in html.find_all("iframe"):
        assert frame["src"] == player
        assert frame.get("title") == "A short walkthrough"
    assert "A short walkthrough" in text_of(html)
    assert "Two minutes, no sound." in text_of(html)
    assert html.find("script", src=True) is None
    assert "www.youtube.com/embed" not in str(html)


def test_a_table_renders_its_caption_header_and_rows():
    html = render(
        "table",
        {
            "first_row_is_table_header": True,
            "first_col_is_header": False,
            "table_caption": "What is in each edition",
            "data": [["Edition", "Files", "Price"], ["Basic", "12", "$19"], ["Pro", "40", "$49"]],
        },
    )

    table = html.find("table")
    assert text_of(table.find("caption")) == "What is in each edition"
    assert [text_of(cell) for cell in table.find("thead").find_all("th")] == ["Edition", "Files", "Price"]
    rows = [[text_of(cell) for cell in row.find_all(["td", "th"])] for row in table.find("tbody").find_all("tr")]
    assert rows == [["Basic", "12", "$19"], ["Pro", "40", "$49"]]


def test_a_table_can_head_its_rows_instead():
    html = render(
        "table",
        {
            "first_row_is_table_header": False,
            "first_col_is_header": True,
            "table_caption": "",
            "data": [["Weight", "120 g"], ["Size", "A5"]],
        },
    )

    table = html.find("table")
    assert table.find("thead") is None
    assert [text_of(cell) for cell in table.find_all("th")] == ["Weight", "Size"]
    assert [text_of(cell) for cell in table.find_all("td")] == ["120 g", "A5"]


# The editor's block picker


BLOCK_TYPES = list(BodyBlock.base_blocks)


def test_the_body_offers_the_whole_block_library():
    assert BLOCK_TYPES == [
        "heading",
        "paragraph",
        "image",
        "quote",
        "call_to_action",
        "product_teaser",
        "product_grid",
        "faq",
        "video",
        "table",
    ]


@pytest.mark.parametrize("block_type", BLOCK_TYPES)
def test_every_block_names_an_icon_a_template_and_a_description(block_type):
    block = BODY.child_blocks[block_type]

    assert block.meta.icon not in (None, "", "placeholder")
    assert block.meta.template == f"components/streamfield/blocks/{block_type.replace('image', 'figure')}_block.html"
    get_template(block.meta.template)
    assert len(block.get_description()) > 10


@pytest.fixture
def preview_content(db, product_index):
    """What the dynamic preview values need: an image and a live product."""
    ImageFactory(title="Sample picture")
    return ProductPageFactory(parent=product_index, title="Sample product")


@pytest.mark.parametrize("block_type", BLOCK_TYPES)
def test_every_block_has_a_preview_value(preview_content, block_type):
    assert BODY.child_blocks[block_type].get_preview_value() is not None


def test_the_block_picker_shows_a_preview_of_every_block(preview_content):
    # Wagtail only offers previews when the block names a preview_template or the project overrides
    # the global templates/wagtailcore/shared/block_preview.html (so previews carry the site's CSS).
    not_previewable = [block_type for block_type in BLOCK_TYPES if not BODY.child_blocks[block_type].is_previewable]

    assert not_previewable == []


@pytest.mark.parametrize("block_type", BLOCK_TYPES)
def test_every_block_preview_renders_in_the_editor(editor_client, site_settings, preview_content, block_type):
    block = BODY.child_blocks[block_type]

    response = editor_client.get(reverse("wagtailadmin_block_preview"), {"id": block.definition_prefix})

    assert response.status_code == 200
    body = soup(response).find("body") or soup(response)
    assert text_of(body) or body.find("img") is not None

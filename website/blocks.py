"""The one StreamField block library every page body is built from.

Each block names an icon, a template, a description and a preview value, so the editor's block
picker shows what the block looks like before it is inserted.
"""

import re
from urllib.parse import parse_qs, urlparse

from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from django.utils.text import slugify

from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock as WagtailTableBlock
from wagtail.images.blocks import ImageBlock
from wagtail.snippets.blocks import SnippetChooserBlock

BLOCK_TEMPLATES = "components/streamfield/blocks"

RICH_TEXT_FEATURES = ["h3", "h4", "bold", "italic", "link", "document-link", "ol", "ul", "hr", "code"]


def _first(model_path, **filters):
    """The first object of a model, for preview values that need something real to show."""
    from django.apps import apps

    return apps.get_model(model_path).objects.filter(**filters).order_by("pk").first()


def _first_product():
    from products.models import ProductPage

    return ProductPage.objects.live().public().order_by("pk").first()


class LinkStructValue(blocks.StructValue):
    @property
    def href(self):
        page = self.get("page")
        return page.url if page else self.get("url")


class LinkBlock(blocks.StructBlock):
    """A labelled link to a page of the site or to any URL."""

    label = blocks.CharBlock(max_length=60)
    page = blocks.PageChooserBlock(required=False)
    url = blocks.URLBlock(required=False, help_text="Used when no page is chosen.")

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            raise blocks.StructBlockValidationError(
                block_errors={"url": ErrorList([ValidationError("Choose a page or enter a URL, not both.")])}
            )
        return value

    class Meta:
        icon = "link"
        value_class = LinkStructValue


class SocialLinkBlock(blocks.StructBlock):
    network = blocks.ChoiceBlock(
        choices=[
            ("instagram", "Instagram"),
            ("youtube", "YouTube"),
            ("x", "X"),
            ("facebook", "Facebook"),
            ("linkedin", "LinkedIn"),
            ("mastodon", "Mastodon"),
            ("bluesky", "Bluesky"),
            ("tiktok", "TikTok"),
            ("pinterest", "Pinterest"),
            ("github", "GitHub"),
        ]
    )
    url = blocks.URLBlock()

    class Meta:
        icon = "site"


class HeadingStructValue(blocks.StructValue):
    @property
    def anchor(self):
        return slugify(self.get("text"))


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=120)
    level = blocks.ChoiceBlock(
        choices=[("h2", "Section heading (H2)"), ("h3", "Subheading (H3)"), ("h4", "Minor heading (H4)")],
        default="h2",
    )

    class Meta:
        icon = "title"
        template = f"{BLOCK_TEMPLATES}/heading_block.html"
        description = "A section heading with a link anchor."
        preview_value = {"text": "Why makers love it", "level": "h2"}
        value_class = HeadingStructValue


class ParagraphBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        super().__init__(features=RICH_TEXT_FEATURES, **kwargs)

    class Meta:
        icon = "pilcrow"
        template = f"{BLOCK_TEMPLATES}/paragraph_block.html"
        description = "Formatted text with links, lists and subheadings."
        preview_value = (
            "<p>Every page of this shop is written in the editor. <b>Bold</b>, <i>italic</i>, "
            '<a href="https://wagtail.org">links</a> and lists all work.</p>'
        )


class FigureBlock(blocks.StructBlock):
    """An image with its alt text (or marked decorative) and an optional caption."""

    image = ImageBlock()
    caption = blocks.CharBlock(required=False, max_length=250)
    width = blocks.ChoiceBlock(choices=[("content", "Content width"), ("wide", "Wide")], default="content")

    def get_preview_value(self):
        image = _first("wagtailimages.Image")
        if image is None:
            return None
        image.contextual_alt_text = image.title
        image.decorative = False
        return {"image": image, "caption": "A caption explains the picture.", "width": "content"}

    class Meta:
        icon = "image"
        template = f"{BLOCK_TEMPLATES}/figure_block.html"
        description = "A picture with alt text (or marked decorative) and a caption."


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(max_length=600)
    attribution = blocks.CharBlock(required=False, max_length=120)
    role = blocks.CharBlock(required=False, max_length=120, help_text="For example: Founder, Acme Studio.")

    class Meta:
        icon = "openquote"
        template = f"{BLOCK_TEMPLATES}/quote_block.html"
        description = "A pull quote or testimonial with its source."
        preview_value = {
            "quote": "The best thing I bought this year. It paid for itself in a week.",
            "attribution": "Sam Rivera",
            "role": "Illustrator",
        }


class CallToActionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120)
    text = blocks.TextBlock(required=False, max_length=400)
    button = LinkBlock()
    style = blocks.ChoiceBlock(choices=[("brand", "Brand colour panel"), ("subtle", "Light panel")], default="brand")

    class Meta:
        icon = "pick"
        template = f"{BLOCK_TEMPLATES}/call_to_action_block.html"
        description = "A panel with a heading, a sentence and a button."
        preview_value = {
            "heading": "Ready to start?",
            "text": "Pick a kit and have it on your screen in a minute.",
            "button": {"label": "Shop now", "page": None, "url": "https://example.com/shop/"},
            "style": "brand",
        }


class ProductTeaserBlock(blocks.StructBlock):
    """A product inside an article: its picture, live price and a buy button."""

    product = blocks.PageChooserBlock(page_type="products.ProductPage")
    blurb = blocks.TextBlock(
        required=False, max_length=300, help_text="Optional; the product's summary is used when empty."
    )

    def get_preview_value(self):
        return {"product": _first_product(), "blurb": ""}

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        product = value.get("product")
        context["product"] = product.specific if product else None
        return context

    class Meta:
        icon = "tag"
        template = f"{BLOCK_TEMPLATES}/product_teaser_block.html"
        description = "One product with its picture, current price and a buy button."


class ProductGridBlock(blocks.StructBlock):
    heading = blocks.CharBlock(required=False, max_length=120)
    products = blocks.ListBlock(
        blocks.PageChooserBlock(page_type="products.ProductPage"),
        required=False,
        help_text="Pick products, or leave empty to show the newest (optionally from one category).",
    )
    category = SnippetChooserBlock("products.ProductCategory", required=False)
    limit = blocks.IntegerBlock(default=4, min_value=1, max_value=12)

    def get_preview_value(self):
        return {"heading": "Popular right now", "products": [], "category": None, "limit": 3}

    def get_context(self, value, parent_context=None):
        from products.models import ProductPage

        context = super().get_context(value, parent_context)
        chosen_ids = [page.pk for page in value.get("products") or [] if page]
        products = ProductPage.objects.live().public().with_card_data()
        if chosen_ids:
            by_id = {product.pk: product for product in products.filter(pk__in=chosen_ids)}
            context["products"] = [by_id[pk] for pk in chosen_ids if pk in by_id]
        else:
            if value.get("category"):
                products = products.filter(categories=value["category"])
            context["products"] = list(products.order_by("-first_published_at", "-pk")[: value["limit"]])
        return context

    class Meta:
        icon = "table"
        template = f"{BLOCK_TEMPLATES}/product_grid_block.html"
        description = "A grid of product cards: chosen ones, or the newest in a category."


class FAQItemBlock(blocks.StructBlock):
    question = blocks.CharBlock(max_length=200)
    answer = blocks.RichTextBlock(features=["bold", "italic", "link", "ol", "ul"])

    class Meta:
        icon = "help"


class FAQBlock(blocks.StructBlock):
    heading = blocks.CharBlock(required=False, max_length=120, default="Frequently asked questions")
    items = blocks.ListBlock(FAQItemBlock(), min_num=1)

    class Meta:
        icon = "help"
        template = f"{BLOCK_TEMPLATES}/faq_block.html"
        description = "Questions and answers that open and close; marked up for search engines."
        preview_value = {
            "heading": "Frequently asked questions",
            "items": [
                {"question": "When do I get my files?", "answer": "<p>Straight after payment.</p>"},
                {"question": "Can I get a refund?", "answer": "<p>Yes, within 30 days.</p>"},
            ],
        }


YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
VIMEO_ID = re.compile(r"^\d+$")


def video_embed_url(url):
    """The privacy-friendly player URL for a YouTube or Vimeo link, or None if it is neither."""
    parsed = urlparse(url or "")
    host = (parsed.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    path_parts = [part for part in parsed.path.split("/") if part]
    if host in {"youtube.com", "youtube-nocookie.com"}:
        if path_parts[:1] == ["watch"]:
            video_id = parse_qs(parsed.query).get("v", [""])[0]
        elif path_parts[:1] in (["embed"], ["shorts"], ["live"]) and len(path_parts) > 1:
            video_id = path_parts[1]
        else:
            video_id = ""
        return f"https://www.youtube-nocookie.com/embed/{video_id}" if YOUTUBE_ID.match(video_id) else None
    if host == "youtu.be" and path_parts and YOUTUBE_ID.match(path_parts[0]):
        return f"https://www.youtube-nocookie.com/embed/{path_parts[0]}"
    if host in {"vimeo.com", "player.vimeo.com"}:
        video_id = path_parts[-1] if path_parts else ""
        return f"https://player.vimeo.com/video/{video_id}?dnt=1" if VIMEO_ID.match(video_id) else None
    return None


class VideoStructValue(blocks.StructValue):
    @property
    def embed_url(self):
        return video_embed_url(self.get("url"))


class VideoBlock(blocks.StructBlock):
    """A YouTube or Vimeo video, embedded without tracking cookies and without a call to the provider
    at render time."""

    url = blocks.URLBlock(help_text="A YouTube or Vimeo link.")
    title = blocks.CharBlock(max_length=120, help_text="Describes the video for screen readers.")
    caption = blocks.CharBlock(required=False, max_length=250)

    def clean(self, value):
        value = super().clean(value)
        if not video_embed_url(value.get("url")):
            raise blocks.StructBlockValidationError(
                block_errors={"url": ErrorList([ValidationError("Enter a YouTube or Vimeo video link.")])}
            )
        return value

    class Meta:
        icon = "media"
        template = f"{BLOCK_TEMPLATES}/video_block.html"
        description = "A YouTube or Vimeo video, embedded without tracking cookies."
        value_class = VideoStructValue
        preview_value = {
            "url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "title": "A short product walkthrough",
            "caption": "",
        }


class TableBlock(WagtailTableBlock):
    class Meta:
        icon = "table"
        template = f"{BLOCK_TEMPLATES}/table_block.html"
        description = "A simple table, for specifications or comparisons."
        preview_value = {
            "first_row_is_table_header": True,
            "first_col_is_header": False,
            "table_caption": "What is in each edition",
            "data": [["Edition", "Files", "Price"], ["Basic", "12", "$19"], ["Pro", "40", "$49"]],
        }


class BodyBlock(blocks.StreamBlock):
    """The body of every page type."""

    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    image = FigureBlock()
    quote = QuoteBlock()
    call_to_action = CallToActionBlock()
    product_teaser = ProductTeaserBlock()
    product_grid = ProductGridBlock()
    faq = FAQBlock()
    video = VideoBlock()
    table = TableBlock()

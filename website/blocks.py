"""The one StreamField block library every page body is built from.

Each block names an icon, a template, a description and a preview value, so the editor's block
picker shows what the block looks like before it is inserted.
"""

import re
from urllib.parse import parse_qs, urlparse

from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from django.template.loader import render_to_string
from django.utils.text import slugify

from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock as WagtailTableBlock
from wagtail.images.blocks import ImageBlock
from wagtail.rich_text import RichText, expand_db_html

from . import images

BLOCK_TEMPLATES = "components/streamfield/blocks"

RICH_TEXT_FEATURES = ["h3", "h4", "bold", "italic", "link", "document-link", "ol", "ul", "hr", "code"]


def _first(model_path, **filters):
    """The first object of a model, for preview values that need something real to show."""
    from django.apps import apps

    return apps.get_model(model_path).objects.filter(**filters).order_by("pk").first()


class LinkStructValue(blocks.StructValue):
    @property
    def href(self):
        return self.href_for(None)

    def href_for(self, request):
        """The link's address. Given the request, a page's URL comes from the site roots Wagtail keeps on it;
        without one, each page link reads them from the default cache again (a query, without Redis)."""
        page = self.get("page")
        return page.get_url(request) if page else self.get("url")


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


class Batch:
    """Work shared by every block of one type in a StreamField, done once, when the first of them renders.

    StreamField converts all blocks of a type together (bulk_to_python); the rich text, figure and product
    blocks hand each value the same Batch, so a body with thirty of them costs the queries of one. Values
    made one at a time (a block preview) have none and fetch for themselves."""

    def __init__(self, load):
        self._load = load
        self._result = None
        self._done = False

    def get(self):
        if not self._done:
            self._result = self._load()
            self._done = True
        return self._result


class BatchedValue(blocks.StructValue):
    batch = None


class BatchedRichText(RichText):
    """Rich text whose page and document links are looked up together with those of the other rich texts
    of its kind in the StreamField (every paragraph, or every FAQ answer)."""

    batch = None

    def __html__(self):
        if self.batch is None:
            return super().__html__()
        return render_to_string("wagtailcore/shared/richtext.html", {"html": self.batch.get()[id(self)]})


RICH_TEXT_SEPARATOR = "<!--pagecart:rich-text-->"


def expand_rich_texts(texts):
    """Wagtail's expand_db_html for many rich texts at once: {id(text): html}. Each text on its own costs
    a query or two per text with links in it; joined, the links of all of them cost one per link type.
    The rewriter replaces only the link and embed tags, so the separator comes through untouched."""
    sources = [text.source for text in texts]
    parts = expand_db_html(RICH_TEXT_SEPARATOR.join(sources)).split(RICH_TEXT_SEPARATOR)
    if len(parts) != len(sources):  # a text held the separator itself: expand each on its own
        parts = [expand_db_html(source) for source in sources]
    return {id(text): html for text, html in zip(texts, parts, strict=True)}


class ParagraphBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        super().__init__(features=RICH_TEXT_FEATURES, **kwargs)

    def to_python(self, value):
        return BatchedRichText(value)

    def bulk_to_python(self, values):
        texts = [self.to_python(value) for value in values]
        batch = Batch(lambda: expand_rich_texts(texts))
        for text in texts:
            text.batch = batch
        return texts

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

    def bulk_to_python(self, values):
        values = super().bulk_to_python(values)
        batch = Batch(lambda: _prefetch_renditions([value.get("image") for value in values]))
        for value in values:
            value.batch = batch
        return values

    def get_context(self, value, parent_context=None):
        batch = getattr(value, "batch", None)  # a preview value is a plain dict
        if batch is not None:
            batch.get()
        return super().get_context(value, parent_context)

    class Meta:
        icon = "image"
        template = f"{BLOCK_TEMPLATES}/figure_block.html"
        description = "A picture with alt text (or marked decorative) and a caption."
        value_class = BatchedValue


def _prefetch_renditions(pictures):
    """The figure template's renditions of these images in one query. The picture tag then finds its sizes
    among them instead of in the cache, which costs more per picture than this query does. Only its sizes: a
    picture also cut for cards and the head has three times as many, each a model object to build."""
    from django.db.models import prefetch_related_objects

    prefetch_related_objects([image for image in pictures if image is not None], images.renditions(images.FIGURE))


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


class FAQItemBlock(blocks.StructBlock):
    question = blocks.CharBlock(max_length=200)
    answer = blocks.RichTextBlock(features=["bold", "italic", "link", "ol", "ul"])

    class Meta:
        icon = "help"


class FAQBlock(blocks.StructBlock):
    heading = blocks.CharBlock(required=False, max_length=120, default="Frequently asked questions")
    items = blocks.ListBlock(FAQItemBlock(), min_num=1)

    def bulk_to_python(self, values):
        values = super().bulk_to_python(values)
        answers = []
        batch = Batch(lambda: expand_rich_texts(answers))
        for value in values:
            for item in value["items"]:
                item["answer"] = BatchedRichText(item["answer"].source)
                item["answer"].batch = batch
                answers.append(item["answer"])
        return values

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

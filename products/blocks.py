"""The product blocks of the StreamField library, and BodyBlock, the library as every page body uses it.

The generic blocks (text, pictures, quotes, FAQs, tables) live in website.blocks, below every app; these
two show products, so they live with them. Their queries live in products.catalogue.
"""

from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock

from website.blocks import (
    BLOCK_TEMPLATES,
    Batch,
    BatchedValue,
    CallToActionBlock,
    FAQBlock,
    FigureBlock,
    HeadingBlock,
    ParagraphBlock,
    QuoteBlock,
    TableBlock,
    VideoBlock,
)


def _catalogue():
    # products.models imports this module (ProductPage.body is a BodyBlock) and the catalogue imports the
    # models, so the blocks reach the catalogue when they first render rather than when this module loads.
    from . import catalogue

    return catalogue


class ProductTeaserBlock(blocks.StructBlock):
    """A product inside an article: its picture, live price and a buy button."""

    product = blocks.PageChooserBlock(page_type="products.ProductPage")
    blurb = blocks.TextBlock(
        required=False, max_length=300, help_text="Optional; the product's summary is used when empty."
    )

    def get_preview_value(self):
        return {"product": _catalogue().first_product(), "blurb": ""}

    def bulk_to_python(self, values):
        values = super().bulk_to_python(values)
        batch = Batch(lambda: _catalogue().prefetch_teaser_gallery([value.get("product") for value in values]))
        for value in values:
            value.batch = batch
        return values

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        product = value.get("product")
        batch = getattr(value, "batch", None)  # a preview value is a plain dict
        if product is not None and batch is not None:
            batch.get()
        elif product is not None:
            _catalogue().prefetch_teaser_gallery([product])
        context["product"] = product.specific if product else None
        return context

    class Meta:
        icon = "tag"
        template = f"{BLOCK_TEMPLATES}/product_teaser_block.html"
        description = "One product with its picture, current price and a buy button."
        value_class = BatchedValue


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

    def bulk_to_python(self, values):
        values = super().bulk_to_python(values)
        batch = Batch(lambda: _catalogue().grid_products(values))
        for value in values:
            value.batch = batch
        return values

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        batch = getattr(value, "batch", None)  # a preview value is a plain dict
        shown = batch.get() if batch is not None else _catalogue().grid_products([value])
        context["products"] = shown[id(value)]
        return context

    class Meta:
        icon = "table"
        template = f"{BLOCK_TEMPLATES}/product_grid_block.html"
        description = "A grid of product cards: chosen ones, or the newest in a category."
        value_class = BatchedValue


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

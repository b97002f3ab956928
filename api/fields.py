"""The fields each page type shows in the pages API, beyond Wagtail's id, title and meta.

Kept here rather than as `api_fields` on the models, so the API's shape lives in the API app. Every field
reads what the listing queryset prefetched (pages.ProductPrefetch), so a listing costs the same however
many products it holds.
"""

from rest_framework import serializers

from wagtail.api import APIField

from blog.models import BlogPostPage
from products.models import ProductPage
from website.models import SiteSettings
from website.money import quantize

IMAGE_SPEC = "max-1200x1200|format-jpeg"


def rendition(image, request):
    picture = image.get_rendition(IMAGE_SPEC)
    return {
        "url": request.build_absolute_uri(picture.url),
        "width": picture.width,
        "height": picture.height,
        "alt": image.default_alt_text,
    }


class PriceField(serializers.Field):
    """The price as a decimal string in the store's currency (never a float)."""

    def to_representation(self, price):
        return str(quantize(price, SiteSettings.for_request(self.context["request"]).currency))


class CurrencyField(serializers.Field):
    def to_representation(self, _page):
        return SiteSettings.for_request(self.context["request"]).currency


class AvailabilityField(serializers.Field):
    def to_representation(self, product):
        if not product.on_sale:
            return "not_on_sale"
        return "in_stock" if product.in_stock else "sold_out"


class GalleryField(serializers.Field):
    def to_representation(self, product):
        return [rendition(image, self.context["request"]) for image in (item.image for item in product.gallery)]


class ImageField(serializers.Field):
    def to_representation(self, image):
        return rendition(image, self.context["request"]) if image else None


class NamedItemsField(serializers.Field):
    """Categories as {id, name, slug}, in name order, from the prefetch."""

    def to_representation(self, manager):
        items = sorted(manager.all(), key=lambda item: item.name)
        return [{"id": item.pk, "name": item.name, "slug": item.slug} for item in items]


class TagsField(serializers.Field):
    """Tag names in name order, like Wagtail's own TagsField, but read from the prefetch rather than a
    query per item."""

    def to_representation(self, manager):
        return sorted(tag.name for tag in manager.all())


class AuthorField(serializers.Field):
    def to_representation(self, author):
        if author is None:
            return None
        return {"name": author.name, "role": author.role, "url": author.url}


class RenderedBodyField(serializers.Field):
    """The body as the page shows it: the block templates' HTML, with links and buy buttons."""

    def to_representation(self, body):
        return body.render_as_block(context={"request": self.context["request"]})


PAGE_FIELDS = {
    ProductPage: [
        APIField("summary"),
        APIField("sku"),
        APIField("kind"),
        APIField("price", serializer=PriceField()),
        APIField("currency", serializer=CurrencyField(source="*")),
        APIField("availability", serializer=AvailabilityField(source="*")),
        APIField("images", serializer=GalleryField(source="*")),
        APIField("categories", serializer=NamedItemsField()),
        APIField("body_html", serializer=RenderedBodyField(source="body")),
    ],
    BlogPostPage: [
        APIField("summary"),
        APIField("date"),
        APIField("author", serializer=AuthorField()),
        APIField("hero_image", serializer=ImageField()),
        APIField("categories", serializer=NamedItemsField()),
        APIField("body_html", serializer=RenderedBodyField(source="body")),
    ],
}

# Rendering a body runs its blocks' templates and queries: only a page's own detail view shows it.
DETAIL_ONLY = ["body_html"]

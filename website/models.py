import html

from django.core.files.storage import storages
from django.core.validators import RegexValidator
from django.db import models
from django.utils.html import strip_tags
from django.utils.text import Truncator

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.documents.models import AbstractDocument, Document
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtailseo.models import SeoMixin, TwitterCard

from .blocks import LinkBlock, SocialLinkBlock
from .money import CURRENCY_CHOICES

hex_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", "Enter a colour as #rrggbb, for example #4338ca.")


def private_storage():
    return storages["private"]


class PrivateDocument(AbstractDocument):
    """Wagtail's document, stored outside MEDIA_ROOT so that only a view can hand it out."""

    file = models.FileField(storage=private_storage, upload_to="documents", verbose_name="file")

    admin_form_fields = Document.admin_form_fields

    class Meta(AbstractDocument.Meta):
        verbose_name = "document"
        verbose_name_plural = "documents"


def _relative_luminance(hex_value):
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_value[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def readable_text_on(hex_value):
    """White or near-black, whichever contrasts more with the given background colour."""
    luminance = _relative_luminance(hex_value)
    contrast_with_white = 1.05 / (luminance + 0.05)
    contrast_with_ink = (luminance + 0.05) / (_relative_luminance("#111827") + 0.05)
    return "#ffffff" if contrast_with_white >= contrast_with_ink else "#111827"


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    brand_name = models.CharField(max_length=80, default="Pagecart")
    tagline = models.CharField(max_length=160, blank=True)
    logo = models.ForeignKey("wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    primary_colour = models.CharField(
        max_length=7,
        default="#4338ca",
        validators=[hex_colour],
        help_text="Buttons, links and highlights. Text on it is chosen for contrast automatically.",
    )
    accent_colour = models.CharField(
        max_length=7, default="#f59e0b", validators=[hex_colour], help_text="Badges and small accents."
    )
    contact_email = models.EmailField(blank=True, help_text="Shown to customers and receives contact-form mail.")
    currency = models.CharField(
        max_length=3, choices=CURRENCY_CHOICES, default="USD", help_text="ISO 4217 code all prices are in."
    )
    social_links = StreamField([("link", SocialLinkBlock())], blank=True, use_json_field=True)
    header_links = StreamField([("link", LinkBlock())], blank=True, use_json_field=True)
    footer_links = StreamField([("link", LinkBlock())], blank=True, use_json_field=True)

    panels = [
        MultiFieldPanel([FieldPanel("brand_name"), FieldPanel("tagline"), FieldPanel("logo")], heading="Brand"),
        MultiFieldPanel([FieldPanel("primary_colour"), FieldPanel("accent_colour")], heading="Colours"),
        MultiFieldPanel([FieldPanel("contact_email"), FieldPanel("currency")], heading="Store"),
        FieldPanel("header_links"),
        FieldPanel("footer_links"),
        FieldPanel("social_links"),
    ]

    class Meta:
        verbose_name = "site settings"

    @property
    def primary_text_colour(self):
        return readable_text_on(self.primary_colour)

    @property
    def accent_text_colour(self):
        return readable_text_on(self.accent_colour)


class BasePage(SeoMixin, Page):
    """What every Pagecart page type shares: SEO fields (wagtail-seo) and the noindex switch."""

    noindex = models.BooleanField(
        "hide from search engines",
        default=False,
        help_text="Adds a robots noindex tag and leaves the page out of the sitemap.",
    )

    promote_panels = (
        SeoMixin.seo_meta_panels
        + [
            MultiFieldPanel([FieldPanel("noindex")], heading="Search engines"),
        ]
        + SeoMixin.seo_menu_panels
    )

    # wagtail-seo walks these in order; the site default image (Settings > SEO) comes last.
    seo_description_sources = ["search_description", "summary", "intro", "hero_text"]
    seo_image_sources = ["og_image", "hero_image", "main_image"]
    seo_twitter_card = TwitterCard.LARGE

    class Meta:
        abstract = True

    @property
    def seo_description(self):
        """Search description, then summary/intro, then the first text of the body, as plain text."""
        texts = [getattr(self, name, "") for name in self.seo_description_sources]
        body = getattr(self, "body", None)
        if body:
            texts.extend(block.value.source for block in body if block.block_type == "paragraph")
        for text in texts:
            plain = " ".join(html.unescape(strip_tags(str(text or ""))).split())
            if plain:
                return Truncator(plain).chars(160)
        return ""

    @property
    def seo_pagetitle(self):
        return self.seo_title or self.title

    def get_jsonld_nodes(self, request):
        """Schema.org nodes describing this page; page types add their own (Product, BlogPosting)."""
        return []

    def get_breadcrumbs(self):
        """Ancestors below the site root, for the breadcrumb trail (the page itself excluded)."""
        return list(self.get_ancestors().filter(depth__gt=2).live().specific(defer=True))

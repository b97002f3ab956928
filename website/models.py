import copy
import html

from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import prefetch_related_objects
from django.utils.html import strip_tags

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.documents.models import AbstractDocument, Document
from wagtail.fields import StreamField
from wagtail.images.models import AbstractImage
from wagtail.models import Page, Site
from wagtailseo.models import SeoMixin, SeoSettings, TwitterCard

from . import fragments, seo_checks
from .blocks import LinkBlock, SocialLinkBlock
from .colours import readable_text_on
from .countries import stripe_shipping_countries
from .descriptions import meta_description
from .money import CURRENCY_CHOICES
from .seo_checks import SeoChecksPanel

hex_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", "Enter a colour as #rrggbb, for example #4338ca.")
country_list = RegexValidator(
    r"^\s*[A-Za-z]{2}(\s*,\s*[A-Za-z]{2})*\s*$", "Enter two-letter country codes separated by commas, e.g. US, CA, GB."
)


def private_storage():
    return storages["private"]


class PrivateDocument(AbstractDocument):
    """Wagtail's document, stored outside MEDIA_ROOT so that only a view can hand it out."""

    file = models.FileField(storage=private_storage, upload_to="documents", verbose_name="file")

    admin_form_fields = Document.admin_form_fields

    class Meta(AbstractDocument.Meta):
        verbose_name = "document"
        verbose_name_plural = "documents"


class ReturnPolicy(models.TextChoices):
    FINITE = "finite", "Returns accepted for a number of days"
    UNLIMITED = "unlimited", "Returns accepted at any time"
    NONE = "none", "No returns"


class ReturnFees(models.TextChoices):
    FREE = "free", "Free returns"
    CUSTOMER = "customer", "The customer pays return shipping"


def default_social_image(site):
    """The site's default sharing picture from Settings > SEO, or None. Read without creating the settings row,
    as wagtail-seo's for_site() would on first use: a GET must not write, and a saved setting empties the page
    cache (so the first page view after a deploy emptied the cache just warmed)."""
    if site is None:
        return None
    seo_settings = SeoSettings.objects.filter(site=site).first()
    return seo_settings.og_image_default if seo_settings else None


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
    ships_to = models.CharField(
        max_length=200,
        blank=True,
        validators=[country_list],
        help_text="Countries you ship physical goods to, as two-letter codes separated by commas (US, CA, GB).",
    )
    shipping_rate = models.DecimalField(
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="Flat shipping charge per order with physical goods, in the store currency. 0 means free.",
    )
    automatic_tax = models.BooleanField(
        "Stripe Tax",
        default=False,
        help_text="Stripe works out and collects sales tax and VAT at checkout. Set up Stripe Tax in Stripe first.",
    )
    prices_include_tax = models.BooleanField(
        default=False,
        help_text="With Stripe Tax: prices and shipping already include tax (usual in the EU and UK); "
        "otherwise tax is added on top (usual in the US).",
    )
    handling_days_min = models.PositiveSmallIntegerField(
        "handling days, fewest", null=True, blank=True, help_text="Business days to pack and hand over an order."
    )
    handling_days_max = models.PositiveSmallIntegerField("handling days, most", null=True, blank=True)
    transit_days_min = models.PositiveSmallIntegerField(
        "transit days, fewest", null=True, blank=True, help_text="Business days the carrier takes."
    )
    transit_days_max = models.PositiveSmallIntegerField("transit days, most", null=True, blank=True)
    return_policy = models.CharField(
        max_length=10,
        choices=ReturnPolicy.choices,
        blank=True,
        help_text="For physical goods. Search engines show it beside your products.",
    )
    return_days = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="How many days after delivery a return is accepted."
    )
    return_fees = models.CharField(max_length=10, choices=ReturnFees.choices, default=ReturnFees.FREE)
    download_days = models.PositiveSmallIntegerField(
        default=30, validators=[MinValueValidator(1)], help_text="Days a buyer's download links keep working."
    )
    download_limit = models.PositiveSmallIntegerField(
        default=5,
        validators=[MinValueValidator(1)],
        help_text="Downloads allowed per file and purchase. A product can set its own.",
    )
    social_links = StreamField([("link", SocialLinkBlock())], blank=True, use_json_field=True)
    header_links = StreamField([("link", LinkBlock())], blank=True, use_json_field=True)
    footer_links = StreamField([("link", LinkBlock())], blank=True, use_json_field=True)

    select_related = ["logo"]  # Wagtail's for_site() reads the logo with the settings: every page draws it

    @classmethod
    def for_request(cls, request):
        """As Wagtail's, but kept between requests under the page cache's generation (website.fragments), in the
        process as well: every page reads the settings, loading them took longer than the rest of a kept page's
        queries (unpickling them, a twentieth of a kept search), and saving them sets a new generation. Each
        request gets its own copy."""
        attr_name = cls.get_cache_attr_name()
        if not hasattr(request, attr_name):
            site_settings = copy.copy(
                fragments.kept_in_process(request, "site-settings", lambda: cls._with_logo(request))
            )
            site_settings._request = request  # as Wagtail's: page links resolved against the request's site
            setattr(request, attr_name, site_settings)
        return getattr(request, attr_name)

    @classmethod
    def _with_logo(cls, request):
        """The settings with their logo and its renditions loaded, so the kept copy carries them: the head, the
        header and the footer draw the logo on every page render."""
        site_settings = cls.for_site(Site.find_for_request(request))
        if site_settings.logo is not None:
            prefetch_related_objects([site_settings.logo], "renditions")
        return site_settings

    panels = [
        MultiFieldPanel([FieldPanel("brand_name"), FieldPanel("tagline"), FieldPanel("logo")], heading="Brand"),
        MultiFieldPanel([FieldPanel("primary_colour"), FieldPanel("accent_colour")], heading="Colours"),
        MultiFieldPanel([FieldPanel("contact_email"), FieldPanel("currency")], heading="Store"),
        MultiFieldPanel(
            [
                FieldPanel("ships_to"),
                FieldPanel("shipping_rate"),
                FieldRowPanel([FieldPanel("handling_days_min"), FieldPanel("handling_days_max")]),
                FieldRowPanel([FieldPanel("transit_days_min"), FieldPanel("transit_days_max")]),
            ],
            heading="Shipping",
        ),
        MultiFieldPanel([FieldPanel("automatic_tax"), FieldPanel("prices_include_tax")], heading="Tax"),
        MultiFieldPanel(
            [FieldPanel("return_policy"), FieldRowPanel([FieldPanel("return_days"), FieldPanel("return_fees")])],
            heading="Returns",
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("download_days"), FieldPanel("download_limit")])], heading="Downloads"
        ),
        FieldPanel("header_links"),
        FieldPanel("footer_links"),
        FieldPanel("social_links"),
    ]

    class Meta:
        verbose_name = "site settings"

    @classmethod
    def for_default_site(cls):
        """The default site's settings, for work done outside a request (mail, fulfilment, reports). Without a
        stored row, unsaved defaults: nothing is created, unlike for_site()."""
        return cls.objects.filter(site__is_default_site=True).first() or cls()

    def clean(self):
        super().clean()
        errors = {}
        if self.shipping_rate is not None and not self.ships_to:
            errors["ships_to"] = "Say which countries the shipping rate applies to."
        if self.return_policy and not self.ships_to:
            errors["ships_to"] = "Say which countries your return policy applies to."
        # Well-formed codes Stripe Checkout will not ship to (the format itself is the field validator's job).
        refused = [
            code for code in self.shipping_countries if len(code) == 2 and code not in stripe_shipping_countries()
        ]
        if refused:
            hint = " (the United Kingdom is GB)" if "UK" in refused else ""
            errors["ships_to"] = (
                f"The payment provider cannot ship to {', '.join(refused)}{hint}. "
                "Remove or correct these codes: checkout of physical goods fails while they are listed."
            )
        if self.return_policy == ReturnPolicy.FINITE and not self.return_days:
            errors["return_days"] = "Enter how many days customers have to return an item."
        for low, high in (("handling_days_min", "handling_days_max"), ("transit_days_min", "transit_days_max")):
            if (getattr(self, low) is None) != (getattr(self, high) is None):
                errors[high] = "Enter both the fewest and the most days, or neither."
            elif getattr(self, low) is not None and getattr(self, low) > getattr(self, high):
                errors[high] = "The most days cannot be fewer than the fewest."
        if errors:
            raise ValidationError(errors)

    @property
    def shipping_countries(self):
        return [code.strip().upper() for code in self.ships_to.split(",") if code.strip()]

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
        [SeoChecksPanel(heading="SEO check")]
        + SeoMixin.seo_meta_panels
        + [
            MultiFieldPanel([FieldPanel("noindex")], heading="Search engines"),
        ]
        + SeoMixin.seo_menu_panels
    )

    # The query parameters the page's answer depends on (paging, filters). Its render reads no other, so the
    # caches answer an address with others as they would its own (website.fragments, website.page_cache).
    query_parameters: tuple[str, ...] = ()

    # wagtail-seo walks these in order; the site default image (Settings > SEO) comes last.
    seo_description_sources = ["search_description", "summary", "intro", "hero_text"]
    seo_image_sources = ["og_image", "hero_image", "main_image"]
    seo_twitter_card = TwitterCard.LARGE

    class Meta:
        abstract = True

    @property
    def seo_description_source(self):
        """(field name, plain text) of the first description source that has text, or ("", "")."""
        for name, text in self._description_texts():
            plain = " ".join(html.unescape(strip_tags(str(text or ""))).split())
            if plain:
                return name, plain
        return "", ""

    def _description_texts(self):
        """The sources' texts in order, the body's paragraphs last. A generator: the body is walked (its
        blocks' values built, each paragraph's tags stripped) only when no field before it has text."""
        for name in self.seo_description_sources:
            yield name, getattr(self, name, "")
        for block in getattr(self, "body", None) or ():
            if block.block_type == "paragraph":
                yield "body", block.value.source

    @property
    def seo_description(self):
        """Search description, then summary/intro, then the first text of the body, as plain text."""
        return meta_description(self.seo_description_source[1])

    @property
    def seo_pagetitle(self):
        return self.seo_title or self.title

    @property
    def own_seo_image(self):
        """The first picture of wagtail-seo's chain that the page has itself (seo_image_sources), or None."""
        for name in self.seo_image_sources:
            image = getattr(self, name, None)
            if isinstance(image, AbstractImage):
                return image
        return None

    @property
    def seo_image(self):
        """wagtail-seo's image chain: the page's own picture, then the site default (Settings > SEO). The default
        is read as default_social_image() reads it, never created: wagtail-seo's own chain created the settings
        row on a shop's first page view, and saving any setting empties the page cache. A page not saved yet has
        no site, so no default (its Promote tab must still render)."""
        image = self.own_seo_image
        if image is None and self.pk is not None:
            image = default_social_image(self.get_site())
        return image

    def get_preview_template(self, request, mode_name):
        if mode_name == seo_checks.PREVIEW_MODE:
            return "website/seo_preview.html"
        return super().get_preview_template(request, mode_name)

    def get_preview_context(self, request, mode_name):
        if mode_name != seo_checks.PREVIEW_MODE:
            return super().get_preview_context(request, mode_name)
        # Wagtail's preview of an edit keeps the saved URL path (only a new page's preview sets it): the
        # search result shows the address with the slug as the editor has it now.
        if self.pk:
            self.set_url_path(self.get_parent())
        # Skip wagtail-seo's version, which renders the whole page again only to parse its <head>.
        context = Page.get_preview_context(self, request, mode_name)
        context.update(seo_checks.preview_context(self, request))
        return context

    def get_jsonld_nodes(self, request):
        """Schema.org nodes describing this page; page types add their own (Product, BlogPosting)."""
        return []

    def get_breadcrumbs(self, request=None):
        """Ancestors below the site root, for the breadcrumb trail (the page itself excluded). Titles and
        URLs are all a trail needs, so they stay generic pages; the trail and the JSON-LD share one query.
        Given the request (the head's JSON-LD asks first), the trail is kept under the page cache's generation
        for every page under the same parent: a thousand products share the shop's."""
        if "_breadcrumbs" not in self.__dict__:
            parent_path = self.path[: -self.steplen]

            def ancestors():
                return list(self.get_ancestors().filter(depth__gt=2).live())

            self._breadcrumbs = (
                fragments.cached(request, f"breadcrumbs:{parent_path}", ancestors) if request else ancestors()
            )
        return self._breadcrumbs

    def get_view_restrictions(self):
        """Wagtail's privacy check and the page cache both ask while a page is served: evaluated once,
        the query set answers both."""
        if "_view_restrictions" not in self.__dict__:
            self._view_restrictions = super().get_view_restrictions()
        return self._view_restrictions


class RateLimitCount(models.Model):
    """One window of one rate limit, when there is no Redis: every worker process counts in the same row,
    with a conditional UPDATE, so two workers cannot each allow the limit (website/ratelimit.py)."""

    key = models.CharField(max_length=200, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.key}: {self.count}"


class CacheEntry(models.Model):
    """The table of Django's database cache, the default cache when there is no Redis (allauth counts its
    log-in limits there). A model rather than `createcachetable`, so every `migrate` makes it."""

    cache_key = models.CharField(max_length=255, primary_key=True)
    value = models.TextField()
    expires = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "website_cache"

    def __str__(self):
        return self.cache_key

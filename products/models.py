import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Prefetch, prefetch_related_objects
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import cached_property

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from website import images, seo
from website.models import BasePage, SiteSettings
from website.money import quantize
from website.seo import LOGO_SPEC, rendition_url, site_root_url, structured_image_urls

from .blocks import BodyBlock
from .files import PRODUCT_FILES, is_private_collection, not_private_error, product_file_chooser
from .jsonld import product_node
from .ratings import ProductRatings, rating_provider

# What a category's SlugField holds. Anything else names no category and is kept out of queries: PostgreSQL
# refuses a NUL in one outright.
CATEGORY_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
# One cart line holds at most this many units of a product.
MAX_LINE_QUANTITY = 99
# Pages name a physical product's exact stock only from this many units down ("In stock, 12 available", the
# quantity's limit); above it they say "In stock". So a sale that leaves more than this on the shelf changes no
# page, and products.inventory keeps the page cache.
STOCK_SHOWN_UP_TO = 20


@register_snippet
class ProductCategory(index.Indexed, models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "product categories"

    def __str__(self):
        return self.name


@register_snippet
class Brand(models.Model):
    """Who makes a product. Products without one are the store's own (its brand name is used)."""

    name = models.CharField(max_length=80, unique=True)
    url = models.URLField("website", blank=True)
    logo = models.ForeignKey("wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    description = models.TextField(blank=True, max_length=500)

    panels = [FieldPanel("name"), FieldPanel("url"), FieldPanel("logo"), FieldPanel("description")]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class ProductIndexPage(RoutablePageMixin, BasePage):
    """The shop: its products with filters, sort order and pages (products.catalogue), and a landing page
    per category at category/<slug>/."""

    intro = models.TextField(blank=True, max_length=500)

    content_panels = BasePage.content_panels + [FieldPanel("intro")]

    template = "pages/product_index_page.html"
    parent_page_types = ["home.HomePage"]
    subpage_types = ["products.ProductPage"]
    page_size = 12
    query_parameters = ("page", "category", "min_price", "max_price", "kind", "sort")  # the filter form's and paging

    @path("category/<slug:slug>/", name="category")
    def category_page(self, request, slug):
        category = get_object_or_404(ProductCategory, slug=slug)
        return self.render(request, category=category)

    def get_context(self, request, *args, category=None, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["listing"] = self.listing(request, category=category)
        return context

    def listing(self, request, *, category=None):
        """The listing this request asks for, worked out once per request: the route that serves the page
        names the category, and the page's head (get_url_meta) reads the same listing again."""
        from .catalogue import browse  # the catalogue imports these models: a module-level import would circle

        if getattr(self, "_listing_for", (None, None))[0] is not request:
            self._listing_for = (request, browse(self, request, category=category))
        return self._listing_for[1]

    def get_url_meta(self, request):
        return self.listing(request).url_meta()

    def get_sitemap_urls(self, request=None):
        from .catalogue import category_sitemap_urls  # the catalogue imports these models, as above

        return super().get_sitemap_urls(request) + category_sitemap_urls(self, request)

    def serve_preview(self, request, mode_name):
        # RoutablePageMixin would serve every preview mode as the index route; keep the SEO preview mode working.
        return Page.serve_preview(self, request, mode_name)


class ProductPageQuerySet(PageQuerySet):
    def with_card_data(self):
        """What a product card shows, fetched in a constant number of queries (the star rating in the same one).
        A card names no category (only the product page and its JSON-LD do), so none are fetched."""
        return (
            rating_provider()
            .with_ratings(self)
            .prefetch_related(
                Prefetch(
                    "gallery_images",
                    queryset=ProductGalleryImage.objects.select_related("image").order_by("sort_order"),
                ),
            )
        )


class ProductPageManager(PageManager.from_queryset(ProductPageQuerySet)):
    pass


class ProductPageForm(WagtailAdminPageForm):
    """Stock is typed once, when the page is created. After that sales change it, so the editor shows it
    read-only and the Stock screen adjusts it; an old revision can never put sold units back."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "stock" in self.fields:
            self.fields["stock"].disabled = True
            self.fields["stock"].help_text = "Sales change this. To restock or correct it, use Shop › Stock."


class ProductPage(BasePage):
    class Kind(models.TextChoices):
        DIGITAL = "digital", "Digital download"
        PHYSICAL = "physical", "Physical product"

    summary = models.TextField(max_length=300, help_text="One or two sentences for cards and search results.")
    price = models.DecimalField(max_digits=10, decimal_places=2, validators=[MinValueValidator(0)])
    sku = models.CharField("SKU", max_length=64, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.DIGITAL)
    stock = models.PositiveIntegerField(
        null=True, blank=True, help_text="Units on hand. Physical products only; 0 shows as sold out."
    )
    weight = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Grams per unit, packed. Physical products only; shipping rates by weight count an empty one as 0.",
    )
    tax_code = models.CharField(
        max_length=14,
        blank=True,
        validators=[RegexValidator(r"^txcd_\d{8}$", "A Stripe tax code looks like txcd_10000000.")],
        help_text="Stripe Tax's code for what this is (txcd_10000000 an e-book, txcd_99999999 general goods). "
        "Empty uses your Stripe account's default.",
    )
    on_sale = models.BooleanField(default=True, help_text="Untick to keep the page visible but stop selling it.")
    brand = models.ForeignKey(
        Brand,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="products",
        help_text="Leave empty for the store's own products.",
    )
    categories = ParentalManyToManyField(ProductCategory, blank=True, related_name="products")
    membership_group = models.ForeignKey(
        "auth.Group",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Buyers join this group, which can unlock member-only pages. Refunds take it away again.",
    )
    download_limit = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="How many times a buyer may download each file. Empty uses the site setting.",
    )
    body = StreamField(BodyBlock(), blank=True, use_json_field=True)

    objects = ProductPageManager()
    base_form_class = ProductPageForm

    content_panels = BasePage.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("price"), FieldPanel("sku")]),
                FieldRowPanel([FieldPanel("kind"), FieldPanel("stock"), FieldPanel("weight")]),
                FieldRowPanel([FieldPanel("on_sale"), FieldPanel("tax_code")]),
            ],
            heading="Selling",
        ),
        InlinePanel("gallery_images", label="Gallery image", heading="Gallery"),
        InlinePanel(
            "deliverables",
            label="File",
            heading="Files the buyer downloads",
            help_text=f"Digital products only. Files must be in a private collection such as “{PRODUCT_FILES}”.",
        ),
        MultiFieldPanel([FieldPanel("download_limit"), FieldPanel("membership_group")], heading="After purchase"),
        FieldPanel("brand"),
        FieldPanel("categories", widget=forms.CheckboxSelectMultiple),
        FieldPanel("body"),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("summary"),
        index.SearchField("sku"),
        index.SearchField("body"),
        index.RelatedFields("categories", [index.SearchField("name")]),
        index.RelatedFields("brand", [index.SearchField("name")]),
        index.FilterField("kind"),
        index.FilterField("price"),
        index.FilterField("on_sale"),
    ]

    template = "pages/product_page.html"
    parent_page_types = ["products.ProductIndexPage"]
    subpage_types = []

    def clean(self):
        super().clean()
        if self.kind == self.Kind.PHYSICAL and self.stock is None:
            raise ValidationError({"stock": "Enter the units on hand for a physical product."})
        if self.kind == self.Kind.DIGITAL and self.stock is not None:
            raise ValidationError({"stock": "Digital products have no stock; leave this empty."})

    def save(self, *args, **kwargs):
        # Sales move stock with single UPDATEs (products.inventory). Saving a page, e.g. publishing a
        # revision made before those sales, must not write its stale count back, so updates skip it.
        if self.pk and kwargs.get("update_fields") is None and not kwargs.get("force_insert"):
            kwargs["update_fields"] = self._fields_but_stock()
        return super().save(*args, **kwargs)

    def _fields_but_stock(self):
        """Every field and (for modelcluster) every child relation and M2M, except stock."""
        from modelcluster.models import get_all_child_m2m_relations, get_all_child_relations

        fields = [field.name for field in self._meta.concrete_fields if not field.primary_key and field.name != "stock"]
        relations = [relation.get_accessor_name() for relation in get_all_child_relations(self)]
        return fields + relations + [field.name for field in get_all_child_m2m_relations(self)]

    @property
    def seo_og_type(self):
        return "product"

    def get_open_graph_extras(self, *, currency):
        """Open Graph product tags (og:type product)."""
        availability = "in stock" if self.is_available else ("discontinued" if not self.on_sale else "out of stock")
        return [
            ("product:price:amount", str(quantize(self.price, currency))),
            ("product:price:currency", currency),
            ("product:availability", availability),
        ]

    @cached_property
    def ratings(self) -> ProductRatings:
        """The approved reviews the page and its JSON-LD show (one query, whatever their number)."""
        if self.pk is None:  # a preview of a page not yet saved has no reviews to ask for
            return ProductRatings()
        return rating_provider().of(self)

    def get_jsonld_nodes(self, request):
        logo = self.brand.logo if self.brand else None
        return [
            product_node(
                self,
                url=self.get_full_url(request),
                image_urls=structured_image_urls(request, self.main_image),
                site_settings=SiteSettings.for_request(request),
                root_url=site_root_url(self, request),
                today=timezone.localdate(),
                brand_logo_url=rendition_url(request, logo, LOGO_SPEC) if logo else None,
                ratings=self.ratings,
            )
        ]

    @property
    def is_digital(self):
        return self.kind == self.Kind.DIGITAL

    @property
    def in_stock(self):
        return self.is_digital or (self.stock or 0) > 0

    @property
    def is_available(self):
        """Whether a shopper can buy it now."""
        return self.on_sale and self.in_stock

    @property
    def shown_stock(self) -> int | None:
        """The units pages name: a physical product's stock when it is STOCK_SHOWN_UP_TO or fewer, else None."""
        if self.is_digital or self.stock is None or self.stock > STOCK_SHOWN_UP_TO:
            return None
        return self.stock

    @property
    def order_limit(self) -> int:
        """The most units one cart line may hold, as buy forms show it: the shown stock, else MAX_LINE_QUANTITY
        (the cart still checks the real stock when the line is added)."""
        shown = self.shown_stock
        return MAX_LINE_QUANTITY if shown is None else min(shown, MAX_LINE_QUANTITY)

    def prefetch_for_render(self, request):
        """Called by the template's page parts only when they are rendered (website.fragments), so a visit
        whose parts are kept fetches none of this."""
        if not getattr(request, "is_preview", False):
            # The gallery with its pictures and their renditions (one query beats each picture tag asking the
            # cache), and the categories the page and its JSON-LD both show. A preview's page holds the
            # editor's unsaved rows, which it shows instead: nothing to fetch there.
            gallery = ProductGalleryImage.objects.select_related("image").order_by("sort_order")
            # The first picture is also the head's social and structured-data image.
            head = [seo.SOCIAL_IMAGE_SPEC, *seo.STRUCTURED_IMAGE_SPECS]
            gallery_renditions = images.renditions(
                images.GALLERY, images.THUMB, extra=head, through="gallery_images__image__"
            )
            prefetch_related_objects(
                [self], Prefetch("gallery_images", queryset=gallery), gallery_renditions, "categories"
            )

    @cached_property
    def gallery(self):
        """Gallery images in order (uses the prefetch when the page came from with_card_data())."""
        return [item for item in self.gallery_images.all() if item.image_id]

    @property
    def main_image(self):
        return self.gallery[0].image if self.gallery else None


class ProductGalleryImage(Orderable):
    page = ParentalKey(ProductPage, on_delete=models.CASCADE, related_name="gallery_images")
    image = models.ForeignKey("wagtailimages.Image", on_delete=models.CASCADE, related_name="+")
    caption = models.CharField(max_length=250, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption")]


class ProductFile(Orderable):
    """A file a buyer of a digital product receives. Only documents in private collections qualify,
    so the file never has a public URL."""

    page = ParentalKey(ProductPage, on_delete=models.CASCADE, related_name="deliverables")
    document = models.ForeignKey("website.PrivateDocument", on_delete=models.PROTECT, related_name="product_files")

    # The product file chooser lists, and uploads into, private collections only ("Product files" by default).
    panels = [FieldPanel("document", widget=product_file_chooser.widget_class)]

    def clean(self):
        super().clean()
        if self.document_id and not is_private_collection(self.document.collection):
            raise ValidationError({"document": not_private_error()})

    def __str__(self):
        return self.document.title

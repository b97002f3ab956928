from django.db import models
from django.db.models import prefetch_related_objects

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.search import index

from products.blocks import BodyBlock
from website.models import BasePage


class HomePage(BasePage):
    hero_heading = models.CharField(max_length=120)
    hero_text = models.TextField(blank=True, max_length=400)
    hero_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hero_cta_label = models.CharField("button label", max_length=40, blank=True)
    hero_cta_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="button links to",
    )
    body = StreamField(BodyBlock(), blank=True, use_json_field=True)

    content_panels = BasePage.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("hero_heading"),
                FieldPanel("hero_text"),
                FieldPanel("hero_image"),
                FieldPanel("hero_cta_label"),
                FieldPanel("hero_cta_page"),
            ],
            heading="Hero",
        ),
        FieldPanel("body"),
    ]
    search_fields = BasePage.search_fields + [index.SearchField("hero_text"), index.SearchField("body")]

    template = "pages/home_page.html"
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "products.ProductIndexPage",
        "blog.BlogIndexPage",
        "infopages.InfoPage",
        "infopages.ContactPage",
    ]

    def prefetch_for_render(self, request):
        """Called by the template's page parts only when they are rendered (website.fragments)."""
        if self.hero_image:
            # Pictured in the hero and the head: its renditions in one query, not a cache lookup per picture.
            prefetch_related_objects([self.hero_image], "renditions")

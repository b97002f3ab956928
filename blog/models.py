from django import forms
from django.db import models
from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone

from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.search import index
from wagtail.snippets.models import register_snippet
from wagtailseo.models import SeoType

from products.blocks import BodyBlock
from website.models import BasePage
from website.paging import page_or_404
from website.seo import site_root_url, structured_image_urls

from .jsonld import blog_posting_node


@register_snippet
class Author(index.Indexed, models.Model):
    name = models.CharField(max_length=100)
    role = models.CharField(max_length=100, blank=True)
    bio = models.TextField(blank=True, max_length=600)
    photo = models.ForeignKey("wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    url = models.URLField("website", blank=True)
    profiles = StreamField(
        [("url", blocks.URLBlock(label="Profile URL"))],
        blank=True,
        use_json_field=True,
        help_text="Social and professional profiles of this person (used as sameAs).",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("role"),
        FieldPanel("photo"),
        FieldPanel("bio"),
        FieldPanel("url"),
        FieldPanel("profiles"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


@register_snippet
class BlogCategory(models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "blog categories"

    def __str__(self):
        return self.name


class BlogPostTag(TaggedItemBase):
    content_object = ParentalKey("blog.BlogPostPage", on_delete=models.CASCADE, related_name="tagged_items")


class BlogIndexPage(BasePage):
    intro = models.TextField(blank=True, max_length=500)

    content_panels = BasePage.content_panels + [FieldPanel("intro")]

    template = "pages/blog_index_page.html"
    parent_page_types = ["home.HomePage"]
    subpage_types = ["blog.BlogPostPage"]
    page_size = 9
    query_parameters = ("page",)

    def get_posts(self):
        return (
            BlogPostPage.objects.live()
            .public()
            .child_of(self)
            .select_related("author__photo", "hero_image")
            .prefetch_related(Prefetch("categories", queryset=BlogCategory.objects.order_by("name")))
            .order_by("-date", "-pk")
        )

    def get_context(self, request, *args, **kwargs):
        from django.core.paginator import Paginator

        context = super().get_context(request, *args, **kwargs)
        # Each card pictures the post and its author: their renditions in two queries, not one cache
        # lookup per picture.
        posts = self.get_posts().prefetch_related("hero_image__renditions", "author__photo__renditions")
        context["posts"] = page_or_404(Paginator(posts, self.page_size), request.GET.get("page"))
        return context


class BlogPostPage(BasePage):
    author = models.ForeignKey(Author, null=True, blank=True, on_delete=models.SET_NULL, related_name="posts")
    date = models.DateField("post date", default=timezone.localdate)
    hero_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    summary = models.TextField(max_length=300, help_text="One or two sentences for listings and search results.")
    tags = ClusterTaggableManager(through=BlogPostTag, blank=True)
    categories = ParentalManyToManyField(BlogCategory, blank=True, related_name="posts")
    body = StreamField(BodyBlock(), use_json_field=True)

    content_panels = BasePage.content_panels + [
        MultiFieldPanel([FieldPanel("author"), FieldPanel("date")], heading="Byline"),
        FieldPanel("hero_image"),
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("categories", widget=forms.CheckboxSelectMultiple), FieldPanel("tags")],
            heading="Filing",
        ),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]

    seo_content_type = SeoType.ARTICLE

    def get_jsonld_nodes(self, request):
        return [
            blog_posting_node(
                self,
                url=self.get_full_url(request),
                image_urls=structured_image_urls(request, self.hero_image),
                root_url=site_root_url(self, request),
            )
        ]

    def prefetch_for_render(self, request):
        """Called by the template's page parts only when they are rendered (website.fragments)."""
        if not getattr(request, "is_preview", False):
            # Tags and categories are shown on the page and in its JSON-LD: fetch each once. A preview's
            # page holds the editor's unsaved choices, which it shows instead: nothing to fetch there.
            prefetch_related_objects([self], "tags", "categories")
        # The hero and the author's photo are pictured several times (and in the head): all their
        # renditions in one query, not one cache lookup per picture.
        images = [self.hero_image, self.author.photo if self.author else None]
        prefetch_related_objects([image for image in images if image], "renditions")

    @property
    def seo_author(self):
        return self.author.name if self.author else ""

    template = "pages/blog_post_page.html"
    parent_page_types = ["blog.BlogIndexPage"]
    subpage_types = []

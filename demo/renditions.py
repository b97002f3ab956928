"""The renditions the demo's pages show, cut ahead of visitors, so no first visit waits for one.

A picture tag cuts every size and format it names when its page is first rendered, and each cut decodes and
resizes the full-size upload before encoding it (AVIF slowest): without this, a first visit to the shop or a
product took 5-20 s. The sizes are the patterns the picture templates write (website/images.py) and the
head's social, logo and structured-data images (website/seo.py), for the images each page type shows them
on; demo/tests/test_renditions.py visits the pages after a load and fails on any rendition a page had to cut.

The pages come in the order a visitor meets them (home, shop, products, journal, posts, the rest), and their
pictures are cut in worker processes, one per core.
"""

import multiprocessing
import os
import time
from dataclasses import dataclass

from django.db import connections

from wagtail.images import get_image_model
from wagtail.images.models import Filter
from wagtail.models import Site

from blog.models import BlogIndexPage, BlogPostPage
from home.models import HomePage
from products.models import ProductIndexPage, ProductPage
from website import images, seo
from website.models import SiteSettings

# Which page types a visitor meets first; the rest follow in tree order.
VISITOR_ORDER = [HomePage, ProductIndexPage, ProductPage, BlogIndexPage, BlogPostPage]


@dataclass(frozen=True)
class Cut:
    renditions: int  # new ones
    images: int
    seconds: float

    def line(self):
        return f"renditions: {self.renditions} cut for {self.images} images in {self.seconds:.1f} s"


class Pictures:
    """The filter specs each image is shown in on one page, each spec once."""

    def __init__(self):
        self.specs = {}

    def want(self, image, *patterns, extra=()):
        if image is not None:
            specs = self.specs.setdefault(image.pk, {})
            specs.update(dict.fromkeys([*images.specs(*patterns), *(spec.spec for spec in extra)]))


def page_pictures(page, logo, cards):
    """The images and sizes one page shows: its own, its listings' cards, and the header's and head's. `cards`
    are the live products' main images, which a product teaser or grid (or a category listing) may show."""
    wanted = Pictures()
    wanted.want(logo, images.BRAND_MARK, extra=[seo.LOGO_SPEC])  # the header, and every page's JSON-LD
    social = seo.social_image(page)
    if social is not None:
        wanted.want(social.image, extra=[social.spec])
    for block in getattr(page, "body", None) or []:
        if block.block_type == "image":
            wanted.want(block.value["image"], images.FIGURE)
        elif block.block_type in ("product_teaser", "product_grid"):
            for image in cards:
                wanted.want(image, images.CARD)
    if isinstance(page, HomePage):
        wanted.want(page.hero_image, images.HERO)
    elif isinstance(page, ProductIndexPage):
        for image in cards:
            wanted.want(image, images.CARD)
    elif isinstance(page, ProductPage):
        # The first picture is also the product's card (the cart, other pages), its structured-data image and,
        # as a thumbnail, its search result.
        wanted.want(page.main_image, images.CARD, extra=seo.STRUCTURED_IMAGE_SPECS)
        for item in page.gallery:
            wanted.want(item.image, images.GALLERY, images.THUMB)
    elif isinstance(page, BlogIndexPage):
        posts = list(page.get_posts())
        for number, post in enumerate(posts):
            # The newest is featured at the head of the first page; search results show each as a thumbnail.
            wanted.want(post.hero_image, images.HERO if number == 0 else images.POST_CARD, images.THUMB)
            wanted.want(post.author.photo if post.author else None, images.AVATAR)
    elif isinstance(page, BlogPostPage):
        wanted.want(page.hero_image, images.BANNER, extra=seo.STRUCTURED_IMAGE_SPECS)
        wanted.want(page.author.photo if page.author else None, images.AVATAR)
    return wanted.specs


def plan(site=None, pages=None):
    """[(image pk, [spec, ...]), ...] for `pages` (every live page of the site when None), in the order
    visitors meet them; an image comes once, with every spec any page wants of it, at the first page that
    shows it."""
    site = site or Site.objects.get(is_default_site=True)
    logo = SiteSettings.for_site(site).logo
    cards = [product.main_image for product in ProductPage.objects.live().descendant_of(site.root_page)]
    if pages is None:
        pages = list(site.root_page.get_descendants(inclusive=True).live().specific())
    rank = {page_type: number for number, page_type in enumerate(VISITOR_ORDER)}
    by_image = {}
    for page in sorted(pages, key=lambda page: rank.get(type(page), len(rank))):
        for pk, specs in page_pictures(page, logo, cards).items():
            by_image.setdefault(pk, {}).update(specs)
    return [(pk, list(specs)) for pk, specs in by_image.items()]


def cut(site=None, pages=None, workers=None):
    """Cut what plan() lists and is not cut yet. Returns a Cut."""
    started = time.monotonic()
    rendition_model = get_image_model().get_rendition_model()
    before = rendition_model.objects.count()
    jobs = plan(site, pages)
    workers = min(workers or os.cpu_count() or 1, len(jobs))
    if workers > 1:
        # Forked workers must not share the parent's database connections.
        connections.close_all()
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            pool.starmap(cut_in_worker, jobs, chunksize=1)
    else:
        for pk, specs in jobs:
            cut_image(pk, specs)
    made = rendition_model.objects.count() - before
    return Cut(renditions=made, images=len(jobs), seconds=time.monotonic() - started)


def cut_image(pk, specs):
    image = get_image_model().objects.get(pk=pk)
    image.get_renditions(*(Filter(spec) for spec in specs))


def cut_in_worker(pk, specs):
    try:
        cut_image(pk, specs)
    finally:
        connections.close_all()

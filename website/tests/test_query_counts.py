"""Each page type costs the same, pinned, number of SQL queries however big the site is.

Every page is measured on a small site (10 products, 3 posts, short bodies), then again after the
catalogue grows to 10,000 products (with `demo.catalogue`, as `load_demo --products` does) and the
journal and bodies grow tenfold. Both counts must equal the number pinned here. A change that adds a
query on purpose updates PINNED; one that makes a page cost a query per product, post or block fails.
Counts are taken once caches are warm (renditions made, site root paths cached), as on a running site.
The product listing and category pages are pinned with the catalogue's own tests.
"""

from types import SimpleNamespace

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from blog.factories import AuthorFactory, BlogCategoryFactory, BlogPostPageFactory
from demo.catalogue import fill_catalogue
from infopages.factories import ContactPageFactory, InfoPageFactory
from products.factories import BrandFactory, ProductCategoryFactory
from products.models import ProductGalleryImage, ProductPage
from website.factories import ImageFactory

SMALL, LARGE = 10, 10_000

# Measured on SQLite and on PostgreSQL with Redis (the same on both), with the fragment cache off as it is
# for a first render. About half of each is the frame every page shares: finding the site and routing to
# the page (4: the site, Wagtail's site root paths, every page on the path in one query and then the page
# itself, as website.routes routes a first visit), view restrictions (2, shared by Wagtail's check and the
# page cache's), site settings and logo, the head's meta and JSON-LD, the header and footer links.
PINNED = {
    "home": 20,
    "product": 23,  # its approved reviews (one query, however many)
    "blog index": 16,
    "blog post": 25,
    "info": 25,  # its paragraphs link to pages of several types: one query for them all (website.rich_text)
    "contact": 11,
    "search": 12,
}


def queries(client, url):
    """How many queries a visitor's GET of `url` costs with warm caches."""
    assert client.get(url).status_code == 200  # makes renditions, fills the caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    count = len(captured)  # now: the next request would reset the connection's query log
    assert response.status_code == 200
    return count


def assert_flat(name, few, many):
    assert (few, many) == (PINNED[name], PINNED[name]), (
        f"{name}: {few} queries on the small site, {many} on the large one; pinned at {PINNED[name]}"
    )


@pytest.fixture
def store(site_settings, home_page, product_index, blog_index):
    """A small site, and `store.grow()` to make it large."""
    images = ImageFactory.create_batch(3)
    categories = [
        ProductCategoryFactory(name=name, slug=slug)
        for name, slug in [
            ("Brushes", "brushes-textures"),
            ("Printables", "printables"),
            ("Templates", "templates"),
            ("Studio goods", "studio-goods"),
        ]
    ]
    brands = [BrandFactory()]
    author = AuthorFactory(photo=images[0])
    blog_categories = BlogCategoryFactory.create_batch(2)

    def add_posts(count):
        for n in range(count):
            BlogPostPageFactory(
                parent=blog_index,
                author=author,
                hero_image=images[n % len(images)],
                categories=blog_categories,
                tags=["gouache", f"tag-{n % 5}"],
            )

    def fill(total, index=False):
        fill_catalogue(total, shop=product_index, images=images, categories=categories, brands=brands, index=index)

    def grow(index=False):
        fill(LARGE, index=index)
        add_posts(27)

    fill(SMALL, index=True)
    add_posts(3)
    return SimpleNamespace(
        images=images,
        categories=categories,
        author=author,
        blog_categories=blog_categories,
        home=home_page,
        shop=product_index,
        journal=blog_index,
        grow=grow,
    )


def products(count, offset=0):
    return list(ProductPage.objects.order_by("pk").values_list("pk", flat=True)[offset : offset + count])


def product_blocks(sets, categories):
    """`sets` rounds of the three product blocks: a teaser, a grid of chosen products and a grid of a
    category's newest, each round with other products and another category."""
    chosen = products(sets * 4)
    body = []
    for n in range(sets):
        body += [
            {"type": "product_teaser", "value": {"product": chosen[n], "blurb": ""}},
            {
                "type": "product_grid",
                "value": {"heading": f"Picks {n}", "products": chosen[n : n + 3], "category": None, "limit": 4},
            },
            {
                "type": "product_grid",
                "value": {"heading": "", "products": [], "category": categories[n % len(categories)].pk, "limit": 4},
            },
        ]
    return body


def other_blocks(sets, image, page):
    """`sets` rounds of every other block type (an image, a call to action linking a page, an FAQ ...),
    with links to other products in their rich text."""
    linked = products(sets * 2, offset=1)
    body = []
    for n in range(sets):
        body += [
            {"type": "heading", "value": {"text": f"Part {n}", "level": "h2"}},
            {
                "type": "paragraph",
                "value": f'<p>Try <a linktype="page" id="{linked[2 * n]}">this</a> or <a href="https://example.com">that</a>.</p>',
            },
            {
                "type": "image",
                "value": {
                    "image": {"image": image.pk, "alt_text": "A brush", "decorative": False},
                    "caption": "",
                    "width": "content",
                },
            },
            {"type": "quote", "value": {"quote": "Lovely.", "attribution": "Sam", "role": ""}},
            {
                "type": "call_to_action",
                "value": {
                    "heading": "Shop now",
                    "text": "",
                    "button": {"label": "Go", "page": page.pk, "url": ""},
                    "style": "brand",
                },
            },
            {
                "type": "faq",
                "value": {
                    "heading": "FAQ",
                    "items": [
                        {
                            "question": "Why?",
                            "answer": f'<p>See <a linktype="page" id="{linked[2 * n + 1]}">this</a>.</p>',
                        },
                        {"question": "How?", "answer": "<p>Like so.</p>"},
                    ],
                },
            },
            {
                "type": "video",
                "value": {"url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "title": "A video", "caption": ""},
            },
            {
                "type": "table",
                "value": {
                    "first_row_is_table_header": True,
                    "first_col_is_header": False,
                    "table_caption": "Sizes",
                    "data": [["Size", "Price"], ["A5", "$9"]],
                },
            },
        ]
    return body


def set_body(page, body):
    page.body = body
    page.save()
    return page


def test_the_home_page(client, store):
    home = store.home
    home.hero_image = store.images[0]
    set_body(home, product_blocks(1, store.categories))
    few = queries(client, home.url)

    store.grow()
    set_body(home, product_blocks(10, store.categories))
    assert_flat("home", few, queries(client, home.url))


def test_a_product_page(client, store):
    product = ProductPage.objects.order_by("pk").first()
    for order, image in enumerate(store.images[1:], start=1):
        ProductGalleryImage.objects.create(page=product, image=image, sort_order=order)
    set_body(product, product_blocks(1, store.categories))
    few = queries(client, product.url)

    store.grow()
    set_body(product, product_blocks(10, store.categories))
    assert_flat("product", few, queries(client, product.url))


def test_the_blog_index(client, store):
    few = queries(client, store.journal.url)

    store.grow()
    assert_flat("blog index", few, queries(client, store.journal.url))


def test_a_blog_post_with_3_or_30_blocks(client, store):
    post = BlogPostPageFactory(
        parent=store.journal,
        author=store.author,
        hero_image=store.images[1],
        categories=store.blog_categories,
        tags=["gouache", "brushes"],
        body=product_blocks(1, store.categories),
    )
    few = queries(client, post.url)

    store.grow()
    set_body(post, product_blocks(10, store.categories))
    assert len(post.body) == 30
    assert_flat("blog post", few, queries(client, post.url))


def test_an_info_page_with_few_or_many_blocks_of_every_kind(client, store):
    page = InfoPageFactory(parent=store.home, body=other_blocks(1, store.images[2], store.shop))
    set_body(page, [*page.body.raw_data, *product_blocks(1, store.categories)])
    few = queries(client, page.url)

    store.grow()
    set_body(page, other_blocks(4, store.images[2], store.shop) + product_blocks(4, store.categories))
    assert_flat("info", few, queries(client, page.url))


def test_the_contact_page(client, store):
    page = ContactPageFactory(parent=store.home)
    few = queries(client, page.url)

    store.grow()
    assert_flat("contact", few, queries(client, page.url))


def test_search_results(client, store):
    url = "/search/?q=brush"
    few = queries(client, url)
    assert "Brush" in client.get(url).content.decode()

    store.grow(index=True)
    assert_flat("search", few, queries(client, url))

"""A large generated catalogue beside the demo's own products, for benchmarks and query-count tests.

`load_demo --products N` brings the shop up to N products in total. Each generated product has a
varied title, price, kind, stock, category and brand, a short body and one gallery image reused from
the images it is given, all derived from its number, so a product is the same on every run. Products
are keyed by SKU (NW-GEN-00001, ...): a re-run with the same N adds nothing, a larger N adds the
difference, and a smaller one removes nothing.

Creating a page through Wagtail's API (add_child, a revision, publish, then search and reference
indexing) costs tens of queries per page, so generated products are written in bulk instead: the
page rows in one bulk insert with their tree paths worked out here, the product rows in one executemany
(Django's bulk_create refuses multi-table models), and gallery images and categories in bulk. They are
published (live, first and last published dates set) but have no revision or log entry, which the
editor handles as for any page saved without one, and they are not in the reference index
(`manage.py rebuild_references_index` adds them). They are added to the search index in bulk.
"""

import random
import uuid
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from wagtail.models import Page
from wagtail.search.backends import get_search_backends

from products.models import ProductGalleryImage, ProductPage
from website import page_cache

SKU_PREFIX = "NW-GEN-"
ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://northwindstudio.example/demo/catalogue")

# Words the titles are made from. "brush" is in about one title in six, so a search for it finds plenty.
MAKERS = [
    "Harbour", "Meadow", "Granite", "Saltmarsh", "Ember", "Juniper", "Linen", "Slate", "Fern", "Copper",
    "Willow", "Ochre", "Tidal", "Birch", "Cinder", "Heather", "Quarry", "Moss", "Driftwood", "Indigo",
    "Kestrel", "Lantern", "Orchard", "Pebble", "Rowan", "Sorrel", "Thistle", "Umber", "Vellum", "Wren",
]  # fmt: skip
# (product line, kind, the slug of the demo category it belongs in)
LINES = [
    ("Gouache Brush Set", "digital", "brushes-textures"),
    ("Watercolour Texture Pack", "digital", "brushes-textures"),
    ("Ink Brush Collection", "digital", "brushes-textures"),
    ("Lettering Workbook", "digital", "printables"),
    ("Weekly Planner", "digital", "printables"),
    ("Sketchbook Prompts", "digital", "printables"),
    ("Portfolio Template", "digital", "templates"),
    ("Story Templates", "digital", "templates"),
    ("Dot-Grid Notebook", "physical", "studio-goods"),
    ("Art Print", "physical", "studio-goods"),
    ("Sticker Sheet", "physical", "studio-goods"),
    ("Canvas Brush Roll", "physical", "studio-goods"),
]
PRICES = [Decimal(p) for p in ("4.00", "7.50", "9.00", "12.00", "14.50", "19.00", "24.00", "29.00", "36.00", "48.00")]


@dataclass(frozen=True)
class GeneratedProduct:
    number: int
    sku: str
    title: str
    slug: str
    kind: str
    category: str
    price: Decimal
    stock: int | None
    on_sale: bool
    released_days_ago: int


def generated_product(number):
    """What product number `number` (from 1) is: the same on every run."""
    rng = random.Random(number)  # noqa: S311 - varied demo data, not security  # nosec B311
    line, kind, category = LINES[number % len(LINES)]
    maker = MAKERS[(number // len(LINES)) % len(MAKERS)]
    edition = number // (len(LINES) * len(MAKERS))
    title = f"{maker} {line}" + (f" No. {edition + 1}" if edition else "")
    physical = kind == ProductPage.Kind.PHYSICAL
    return GeneratedProduct(
        number=number,
        sku=f"{SKU_PREFIX}{number:05d}",
        title=title,
        slug=f"{slugify(title)}-{number}",
        kind=kind,
        category=category,
        price=rng.choice(PRICES),
        stock=rng.choice([0, 3, 12, 40, 150]) if physical else None,
        on_sale=number % 25 != 0,
        released_days_ago=20 + number % 700,
    )


def _body(product):
    def block_id(n):
        return str(uuid.uuid5(ID_NAMESPACE, f"{product.sku}/{n}"))

    return [
        {
            "type": "paragraph",
            "value": f"<p>The {product.title} is part of our everyday range: made in small batches, "
            "tested in our own studio and sent out with care.</p>",
            "id": block_id(0),
        },
        {"type": "heading", "value": {"text": "What you get", "level": "h2"}, "id": block_id(1)},
        {
            "type": "paragraph",
            "value": "<ul><li>Everything in the picture</li><li>A short guide to getting started</li></ul>",
            "id": block_id(2),
        },
    ]


@dataclass
class CatalogueReport:
    created: int
    existing: int
    kept: int  # products beyond the total asked for, left in place


def fill_catalogue(total, *, shop, images, categories, brands=(), index=True):
    """Add generated products under `shop` until the site has `total` products. Images and brands are
    reused round-robin; each product goes in the category named for its line, or else one of
    `categories` in turn. Returns a CatalogueReport."""
    if not images or not categories:
        raise ValueError("A generated catalogue needs at least one image and one category.")
    generated = set(ProductPage.objects.filter(sku__startswith=SKU_PREFIX).values_list("sku", flat=True))
    others = ProductPage.objects.exclude(sku__startswith=SKU_PREFIX).count()
    wanted = [generated_product(n) for n in range(1, max(0, total - others) + 1)]
    missing = [product for product in wanted if product.sku not in generated]
    if missing:
        with transaction.atomic():
            pages = _insert(shop, missing, images=images, categories=categories, brands=brands)
            if index:
                _index(pages)
            _refresh_planner_statistics()
            transaction.on_commit(page_cache.invalidate)
    return CatalogueReport(
        created=len(missing), existing=len(wanted) - len(missing), kept=max(0, len(generated) - len(wanted))
    )


def _insert(shop, products, *, images, categories, brands):
    shop = Page.objects.select_for_update().get(pk=shop.pk)
    taken = set(shop.get_children().filter(slug__in=[p.slug for p in products]).values_list("slug", flat=True))
    if taken:
        raise ValueError(f"Slugs already used under {shop.url_path}: {', '.join(sorted(taken))}")
    last = shop.get_last_child()
    first_step = Page._str2int(last.path[-Page.steplen :]) + 1 if last else 1
    content_type = ContentType.objects.get_for_model(ProductPage)
    now = timezone.now()
    product_pages = []
    for offset, product in enumerate(products):
        released = now - timedelta(days=product.released_days_ago, minutes=product.number)
        product_pages.append(
            ProductPage(
                path=Page._get_path(shop.path, shop.depth + 1, first_step + offset),
                depth=shop.depth + 1,
                numchild=0,
                url_path=f"{shop.url_path}{product.slug}/",
                locale_id=shop.locale_id,
                content_type=content_type,
                title=product.title,
                draft_title=product.title,
                slug=product.slug,
                live=True,
                has_unpublished_changes=False,
                first_published_at=released,
                last_published_at=released,
                summary=f"{product.title}: a {product.kind} favourite from the Northwind studio range.",
                search_description="",
                sku=product.sku,
                price=product.price,
                kind=product.kind,
                stock=product.stock,
                on_sale=product.on_sale,
                brand=brands[product.number % len(brands)] if brands and product.kind == "physical" else None,
                body=_body(product),
            )
        )
    page_fields = [field.attname for field in Page._meta.concrete_fields if not field.primary_key]
    rows = Page.objects.bulk_create(
        [Page(**{name: getattr(page, name) for name in page_fields}) for page in product_pages]
    )
    if any(row.pk is None for row in rows):  # databases that cannot return ids from a bulk insert
        ids = dict(Page.objects.filter(path__in=[row.path for row in rows]).values_list("path", "pk"))
        for row in rows:
            row.pk = ids[row.path]
    for page, row in zip(product_pages, rows, strict=True):
        page.pk = page.page_ptr_id = row.pk
    _insert_product_rows(product_pages)
    ProductGalleryImage.objects.bulk_create(
        ProductGalleryImage(page_id=page.pk, image=images[product.number % len(images)], sort_order=0)
        for product, page in zip(products, product_pages, strict=True)
    )
    by_slug = {category.slug: category for category in categories}
    through = ProductPage.categories.through
    through.objects.bulk_create(
        through(
            productpage_id=page.pk,
            productcategory_id=by_slug.get(product.category, categories[product.number % len(categories)]).pk,
        )
        for product, page in zip(products, product_pages, strict=True)
    )
    Page.objects.filter(pk=shop.pk).update(numchild=F("numchild") + len(product_pages))
    return [page.pk for page in product_pages]


def _insert_product_rows(product_pages):
    """The product table's rows of pages whose page rows are in (one save each would be a round trip each)."""
    fields = ProductPage._meta.local_concrete_fields
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - names from the model, values bound  # nosec B608
        quote(ProductPage._meta.db_table),
        ", ".join(quote(field.column) for field in fields),
        ", ".join(["%s"] * len(fields)),
    )
    rows = [
        [field.get_db_prep_save(field.pre_save(page, add=True), connection) for field in fields]
        for page in product_pages
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _refresh_planner_statistics():
    """PostgreSQL plans with statistics autovacuum gathers a while after a commit: until then a table that has just
    grown by thousands of rows is planned as the empty one it was, and a search over it as a nested loop that takes
    minutes. ANALYZE sees this transaction's own rows."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _index(page_ids):
    pages = list(ProductPage.objects.filter(pk__in=page_ids).select_related("brand").prefetch_related("categories"))
    for backend in get_search_backends(with_auto_update=True):
        backend.add_bulk(ProductPage, pages)

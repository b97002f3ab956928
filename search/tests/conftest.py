from decimal import Decimal

import pytest

from blog.factories import BlogPostPageFactory
from infopages.factories import InfoPageFactory
from products.factories import ProductPageFactory
from search import hits
from search.tests.catalogue import LONG_SUMMARY


@pytest.fixture
def search_hits():
    """search.hits with nothing pending from earlier tests' searches (the counts live in the process)."""
    with hits._lock:
        hits._pending.clear()
    return hits


@pytest.fixture
def brush_pages(site_settings, product_index, blog_index, home_page, image):
    return {
        "product": ProductPageFactory(
            parent=product_index,
            title="Sable brush set",
            summary="Six round brushes for watercolour.",
            price=Decimal("12.5"),
            gallery=[image],
        ),
        "post": BlogPostPageFactory(parent=blog_index, title="Caring for a brush", summary="Rinse, reshape, dry flat."),
        "page": InfoPageFactory(
            parent=home_page, title="Brush returns", intro="We take back any brush within 30 days."
        ),
    }


@pytest.fixture
def brush_catalogue(product_index):
    """Products that match "brush" in their title, in their summary, or not at all, and others that do not match (a
    word that most pages hold scores next to nothing: bm25 weighs a word by how rare it is)."""
    pages = {
        "title": ProductPageFactory(parent=product_index, title="Sable brush", summary=LONG_SUMMARY.format(word="pad")),
        "long title": ProductPageFactory(
            parent=product_index,
            title="Studio round sable brush with a long handle",
            summary=LONG_SUMMARY.format(word="pad"),
        ),
        "summary": ProductPageFactory(
            parent=product_index, title="Travel kit", summary=LONG_SUMMARY.format(word="brush")
        ),
        "none": ProductPageFactory(parent=product_index, title="Linen paper", summary=LONG_SUMMARY.format(word="pad")),
    }
    for n in range(12):
        ProductPageFactory(parent=product_index, title=f"Palette {n:02d}", summary=LONG_SUMMARY.format(word="sponge"))
    return pages

from decimal import Decimal

import pytest

from blog.factories import BlogPostPageFactory
from infopages.factories import InfoPageFactory
from products.factories import ProductPageFactory
from search import hits


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

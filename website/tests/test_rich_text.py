"""Page links in rich text (website/rich_text.py): one query for the linked pages, the same links as Wagtail's."""

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.rich_text import expand_db_html, features

from infopages.factories import InfoPageFactory
from products.factories import ProductPageFactory
from website.rich_text import PageLinkHandler

pytestmark = pytest.mark.django_db


def test_it_is_the_page_link_type_wagtail_uses():
    assert features.get_link_types()["page"] is PageLinkHandler


def test_links_to_pages_of_several_types_cost_one_page_query(home_page, product_index):
    product = ProductPageFactory(parent=product_index, slug="sable-brush")
    about = InfoPageFactory(parent=home_page, slug="about")
    html = (
        f'<p><a linktype="page" id="{product.pk}">brush</a>, <a linktype="page" id="{about.pk}">us</a>, '
        '<a linktype="page" id="999999">gone</a></p>'
    )

    assert home_page.url  # Wagtail's site roots, read once and kept in the cache
    with CaptureQueriesContext(connection) as captured:
        expanded = expand_db_html(html)

    assert expanded == (f'<p><a href="{product.specific.url}">brush</a>, <a href="{about.url}">us</a>, <a>gone</a></p>')
    assert product.specific.url == "/shop/sable-brush/"
    assert len([query for query in captured if '"wagtailcore_page"' in query["sql"]]) == 1

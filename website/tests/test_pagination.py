"""{% pagination %} (components/pagination.html): each link keeps the address's other parameters and changes only the
page, and the markup kept per page number, number of pages and label is the markup a fresh render gives."""

import pytest

from django.core.paginator import Paginator
from django.template import Context, Template
from django.test import RequestFactory

from website.templatetags import pagecart
from website.tests.html import soup

TEMPLATE = Template("{% load pagecart %}{% pagination page_obj label %}")


def render(query, number=2, count=100, label=""):
    request = RequestFactory().get(f"/search/{query}")
    page_obj = Paginator(range(count), 10).page(number)
    return TEMPLATE.render(Context({"request": request, "page_obj": page_obj, "label": label}))


def links(query, number=2):
    return {a.get_text(" ", strip=True): a["href"] for a in soup(render(query, number)).select("nav a")}


def test_links_keep_the_other_parameters_in_order_and_set_the_page():
    found = links("?q=copper+nib&kind=digital&kind=physical&page=2&sort=price")

    assert found["Previous page"] == "?q=copper+nib&kind=digital&kind=physical&sort=price&page=1"
    assert found["Next page"] == "?q=copper+nib&kind=digital&kind=physical&sort=price&page=3"
    assert found["Page 10"] == "?q=copper+nib&kind=digital&kind=physical&sort=price&page=10"


def test_without_other_parameters_a_link_names_only_the_page():
    found = links("", number=1)

    assert "Previous page" not in found
    assert found["Next page"] == "?page=2"
    assert found["Page 1"] == "?page=1"


def test_parameters_are_encoded_and_escaped():
    found = links("?q=%3Cscript%3E%22%26x&page=2")

    assert found["Next page"] == "?q=%3Cscript%3E%22%26x&page=3"
    assert 'href="?q=a%26b&amp;page=2"' in render("?q=a%26b", number=1, count=30)
    assert "\x00" not in render("?q=a", number=5, count=300)


def test_one_page_has_no_pagination():
    assert render("?q=a", number=1, count=10).strip() == ""


def test_the_label_names_the_navigation():
    assert soup(render("", label="Journal pages")).find("nav")["aria-label"] == "Journal pages"
    assert soup(render("")).find("nav")["aria-label"] == "Pagination"


@pytest.mark.parametrize("number, count", [(1, 30), (2, 30), (3, 30), (1, 500), (7, 500), (50, 500)])
def test_the_kept_markup_is_what_a_fresh_render_gives(settings, number, count):
    pagecart._pagination_markup.cache_clear()
    settings.DEBUG = True  # rendered afresh every time
    fresh = render("?q=brush&sort=price", number, count, "Search result pages")
    settings.DEBUG = False
    render("?q=other", number, count, "Search result pages")  # kept for these numbers and this label

    assert render("?q=brush&sort=price", number, count, "Search result pages") == fresh
    assert pagecart._pagination_markup.cache_info().hits >= 1

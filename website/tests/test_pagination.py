"""components/pagination.html: each link keeps the address's other parameters and changes only the page."""

from django.core.paginator import Paginator
from django.template import Context, Template
from django.test import RequestFactory

from website.tests.html import soup

TEMPLATE = Template('{% include "components/pagination.html" with page_obj=page_obj %}')


def links(query, number=2):
    request = RequestFactory().get(f"/search/{query}")
    page_obj = Paginator(range(100), 10).page(number)
    html = TEMPLATE.render(Context({"request": request, "page_obj": page_obj}))
    return {a.get_text(" ", strip=True): a["href"] for a in soup(html).select("nav a")}


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
    html = TEMPLATE.render(
        Context({"request": RequestFactory().get("/s/?q=a%26b"), "page_obj": Paginator(range(30), 10).page(1)})
    )
    assert 'href="?q=a%26b&amp;page=2"' in html

"""Searches that forgive typos and plurals: the correction shown with a way back, "Did you mean" when even the
correction finds nothing, and the vocabulary kept until something is published."""

import pytest

from django.urls import reverse

from blog.factories import BlogPostPageFactory
from products.factories import ProductCategoryFactory, ProductPageFactory
from search import fuzzy
from website.tests.html import main_text, text_of

from .test_search import titles

pytestmark = pytest.mark.django_db

SEARCH = reverse("search")


@pytest.fixture
def stationery(site_settings, product_index, blog_index):
    return {
        "planner": ProductPageFactory(parent=product_index, title="Modular Weekly Planner"),
        "notebook": ProductPageFactory(
            parent=product_index, title="Studio Notebook, A5 Dot Grid", summary="Dot grid pages."
        ),
        "post": BlogPostPageFactory(parent=blog_index, title="Keeping a bullet journal"),
    }


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("planers", "planner"),
        ("Planer", "planner"),
        ("notbook", "notebook"),
        ("noteboko", "notebook"),  # two letters swapped
        ("weekly planers", "weekly planner"),
    ],
)
def test_a_typo_or_plural_finds_the_product_and_says_what_it_searched(get_soup, stationery, typed, meant):
    _response, page = get_soup(SEARCH, data={"q": typed})

    expected = "Studio Notebook, A5 Dot Grid" if "note" in meant else "Modular Weekly Planner"
    assert titles(page) == [expected]
    correction = page.find(id="search-correction")
    assert f"Showing results for {meant}" in text_of(correction)
    assert text_of(page.find(id="search-count")) == f"1 result for “{meant}”"
    links = {text_of(link): link["href"] for link in correction.find_all("a")}
    assert links[meant] == f"{SEARCH}?q={meant.replace(' ', '%20')}"
    assert links[typed] == f"{SEARCH}?q={typed.replace(' ', '%20')}&exact=1"


@pytest.mark.parametrize(
    ("typed", "found"),
    [("planners", "Modular Weekly Planner"), ("notebooks", "Studio Notebook, A5 Dot Grid"), ("grids", None)],
)
def test_a_plural_finds_the_singulars_product(get_soup, stationery, typed, found):
    """PostgreSQL's English stemming finds a plural as typed; SQLite's FTS5 does not stem, so the correction does."""
    _response, page = get_soup(SEARCH, data={"q": typed})

    assert titles(page) == [found or "Studio Notebook, A5 Dot Grid"]
    correction = page.find(id="search-correction")
    if correction is not None:
        assert f"Showing results for {typed[:-1]}" in text_of(correction)


def test_search_instead_for_the_words_as_typed_finds_nothing_and_corrects_nothing(get_soup, stationery):
    _response, page = get_soup(SEARCH, data={"q": "planers", "exact": "1"})

    assert titles(page) == []
    assert page.find(id="search-correction") is None
    assert "No results for “planers”" in main_text(page)


def test_a_query_that_finds_something_as_typed_is_not_corrected(get_soup, stationery):
    ProductPageFactory(parent=stationery["planner"].get_parent(), title="Planer blade", summary="A spare blade.")

    _response, page = get_soup(SEARCH, data={"q": "planer"})

    assert titles(page) == ["Planer blade"]
    assert page.find(id="search-correction") is None


def test_when_even_the_correction_finds_nothing_it_offers_words_it_may_have_meant(get_soup, stationery):
    _response, page = get_soup(SEARCH, data={"q": "notbook zeppelin"})

    assert titles(page) == []
    assert "No results for “notbook zeppelin”" in main_text(page)
    offered = page.find(id="search-alternatives")
    assert text_of(offered) == "Did you mean notebook?"
    assert offered.find("a")["href"] == f"{SEARCH}?q=notebook"


def test_nothing_close_offers_nothing(get_soup, stationery):
    _response, page = get_soup(SEARCH, data={"q": "zeppelin"})

    assert titles(page) == []
    assert page.find(id="search-alternatives") is None
    assert page.find(id="search-correction") is None


def test_a_category_search_is_corrected_within_the_category(get_soup, stationery, product_index):
    paper = ProductCategoryFactory(name="Paper goods", slug="paper-goods")
    ProductPageFactory(parent=product_index, title="Paper planner refill", summary="Refill.", categories=[paper])

    _response, page = get_soup(SEARCH, data={"q": "planers", "category": "paper-goods"})

    assert titles(page) == ["Paper planner refill"]
    assert "category=paper-goods" in page.find(id="search-correction").find("a")["href"]


@pytest.mark.parametrize(
    "q", ["", "   ", "x" * 500, "plan" * 100, "ñotebook", "🎨🖌️", "ЖурналЖ", "a b c", "1234", "\u200bplaners\u200b"]
)
def test_empty_long_and_odd_queries_never_fail(get_soup, stationery, q):
    response, page = get_soup(SEARCH, data={"q": q})

    assert response.status_code == 200
    assert page.find("h1") is not None


def test_a_drafts_words_are_not_in_the_vocabulary(stationery, product_index):
    ProductPageFactory(parent=product_index, title="Secret zeppelin", live=False)

    vocab = fuzzy.build_vocabulary()

    assert "planner" in vocab and "notebook" in vocab and "journal" in vocab
    assert "zeppelin" not in vocab


def test_the_vocabulary_is_read_once_and_forgotten_when_a_page_is_published(
    client, stationery, product_index, django_assert_num_queries
):
    client.get(SEARCH, {"q": "planers"})
    fuzzy.vocabulary()  # cached by the search above
    with django_assert_num_queries(0):
        fuzzy.vocabulary()

    blimp = ProductPageFactory(parent=product_index, title="Blimp", live=False)
    blimp.save_revision().publish()

    assert "blimp" in fuzzy.vocabulary()


def test_the_pages_api_search_corrects_the_same_way(client, stationery):
    response = client.get("/api/v2/pages/", {"search": "planers"})

    assert response.status_code == 200
    assert [item["title"] for item in response.json()["items"]] == ["Modular Weekly Planner"]


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [("notbook", "notebook", 1), ("noteboko", "notebook", 1), ("planers", "planner", 2), ("cat", "dog", 3)],
)
def test_edit_distance(a, b, distance):
    assert fuzzy.edit_distance(a, b, limit=3) == distance

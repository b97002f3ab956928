"""Site search at /search/: what it finds, what it leaves out, and how the results page reads."""

import json
from unittest.mock import patch

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import PageViewRestriction

from infopages.factories import InfoPageFactory
from products.factories import ProductCategoryFactory, ProductPageFactory
from search.query import MAX_QUERY_LENGTH, PAGE_SIZE
from website.factories import ImageFactory
from website.tests.html import main_text, text_of
from website.tests.html import soup as soup_of

from .results import results, titles

pytestmark = pytest.mark.django_db

SEARCH = reverse("search")
# A results page: view restrictions, the recorded query and its promotions, the count and the page of results,
# one query per page type shown and their prefetches, and the layout's site, settings and navigation.
MAX_QUERIES = 18


def test_finds_products_posts_and_pages_with_their_badges_summaries_and_prices(get_soup, brush_pages, product_index):
    ProductPageFactory(parent=product_index, title="Canvas tote", summary="A bag for the studio.")

    _response, page = get_soup(SEARCH, data={"q": "brush"})

    found = {title: (badges, href) for badges, title, href in results(page)}
    assert found == {
        "Sable brush set": (["Product"], brush_pages["product"].url),
        "Caring for a brush": (["Journal"], brush_pages["post"].url),
        "Brush returns": (["Page"], brush_pages["page"].url),
    }
    text = main_text(page)
    assert "3 results for “brush”" in text
    assert "$12.50" in text
    assert "Six round brushes for watercolour." in text
    assert "Rinse, reshape, dry flat." in text
    assert "We take back any brush within 30 days." in text
    assert "Canvas tote" not in text
    product_result = page.find("a", href=brush_pages["product"].url).find_parent("article")
    assert product_result.find("img") is not None


def test_the_results_page_names_the_query_and_is_kept_out_of_search_engines(get_soup, site_settings, brush_pages):
    _response, page = get_soup(SEARCH, data={"q": "  brush  "})

    assert text_of(page.find("title")) == f"Search results for “brush” | {site_settings.brand_name}"
    assert text_of(page.find("h1")) == "Search results for “brush”"
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert page.find("main").find("input", attrs={"name": "q"})["value"] == "brush"
    assert page.find("script", type="application/ld+json") is None


def test_promoted_pages_come_first_marked_recommended_and_are_not_repeated(get_soup, brush_pages, home_page):
    guide = InfoPageFactory(parent=home_page, title="Choosing paper", intro="Weights and finishes explained.")
    query = Query.get("brush")
    SearchPromotion.objects.create(query=query, page=guide, sort_order=0, description="Our buying guide.")
    SearchPromotion.objects.create(query=query, page=brush_pages["post"], sort_order=1)
    SearchPromotion.objects.create(
        query=query,
        external_link_url="https://maker.example/care",
        external_link_text="Maker's care guide",
        sort_order=2,
    )

    _response, page = get_soup(SEARCH, data={"q": "Brush"})

    found = results(page)
    assert found[:3] == [
        (["Recommended", "Page"], "Choosing paper", guide.url),
        (["Recommended", "Journal"], "Caring for a brush", brush_pages["post"].url),
        (["Recommended", "Link"], "Maker's care guide", "https://maker.example/care"),
    ]
    assert titles(page).count("Caring for a brush") == 1
    assert sorted(titles(page)[3:]) == ["Brush returns", "Sable brush set"]
    assert all("Recommended" not in badges for badges, _title, _href in found[3:])
    assert "Our buying guide." in main_text(page)
    assert "5 results for “Brush”" in main_text(page)


def test_each_search_is_recorded_for_the_popular_searches_report(client, brush_pages, search_hits):
    client.get(SEARCH, data={"q": "Brush"})
    client.get(SEARCH, data={"q": "brush "})
    assert not Query.objects.filter(query_string="brush").exists()  # counted, not yet written

    search_hits.flush()

    assert Query.get("brush").hits == 2


def test_drafts_private_and_noindex_pages_never_appear_even_when_promoted(get_soup, brush_pages, product_index):
    draft = ProductPageFactory(parent=product_index, title="Brush prototype", draft=True)
    private = ProductPageFactory(parent=product_index, title="Brush for members")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.PASSWORD, password="s3cret")
    hidden = ProductPageFactory(parent=product_index, title="Brush clearance", noindex=True)
    query = Query.get("brush")
    for order, page in enumerate([draft, private, hidden]):
        SearchPromotion.objects.create(query=query, page=page, sort_order=order)

    _response, page = get_soup(SEARCH, data={"q": "brush"})

    assert sorted(titles(page)) == ["Brush returns", "Caring for a brush", "Sable brush set"]
    assert "Recommended" not in main_text(page)


def test_results_are_paged_and_page_links_keep_the_query(get_soup, site_settings, product_index):
    for n in range(PAGE_SIZE + 2):
        ProductPageFactory(parent=product_index, title=f"Brush {n:02d}")

    _response, first = get_soup(SEARCH, data={"q": "brush"})
    _response, second = get_soup(SEARCH, data={"q": "brush", "page": 2})

    assert len(titles(first)) == PAGE_SIZE
    assert len(titles(second)) == 2
    assert set(titles(first)).isdisjoint(titles(second))
    next_link = first.find("a", rel="next")["href"]
    assert "q=brush" in next_link and "page=2" in next_link
    assert "q=brush" in second.find("a", rel="prev")["href"]
    assert f"{PAGE_SIZE + 2} results for “brush”" in main_text(first)


@pytest.mark.parametrize("number", ["two", "0", "-1", "02", "3", "99"])
def test_a_results_page_number_that_names_no_page_is_a_404(client, site_settings, product_index, number):
    for n in range(PAGE_SIZE + 2):
        ProductPageFactory(parent=product_index, title=f"Brush {n:02d}")

    assert client.get(SEARCH, {"q": "brush", "page": number}).status_code == 404


@pytest.mark.parametrize("q", ["", "   "])
def test_an_empty_query_asks_what_to_look_for_and_searches_nothing(get_soup, brush_pages, q):
    _response, page = get_soup(SEARCH, data={"q": q})

    assert text_of(page.find("h1")) == "Search"
    assert "What are you looking for?" in main_text(page)
    assert results(page) == []
    assert page.find("main").find("input", attrs={"name": "q"}).has_attr("autofocus")
    assert not Query.objects.exists()


def test_no_results_suggest_the_shop_the_journal_and_the_categories(get_soup, site_settings, product_index, blog_index):
    kits = ProductCategoryFactory(name="Starter kits", slug="starter-kits")
    ProductCategoryFactory(name="Empty shelf", slug="empty-shelf")
    kit = ProductPageFactory(parent=product_index, title="Gouache starter kit", categories=[kits])

    _response, page = get_soup(SEARCH, data={"q": "zeppelin"})

    assert "No results for “zeppelin”" in main_text(page)
    links = {text_of(link): link["href"] for link in page.find("main").find_all("a")}
    assert links["Shop: all products"] == product_index.url
    assert links["Journal: all posts"] == blog_index.url
    assert "Empty shelf" not in links

    assert links["Starter kits"] == f"{product_index.url}category/starter-kits/"  # the category's landing page
    _response, category_page = get_soup(links["Starter kits"])

    assert text_of(category_page.find("h1")) == "Starter kits"
    assert kit.url in {link["href"] for link in category_page.find("main").find_all("a")}


def test_a_category_narrows_a_search_to_its_products(get_soup, brush_pages, product_index):
    kits = ProductCategoryFactory(name="Starter kits", slug="starter-kits")
    kit = ProductPageFactory(parent=product_index, title="Brush starter kit", categories=[kits])

    _response, page = get_soup(SEARCH, data={"q": "brush", "category": "starter-kits"})

    assert titles(page) == [kit.title]
    assert page.find("main").find("input", attrs={"name": "category"})["value"] == "starter-kits"


def test_the_query_is_escaped_everywhere(get_soup, site_settings, product_index):
    attack = "<script>alert(1)</script>"

    response, page = get_soup(SEARCH, data={"q": attack})

    assert attack.encode() not in response.content
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in response.content
    assert text_of(page.find("h1")) == f"Search results for “{attack}”"
    assert page.find("main").find("input", attrs={"name": "q"})["value"] == attack
    assert all("alert" not in (script.string or "") for script in page.find_all("script"))


@pytest.mark.parametrize(
    "q",
    [
        "brush " * 1000,
        '"unbalanced AND ( NEAR * : - ^',
        "brush\x00set",
        "OR NOT AND",
        "price:10 kind:physical",
        "🎨🖌️",
        "ünïcödé brüsh",
        "' OR 1=1 --",
        "%",
        "*",
    ],
)
def test_long_or_odd_queries_never_fail(get_soup, brush_pages, q):
    _response, page = get_soup(SEARCH, data={"q": q})

    assert len(page.find("main").find("input", attrs={"name": "q"})["value"]) <= MAX_QUERY_LENGTH


def test_a_long_query_still_finds_on_its_first_words(get_soup, brush_pages):
    _response, page = get_soup(SEARCH, data={"q": "sable " * 1000})

    assert titles(page) == ["Sable brush set"]


def test_the_results_page_takes_the_same_number_of_queries_for_3_or_12_products(
    client, site_settings, product_index, django_assert_num_queries, django_assert_max_num_queries
):
    url = f"{SEARCH}?q=brush"

    def add_products(numbers):
        for n in numbers:
            ProductPageFactory(parent=product_index, title=f"Brush {n}", gallery=[ImageFactory()])

    add_products(range(3))
    client.get(url)  # the first request makes the renditions, records the query and fills the caches
    with CaptureQueriesContext(connection) as three_products:
        client.get(url)
    few = len(three_products)  # now: the next request's start resets the connection's query log
    add_products(range(3, 12))
    client.get(url)

    with django_assert_num_queries(few):
        client.get(url)
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get(url)


def test_every_page_has_a_search_form_in_its_header(get_soup, site_settings, home_page):
    _response, page = get_soup(home_page.url)

    header = page.find("header")
    form = header.find("form", role="search")
    assert form["action"] == SEARCH
    field = form.find("input", attrs={"name": "q"})
    assert text_of(form.find("label", attrs={"for": field["id"]})) == "Search the shop"
    phone_link = header.find("a", href=SEARCH)
    assert text_of(phone_link) == "Search"


def test_products_are_found_by_their_category_and_brand_names(client, product_index, site_settings):
    from wagtail.search.backends import get_search_backend

    from products.factories import BrandFactory

    goods = ProductCategoryFactory(name="Studio goods", slug="studio-goods")
    maker = BrandFactory(name="Fernhill Paper")
    notebook = ProductPageFactory(parent=product_index, title="Notebook", brand=maker, categories=[goods])
    get_search_backend().add(notebook)  # what the background re-index does once the categories are saved

    for query in ("fernhill", "studio goods"):
        response = client.get("/search/", {"q": query})
        assert notebook.title in response.content.decode(), query


def test_pages_inside_a_members_only_section_never_appear_even_to_members(client, brush_pages, home_page):
    from django.contrib.auth.models import Group

    from accounts.factories import UserFactory

    members = Group.objects.create(name="Brush club")
    library = InfoPageFactory(parent=home_page, title="Brush club library")
    restriction = PageViewRestriction.objects.create(page=library, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(members)
    InfoPageFactory(parent=library, title="Brush club: loading a brush")
    member = UserFactory()
    member.groups.add(members)
    client.force_login(member)

    response = client.get(SEARCH, {"q": "brush"})

    assert sorted(titles(soup_of(response))) == ["Brush returns", "Caring for a brush", "Sable brush set"]


def test_the_pages_search_leaves_out_are_worked_out_unordered_as_one_json_parameter(home_page):
    from search.query import _searchable

    public = ProductPageFactory(parent=home_page, title="Public brush")
    hidden = ProductPageFactory(parent=home_page, title="Hidden brush", noindex=True)
    draft = ProductPageFactory(parent=home_page, title="Draft brush", live=False)
    with CaptureQueriesContext(connection) as queries:
        kept = _searchable()
    left_out = json.loads(kept.hidden)

    assert hidden.pk in left_out and draft.pk in left_out and home_page.pk in left_out  # not a searchable type
    assert public.pk not in left_out and kept.last_pk == draft.pk
    assert not set(left_out) & set(kept.content_types) and kept.content_types[public.pk] == public.content_type_id
    # only ever looked pks up in: sorting them cost an eighth of the ranking query
    assert all("ORDER BY" not in query["sql"] for query in queries.captured_queries)


def test_the_kept_searchable_pages_filter_a_search_as_their_whole_definition_does(rf, home_page, settings):
    from search.query import _searchable_pages, searchable

    settings.FRAGMENT_CACHE_SECONDS = 600
    ProductPageFactory(parent=home_page, title="Public brush")
    ProductPageFactory(parent=home_page, title="Hidden brush", noindex=True)
    ProductPageFactory(parent=home_page, title="Draft brush", live=False)
    library = InfoPageFactory(parent=home_page, title="Brush club library")
    PageViewRestriction.objects.create(page=library, restriction_type=PageViewRestriction.LOGIN)
    InfoPageFactory(parent=library, title="Brush club: loading a brush")
    ProductPageFactory(parent=home_page, title="Second public brush")
    request = rf.get(SEARCH, {"q": "brush"})

    with CaptureQueriesContext(connection) as queries:
        kept = [page.pk for page in searchable(request).search("brush", operator="and")]
    whole = [page.pk for page in _searchable_pages().search("brush", operator="and")]

    assert len(kept) == 2 and kept == whole
    ranking = queries.captured_queries[-2]["sql"]  # the ranking, then the page of results by pk
    if connection.vendor == "postgresql":  # the index entries alone, kept among the searchable pages' pks after
        assert ranking.startswith('SELECT ("wagtailsearch_indexentry"."object_id")::integer')
        assert "wagtailcore_page" not in ranking
    else:
        assert "NOT (" in ranking and "json_each" in ranking


def test_a_page_made_after_the_searchable_pages_were_worked_out_waits_for_the_next_generation(rf, home_page, settings):
    """What the search leaves out is kept as a list of pks: a page newer than any it knew is left out too, as it
    was when the kept list named the searchable ones, so a page published without a new generation cannot show."""
    from search.query import searchable

    settings.FRAGMENT_CACHE_SECONDS = 600
    ProductPageFactory(parent=home_page, title="Known brush")
    request = rf.get(SEARCH, {"q": "brush"})
    assert [page.title for page in searchable(request).search("brush")] == ["Known brush"]

    with patch("website.page_cache.invalidate"):  # no new generation: the kept pages stand
        ProductPageFactory(parent=home_page, title="Newer brush")

    assert [page.title for page in searchable(rf.get(SEARCH, {"q": "brush"})).search("brush")] == ["Known brush"]


def test_the_searchable_pages_queryset_is_built_once_per_generation_and_handed_out_as_copies(rf, home_page, settings):
    import pickle

    from search.query import searchable

    settings.FRAGMENT_CACHE_SECONDS = 600
    ProductPageFactory(parent=home_page, title="Kept brush")
    first, second = searchable(rf.get(SEARCH)), searchable(rf.get(SEARCH))

    assert first is not second and first.query is not second.query
    assert [page.title for page in first.search("brush")] == ["Kept brush"]
    assert second._result_cache is None  # a copy evaluated leaves the others unevaluated
    # The fragments cache pickles what it keeps (Redis): the queryset stays in the process that built it.
    from search.query import _kept_searchable

    kept = _kept_searchable(rf.get(SEARCH))
    assert {"pages", "_results"} <= set(kept.__dict__)
    restored = pickle.loads(pickle.dumps(kept))  # noqa: S301 - our own object  # nosec B301
    assert not {"pages", "_results"} & set(restored.__dict__) and restored == kept
    assert list(restored.pages.values_list("title", flat=True)) == ["Kept brush"]


def test_a_search_of_the_kept_pages_finds_its_ranking_by_their_mark_and_a_narrowed_one_by_its_sql(
    rf, home_page, settings
):
    """The copies of the kept searchable pages say what their SQL is made of, so the ranking's kept statement is
    found without compiling it; a queryset made from one (a category, promoted pages left out) has its own SQL."""
    from search.backends.ranked import SCOPE_MARK, scope_of
    from search.query import _kept_searchable, searchable

    settings.FRAGMENT_CACHE_SECONDS = 600
    glazed = ProductPageFactory(parent=home_page, title="Glazed brush")
    ProductPageFactory(parent=home_page, title="Sable brush")
    kept = _kept_searchable(rf.get(SEARCH))
    pages = searchable(rf.get(SEARCH))
    narrowed = pages.filter(pk=glazed.pk)

    assert getattr(pages, SCOPE_MARK) == ("searchable", kept.hidden, kept.last_pk)
    assert not hasattr(narrowed, SCOPE_MARK) and scope_of(narrowed)[0].startswith("SELECT")
    assert sorted(page.pk for page in pages.search("brush")) == sorted(kept.content_types)
    assert [page.pk for page in narrowed.search("brush")] == [glazed.pk]  # not the statement kept for the mark
    assert [page.pk for page in searchable(rf.get(SEARCH)).search("glazed")] == [glazed.pk]

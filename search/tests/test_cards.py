"""Search result cards kept between searches (search.cards): a search the page cache cannot answer renders only the
cards not kept since the last change, and what it shows is what a fresh render shows."""

from decimal import Decimal

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import PageViewRestriction

from products import inventory
from products.models import ProductPage
from website.tests.html import main_text, soup

from .results import results

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_missed")]

SEARCH = reverse("search")


@pytest.fixture
def published(django_capture_on_commit_callbacks):
    """Publish a page's new revision as a request would: with the cache invalidation its commit runs."""

    def publish(page):
        with django_capture_on_commit_callbacks(execute=True):
            page.save_revision().publish()

    return publish


def searched(client, query):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(SEARCH, {"q": query})
    assert response.status_code == 200
    return response, len(captured)


def result_list(response):
    """The results' markup as served: the <ol> of cards."""
    content = response.content.decode()
    return content[content.index('<ol role="list" aria-labelledby="search-count"') : content.index("</ol>")]


def test_a_kept_card_is_the_card_a_fresh_render_gives_in_fewer_queries(client, brush_pages, settings):
    settings.FRAGMENT_CACHE_SECONDS = 0
    fresh, fresh_queries = searched(client, "brush")
    settings.FRAGMENT_CACHE_SECONDS = 600
    searched(client, "brush")  # renders the cards and keeps them

    kept, kept_queries = searched(client, "brush")

    assert result_list(kept) == result_list(fresh)
    # Not fetched again: each type's specific pages, the product's categories, the thumbnails' renditions.
    assert kept_queries <= fresh_queries - 3


def test_another_query_that_finds_the_same_page_uses_its_kept_card(client, brush_pages):
    first, _queries = searched(client, "brush")

    response, _queries = searched(client, "sable")

    assert [title for _badges, title, _href in results(soup(response))] == ["Sable brush set"]
    assert "1 result for “sable”" in main_text(soup(response))

    def card(page_soup):
        return str(page_soup.find("a", href=brush_pages["product"].url).find_parent("li"))

    assert card(soup(response)) == card(soup(first))


def test_a_search_without_promotions_asks_only_for_the_ranking_and_its_page_of_results(client, brush_pages):
    searched(client, "brush")  # keeps the cards, the searchable pages and the promoted queries

    with CaptureQueriesContext(connection) as captured:
        response = client.get(SEARCH, {"q": "sable"})

    sql = [query["sql"] for query in captured.captured_queries]
    assert not [query for query in sql if "searchpromotion" in query or "pageviewrestriction" in query]
    assert [title for _badges, title, _href in results(soup(response))] == ["Sable brush set"]


def test_a_promotion_saved_after_a_search_shows_in_the_next_one(
    client, brush_pages, django_capture_on_commit_callbacks
):
    searched(client, "caring")  # keeps "no promotions" for this generation

    with django_capture_on_commit_callbacks(execute=True):
        SearchPromotion.objects.create(
            query=Query.get("caring"), page=brush_pages["post"], sort_order=0, description="Our care guide."
        )

    response, _queries = searched(client, "Caring")
    assert "Our care guide." in main_text(soup(response))


def test_where_to_go_next_after_nothing_found_is_kept_as_a_fresh_render_gives_it(
    client, brush_pages, settings, django_capture_on_commit_callbacks
):
    from products.factories import ProductCategoryFactory

    with django_capture_on_commit_callbacks(execute=True):
        brush_pages["product"].categories.add(ProductCategoryFactory(name="Brushes", slug="brushes"))
        brush_pages["product"].save()  # a parental many-to-many is written with its page
    settings.FRAGMENT_CACHE_SECONDS = 0
    fresh, _queries = searched(client, "zeppelin")
    settings.FRAGMENT_CACHE_SECONDS = 600
    searched(client, "zeppelin")  # keeps the suggestions' markup

    with CaptureQueriesContext(connection) as captured:
        kept = client.get(SEARCH, {"q": "quokka"})

    def browse(response):
        return str(soup(response).find("nav", attrs={"aria-label": "Browse"}))

    assert browse(kept) == browse(fresh) and "Brushes" in browse(kept)
    assert not [query for query in captured.captured_queries if "productcategory" in query["sql"]]


def test_a_published_change_shows_in_the_next_search(client, brush_pages, published):
    searched(client, "sable")
    product = brush_pages["product"]

    product.title = "Sable brush set, six sizes"
    product.price = Decimal("14.00")
    published(product)

    response, _queries = searched(client, "sable")
    assert [title for _badges, title, _href in results(soup(response))] == ["Sable brush set, six sizes"]
    assert "$14.00" in main_text(soup(response))


def test_a_sell_out_shows_in_the_next_search(client, brush_pages, django_capture_on_commit_callbacks):
    ProductPage.objects.filter(pk=brush_pages["product"].pk).update(kind=ProductPage.Kind.PHYSICAL, stock=3)
    searched(client, "sable")

    with django_capture_on_commit_callbacks(execute=True):
        inventory.set_stock(brush_pages["product"].pk, 0)

    response, _queries = searched(client, "sable")
    assert "Sold out" in main_text(soup(response))


def test_a_promotions_description_stays_with_its_query(client, brush_pages):
    SearchPromotion.objects.create(
        query=Query.get("caring"), page=brush_pages["post"], sort_order=0, description="Our care guide."
    )

    promoted, _queries = searched(client, "caring")
    organic, _queries = searched(client, "brush")

    assert "Our care guide." in main_text(soup(promoted))
    assert "Our care guide." not in main_text(soup(organic))
    assert "Rinse, reshape, dry flat." in main_text(soup(organic))
    assert all("Recommended" not in badges for badges, _title, _href in results(soup(organic)))


def test_the_kept_choice_of_searchable_pages_follows_a_new_password_noindex_and_unpublishing(
    client, brush_pages, published, django_capture_on_commit_callbacks
):
    client.get(SEARCH, {"q": "brush"})  # keeps the SQL that picks the searchable pages
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(
            page=brush_pages["page"], restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
        )
    brush_pages["post"].noindex = True
    published(brush_pages["post"])
    ProductPage.objects.filter(pk=brush_pages["product"].pk).update(live=False)  # no signal: read as it runs

    response = client.get(SEARCH, {"q": "brush"})

    assert results(soup(response)) == []


def test_a_search_whose_cards_are_kept_asks_the_database_for_the_ranking_only(client, brush_pages, settings):
    settings.FRAGMENT_CACHE_SECONDS = 600
    searched(client, "brush")  # keeps the searchable pages with their types, and each result's card

    response, queries = searched(client, "brush")

    # The results' pks come from the ranking and their types from the kept searchable pages: no page is loaded.
    assert queries == 1
    assert [title for _badges, title, _href in results(soup(response.content))] == [
        title for _badges, title, _href in results(soup(searched(client, "brush")[0].content))
    ]
    assert {title for _badges, title, _href in results(soup(response.content))} == {
        "Brush returns",
        "Caring for a brush",
        "Sable brush set",
    }

"""What both databases' backends share (search/backends/ranked.py), on whichever database the tests run."""

import pytest

from search.tests.catalogue import searchable

pytestmark = pytest.mark.django_db


def test_a_queryset_that_can_hold_nothing_finds_nothing(brush_catalogue):
    # Django compiles `pk__in=[]` to no SQL at all (EmptyResultSet): an API filter on a category that
    # matches no product did that, and the ranking then failed with a server error.
    results = searchable().filter(pk__in=[]).search("brush", operator="and")

    assert results.count() == 0 and list(results[0:10]) == []
    assert searchable().search("brush", operator="and").count() == 3


def test_the_api_answers_a_search_in_a_category_with_no_products(client, brush_catalogue):
    response = client.get("/api/v2/pages/", {"search": "brush", "category": "0Æ", "price_max": "1"})

    assert response.status_code == 200 and response.json()["meta"]["total_count"] == 0

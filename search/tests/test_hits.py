"""Searches are counted in the process and written for the popular-searches report in batches, off the request."""

import time

import pytest

from django.db import DatabaseError, connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wagtail.contrib.search_promotions.models import Query, QueryDailyHits

from products.factories import ProductPageFactory
from search.query import PAGE_SIZE

pytestmark = pytest.mark.django_db


def hits_of(query_string):
    return Query.get(query_string).hits


def test_a_flush_writes_every_query_counted_since_the_last_one_as_wagtail_would(search_hits):
    for query in ["Brush", "brush ", "BRUSH", "linen  paper"]:
        search_hits.record(query)
    search_hits.record("   ")  # nothing to count

    assert search_hits.pending() == 4
    search_hits.flush()

    assert (hits_of("brush"), hits_of("linen paper")) == (3, 1)
    assert search_hits.pending() == 0
    day = QueryDailyHits.objects.get(query__query_string="brush")
    assert day.date == timezone.now().date()


def test_later_flushes_add_to_the_days_count_rather_than_starting_another(search_hits):
    search_hits.record("brush")
    search_hits.flush()
    search_hits.record("brush")
    search_hits.record("brush")
    search_hits.flush()
    search_hits.flush()  # nothing pending: writes nothing

    assert hits_of("brush") == 3
    assert QueryDailyHits.objects.filter(query__query_string="brush").count() == 1


def test_a_flush_of_many_different_searches_takes_a_few_statements_not_a_few_per_search(search_hits, settings):
    Query.get("brush").add_hit()  # already searched today, as another process may have written
    for number in range(400):
        search_hits.record(f"word {number}")
    for _again in range(2):
        search_hits.record("brush")
        search_hits.record("word 7")

    with CaptureQueriesContext(connection) as captured:
        search_hits.flush()

    statements = [query["sql"].split(" ")[0] for query in captured]
    # In a savepoint: queries made, their ids, days made, their ids, one UPDATE per increment (1, 2 and 3 here).
    assert statements.count("UPDATE") == 3, statements
    assert len(statements) <= 10, statements
    assert hits_of("brush") == 3
    assert hits_of("word 7") == 3
    assert [hits_of(f"word {number}") for number in (0, 199, 399)] == [1, 1, 1]
    assert QueryDailyHits.objects.filter(query__query_string="brush").count() == 1


def test_a_flush_larger_than_one_chunk_writes_every_count(search_hits, monkeypatch):
    monkeypatch.setattr(search_hits, "WRITE_CHUNK", 3)
    for number in range(10):
        search_hits.record(f"word {number}")
        search_hits.record("word 0")

    search_hits.flush()

    assert hits_of("word 0") == 11
    assert sum(hits_of(f"word {number}") for number in range(10)) == 20


def test_a_flush_the_database_refuses_keeps_the_counts_for_the_next_one(search_hits, caplog):
    def refuse_hits(execute, sql, params, many, context):
        if "wagtailsearchpromotions" in sql:
            raise DatabaseError("database is locked")
        return execute(sql, params, many, context)

    search_hits.record("brush")
    search_hits.record("brush")
    with connection.execute_wrapper(refuse_hits):
        search_hits.flush()

    assert search_hits.pending() == 2
    assert "Search hits not written; 2 kept for the next try" in caplog.text
    search_hits.flush()
    assert hits_of("brush") == 2


# The writer thread has its own connection: it must see committed rows. serialized_rollback restores what
# migrations made after the flush.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_writer_thread_writes_the_counts_without_a_request_waiting_for_it(search_hits):
    with override_settings(SEARCH_HITS_FLUSH_SECONDS=0.05):
        try:
            search_hits.record("sable brush")
            deadline = time.monotonic() + 10
            while not Query.objects.filter(query_string="sable brush").exists() and time.monotonic() < deadline:
                time.sleep(0.05)
        finally:
            search_hits.stop_writer()

    assert hits_of("sable brush") == 1
    assert search_hits.pending() == 0


def test_a_search_writes_nothing_to_the_database_but_is_counted(client, site_settings, home_page, search_hits):
    client.get("/search/", {"q": "linen"})  # a first visit's own writes (the session's CSRF cookie, caches)

    with connection.execute_wrapper(_no_writes):
        response = client.get("/search/", {"q": "brush"})

    assert response.status_code == 200
    assert search_hits.pending() == 2


def _no_writes(execute, sql, params, many, context):
    assert not sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")), sql
    return execute(sql, params, many, context)


def test_searches_the_page_cache_answers_are_counted_too(client, settings, brush_pages, search_hits):
    settings.PAGE_CACHE_SECONDS = 600  # as in production: a popular query is mostly answered from the cache

    first = client.get("/search/", {"q": "brush"})
    again = client.get("/search/", {"q": "brush"})

    assert first["X-Page-Cache"] == "miss"
    assert again["X-Page-Cache"] == "hit"
    search_hits.flush()
    assert hits_of("brush") == 2


@pytest.mark.parametrize(
    ("params", "counted"),
    [
        ({"q": "brush", "page": "1"}, 1),
        ({"q": "brush", "page": "9"}, 0),  # a 404: no such page
        ({"q": "   "}, 0),
        ({"category": "nothing-here"}, 0),
    ],
)
def test_only_a_searchs_first_page_of_results_is_counted(client, brush_pages, search_hits, params, counted):
    client.get("/search/", params)

    assert search_hits.pending() == counted


def test_a_later_page_of_the_same_search_is_not_a_new_search(client, brush_pages, product_index, search_hits):
    for n in range(PAGE_SIZE):
        ProductPageFactory(parent=product_index, title=f"Brush {n:02d}")

    response = client.get("/search/", {"q": "brush", "page": "2"})

    assert response.status_code == 200
    assert search_hits.pending() == 0


def test_other_pages_with_a_q_parameter_are_not_searches(client, brush_pages, search_hits):
    client.get("/", {"q": "brush"})

    assert search_hits.pending() == 0

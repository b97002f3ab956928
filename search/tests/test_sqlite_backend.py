"""The SQLite search backend (search/backends/sqlite.py): Wagtail's ranking, computed in one query."""

import pytest

from django.db import connection

# Before the imports below: Wagtail's SQLite index models cannot even be imported on another database.
if connection.vendor != "sqlite":
    pytest.skip("SQLite's backend; PostgreSQL's is tested in test_postgres_backend.py", allow_module_level=True)

from modelsearch.backends.database.sqlite.sqlite import SQLiteSearchBackend  # noqa: E402
from modelsearch.query import Not, PlainText  # noqa: E402

from django.test.utils import CaptureQueriesContext  # noqa: E402

from wagtail.search.backends import get_search_backend  # noqa: E402

from products.factories import ProductPageFactory  # noqa: E402
from products.models import ProductPage  # noqa: E402
from search.backends.sqlite import RankedOnceSQLiteBackend as SearchBackend  # noqa: E402
from search.tests.catalogue import searchable  # noqa: E402

pytestmark = pytest.mark.django_db


def test_the_sqlite_settings_use_this_backend():
    assert isinstance(get_search_backend(), SearchBackend)


def test_titles_weigh_no_more_than_summaries_as_in_wagtails_own_sqlite_ranking(brush_catalogue):
    # bm25() scores the whole row with every column weighted alike, and the title norm scales that whole score,
    # so a shorter row can beat a title match. Pinned, so a change to the ranking is a deliberate one.
    found = [page.pk for page in searchable().search("brush", operator="and")]

    assert found == [brush_catalogue[name].pk for name in ("summary", "title", "long title")]


def test_a_short_title_ranks_above_a_long_one_with_the_same_word(brush_catalogue):
    found = [page.pk for page in searchable().search("sable", operator="and")]

    assert found == [brush_catalogue["title"].pk, brush_catalogue["long title"].pk]


def test_every_result_score_and_position_is_wagtails_own(brush_catalogue):
    for words, operator in [("brush", "and"), ("sable brush", "and"), ("sable pad", "or"), ("studio", "and")]:
        ours = SearchBackend({}).search(words, searchable(), operator=operator).annotate_score("score")
        wagtails = SQLiteSearchBackend({}).search(words, searchable(), operator=operator).annotate_score("score")

        assert [(page.pk, page.score) for page in ours[0:100]] == [(page.pk, page.score) for page in wagtails[0:100]]
        assert ours.count() == wagtails.count()
        assert [page.pk for page in ours[5:9]] == [page.pk for page in wagtails[5:9]]


def test_the_callers_filters_narrow_the_results_and_their_count(brush_catalogue):
    hidden = brush_catalogue["title"]
    hidden.noindex = True
    hidden.save_revision().publish()

    results = searchable().search("brush", operator="and")

    assert hidden.pk not in [page.pk for page in results[0:100]]
    assert {page.pk for page in results} == {brush_catalogue["long title"].pk, brush_catalogue["summary"].pk}
    assert results.count() == 2


def test_a_search_costs_two_queries_however_many_pages_match(brush_catalogue, product_index):
    def queries_for_first_page():
        results = searchable().search("brush", operator="and")
        with CaptureQueriesContext(connection) as captured:
            total = results.count()
            first_page = list(results[0:10])
        assert len(first_page) == min(total, 10) > 0
        return captured.captured_queries

    few = queries_for_first_page()
    for n in range(20):
        ProductPageFactory(parent=product_index, title=f"Brush extra {n:02d}")
    many = queries_for_first_page()

    assert len(few) == len(many) == 2  # the ranking (which is also the count), then one page of pages
    ranking_sql = many[0]["sql"]
    assert ranking_sql.count("bm25(") == 2 and ranking_sql.count(" MATCH ") == 1  # title and body terms, one MATCH
    assert "bm25(" not in ranking_sql.split(" FROM ")[0]  # each match's pk, ordered by its score, not the score
    assert "bm25(" not in many[1]["sql"]
    # The ranking kept only the queryset's pages: the page of them is fetched by pk, its filters not run again.
    assert "noindex" not in many[1]["sql"] and "live" not in many[1]["sql"].split(" WHERE ")[1]


def test_ranked_results_are_objects_of_the_querysets_model(brush_catalogue):
    results = ProductPage.objects.live().search("brush", operator="and")

    assert {type(page) for page in results[0:10]} == {ProductPage}


def test_results_in_the_querysets_own_order_can_still_carry_their_scores(brush_catalogue):
    queryset = ProductPage.objects.live().order_by("title")
    ours = SearchBackend({}).search("brush", queryset, order_by_relevance=False).annotate_score("score")
    wagtails = SQLiteSearchBackend({}).search("brush", queryset, order_by_relevance=False).annotate_score("score")

    assert [(page.title, page.score) for page in ours[0:20]] == [(page.title, page.score) for page in wagtails[0:20]]
    assert [page.title for page in ours[0:3]] == [
        "Sable brush",
        "Studio round sable brush with a long handle",
        "Travel kit",
    ]


def test_autocomplete_matches_the_start_of_a_word(brush_catalogue):
    found = [page.pk for page in ProductPage.objects.live().autocomplete("sabl")]

    assert set(found) == {brush_catalogue["title"].pk, brush_catalogue["long title"].pk}


def test_a_negated_search_is_left_to_wagtails_compiler(brush_catalogue):
    found = {page.pk for page in searchable().search(Not(PlainText("brush")))}

    brushes = {brush_catalogue[name].pk for name in ("title", "long title", "summary")}
    assert brush_catalogue["none"].pk in found
    assert found == set(searchable().values_list("pk", flat=True)) - brushes


def test_the_ranking_sql_is_built_once_per_shape_and_each_search_keeps_its_own_words_and_scope(brush_catalogue):
    from search.backends import sqlite as backend

    backend._STATEMENTS.clear()
    wide = [page.pk for page in searchable().search("brush", operator="and")]
    kept = dict(backend._STATEMENTS)
    other_words = [page.pk for page in searchable().search("sable", operator="and")]
    narrow = [page.pk for page in searchable().filter(pk=brush_catalogue["title"].pk).search("brush", operator="and")]

    assert len(kept) == 1 and backend._STATEMENTS.items() >= kept.items()  # "sable" ran the statement "brush" made
    assert len(backend._STATEMENTS) == 2  # the narrower queryset is a shape of its own
    assert wide == [brush_catalogue[name].pk for name in ("summary", "title", "long title")]
    assert other_words == [brush_catalogue["title"].pk, brush_catalogue["long title"].pk]
    assert narrow == [brush_catalogue["title"].pk]


def test_the_page_of_results_loads_the_fields_the_caller_asked_for(brush_catalogue):
    with CaptureQueriesContext(connection) as queries:
        lean = list(searchable().only("pk", "content_type").search("brush", operator="and"))
    full = list(searchable().search("brush", operator="and"))

    fetch = queries.captured_queries[-1]["sql"]
    assert fetch.startswith('SELECT "wagtailcore_page"."id", "wagtailcore_page"."content_type_id" FROM')
    assert [page.pk for page in lean] == [page.pk for page in full]
    assert lean[0].get_deferred_fields() >= {"title", "path"} and not full[0].get_deferred_fields()
    assert full[0].title  # the API's search serialises whole pages: loaded, not fetched one field at a time

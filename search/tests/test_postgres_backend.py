"""The PostgreSQL search backend (search/backends/postgres.py): Wagtail's match and ranking, run once per search."""

import pytest

from django.db import connection

# Before the imports below: Wagtail's PostgreSQL index models are only loaded on PostgreSQL.
if connection.vendor != "postgresql":
    pytest.skip("PostgreSQL's backend; SQLite's is tested in test_sqlite_backend.py", allow_module_level=True)

from modelsearch.backends.database.postgres.postgres import PostgresSearchBackend  # noqa: E402
from modelsearch.query import And, Boost, MatchAll, Not, Or, PlainText  # noqa: E402

from django.test.utils import CaptureQueriesContext  # noqa: E402

from wagtail.search.backends import get_search_backend  # noqa: E402

from products.factories import ProductPageFactory  # noqa: E402
from products.models import ProductPage  # noqa: E402
from search.backends.postgres import RankedOncePostgresBackend  # noqa: E402
from search.tests.catalogue import searchable  # noqa: E402

pytestmark = pytest.mark.django_db


def test_the_postgresql_settings_use_this_backend():
    assert isinstance(get_search_backend(), RankedOncePostgresBackend)


@pytest.mark.filterwarnings("ignore:The Boost query is not supported")  # by Wagtail's match; its rank boosts
def test_every_result_score_position_and_count_is_wagtails_own(brush_catalogue):
    searches = [
        ("brush", "and"),
        ("sable brush", "and"),
        ("sable pad", "or"),
        ("studio", "and"),
        ("nothing-here", "and"),
        (Not(PlainText("brush")), None),
        (And([PlainText("sable"), Boost(PlainText("brush"), 2.0)]), None),
        (Or([PlainText("sable"), PlainText("pad")]), None),
    ]
    for words, operator in searches:
        options = {"operator": operator} if operator else {}
        ours = RankedOncePostgresBackend({}).search(words, searchable(), **options).annotate_score("score")
        wagtails = PostgresSearchBackend({}).search(words, searchable(), **options).annotate_score("score")

        assert [(page.pk, page.score) for page in ours[0:100]] == [(page.pk, page.score) for page in wagtails[0:100]]
        assert ours.count() == wagtails.count()
        assert [page.pk for page in ours[5:9]] == [page.pk for page in wagtails[5:9]]


def test_each_rank_reads_the_search_parsed_once_per_query(brush_catalogue):
    with CaptureQueriesContext(connection) as captured:
        list(searchable().search("brush", operator="and"))

    (ranking,) = [query["sql"] for query in captured.captured_queries if "ts_rank(" in query["sql"]]
    # The title's rank and the body's read a subquery PostgreSQL evaluates once; the match, scanned through the
    # GIN index, keeps Wagtail's own call.
    assert ranking.count("ts_rank(") == ranking.count("(SELECT to_tsquery(") == 2
    assert ranking.count("to_tsquery(") == 3


def test_a_title_match_ranks_above_a_summary_match(brush_catalogue):
    found = [page.pk for page in searchable().search("brush", operator="and")]

    assert found[-1] == brush_catalogue["summary"].pk
    assert set(found) == {brush_catalogue[name].pk for name in ("title", "long title", "summary")}


def test_the_callers_filters_narrow_the_results_and_their_count(brush_catalogue):
    hidden = brush_catalogue["title"]
    hidden.noindex = True
    hidden.save_revision().publish()

    results = searchable().search("brush", operator="and")

    assert {page.pk for page in results} == {brush_catalogue["long title"].pk, brush_catalogue["summary"].pk}
    assert results.count() == 2


def test_a_search_matches_once_however_many_pages_match(brush_catalogue, product_index):
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
    ranking_sql, page_sql = many[0]["sql"], many[1]["sql"]
    assert ranking_sql.count(" @@ ") == 1 and "ts_rank" in ranking_sql
    # Each match's pk only, ordered by its rank: not its score, nor its tsvector (Wagtail's compiler selects the
    # whole `title || body`).
    selected, ordered = ranking_sql.split(" FROM ")[0], ranking_sql.split(" ORDER BY ")[1]
    assert selected == 'SELECT "wagtailcore_page"."id" AS "pk"' and "_vector_" not in ranking_sql
    assert "ts_rank" in ordered
    assert "@@" not in page_sql and "ts_rank" not in page_sql


def test_results_in_the_querysets_own_order_can_still_carry_their_scores(brush_catalogue):
    queryset = ProductPage.objects.live().order_by("title")
    ours = RankedOncePostgresBackend({}).search("brush", queryset, order_by_relevance=False).annotate_score("score")
    wagtails = PostgresSearchBackend({}).search("brush", queryset, order_by_relevance=False).annotate_score("score")

    assert [(page.title, page.score) for page in ours[0:20]] == [(page.title, page.score) for page in wagtails[0:20]]
    assert [page.title for page in ours[0:3]] == [
        "Sable brush",
        "Studio round sable brush with a long handle",
        "Travel kit",
    ]


def test_autocomplete_matches_the_start_of_a_word(brush_catalogue):
    found = [page.pk for page in ProductPage.objects.live().autocomplete("sabl")]

    assert set(found) == {brush_catalogue["title"].pk, brush_catalogue["long title"].pk}


def test_searching_for_everything_or_nothing_is_left_to_wagtails_compiler(brush_catalogue):
    everything = RankedOncePostgresBackend({}).search(MatchAll(), searchable())
    nothing = RankedOncePostgresBackend({}).search(Not(MatchAll()), searchable())

    assert not everything.query_compiler.ranks() and not nothing.query_compiler.ranks()
    assert everything.count() == searchable().count() == len(list(everything)) == 16  # the products
    assert nothing.count() == 0 and list(nothing) == []


def test_the_page_of_results_loads_the_fields_the_caller_asked_for(brush_catalogue):
    with CaptureQueriesContext(connection) as queries:
        lean = list(searchable().only("pk", "content_type").search("brush", operator="and"))
    full = list(searchable().search("brush", operator="and"))

    fetch = queries.captured_queries[-1]["sql"]
    assert fetch.startswith('SELECT "wagtailcore_page"."id", "wagtailcore_page"."content_type_id" FROM')
    assert [page.pk for page in lean] == [page.pk for page in full]
    assert lean[0].get_deferred_fields() >= {"title", "path"} and not full[0].get_deferred_fields()


def test_the_ranking_sql_is_built_once_per_shape_and_each_search_keeps_its_own_words_and_scope(brush_catalogue):
    from search.backends import postgres

    postgres._STATEMENTS.clear()
    wide = [page.pk for page in searchable().search("brush", operator="and")]
    kept = dict(postgres._STATEMENTS)
    other_words = [page.pk for page in searchable().search("sable brush", operator="and")]
    either = {page.pk for page in searchable().search("sable pad", operator="or")}
    narrow = [page.pk for page in searchable().filter(pk=brush_catalogue["title"].pk).search("brush", operator="and")]

    assert len(kept) == 1 and postgres._STATEMENTS.items() >= kept.items()  # the later words ran the kept SQL
    assert len(postgres._STATEMENTS) == 2  # the narrower queryset is a shape of its own
    assert set(wide) == {brush_catalogue[name].pk for name in ("title", "long title", "summary")}
    assert set(other_words) == {brush_catalogue["title"].pk, brush_catalogue["long title"].pk}
    assert either == {brush_catalogue[name].pk for name in ("title", "long title", "none")}
    assert narrow == [brush_catalogue["title"].pk]


def test_words_that_look_like_sql_are_searched_for_as_words(brush_catalogue):
    for words in ["brush'); DROP TABLE wagtailcore_page; --", "brush & !sable", "o'brien brush", "brush\\"]:
        found = {page.pk for page in searchable().search(words, operator="or")}
        wagtails = {page.pk for page in PostgresSearchBackend({}).search(words, searchable(), operator="or")}

        assert found == wagtails and brush_catalogue["summary"].pk in found
    assert ProductPage.objects.count() == 16


def test_the_kept_searchable_pages_rank_their_index_entries_alone_in_wagtails_order(rf, brush_catalogue, settings):
    """A search of the generation's searchable pages (search.query.searchable with fragments kept) ranks the index
    entries without joining the pages and keeps the matches among the pages it knows: the same results, in the
    same order (ties by pk, newest first) as Wagtail's own search of the whole definition."""
    from search.backends import postgres
    from search.query import _searchable_pages
    from search.query import searchable as kept_searchable

    settings.FRAGMENT_CACHE_SECONDS = 600
    product_index = brush_catalogue["title"].get_parent()
    for n in range(3):  # three equal scores: their order is the tie-break's
        ProductPageFactory(parent=product_index, title="Sable brush", slug=f"sable-brush-{n}")
    ProductPageFactory(parent=product_index, title="Draft sable brush", live=False)
    ProductPageFactory(parent=product_index, title="Unlisted sable brush", noindex=True)
    postgres._STATEMENTS.clear()

    for words, operator in [("brush", "and"), ("sable brush", "and"), ("sable pad", "or"), ("nothing-here", "and")]:
        with CaptureQueriesContext(connection) as captured:
            ours = [page.pk for page in kept_searchable(rf.get("/search/")).search(words, operator=operator)[0:100]]
        wagtails = PostgresSearchBackend({}).search(words, _searchable_pages(), operator=operator)

        assert ours == [page.pk for page in wagtails[0:100]]
        (ranking,) = [query["sql"] for query in captured.captured_queries if "ts_rank(" in query["sql"]]
        assert "wagtailcore_page" not in ranking
    assert len(ours) == 0 and len(postgres._STATEMENTS) == 1  # one statement for every search of the kept pages

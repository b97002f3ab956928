"""Wagtail's SQLite full-text backend, with each search's ranking computed once instead of once per result.

Wagtail's SQLite compiler (modelsearch) keeps the pages that match with `pk IN (FTS5 query)` and then scores each of
them with a correlated subquery that runs the FTS5 MATCH again, bm25() statistics and all, for every row it
orders. Here the FTS5 query is the outer query: it matches once, computes bm25() once per matching entry, keeps
the entries whose object is in the caller's queryset (an uncorrelated `IN`, evaluated once) and returns every
match's pk, best first. The count is their number, and a second query fetches one page's objects. The order is
the parent's own rank expression, ties going to the higher pk as before, so results and their order are
unchanged; the scores themselves are fetched only for a search that asks for them (annotate_score).

Chosen for SQLite by `search.backends`. Searches this compiler does not rank (negated queries, models whose
primary key is not an integer) are left to the parent.
"""

from modelsearch.backends.database.sqlite.query import MatchExpression, normalize
from modelsearch.backends.database.sqlite.sqlite import (
    SQLiteAutocompleteQueryCompiler,
    SQLiteFTSIndexEntry,
    SQLiteSearchBackend,
    SQLiteSearchQueryCompiler,
    SQLiteSearchResults,
)
from modelsearch.query import MatchAll, Not
from modelsearch.utils import get_descendants_content_types_pks

from django.db import connections
from django.db.models import F, IntegerField
from django.db.models.functions import Cast

from .ranked import RankedOnce, RankedOnceResults, scope_of

_OBJECT_PK = "_object_pk"
_SCORE = "_score"
# The ranking queries' SQL by shape (database, model, fields, page types, the queryset's scope_of, config): a
# shop has a handful (the site search, the API's, each category's), so the bound only guards against surprises.
_STATEMENTS: dict[tuple, tuple[str, tuple, int]] = {}
STATEMENTS_KEPT = 256


class _SQLiteRanking(RankedOnce):
    """The ranking as one FTS5 query, mixed into Wagtail's SQLite search and autocomplete compilers."""

    def ranks(self) -> bool:
        query = normalize(self.query)
        return not isinstance(query, (MatchAll, Not)) and isinstance(self.queryset.model._meta.pk, IntegerField)

    def _ranking_query(self, match, content_types, config, *, scores=False):
        entries = (
            SQLiteFTSIndexEntry.objects.using(self.queryset.db)
            .filter(match)
            .filter(index_entry__content_type__in=content_types)
            .annotate(
                **{
                    _OBJECT_PK: Cast(F("index_entry__object_id"), IntegerField()),
                    _SCORE: self._build_rank_expression(self.get_search_vectors(), config),
                }
            )
            .filter(**{f"{_OBJECT_PK}__in": self.queryset.values("pk")})
        )
        # bm25() is negative, lower is better; ties go to the higher pk, as the parent orders them.
        ranked = entries.order_by(_SCORE, f"-{_OBJECT_PK}")
        return ranked.values_list(_OBJECT_PK, _SCORE) if scores else ranked.values_list(_OBJECT_PK, flat=True)

    def _match(self, config):
        match = MatchExpression(
            self.fields or self.FTS_TABLE_FIELDS, self.build_search_query(normalize(self.query), config=config)
        )
        return match, tuple(get_descendants_content_types_pks(self.queryset.model))

    def _run_scores(self, config) -> list[tuple[int, float]]:
        return list(self._ranking_query(*self._match(config), config, scores=True))

    def _run_ranking(self, config) -> list[int]:
        """The ranking query, its SQL built by the ORM once per shape and kept (_STATEMENTS): building it took
        as long as SQLite takes to run it. What is searched for is the statement's one MATCH parameter, so
        every search over the same queryset, fields and page types runs the same SQL with another parameter."""
        match, content_types = self._match(config)
        db = self.queryset.db
        connection = connections[db]
        match_text = match.as_sql(SQLiteFTSIndexEntry.objects.none().query.get_compiler(db), connection)[1][0]
        key = (db, self.queryset.model, tuple(match.columns), content_types, scope_of(self.queryset), config)
        try:
            statement = _STATEMENTS.get(key)
        except TypeError:  # a parameter that cannot be a key: build the query every time
            return list(self._ranking_query(match, content_types, config))
        if statement is None:
            query = self._ranking_query(match, content_types, config)
            sql, params = query.query.get_compiler(db).as_sql()
            slots = [index for index, param in enumerate(params) if param == match_text]
            if len(slots) != 1:  # the MATCH parameter cannot be told apart from the others: not kept
                return list(query)
            if len(_STATEMENTS) >= STATEMENTS_KEPT:
                _STATEMENTS.clear()
            statement = _STATEMENTS[key] = (sql, tuple(params), slots[0])
        sql, kept_params, slot = statement
        params = [*kept_params[:slot], match_text, *kept_params[slot + 1 :]]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [pk for (pk,) in cursor.fetchall()]


class RankedOnceSearchQueryCompiler(_SQLiteRanking, SQLiteSearchQueryCompiler):
    pass


class RankedOnceAutocompleteQueryCompiler(_SQLiteRanking, SQLiteAutocompleteQueryCompiler):
    pass


class RankedOnceSearchResults(RankedOnceResults, SQLiteSearchResults):
    pass


class RankedOnceSQLiteBackend(SQLiteSearchBackend):
    query_compiler_class = RankedOnceSearchQueryCompiler
    autocomplete_query_compiler_class = RankedOnceAutocompleteQueryCompiler
    results_class = RankedOnceSearchResults

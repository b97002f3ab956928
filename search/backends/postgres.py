"""Wagtail's PostgreSQL full-text backend, with each search's match and ranking run once.

Wagtail's compiler (modelsearch) runs `(title || body) @@ query` twice per search, once to count the results and
once for the page of them, and selects each result's whole tsvector with it. Here one query returns every match's
pk, best first, ordered by the same expressions Wagtail's compiler builds (its tsquery, its ts_rank weights and
title norms, its `-pk` tie-break), so results and their order are unchanged. The count is their number, and a
page of results is fetched by pk. The scores themselves are fetched only for a search that asks for them
(annotate_score): sending them took a third of the Python time of `?q=studio`'s 1,005 matches.

The ranking's SQL is built by the ORM once per shape and kept, as on SQLite (see `_run_ranking`): building it
took a third as long as PostgreSQL takes to run it. Each rank reads the search's tsquery parsed once per query
(see `_ParsedOnce`), not once per match.

A search of the generation's searchable pages (search.query.Searchable, whose pks are known) ranks the index
entries alone and keeps the matches among those pks (`_entries_ranking_query`): joining a thousand pages to their
entries, to read what the kept pks already say, was half of PostgreSQL's time a search.

Searches this compiler does not rank (everything, nothing, fuzzy) are left to the parent.
"""

from modelsearch.backends.database.postgres.postgres import (
    PostgresAutocompleteQueryCompiler,
    PostgresSearchBackend,
    PostgresSearchQueryCompiler,
    PostgresSearchResults,
)
from modelsearch.query import Fuzzy, MatchAll, Not, Phrase, PlainText
from modelsearch.utils import get_descendants_content_types_pks

from django.contrib.postgres.search import SearchQueryField, SearchRank
from django.db import connections
from django.db.models import F, Func, IntegerField
from django.db.models.functions import Cast

from .ranked import RANKED_AMONG, RankedOnce, RankedOnceResults, scope_of

_SCORE = "_score"
_PK = "_pk_"
_ENTRIES = "index entries alone"  # the scope of a ranking over the index entries: none, the pks are kept after
# The ranking queries' SQL by shape (database, compiler, model, fields, config, the queryset's scope_of): a shop
# has a handful (the site search, the API's, each category's), so the bound only guards against surprises.
_STATEMENTS: dict[tuple, tuple[str, tuple, tuple[int, ...]]] = {}
STATEMENTS_KEPT = 256
# A word no one searches for: the kept statement is built searching for it, and its parameters that hold it are
# where each search's own words go.
_PLACEHOLDER = "pagecartplaceholderword"


class _ParsedOnce(Func):
    """A tsquery as an uncorrelated subquery, which PostgreSQL evaluates once per query (an InitPlan).

    Wagtail's `to_tsquery(text)` reads the session's text search configuration, so PostgreSQL may not fold it
    into a constant and parses the text again for every match it ranks: two ranks over 340 matches spent longer
    parsing `brush` than ranking (the ranking of `?q=brush` ran in 0.57 ms instead of 0.98, the same rows in the
    same order). The match itself keeps the plain call, which PostgreSQL's GIN index scan evaluates once anyway."""

    template = "(SELECT %(expressions)s)"
    output_field = SearchQueryField()


class _PostgresRanking(RankedOnce):
    """The ranking as one query over the queryset and its index entries, mixed into Wagtail's compilers."""

    def ranks(self) -> bool:
        query = self.query
        if isinstance(query, Not):
            query = query.subquery
        return not isinstance(query, (MatchAll, Fuzzy))

    def build_tsrank(self, vector, query, config=None, boost=1.0):
        """The parent's rank of one term (its own expression, see PostgresSearchQueryCompiler.build_tsrank) with
        the tsquery parsed once; the parent combines terms (And, Or, Boost) by calling this for each."""
        if not isinstance(query, (Phrase, PlainText, Not)):
            return super().build_tsrank(vector, query, config=config, boost=boost)
        rank = SearchRank(vector, _ParsedOnce(self.build_tsquery(query, config=config)), weights=self.sql_weights)
        return rank * boost if boost != 1.0 else rank

    def _ranking_query(self, config, *, scores=False):
        """The parent's own match and rank expressions (see PostgresSearchQueryCompiler.search), asked only for
        each match's pk (and score)."""
        search_query = self.build_tsquery(self.query, config=config)
        vectors = self.get_search_vectors(search_query)
        rank = self._build_rank_expression(vectors, config)
        combined = vectors[0][0]
        for vector, _boost in vectors[1:]:
            combined = combined._combine(vector, "||", False)
        ranked = (
            self.queryset.annotate(_vector_=combined)
            .filter(_vector_=search_query)
            .annotate(**{_SCORE: rank})
            .order_by(F(_SCORE).desc(), "-pk")
        )
        return ranked.values_list("pk", _SCORE) if scores else ranked.values_list("pk", flat=True)

    def _entries_ranking_query(self, config):
        """The same match, ranks and order over the index entries alone, without the pages: each entry's pk is
        its `object_id` (text) as an integer. For a queryset whose pks are known (RANKED_AMONG), which the matches
        are then kept among; joining a thousand pages to their entries was half of PostgreSQL's time a search."""
        entries = self.queryset.model._meta.get_field("index_entries").related_model
        search_query = self.build_tsquery(self.query, config=config)
        # The parent's index vectors (get_index_vectors), read on the entry itself instead of through the pages.
        rank = self._build_rank_expression([(F("title"), F("title_norm")), (F("body"), 1.0)], config)
        return (
            entries.objects.filter(content_type_id__in=get_descendants_content_types_pks(self.queryset.model))
            .annotate(_vector_=F("title")._combine(F("body"), "||", False))
            .filter(_vector_=search_query)
            .annotate(**{_SCORE: rank, _PK: Cast("object_id", IntegerField())})
            .order_by(F(_SCORE).desc(), F(_PK).desc())
            .values_list(_PK, flat=True)
        )

    def _run_scores(self, config) -> list[tuple[int, float]]:
        return list(self._ranking_query(config, scores=True))

    def _run_ranking(self, config) -> list[int]:
        """The ranking query, its SQL kept per shape. A plain-text search's words reach the SQL as one
        parameter, the tsquery text, wherever the query matches or ranks (Wagtail's `to_tsquery(%s)`), so every
        such search over the same queryset, fields and config runs the same SQL with other words. Other searches
        (phrases, combined queries, whose SQL depends on their structure) are built every time."""
        among = getattr(self.queryset, RANKED_AMONG, None) if self.fields is None else None
        words = self._tsquery_text(self.query, config) if type(self.query) is PlainText else None
        if words is None:
            ranking = self._ranking_query(config) if among is None else self._entries_ranking_query(config)
            return self._kept_among(among, ranking)
        db = self.queryset.db
        scope = _ENTRIES if among is not None else scope_of(self.queryset)
        key = (db, type(self), self.queryset.model, self.fields and tuple(self.fields), config, scope)
        try:
            statement = _STATEMENTS.get(key)
        except TypeError:  # a parameter that cannot be a key: build the query every time
            return list(self._ranking_query(config))
        if statement is None:
            statement = self._statement(config, entries=among is not None)
            if statement is None:
                return list(self._ranking_query(config))
            if len(_STATEMENTS) >= STATEMENTS_KEPT:
                _STATEMENTS.clear()
            _STATEMENTS[key] = statement
        sql, kept_params, slots = statement
        params = list(kept_params)
        for slot in slots:
            params[slot] = words
        with connections[db].cursor() as cursor:
            cursor.execute(sql, params)
            return self._kept_among(among, (pk for (pk,) in cursor.fetchall()))

    @staticmethod
    def _kept_among(among, pks) -> list[int]:
        """The ranked pks, only those `among` holds when it is given (the index entries' ranking has every
        page's: drafts, pages hidden from search, pages made since the generation began)."""
        if among is None:
            return list(pks)
        return [pk for pk in pks if pk in among]

    def _statement(self, config, *, entries=False) -> tuple[str, tuple, tuple[int, ...]] | None:
        """The ranking's SQL and parameters for a search for the placeholder word, and which parameters hold it;
        None when none does (the words would have nowhere to go)."""
        placeholder = type(self)(self.queryset, PlainText(_PLACEHOLDER), fields=self.fields)
        ranking = placeholder._entries_ranking_query(config) if entries else placeholder._ranking_query(config)
        sql, params = ranking.query.get_compiler(self.queryset.db).as_sql()
        held = self._tsquery_text(placeholder.query, config)
        slots = tuple(index for index, param in enumerate(params) if param == held)
        if not slots or any(_PLACEHOLDER in str(param) for index, param in enumerate(params) if index not in slots):
            return None
        return sql, tuple(params), slots

    def _tsquery_text(self, query, config) -> str | None:
        """The text Wagtail's compiler passes to `to_tsquery()` for the query (its lexemes, quoted and joined);
        None for a query without words."""
        search_query = self.build_tsquery(query, config=config)
        if search_query is None:
            return None
        lexemes = search_query.get_source_expressions()[-1]
        compiler = self.queryset.query.get_compiler(self.queryset.db)
        return lexemes.as_sql(compiler, compiler.connection)[1][0]


class RankedOncePostgresSearchQueryCompiler(_PostgresRanking, PostgresSearchQueryCompiler):
    pass


class RankedOncePostgresAutocompleteQueryCompiler(_PostgresRanking, PostgresAutocompleteQueryCompiler):
    pass


class RankedOncePostgresSearchResults(RankedOnceResults, PostgresSearchResults):
    pass


class RankedOncePostgresBackend(PostgresSearchBackend):
    query_compiler_class = RankedOncePostgresSearchQueryCompiler
    autocomplete_query_compiler_class = RankedOncePostgresAutocompleteQueryCompiler
    results_class = RankedOncePostgresSearchResults

"""Wagtail's PostgreSQL full-text backend, with each search's match and ranking run once.

Wagtail's compiler (modelsearch) runs `(title || body) @@ query` twice per search, once to count the results and
once for the page of them, and selects each result's whole tsvector with it. Here one query returns every match's
(pk, score), best first, from the same expressions Wagtail's compiler builds (its tsquery, its ts_rank weights and
title norms, its `-pk` tie-break), so results and their order are unchanged. The count is their number, and a
page of results is fetched by pk.

The match's SQL is built by the ORM once per shape and kept, as on SQLite: the ORM took longer to build it
than PostgreSQL takes to run it (see `_run_ranking`).

Searches this compiler does not rank (everything, nothing, fuzzy) are left to the parent.
"""

from modelsearch.backends.database.postgres.postgres import (
    PostgresAutocompleteQueryCompiler,
    PostgresSearchBackend,
    PostgresSearchQueryCompiler,
    PostgresSearchResults,
)
from modelsearch.query import Fuzzy, MatchAll, Not

from django.db.models import F

from .ranked import RankedOnce, RankedOnceResults

_SCORE = "_score"


class _PostgresRanking(RankedOnce):
    """The ranking as one query over the queryset and its index entries, mixed into Wagtail's compilers."""

    def ranks(self) -> bool:
        query = self.query
        if isinstance(query, Not):
            query = query.subquery
        return not isinstance(query, (MatchAll, Fuzzy))

    def _ranking_query(self, config):
        """The parent's own match and rank expressions (see PostgresSearchQueryCompiler.search), asked only for
        each match's pk and score."""
        search_query = self.build_tsquery(self.query, config=config)
        vectors = self.get_search_vectors(search_query)
        rank = self._build_rank_expression(vectors, config)
        combined = vectors[0][0]
        for vector, _boost in vectors[1:]:
            combined = combined._combine(vector, "||", False)
        return (
            self.queryset.annotate(_vector_=combined)
            .filter(_vector_=search_query)
            .annotate(**{_SCORE: rank})
            .order_by(F(_SCORE).desc(), "-pk")
            .values_list("pk", _SCORE)
        )

    def _run_ranking(self, config) -> list[tuple[int, float]]:
        return list(self._ranking_query(config))


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

"""What both databases' compilers share: a search's ranking computed once, its count and pages read from it.

Wagtail's compilers run the match once for the count and again for each page of results, each time building the
SQL afresh (and on SQLite, scoring every result in a correlated subquery). A compiler serves one search, so here
it asks its database once for every match's pk, best first: the count is their number, and a page of results is
one query by pk. Scores are asked for only by a search that wants them (annotate_score), in a query of their own.
Each database's module says how the ranking is asked for (`_run_ranking`, `_run_scores`) and which searches it
ranks (`ranks`); the rest is left to Wagtail's compiler.
"""

from typing import Any

from django.core.exceptions import EmptyResultSet

# Set on a queryset by whoever knows what its SQL is made of (search.query.Searchable.results): the ranking's
# kept statement is then looked up by it, without compiling the queryset's SQL (85 us of every search). Only that
# very queryset carries it: a filter added to it makes a new queryset, which does not.
SCOPE_MARK = "ranking_scope"
# Set beside it on the same queryset: every pk the queryset holds, as something to look a pk up in. A database that
# can rank the index entries alone (PostgreSQL) then leaves the pages out of the query and keeps the matches the
# queryset holds. Only given where the pks are known without asking the database (the generation's searchable
# pages, search.query.Searchable), and, as the mark, lost by any filter added to the queryset.
RANKED_AMONG = "ranked_among"


def scope_of(queryset) -> tuple[Any, ...]:
    """What the ranking's SQL takes from the queryset, as part of the key its kept statement is found by: the
    queryset's mark, or else its SQL and parameters."""
    marked = getattr(queryset, SCOPE_MARK, None)
    if marked is not None:
        return (SCOPE_MARK, *marked)
    sql, params = queryset.values("pk").query.get_compiler(queryset.db).as_sql()
    return (sql, *params)


class RankedOnce:
    """The ranking half of a compiler, mixed into Wagtail's search and autocomplete compilers."""

    _ranking: list[Any] | None = None

    def ranks(self) -> bool:
        """Whether this compiler ranks the search itself (else the parent's does)."""
        raise NotImplementedError

    def _run_ranking(self, config) -> list[Any]:
        raise NotImplementedError

    def _run_scores(self, config) -> list[tuple[Any, float]]:
        raise NotImplementedError

    def ranking(self, config) -> list[Any]:
        """The pk of every object of the queryset that matches, best first: one query. Holding every match costs
        little at this site's scale (a few hundred pages match a common word in a 1,000-product shop)."""
        if self._ranking is None:
            try:
                self._ranking = self._run_ranking(config)
            except EmptyResultSet:  # the queryset holds nothing whatever its rows, such as `pk__in=[]`
                self._ranking = []
        return self._ranking

    def ranked(self, config, start: int | None, stop: int | None, score_field: str | None) -> list[Any]:
        """The objects from start to stop, best match first (or in the queryset's order when not by relevance)."""
        if not self.order_by_relevance:
            objects = list(self.search(config, start, stop, score_field=None))  # the parent's, without scores
            if score_field is not None:
                scores = self.scores(config)
                for obj in objects:
                    setattr(obj, score_field, scores.get(obj.pk))
            return objects
        pks = self.ranking(config)[start:stop]
        if not pks:
            return []
        # One page of pks, put back in their order here: ordering by a CASE in SQL cost more to build than the
        # whole query takes to run. The ranking kept only objects of the queryset, so they are fetched by pk
        # alone: the queryset's filters again (the searchable pages' subqueries) took longer than the fetch.
        fetch = self.queryset.model._default_manager.filter(pk__in=pks).order_by()
        fields, deferred = self.queryset.query.deferred_loading  # the caller's only() or defer(), kept
        if fields:
            fetch = fetch.defer(*fields) if deferred else fetch.only(*fields)
        fetched = {obj.pk: obj for obj in fetch}
        objects = [fetched[pk] for pk in pks if pk in fetched]
        if score_field is not None:
            scores = self.scores(config)
            for obj in objects:
                setattr(obj, score_field, scores.get(obj.pk))
        return objects

    def scores(self, config) -> dict[Any, float]:
        """{pk: score} of every match, for a search that asks for them: a query of its own."""
        try:
            return dict(self._run_scores(config))
        except EmptyResultSet:
            return {}


class RankedOnceResults:
    """Mixed into Wagtail's results class: results and count from the compiler's one ranking."""

    def _do_search(self) -> list[Any]:
        compiler = self.query_compiler
        if not compiler.ranks():
            return super()._do_search()
        return compiler.ranked(compiler.get_config(self.backend), self.start, self.stop, self._score_field)

    def ranked_pks(self) -> list[Any]:
        """These results' pks, best first, read from the ranking without loading their objects (or, for a search
        the compiler leaves to its parent, from the objects)."""
        compiler = self.query_compiler
        if not compiler.ranks() or not compiler.order_by_relevance:
            return [obj.pk for obj in self]
        return compiler.ranking(compiler.get_config(self.backend))[self.start : self.stop]

    def _do_count(self) -> int:
        compiler = self.query_compiler
        if not compiler.ranks():
            return super()._do_count()
        return len(compiler.ranking(compiler.get_config(self.backend)))

"""Search hits for the admin's popular-searches report, counted in memory and written in batches off the request path.

Wagtail's own recording (`Query.get(q).add_hit()`) is a get_or_create and an UPDATE on every search, and on SQLite
every search then queues for the database's one write lock behind checkouts and other searches. Here a search only
adds one to a counter in its process. A thread of the process writes the counts every SEARCH_HITS_FLUSH_SECONDS, in
one transaction however many searches there were, and a process that stops writes what it holds on its way out. A
killed process loses at most an interval's counts: a report of popular searches can afford that, and nothing else
reads them. A failed write keeps the counts for the next turn.

A search is counted by SearchHitsMiddleware, above the page cache, so a search the page cache answers counts as
much as one the view renders (most of a popular query's searches, in production).

SEARCH_HITS_FLUSH_SECONDS = None (the test settings) starts no thread and writes nothing at exit: the counts wait
for `flush()`.
"""

import atexit
import logging
import os
import threading
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import date

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import F
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils import timezone

from wagtail.contrib.search_promotions.models import Query, QueryDailyHits
from wagtail.search.utils import normalise_query_string

from .query import clean_query

logger = logging.getLogger("pagecart.search")

# Queries written per batch of statements: well under SQLite's limit of variables in one statement.
WRITE_CHUNK = 500

_lock = threading.Lock()
_pending: Counter[tuple[str, date]] = Counter()  # (normalised query, day) -> searches not yet written
_writer_pid: int | None = None  # the process whose writer thread is running: a forked child starts its own
_writer: threading.Thread | None = None
_stop = threading.Event()


def record(query: str) -> None:
    """Count one search for `query` (as Wagtail normalises it, so "Brush " and "brush" are one query)."""
    normalised = normalise_query_string(query)
    if not normalised:
        return
    with _lock:
        _start_writer()
        _pending[(normalised, timezone.now().date())] += 1  # the day as Wagtail's add_hit dates it


class SearchHitsMiddleware:
    """Counts each search answered with its first page of results, whether the search view or the page cache
    answered it. Later pages of the same search are not new searches; a search that failed (a page number that
    names no page, an error) is not counted."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if (
            request.method == "GET"
            and response.status_code == 200
            and request.path_info == reverse("search")
            and request.GET.get("page", "1") == "1"
        ):
            record(clean_query(request.GET.get("q")))
        return response


def flush() -> None:
    """Write the counts held so far: one transaction, a few queries per distinct query searched."""
    with _lock:
        batch = dict(_pending)
        _pending.clear()
    if not batch:
        return
    try:
        _write(batch)
    except DatabaseError:
        logger.exception("Search hits not written; %d kept for the next try", sum(batch.values()))
        with _lock:
            _pending.update(batch)


def pending() -> int:
    """How many searches are counted but not yet written."""
    with _lock:
        return sum(_pending.values())


def _write(batch: dict[tuple[str, date], int]) -> None:
    """A few statements per flush however many queries it holds (Wagtail's add_hit takes four or five a query: a
    flush of 400 different searches held each worker's GIL and the write lock for most of a second). The query
    and day rows are made where missing, a row another process made first being kept (the unique constraints
    decide), then each row's count goes up in one UPDATE per distinct increment."""
    keys = list(batch)
    with transaction.atomic():
        for start in range(0, len(keys), WRITE_CHUNK):
            _write_chunk({key: batch[key] for key in keys[start : start + WRITE_CHUNK]})


def _write_chunk(batch: dict[tuple[str, date], int]) -> None:
    query_strings = {query_string for query_string, _day in batch}
    Query.objects.bulk_create(
        [Query(query_string=query_string) for query_string in query_strings], ignore_conflicts=True
    )
    query_ids = dict(Query.objects.filter(query_string__in=query_strings).values_list("query_string", "pk"))
    QueryDailyHits.objects.bulk_create(
        [QueryDailyHits(query_id=query_ids[query_string], date=day) for query_string, day in batch],
        ignore_conflicts=True,
    )
    days = QueryDailyHits.objects.filter(query_id__in=query_ids.values(), date__in={day for _query, day in batch})
    day_ids = {(query_id, day): pk for pk, query_id, day in days.values_list("pk", "query_id", "date")}
    by_increment: defaultdict[int, list[int]] = defaultdict(list)
    for (query_string, day), hits in batch.items():
        by_increment[hits].append(day_ids[(query_ids[query_string], day)])
    for hits, ids in by_increment.items():
        QueryDailyHits.objects.filter(pk__in=ids).update(hits=F("hits") + hits)


def _start_writer() -> None:
    """Start this process's writer thread if it has none (called with the lock held)."""
    global _writer_pid, _writer
    interval = settings.SEARCH_HITS_FLUSH_SECONDS
    if interval is None or _writer_pid == os.getpid():
        return
    if _writer_pid is not None:  # forked from a process that counted: its counts are its own to write
        _pending.clear()
    else:
        atexit.register(flush)
    _writer_pid = os.getpid()
    _writer = threading.Thread(target=_write_every, args=(interval,), name="search-hits", daemon=True)
    _writer.start()


def stop_writer() -> None:
    """Stop this process's writer thread and its write at exit, leaving the counts it holds to `flush()` (for the
    tests, whose databases are gone by the time the process exits)."""
    global _writer_pid, _writer
    with _lock:
        writer, _writer, _writer_pid = _writer, None, None
    if writer is not None:
        _stop.set()
        writer.join()
        _stop.clear()
    atexit.unregister(flush)


def _write_every(interval: float) -> None:
    while not _stop.wait(interval):
        try:
            flush()
        finally:
            connection.close()  # this thread's own connection: not left open between turns

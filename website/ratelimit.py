"""Fixed-window rate limits for the shop's own forms, counted where every worker process sees the same
number: Redis when REDIS_URL is set, else the database (a row per limit and visitor, raised by one
atomic upsert). A per-process cache would let each gunicorn worker allow the limit over again.

allauth limits its own views (log-in, sign-up, password reset) in the default cache, which is Redis or
the database for the same reason (config/settings/base.py); this covers the rest: emailed links,
"find my order", the admin log-in, the API, and anything else an outsider can make us do on repeat.
"""

import hashlib
import time
from datetime import timedelta

from allauth.account.adapter import get_adapter

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from .models import RateLimitCount
from .redis_cache import UNANSWERED, answering


def _key(scope: str, key) -> str:
    return f"ratelimit:{scope}:{hashlib.sha256(str(key).encode()).hexdigest()[:32]}"


def _count_in_cache(key: str, period: int) -> int | None:
    """The count, or None if Redis stopped answering."""
    # The window opens at the first attempt and Redis drops the key `period` later (INCR keeps its expiry), as
    # the database's row does. Windows cut at clock minutes would let a burst straddling one through twice and
    # reset a count half-way through.
    if cache.add(key, 1, timeout=period):
        return 1
    if not answering(cache):  # add() found it gone
        return None
    try:
        return cache.incr(key)
    except ValueError:  # the window expired between add and incr
        cache.add(key, 1, timeout=period)
        return 1


# One statement, so two workers counting at once both count, and it costs a request one query: a window opens
# at the first attempt and lasts `period`; an attempt after it has ended opens the next. SQLite (3.35+) and
# PostgreSQL both speak this upsert.
_UPSERT = """
    INSERT INTO {table} (key, count, expires) VALUES (%s, 1, %s)
    ON CONFLICT (key) DO UPDATE SET
        count = CASE WHEN {table}.expires <= %s THEN 1 ELSE {table}.count + 1 END,
        expires = CASE WHEN {table}.expires <= %s THEN excluded.expires ELSE {table}.expires END
    RETURNING count
"""
_STALE_AFTER = timedelta(days=1)  # longer than any limit's period
_next_sweep = time.monotonic() + 600  # rows of addresses not seen for a day go, at most every 10 minutes


def _count_in_database(key: str, period: int) -> int:
    global _next_sweep
    now = timezone.now()
    stored_now, expires = (connection.ops.adapt_datetimefield_value(t) for t in (now, now + timedelta(seconds=period)))
    with connection.cursor() as cursor:
        cursor.execute(
            _UPSERT.format(table=connection.ops.quote_name(RateLimitCount._meta.db_table)),
            [key, expires, stored_now, stored_now],
        )
        count = cursor.fetchone()[0]
    if time.monotonic() >= _next_sweep:
        _next_sweep = time.monotonic() + 600
        RateLimitCount.objects.filter(expires__lt=now - _STALE_AFTER).delete()
    return count


def _in_cache() -> bool:
    """Counted in Redis when there is one and it answers; in the database while it does not, so a Redis out of
    reach neither lifts the limits nor takes the forms down (website.redis_cache)."""
    return bool(settings.REDIS_URL) and answering(cache)


def hit(scope: str, key, *, period: int) -> int:
    """Count one attempt for `key` in `scope`; the number counted so far in this `period` (seconds)."""
    if _in_cache():
        try:
            count = _count_in_cache(_key(scope, key), period)
        except UNANSWERED:  # gone between add() and incr()
            count = None
        if count is not None:
            return count
    return _count_in_database(_key(scope, key), period)


def hits(scope: str, key, *, period: int) -> int:
    """The attempts counted for `key` in `scope` in this `period`, without counting one."""
    if _in_cache():
        return cache.get(_key(scope, key), 0)
    row = RateLimitCount.objects.filter(key=_key(scope, key), expires__gt=timezone.now()).first()
    return row.count if row else 0


def allow(scope: str, key, *, limit: int, period: int) -> bool:
    """Count one attempt for `key` in `scope`; False once more than `limit` fall in one `period` (seconds)."""
    return hit(scope, key, period=period) <= limit


def client_ip(request):
    """The visitor's address as allauth sees it: X-Forwarded-For is trusted only as far as
    ALLAUTH_TRUSTED_PROXY_COUNT (TRUSTED_PROXY_COUNT) says, so the log-in limits and ours count alike."""
    return get_adapter(request).get_client_ip(request)

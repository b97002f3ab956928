"""Fixed-window rate limits for the shop's own forms, counted where every worker process sees the same
number: Redis when REDIS_URL is set, else the database (one row per window, raised by a conditional
UPDATE). A per-process cache would let each gunicorn worker allow the limit over again.

allauth limits its own views (log-in, sign-up, password reset) in the default cache, which is Redis or
the database for the same reason (website/settings/base.py); this covers the rest: emailed links,
"find my order", the admin log-in, the API, and anything else an outsider can make us do on repeat.
"""

import hashlib
import time
from datetime import timedelta

from allauth.account.adapter import get_adapter

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import RateLimitCount


def _window_key(scope: str, key, period: int) -> str:
    digest = hashlib.sha256(str(key).encode()).hexdigest()[:32]
    return f"ratelimit:{scope}:{digest}:{int(time.time() // period)}"


def _count_in_cache(window: str, period: int) -> int:
    if cache.add(window, 1, timeout=period):
        return 1
    try:
        return cache.incr(window)
    except ValueError:  # the window expired between add and incr
        cache.add(window, 1, timeout=period)
        return 1


def _count_in_database(window: str, period: int) -> int:
    now = timezone.now()
    with transaction.atomic():
        if not RateLimitCount.objects.filter(key=window).update(count=F("count") + 1):
            try:
                with transaction.atomic():
                    RateLimitCount.objects.create(key=window, count=1, expires=now + timedelta(seconds=period))
            except IntegrityError:  # another worker opened the window first: count in its row
                RateLimitCount.objects.filter(key=window).update(count=F("count") + 1)
            else:
                RateLimitCount.objects.filter(expires__lt=now).delete()  # windows gone by, once per new one
                return 1
        return RateLimitCount.objects.values_list("count", flat=True).get(key=window)


def hit(scope: str, key, *, period: int) -> int:
    """Count one attempt for `key` in `scope`; the number counted so far in this `period` (seconds)."""
    window = _window_key(scope, key, period)
    return _count_in_cache(window, period) if settings.REDIS_URL else _count_in_database(window, period)


def hits(scope: str, key, *, period: int) -> int:
    """The attempts counted for `key` in `scope` in this `period`, without counting one."""
    window = _window_key(scope, key, period)
    if settings.REDIS_URL:
        return cache.get(window, 0)
    return RateLimitCount.objects.filter(key=window).values_list("count", flat=True).first() or 0


def allow(scope: str, key, *, limit: int, period: int) -> bool:
    """Count one attempt for `key` in `scope`; False once more than `limit` fall in one `period` (seconds)."""
    return hit(scope, key, period=period) <= limit


def client_ip(request):
    """The visitor's address as allauth sees it: X-Forwarded-For is trusted only as far as
    ALLAUTH_TRUSTED_PROXY_COUNT (TRUSTED_PROXY_COUNT) says, so the log-in limits and ours count alike."""
    return get_adapter(request).get_client_ip(request)

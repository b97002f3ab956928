"""Fixed-window rate limits in the shared cache (Redis in production), for the shop's own forms.

allauth limits its own views (log-in, sign-up, password reset); this covers the rest: emailed links,
"find my order", and anything else an outsider can make us do on repeat.
"""

import hashlib
import time

from allauth.account.adapter import get_adapter

from django.core.cache import cache


def allow(scope, key, *, limit, period):
    """Count one attempt for `key` in `scope`; False once more than `limit` fall in one `period` (seconds)."""
    digest = hashlib.sha256(str(key).encode()).hexdigest()[:32]
    cache_key = f"ratelimit:{scope}:{digest}:{int(time.time() // period)}"
    if cache.add(cache_key, 1, timeout=period):
        return True
    try:
        count = cache.incr(cache_key)
    except ValueError:  # the window expired between add and incr
        cache.add(cache_key, 1, timeout=period)
        count = 1
    return count <= limit


def client_ip(request):
    """The visitor's address as allauth sees it: X-Forwarded-For is trusted only as far as
    ALLAUTH_TRUSTED_PROXY_COUNT (TRUSTED_PROXY_COUNT) says, so the log-in limits and ours count alike."""
    return get_adapter(request).get_client_ip(request)

"""A progressive delay per account instead of a lock-out (OWASP ASVS 2.2): past a few failed log-ins for
one account, from anywhere, each further attempt on it waits a little longer before its password is
checked, doubling up to a short cap. A guesser spread over many addresses slows to a crawl, while the
owner with the right password always gets in: a lock-out an attacker could aim at a victim would not.
Each address is limited on its own, per account and overall (accounts/adapter.py, website/admin_login.py).
"""

import time

from django.conf import settings

from .ratelimit import hit, hits

FAILURES_WINDOW = 15 * 60  # seconds in which an account's failed log-ins add up


def _account(scope: str, login: str) -> str:
    return f"{scope}:{login.strip().lower()}"


def seconds_before_checking(scope: str, login: str) -> float:
    """How long an attempt on this account waits: nothing for the first LOGIN_DELAY_FREE_FAILURES, then
    LOGIN_DELAY_SECONDS, doubling with each further failure up to LOGIN_DELAY_MAX_SECONDS."""
    failures = hits("login-failures", _account(scope, login), period=FAILURES_WINDOW)
    beyond = failures - settings.LOGIN_DELAY_FREE_FAILURES
    if beyond < 0:
        return 0.0
    return min(settings.LOGIN_DELAY_SECONDS * 2**beyond, settings.LOGIN_DELAY_MAX_SECONDS)


def pause_before_checking(scope: str, login: str) -> None:
    time.sleep(seconds_before_checking(scope, login))


def record_failure(scope: str, login: str) -> None:
    hit("login-failures", _account(scope, login), period=FAILURES_WINDOW)

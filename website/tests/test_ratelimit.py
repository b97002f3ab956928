"""The shop's own limits count in a window that opens at the first attempt: Redis when the run has one
(bin/with-services), the database otherwise."""

import time
import uuid

from website.ratelimit import allow, hits


def test_a_window_opens_at_the_first_attempt_not_at_the_clock(db):
    period, key = 2, uuid.uuid4().hex
    # Start just before a clock boundary: a window cut at the clock would reset between the two attempts.
    while time.time() % period < period - 0.3:
        time.sleep(0.02)
    assert allow("test-window", key, limit=1, period=period)
    time.sleep(0.4)
    assert not allow("test-window", key, limit=1, period=period)
    assert hits("test-window", key, period=period) == 2


def test_a_window_closes_a_period_after_it_opened(db):
    period, key = 1, uuid.uuid4().hex
    assert allow("test-window", key, limit=1, period=period)
    assert not allow("test-window", key, limit=1, period=period)
    time.sleep(period + 0.2)
    assert allow("test-window", key, limit=1, period=period)

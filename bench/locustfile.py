"""Shoppers for bench/load: browsing, search, add-to-cart and full checkouts through FakeStripe's payment page.

Run by bench/load (bench/load_runner.py), which writes the targets file and reads the results; by hand:

    BENCH_TARGETS=targets.json BENCH_OUT=out/ .venv/bin/locust -f bench/locustfile.py --headless \
        -u 200 -r 50 -t 60s --stop-timeout 30s --host http://127.0.0.1:8200

BENCH_TARGETS (JSON, from bench/load_checks.py): "pages" {kind: [path, ...]}, "searches" [term, ...] and
"buyable" [{"id", "url", "digital", "files"}, ...]. BENCH_THINK: seconds between tasks ("1-2"). BENCH_BUY:
"all", or "digital" to buy only digital products. BENCH_CHECKOUT_FIRST=1: each shopper checks out first.
Into BENCH_OUT it writes completed.txt (one "session_id order_number" line per checkout that reached the
success page), stats.json (requests, failures, p50/p95/p99 in ms and requests/s per endpoint, the total, and
the errors) and cache.json (X-Page-Cache answers per page kind). Each request is named by its kind, so
locust's table has one row per endpoint, not per URL. Any unexpected status, a missing form token or a
redirect to the wrong place fails the request, and the rest of that task is skipped.
"""

import json
import os
import random
import re
import time
import uuid
from collections import Counter, defaultdict, deque
from pathlib import Path
from urllib.parse import urlencode

from locust import FastHttpUser, between, events, task

TARGETS = json.loads(Path(os.environ["BENCH_TARGETS"]).read_text())
OUT = Path(os.environ["BENCH_OUT"])
THINK = [float(n) for n in os.environ.get("BENCH_THINK", "1-2").split("-")]
# "digital" buys no physical goods, so no stock moves and the page cache is never emptied by a sale.
BUYABLE = [p for p in TARGETS["buyable"] if os.environ.get("BENCH_BUY", "all") == "all" or p["digital"]]
# Each shopper checks out once as it starts, so even a run of a few seconds (the smoke test's) pays.
CHECKOUT_FIRST = os.environ.get("BENCH_CHECKOUT_FIRST") == "1"
# The generated products have no files; the demo's own downloads do, so half the checkouts buy one of
# those, and the count check sees download grants made.
WITH_FILES = [p for p in BUYABLE if p["files"]] or BUYABLE
# How often each kind of page is browsed, relative to the others.
PAGE_WEIGHTS = {"home": 15, "shop": 15, "product": 40, "blog index": 8, "blog post": 15, "info page": 7}
PAGE_KINDS = {kind: weight for kind, weight in PAGE_WEIGHTS.items() if TARGETS["pages"].get(kind)}
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ORDER_LINK = re.compile(r'href="/orders/([A-Z0-9]+)/')
# A shopper starts fewer checkouts than the shop allows a session (10 a minute): one that starts more gets a
# correct 429, which would count as a failure. With a fast shop, one shopper in 200 might otherwise reach it.
STARTS_ALLOWED, STARTS_PERIOD = TARGETS.get("checkout starts per session", [10, 60])
RNG = random.Random()  # noqa: S311 - what a simulated shopper does next, not security
CACHE_ANSWERS = defaultdict(Counter)  # page kind -> X-Page-Cache value -> count


class Shopper(FastHttpUser):
    wait_time = between(*THINK)
    # A slow answer is a slow answer, not a vanished one: it counts in the percentiles.
    network_timeout = connection_timeout = 120.0

    def __init__(self, environment):
        # Each shopper comes from an address of its own, as nginx would pass it on (bench/load trusts one
        # proxy), so the shop's per-address rate limits meet 200 shoppers, not one machine.
        address = f"10.{RNG.randrange(256)}.{RNG.randrange(256)}.{RNG.randrange(1, 255)}"
        self.default_headers = {"X-Forwarded-For": address}
        super().__init__(environment)

    def on_start(self):
        self.email = f"load-{uuid.uuid4().hex[:12]}@example.com"
        self.checkout_starts = deque()  # when this shopper started its recent checkouts (time.monotonic())
        if CHECKOUT_FIRST:
            self.checkout()

    @task(60)
    def browse(self):
        kind = RNG.choices(list(PAGE_KINDS), weights=list(PAGE_KINDS.values()))[0]
        self.page(kind, RNG.choice(TARGETS["pages"][kind]))

    @task(15)
    def search(self):
        terms = RNG.sample(TARGETS["searches"], k=RNG.choice([1, 1, 2]))
        with self.client.get(f"/search/?{urlencode({'q': ' '.join(terms)})}", name="search", catch_response=True) as r:
            CACHE_ANSWERS["search"][r.headers.get("X-Page-Cache") or "none"] += 1
            expect(r, 200)

    @task(15)
    def add_to_cart(self):
        self.add(RNG.choice(BUYABLE))

    @task(10)
    def checkout(self):
        now = time.monotonic()
        while self.checkout_starts and now - self.checkout_starts[0] > STARTS_PERIOD:
            self.checkout_starts.popleft()
        if len(self.checkout_starts) >= STARTS_ALLOWED - 1:  # one spare: the shop's window and ours differ
            self.browse()
            return
        if not self.add(RNG.choice(WITH_FILES if RNG.random() < 0.5 else BUYABLE)):
            return
        token = self.token(self.page("cart", "/cart/", record=False))
        if not token:
            return
        self.checkout_starts.append(time.monotonic())
        with self.client.post(
            "/checkout/",
            data={"csrfmiddlewaretoken": token, "email": self.email},
            name="checkout start",
            allow_redirects=False,
            catch_response=True,
        ) as r:
            pay_url = expect(r, 303, location="/pay/")
        if not pay_url:
            return
        with self.client.get(pay_url, name="stripe pay page", catch_response=True) as r:
            if not expect(r, 200):
                return
        with self.client.post(
            pay_url, data={"action": "pay"}, name="stripe pay", allow_redirects=False, catch_response=True
        ) as r:
            success_url = expect(r, 303, location="/checkout/success/")
        if not success_url:
            return
        session_id = success_url.rpartition("session_id=")[2]
        with self.client.get(success_url, name="checkout success", catch_response=True) as r:
            if not expect(r, 200):
                return
            number = ORDER_LINK.search(r.text or "")
            if number is None:
                r.failure("the success page does not show the order")
                return
        with (OUT / "completed.txt").open("a") as completed:
            completed.write(f"{session_id} {number.group(1)}\n")

    def page(self, kind, path, *, record=True):
        with self.client.get(path, name=kind, catch_response=True) as r:
            if record:
                CACHE_ANSWERS[kind][r.headers.get("X-Page-Cache") or "none"] += 1
            return r if expect(r, 200) else None

    def token(self, response):
        match = CSRF_INPUT.search(response.text or "") if response is not None else None
        if response is not None and match is None:
            response.failure("no CSRF token in the page")
        return match.group(1) if match else None

    def add(self, product):
        """Product page -> POST /cart/add/ -> back on the product page, which shows (and so clears) the flash
        message: until it is shown, the messages cookie keeps every page out of the page cache."""
        token = self.token(self.page("product", product["url"]))
        if not token:
            return False
        with self.client.post(
            "/cart/add/",
            data={"csrfmiddlewaretoken": token, "product": product["id"], "quantity": 1, "next": product["url"]},
            name="cart add",
            allow_redirects=False,
            catch_response=True,
        ) as r:
            back = expect(r, 302, location=product["url"])
        return bool(back and self.page("product after add", back, record=False))


def expect(response, status, location=None):
    """Mark `response` failed unless it has `status` (and a Location containing `location`). Returns the
    Location (or True) when it is as expected, else None."""
    if response.status_code != status:
        response.failure(f"status {response.status_code}, expected {status}")
        return None
    if location is None:
        return True
    target = response.headers.get("Location") or ""
    if location not in target:
        response.failure(f"redirected to {target!r}, expected {location!r}")
        return None
    return target


@events.test_stop.add_listener
def write_results(environment, **_kwargs):
    """Once every shopper has finished (locust's CSV files are written every second and miss the last one)."""
    stats = environment.stats
    rows = [_row(entry) for entry in sorted(stats.entries.values(), key=lambda entry: entry.name)]
    errors = [
        {"method": error.method, "name": error.name, "error": str(error.error), "occurrences": error.occurrences}
        for error in stats.errors.values()
    ]
    (OUT / "stats.json").write_text(json.dumps({"endpoints": rows, "total": _row(stats.total), "errors": errors}))
    (OUT / "cache.json").write_text(json.dumps({kind: dict(answers) for kind, answers in CACHE_ANSWERS.items()}))


def _row(entry):
    percentiles = {f"p{round(p * 100)}": entry.get_response_time_percentile(p) for p in (0.5, 0.95, 0.99)}
    return {
        "name": entry.name,
        "requests": entry.num_requests,
        "failures": entry.num_failures,
        **percentiles,
        "rps": entry.total_rps,
    }

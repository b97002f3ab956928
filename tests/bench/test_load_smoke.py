"""A smoke test of bench/load's harness, not a measurement: five shoppers for five seconds against the live
test server and FakeStripe (its load variant: the webhook sent from a thread of its own), then the count
check. Takes about 6 s; the real run (200 shoppers, gunicorn, production settings) is bench/load, by hand."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.fake_stripe_server import LoadFakeStripe
from bench.load_checks import count_check, targets

PROJECT = Path(__file__).resolve().parents[2]
LOCUST = Path(sys.executable).parent / "locust"

pytestmark = [
    pytest.mark.skipif(not LOCUST.exists(), reason="needs locust (requirements-dev.txt)"),
    # Restores the migrated rows (the default locale, the root page) a serialized test before it flushed away.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def fake_stripe(settings, live_server):
    fake = LoadFakeStripe(webhook_url=f"{live_server.url}/checkout/stripe/webhook/").start()
    settings.STRIPE_SECRET_KEY = fake.api_key
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_fake"
    settings.STRIPE_WEBHOOK_SECRET = fake.webhook_secret
    settings.STRIPE_API_BASE = settings.STRIPE_CHECKOUT_ORIGIN = fake.base_url
    yield fake
    fake.stop()


@pytest.fixture
def shop(site_settings, product_index, blog_index, image):
    from blog.factories import BlogPostPageFactory
    from products.factories import ProductFileFactory, ProductPageFactory

    guide = ProductPageFactory(parent=product_index, title="Weekly Planner Kit", gallery=[image])
    ProductFileFactory(page=guide)
    ProductPageFactory(parent=product_index, title="Dot-Grid Notebook", physical=True, stock=100)
    BlogPostPageFactory(parent=blog_index, title="How we plan a calm week")


def test_five_shoppers_for_five_seconds_check_out_and_every_count_adds_up(
    tmp_path, capsys, live_server, fake_stripe, shop
):
    targets()
    (tmp_path / "targets.json").write_text(capsys.readouterr().out.strip().splitlines()[-1])
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "BENCH_TARGETS": str(tmp_path / "targets.json"),
        "BENCH_OUT": str(tmp_path),
        "BENCH_THINK": "0.1-0.3",
        "BENCH_CHECKOUT_FIRST": "1",
    }
    command = [str(LOCUST), "-f", str(PROJECT / "bench" / "locustfile.py"), "--headless", "--only-summary"]
    command += ["-u", "5", "-r", "5", "-t", "5s", "--stop-timeout", "10s", "--host", live_server.url]
    locust = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)  # noqa: S603
    stats = json.loads((tmp_path / "stats.json").read_text())
    assert stats["total"]["requests"] > 20, locust.stderr[-2000:]
    assert stats["total"]["failures"] == 0, stats["errors"]

    deadline = time.monotonic() + 10
    while fake_stripe.state()["deliveries_pending"] and time.monotonic() < deadline:
        time.sleep(0.1)
    (tmp_path / "fake.json").write_text(json.dumps(fake_stripe.state()))
    count_check(tmp_path / "completed.txt", tmp_path / "fake.json", after_order=0)
    counts = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert counts["completed checkouts"] >= 5
    assert counts["paid orders"] == counts["completed checkouts"]
    assert not any(counts["problems"].values()), counts["problems"]

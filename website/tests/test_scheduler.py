"""The scheduler, started as the project starts it (manage.py run_scheduler, a process of its own) against the
test database: with nobody typing a command, a post scheduled for a moment ago goes live, a paid order whose
webhook never came is fulfilled through the real stripe library and FakeStripe, and a backup is taken; a second
scheduler stands by while the first holds the lock."""

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import pytest

from django.db import connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from blog.factories import BlogPostPageFactory
from blog.models import BlogPostPage
from checkout.models import DownloadGrant, Order
from products.factories import ProductFileFactory, ProductPageFactory
from website.scheduler import FileLock, Job, run_scheduler

PROJECT = Path(__file__).resolve().parents[2]

# Committed rows, so the scheduler's own connection sees them; Wagtail's data migrations come back afterwards.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def database_url():
    database = connections["default"].settings_dict
    if connections["default"].vendor == "sqlite":
        return f"sqlite:///{database['NAME']}"
    credentials = f"{quote(database['USER'])}:{quote(database['PASSWORD'] or '')}@"
    return f"postgres://{credentials}{database['HOST']}:{database['PORT']}/{database['NAME']}"


def start_scheduler(tmp_path, stripe, *args, **intervals):
    """manage.py run_scheduler in a process of its own, as `make run` and the compose service start it."""
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(),
        "DATA_DIR": str(tmp_path / "data"),
        "STRIPE_SECRET_KEY": stripe.api_key,
        "STRIPE_WEBHOOK_SECRET": stripe.webhook_secret,
        "STRIPE_API_BASE": stripe.base_url,
        "LOG_FORMAT": "plain",
        **{f"SCHEDULE_{name.upper()}_SECONDS": str(seconds) for name, seconds in intervals.items()},
    }
    log_path = tmp_path / f"scheduler-{len(list(tmp_path.glob('scheduler-*.log')))}.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(  # noqa: S603 - our own command
            [sys.executable, "manage.py", "run_scheduler", *args],
            cwd=PROJECT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    process.log_path = log_path
    return process


def output_of(process):
    return process.log_path.read_text()


def wait_until(condition, process, seconds=90):
    """Poll `condition` (a callable returning what it saw, truthy when done) while the scheduler runs."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        seen = condition()
        if seen:
            return seen
        assert process.poll() is None, f"the scheduler ended early:\n{output_of(process)}"
        time.sleep(0.5)
    raise AssertionError(f"not done after {seconds} s (saw {seen!r}); the scheduler said:\n{output_of(process)}")


def stop(process):
    process.send_signal(signal.SIGTERM)
    try:
        return process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()


@pytest.fixture
def ebook(product_index, site_settings):
    product = ProductPageFactory(parent=product_index, title="Field Guide", sku="EBOOK-1", price=Decimal("8.20"))
    ProductFileFactory(page=product)
    return product


def paid_without_a_webhook(fake_stripe, product):
    """A shopper checks out and pays on Stripe's page; Stripe's webhook never reaches the shop."""
    shopper = Client()
    shopper.post(reverse("checkout:cart_add"), {"product": product.pk, "quantity": 1})
    response = shopper.post(reverse("checkout:start"), {"email": "buyer@example.com"})
    assert response.status_code == 303
    order = Order.objects.get(email="buyer@example.com")
    fake_stripe.complete_session(order.payment_session_id)
    # reconcile_orders leaves checkouts younger than five minutes to their webhooks.
    Order.objects.filter(pk=order.pk).update(created_at=timezone.now() - timedelta(minutes=10))
    return order


def scheduled_post(blog_index):
    """An editor schedules a post to go live a moment from now, through Wagtail's publish."""
    post = BlogPostPageFactory(parent=blog_index, title="Autumn kits", live=False)
    post.go_live_at = timezone.now() + timedelta(seconds=1)
    post.save_revision().publish()
    post.refresh_from_db()
    assert not post.live  # waiting for its time
    time.sleep(1.5)
    return post


def test_the_scheduler_publishes_scheduled_posts_fulfils_lost_webhooks_and_backs_up(
    fake_stripe, ebook, blog_index, client, tmp_path
):
    order = paid_without_a_webhook(fake_stripe, ebook)
    post = scheduled_post(blog_index)
    assert client.get(post.url).status_code == 404

    scheduler = start_scheduler(
        tmp_path, fake_stripe, publish=1, notifications=1, reconcile=1, backup=3600
    )  # fmt: skip
    try:
        wait_until(lambda: BlogPostPage.objects.get(pk=post.pk).live, scheduler)
        wait_until(lambda: Order.objects.values_list("status", flat=True).get(pk=order.pk) != "pending", scheduler)
        wait_until(lambda: list((tmp_path / "data" / "backups").glob("pagecart-*.tar.gz")), scheduler)
    finally:
        status = stop(scheduler)

    assert client.get(post.url).status_code == 200
    order.refresh_from_db()
    assert order.status == Order.Status.COMPLETED and order.paid_at is not None  # a download has nothing to ship
    assert DownloadGrant.objects.filter(line__order=order).count() == 1  # fulfilled: the download is granted
    said = output_of(scheduler)
    assert "reconcile_orders done" in said and "fulfilled: 1" in said
    assert status == 0 and "Scheduler stopped." in said  # SIGTERM ends it cleanly, between jobs


def test_a_second_scheduler_stands_by_while_the_first_holds_the_lock(fake_stripe, site_settings, tmp_path):
    first = start_scheduler(tmp_path, fake_stripe, publish=1, notifications=0, reconcile=0, backup=0)
    try:
        wait_until(lambda: "publish_scheduled done" in output_of(first), first)
        second = start_scheduler(tmp_path, fake_stripe, "--for", "8", publish=1, notifications=0, reconcile=0, backup=0)
        assert second.wait(timeout=60) == 0
        standby = output_of(second)
        assert "Another scheduler holds the lock: standing by" in standby
        assert "publish_scheduled done" not in standby  # it ran nothing
    finally:
        assert stop(first) == 0


def test_a_job_that_fails_is_logged_and_the_others_keep_their_turns(site_settings, settings, tmp_path, caplog):
    settings.STRIPE_SECRET_KEY = ""  # no payment provider: reconcile_orders refuses to run
    jobs = [
        Job("reconcile_orders", ("reconcile_orders",), 0.2),
        Job("no_such_command", ("no_such_command",), 0.2),
        Job("publish_scheduled", ("publish_scheduled",), 0.2),
    ]

    with caplog.at_level(logging.INFO, logger="pagecart.scheduler"):
        run_scheduler(jobs, lock=FileLock(tmp_path / "scheduler.lock"), stop=threading.Event(), seconds=1.5)

    outcomes = [(record.job, record.outcome) for record in caplog.records if hasattr(record, "job")]
    assert outcomes.count(("reconcile_orders", "refused")) >= 2
    assert outcomes.count(("no_such_command", "refused")) >= 2  # an unknown command is Django's CommandError
    assert outcomes.count(("publish_scheduled", "done")) >= 2
    assert FileLock(tmp_path / "scheduler.lock").acquire()  # let go when the loop ended

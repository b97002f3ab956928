"""Scheduled publishing with the page cache and the kept page parts on: when the scheduler's publish_scheduled
job runs, a page scheduled to go live (or a scheduled change to a live page, a product's new price among them)
is what visitors get, not the copy cached before; a page scheduled to expire goes, with its cached copy and its
place in the listings. And the same when the job runs in the scheduler's own process, as `make run` and the
compose service run it, whose cache is the web process's only through the shared page cache."""

import os
import subprocess
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from django.core.cache import caches
from django.core.management import call_command
from django.db import connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from blog.factories import BlogPostPageFactory
from products.factories import ProductPageFactory
from website.money import format_money
from website.page_cache import HIT_HEADER, page_cache

PROJECT = Path(__file__).resolve().parents[2]
MOMENT = timedelta(seconds=1)

# Whole pages cached (each with its kept parts), or only the parts: a visit with a campaign's query string, an
# editor's or one with a flash message pending misses the page cache and is built from the parts.
CACHE_LAYERS = {"pages and parts": 600, "parts only": 0}


@pytest.fixture(params=list(CACHE_LAYERS))
def caches_on(request, settings):
    settings.PAGE_CACHE_SECONDS = CACHE_LAYERS[request.param]
    settings.FRAGMENT_CACHE_SECONDS = 600
    page_cache().clear()
    caches["fragments"].clear()
    yield request.param
    page_cache().clear()
    caches["fragments"].clear()


def published(page):
    """A page as an editor's Publish leaves it: live, with its live revision (the factories' pages have none, and
    Wagtail takes a page without one for a new page, which a schedule takes offline until its time)."""
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def scheduled(page, *, go_live_at=None, expire_at=None, **changes):
    """What an editor's Publish does with a go-live or expiry date set in the schedule dialog."""
    for name, value in changes.items():
        setattr(page, name, value)
    page.go_live_at, page.expire_at = go_live_at, expire_at
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def seen(url, **headers):
    """The page as an anonymous visitor gets it (status, text); twice, so the second can come from a cache."""
    Client().get(url, **headers)
    response = Client().get(url, **headers)
    return response.status_code, response.content.decode()


def run_publish_job(django_capture_on_commit_callbacks):
    """The scheduler's job, once its time has come; the test's transaction stands for the job's commits."""
    time.sleep(MOMENT.total_seconds() + 0.3)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("publish_scheduled")


@pytest.mark.django_db
def test_a_page_scheduled_to_go_live_appears_when_the_job_runs(
    caches_on, blog_index, site_settings, django_capture_on_commit_callbacks
):
    post = BlogPostPageFactory(parent=blog_index, title="Autumn kits", slug="autumn-kits", live=False)
    post = scheduled(post, go_live_at=timezone.now() + MOMENT)
    url = blog_index.url + "autumn-kits/"
    assert not post.live
    assert seen(url)[0] == 404
    assert "Autumn kits" not in seen(blog_index.url)[1]  # the journal's listing, cached without it

    run_publish_job(django_capture_on_commit_callbacks)

    status, html = seen(url)
    assert status == 200 and "Autumn kits" in html
    assert "Autumn kits" in seen(blog_index.url)[1]


@pytest.mark.django_db
def test_a_scheduled_change_to_a_live_page_replaces_its_cached_copy_when_the_job_runs(
    caches_on, blog_index, site_settings, django_capture_on_commit_callbacks
):
    post = published(BlogPostPageFactory(parent=blog_index, title="Spring kits", slug="spring-kits"))
    campaign = {"QUERY_STRING": "utm_source=newsletter"}  # the page cache misses; its parts are kept
    assert "Spring kits" in seen(post.url)[1] and "Spring kits" in seen(post.url, **campaign)[1]

    scheduled(post, title="Spring kits, now with seeds", go_live_at=timezone.now() + MOMENT)
    status, html = seen(post.url)
    assert status == 200 and "Spring kits" in html and "now with seeds" not in html  # the live one until its time

    run_publish_job(django_capture_on_commit_callbacks)

    assert "Spring kits, now with seeds" in seen(post.url)[1]
    assert "Spring kits, now with seeds" in seen(post.url, **campaign)[1]


@pytest.mark.django_db
def test_a_page_scheduled_to_expire_goes_with_its_cached_copy_when_the_job_runs(
    caches_on, blog_index, site_settings, django_capture_on_commit_callbacks
):
    post = published(BlogPostPageFactory(parent=blog_index, title="Summer sale", slug="summer-sale"))
    scheduled(post, expire_at=timezone.now() + MOMENT)
    status, html = seen(post.url)
    assert status == 200 and "Summer sale" in html  # cached while it lasts
    assert "Summer sale" in seen(blog_index.url)[1]

    run_publish_job(django_capture_on_commit_callbacks)

    post.refresh_from_db()
    assert not post.live and post.expired
    assert seen(post.url)[0] == 404
    assert "Summer sale" not in seen(blog_index.url)[1]


@pytest.mark.django_db
def test_a_product_scheduled_with_a_new_price_sells_at_it_once_the_job_runs(
    caches_on, product_index, site_settings, django_capture_on_commit_callbacks
):
    mug = published(ProductPageFactory(parent=product_index, title="Studio Mug", sku="MUG-1", price=Decimal("14.50")))
    old, new = (format_money(Decimal(amount), site_settings.currency) for amount in ("14.50", "11.00"))
    assert old in seen(mug.url)[1] and old in seen(product_index.url)[1]

    scheduled(mug, price=Decimal("11.00"), go_live_at=timezone.now() + MOMENT)
    status, html = seen(mug.url)
    assert status == 200 and old in html and new not in html  # the sale starts at its time, not before

    run_publish_job(django_capture_on_commit_callbacks)

    product_page, shop = seen(mug.url)[1], seen(product_index.url)[1]
    assert new in product_page and old not in product_page
    assert new in shop and old not in shop
    shopper = Client()
    shopper.post(reverse("checkout:cart_add"), {"product": mug.pk, "quantity": 1})
    cart = shopper.get(reverse("checkout:cart")).content.decode()
    assert "Studio Mug" in cart and new in cart and old not in cart


def database_url():
    database = connections["default"].settings_dict
    if connections["default"].vendor == "sqlite":
        return f"sqlite:///{database['NAME']}"
    return (
        f"postgres://{database['USER']}:{database['PASSWORD'] or ''}@{database['HOST']}:{database['PORT']}"
        f"/{database['NAME']}"
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_scheduler_in_its_own_process_refreshes_what_the_web_process_serves(
    settings, blog_index, site_settings, tmp_path
):
    """Development's caches (settings.dev): whole pages in files under DATA_DIR, kept parts in each process's
    memory. The scheduler can reach neither of the web process's memory nor its parts: the new generation it
    sets in the shared page cache is what makes both stale."""
    pages = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(tmp_path / "cache/pages"),
    }
    settings.CACHES = {**settings.CACHES, "pages": pages}
    settings.PAGE_CACHE_SECONDS = settings.FRAGMENT_CACHE_SECONDS = 600
    post = published(BlogPostPageFactory(parent=blog_index, title="Winter kits", slug="winter-kits"))
    assert "Winter kits" in seen(post.url)[1]
    assert Client().get(post.url)[HIT_HEADER] == "hit"
    scheduled(post, title="Winter kits, restocked", go_live_at=timezone.now() + MOMENT)
    time.sleep(MOMENT.total_seconds() + 0.3)

    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": database_url(),
        "DATA_DIR": str(tmp_path),
        "LOG_FORMAT": "plain",
        "SCHEDULE_PUBLISH_SECONDS": "1",
        "SCHEDULE_NOTIFICATIONS_SECONDS": "0",
        "SCHEDULE_RECONCILE_SECONDS": "0",
        "SCHEDULE_BACKUP_SECONDS": "0",
    }
    done = subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "manage.py", "run_scheduler", "--for", "2"],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0 and "publish_scheduled done" in done.stderr + done.stdout, done.stderr

    response = Client().get(post.url)
    assert "Winter kits, restocked" in response.content.decode()
    assert response[HIT_HEADER] == "miss"

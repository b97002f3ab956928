"""The last download, asked for by many at once, with real threads and real commits on the database under
test (SQLite here, PostgreSQL in `make test-services`)."""

from decimal import Decimal

import pytest

from django.db.models import F
from django.test import Client

from checkout.models import DownloadGrant, DownloadLog
from products.factories import ProductFileFactory, ProductPageFactory

from .shopping import buy, grant_for, refund
from .test_concurrency import at_once

# serialized_rollback restores what migrations created (the root page, the default locale) after each flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PARALLEL = 8


@pytest.fixture
def guide(product_index, site_settings):
    product = ProductPageFactory(parent=product_index, title="Guide", sku="GUIDE-9", price=Decimal("8.20"))
    ProductFileFactory(page=product)
    return product


def download(url):
    def fetch():
        response = Client().get(url)
        if response.streaming:
            b"".join(response.streaming_content)  # read to the end, as a browser would, and close the file
        return response.status_code

    return fetch


def test_with_one_download_left_exactly_one_of_many_parallel_requests_gets_it(fake_stripe, guide):
    grant = grant_for(buy(Client(), fake_stripe, guide))
    DownloadGrant.objects.filter(pk=grant.pk).update(download_count=F("max_downloads") - 1)

    statuses = at_once(*[download(grant.get_absolute_url())] * PARALLEL)

    assert sorted(statuses) == [200] + [403] * (PARALLEL - 1)
    grant.refresh_from_db()
    assert grant.download_count == grant.max_downloads
    assert DownloadLog.objects.count() == 1


def test_a_refund_racing_downloads_leaves_none_after_it(fake_stripe, guide):
    """Each download is counted before the refund or refused after it; none slips in once it committed."""
    order = buy(Client(), fake_stripe, guide)
    grant = grant_for(order)

    results = at_once(
        *[download(grant.get_absolute_url())] * 4,
        lambda: refund(fake_stripe, order, 820).status_code,
    )

    assert results[-1] == 200
    downloads, refusals = results[:-1].count(200), results[:-1].count(403)
    assert downloads + refusals == 4
    grant.refresh_from_db()
    assert grant.revoked_at is not None
    assert grant.download_count == downloads == DownloadLog.objects.count()
    assert all(log.created_at <= grant.revoked_at for log in DownloadLog.objects.all())
    assert Client().get(grant.get_absolute_url()).status_code == 403

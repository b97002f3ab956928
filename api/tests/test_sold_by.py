"""GET /api/v2/reports/sold-by/: Shop › Sold by for staff who may see orders, by token; 401 without one, 403
for anyone else."""

from datetime import datetime
from decimal import Decimal

import pytest
from rest_framework.authtoken.models import Token

from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import timezone

from accounts.factories import UserFactory
from blog.factories import BlogPostPageFactory
from checkout.factories import OrderFactory, OrderLineFactory

URL = "/api/v2/reports/sold-by/"
PAID = datetime(2026, 3, 10, 12, tzinfo=timezone.get_current_timezone())
BLOCK = "11111111-1111-4111-8111-111111111111"


def token_client(*codenames, is_staff=True):
    user = UserFactory(is_staff=is_staff)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return Client(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")


@pytest.fixture
def sold(site_settings, blog_index):
    post = BlogPostPageFactory(parent=blog_index, title="Packing for a weekend")
    order = OrderFactory(paid_at=PAID, touches={"last": {"utm_source": "newsletter", "utm_campaign": "spring"}})
    OrderLineFactory(order=order, unit_price=Decimal("12.50"), quantity=2, source_page=post.pk, source_block=BLOCK,
                     source_title=post.title, source_url=post.url)  # fmt: skip
    return post


def test_staff_who_may_see_orders_get_the_rows(sold):
    staff = token_client("view_order")

    response = staff.get(URL, {"start": "2026-03-01", "end": "2026-03-31", "by": "block"})

    assert response.status_code == 200
    assert response.json() == {
        "start": "2026-03-01",
        "end": "2026-03-31",
        "by": "block",
        "currency": "USD",
        "rows": [
            {
                "page_id": sold.pk, "title": sold.title, "url": sold.url, "live_title": sold.title, "block": BLOCK,
                "orders": 1, "units": 2, "refunded_units": 0, "revenue": "25.00", "refunds": "0.00", "net": "25.00",
            }
        ],
    }  # fmt: skip


def test_campaigns_and_days(sold):
    staff = token_client("view_order")
    period = {"start": "2026-03-01", "end": "2026-03-31"}

    [campaign] = staff.get(URL, {**period, "by": "campaign"}).json()["rows"]
    [day] = staff.get(URL, {**period, "by": "day"}).json()["rows"]

    assert (campaign["utm_source"], campaign["utm_medium"], campaign["utm_campaign"]) == ("newsletter", None, "spring")
    assert (day["day"], day["net"]) == ("2026-03-10", "25.00")


def test_no_token_is_401_and_anyone_but_staff_who_may_see_orders_is_403(sold, app):
    assert Client().get(URL).status_code == 401
    assert app.get(URL).status_code == 403  # a shopper
    assert token_client("view_order", is_staff=False).get(URL).status_code == 403
    assert token_client().get(URL).status_code == 403  # staff without the order permission


@pytest.mark.parametrize(
    "query",
    [{"by": "everything"}, {"start": "2026-13-01"}, {"start": "2026-03-02", "end": "2026-03-01"}, {"page": "0"}],
)
def test_a_query_it_cannot_answer_is_a_400_with_the_reason(sold, query):
    response = token_client("view_order").get(URL, query)

    assert response.status_code == 400 and response.json()["detail"]

"""The OpenAPI schema: served, and every operation fuzzed by schemathesis against the real views, with no
server error, no undocumented status, body or content type, and authentication that is really required."""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections

from api.schema import SCHEMA
from products.factories import ProductPageFactory

pytestmark = pytest.mark.django_db


def test_the_schema_is_served(client):
    response = client.get("/api/v2/schema/")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert response.json() == SCHEMA


schema = schemathesis.openapi.from_dict(SCHEMA)
schema.app = get_wsgi_application()


@pytest.fixture
def shop(token, ebook, mug, product_index, fake_stripe, requests_commit):
    """Something to call: products on sale and sold out, the shopper's token, and Stripe (FakeStripe)."""
    ProductPageFactory(parent=product_index, title="Sold out kit", physical=True, stock=0)
    # Called through the real WSGI handler, whose end-of-request signal would close the test's database
    # connection (Django's test client unhooks it the same way).
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield {"Authorization": f"Token {token}"}
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


# CI (CI=true, as CI services and .ci/run set it) tries the same examples on every run, so a red build is
# reproducible and never a roll of the dice; a developer's run tries new ones each time, and hypothesis
# prints the @seed that reproduces what it finds (and replays it from its local database).
IN_CI = os.environ.get("CI", "").lower() == "true"


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), derandomize=IN_CI)
def test_the_api_keeps_to_its_schema(case, shop):
    # Werkzeug's WSGI client sets no REMOTE_ADDR, which every real server does (the rate limits key on it).
    # Every other check runs. "Schema-valid request rejected" does not fit an API whose answers depend on
    # data as well as shape: a well-formed wrong password or a filter on the wrong page type is a 400.
    case.call_and_validate(
        headers=shop, environ_base={"REMOTE_ADDR": "127.0.0.1"}, excluded_checks=[positive_data_acceptance]
    )

"""FakeStripe on 127.0.0.1 with the Stripe settings pointing at it: the checkout tests' fixture, for the
scheduler's lost-webhook test; and `commit`, for the caches' invalidation tests."""

import pytest

from checkout.tests.conftest import fake_stripe  # noqa: F401  (a shared fixture)


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run the on-commit invalidations that a real transaction would run."""

    def run(change):
        with django_capture_on_commit_callbacks(execute=True):
            change()

    return run

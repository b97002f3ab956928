"""FakeStripe on 127.0.0.1 with the Stripe settings pointing at it: the checkout tests' fixture, for the
scheduler's lost-webhook test."""

from checkout.tests.conftest import fake_stripe  # noqa: F401  (a shared fixture)

# The checkout tests' fixtures (a FakeStripe on 127.0.0.1, requests that end as if committed), for these too.
from checkout.tests.conftest import fake_stripe, requests_commit  # noqa: F401

"""SiteSettings.for_default_site(): the settings work outside a request reads (mail, fulfilment, reports)."""

import pytest

from wagtail.models import Site

from website.factories import SiteSettingsFactory
from website.models import SiteSettings

pytestmark = pytest.mark.django_db


def test_the_default_sites_settings_not_another_sites(site, home_page):
    other = Site.objects.create(hostname="other.example", root_page=home_page)
    SiteSettingsFactory(site=other, brand_name="Other Shop", currency="EUR")
    SiteSettingsFactory(site=site, brand_name="Harbour Goods", currency="GBP")

    found = SiteSettings.for_default_site()

    assert (found.site, found.brand_name, found.currency) == (site, "Harbour Goods", "GBP")


def test_without_stored_settings_the_defaults_and_nothing_is_created(site, django_assert_num_queries):
    for _ in range(2):
        with django_assert_num_queries(1):
            found = SiteSettings.for_default_site()
        assert found.pk is None and (found.brand_name, found.currency) == ("Pagecart", "USD")

    assert not SiteSettings.objects.exists()

import pytest

from wagtail.test.utils import WagtailPageTestCase

from blog.models import BlogIndexPage
from home.models import HomePage
from infopages.factories import ContactPageFactory
from infopages.models import ContactPage, InfoPage
from products.models import ProductIndexPage
from website.factories import SiteSettingsFactory


class InfoPageTreeTests(WagtailPageTestCase):
    def test_info_pages_nest_under_the_home_page_or_each_other(self):
        self.assertAllowedParentPageTypes(InfoPage, {HomePage, InfoPage})
        self.assertAllowedSubpageTypes(InfoPage, {InfoPage, ContactPage})

    def test_a_contact_page_sits_under_the_home_page_or_an_info_page_and_has_no_children(self):
        self.assertAllowedParentPageTypes(ContactPage, {HomePage, InfoPage})
        self.assertAllowedSubpageTypes(ContactPage, set())
        self.assertCanNotCreateAt(ProductIndexPage, ContactPage)
        self.assertCanNotCreateAt(BlogIndexPage, InfoPage)


@pytest.mark.django_db
def test_mail_goes_to_every_address_in_to_address(home_page):
    contact = ContactPageFactory(parent=home_page, to_address="orders@example.com,  owner@example.com")

    assert contact.recipient_addresses() == ["orders@example.com", "owner@example.com"]


@pytest.mark.django_db
def test_without_a_to_address_mail_goes_to_the_site_contact_email(home_page):
    SiteSettingsFactory(contact_email="hello@example.com")
    contact = ContactPageFactory(parent=home_page, to_address="")

    assert contact.recipient_addresses() == ["hello@example.com"]


@pytest.mark.django_db
def test_with_no_address_anywhere_no_mail_is_addressed(home_page):
    SiteSettingsFactory(contact_email="")
    contact = ContactPageFactory(parent=home_page, to_address="")

    assert contact.recipient_addresses() == []

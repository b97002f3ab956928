"""The demo's pictures are cut before anyone visits: make run's path (the home page's pictures with load_demo, the
rest with cut_demo_renditions) leaves no rendition for a first visit to cut."""

from io import StringIO

import pytest

from django.core.management import call_command
from django.urls import reverse

from wagtail.images import get_image_model
from wagtail.models import Page, Site

from products.models import ProductCategory, ProductIndexPage

Rendition = get_image_model().get_rendition_model()

# The worker processes that cut the pictures read the demo from the database: it must be committed.
# serialized_rollback restores what migrations created (the root collection, the root page) after an earlier
# transactional test's flush, and keeps this test's flush from breaking the ones that come after it.
pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def demo_urls():
    """Every live public page, the shop's category listings and a search with results of each kind."""
    root = Site.objects.get(is_default_site=True).root_page
    urls = [page.url for page in Page.objects.live().public().descendant_of(root, inclusive=True).specific()]
    shop = ProductIndexPage.objects.live().get()
    categories = ProductCategory.objects.all()
    urls += [shop.url + shop.reverse_subpage("category", kwargs={"slug": category.slug}) for category in categories]
    return [*urls, reverse("search") + "?q=studio"]


def visit(client, urls):
    """The filter specs of the renditions the visits had to cut."""
    before = set(Rendition.objects.values_list("pk", flat=True))
    for url in urls:
        assert client.get(url).status_code == 200, url
    return sorted(Rendition.objects.exclude(pk__in=before).values_list("image__title", "filter_spec"))


def test_no_first_visit_to_a_demo_page_cuts_a_picture(client):
    call_command("load_demo", "--renditions=home", stdout=StringIO())
    home_cut = Rendition.objects.count()

    assert home_cut > 20
    assert visit(client, ["/"]) == []

    out = StringIO()
    call_command("cut_demo_renditions", stdout=out)

    assert Rendition.objects.count() > home_cut * 5, out.getvalue()
    assert visit(client, demo_urls()) == []

import factory
import wagtail_factories

from wagtail.models import Page, Site

from home.models import HomePage


class HomePageFactory(wagtail_factories.PageFactory):
    title = "Home"
    hero_heading = "Tools and guides for makers"
    hero_text = "Kits, templates and how-tos, bought in a minute and downloaded at once."
    body = factory.LazyFunction(
        lambda: [{"type": "paragraph", "value": "<p>Everything here is written by people who make things.</p>"}]
    )

    class Meta:
        model = HomePage


def make_home_page(**kwargs):
    """A HomePage as the root of the default Site, replacing the 'Welcome' page Wagtail installs."""
    home = HomePageFactory(parent=Page.get_first_root_node(), slug="home-page", **kwargs)
    site = Site.objects.get(is_default_site=True)
    welcome = site.root_page
    site.root_page = home
    site.save()
    if welcome.pk != home.pk:
        welcome.delete()
    return home

import factory
import wagtail_factories

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

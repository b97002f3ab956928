import pytest

from infopages.factories import InfoPageFactory
from website.factories import SiteSettingsFactory
from website.tests.html import main_text, text_of

pytestmark = pytest.mark.django_db


def test_the_home_page_shows_its_hero_and_body(get_soup, site_settings, home_page):
    home_page.hero_heading = "Tools and guides for makers"
    home_page.hero_text = "Kits, templates and how-tos."
    home_page.body = [
        {"type": "heading", "value": {"text": "Start here", "level": "h2"}},
        {"type": "paragraph", "value": "<p>Everything is written by people who <i>make</i> things.</p>"},
    ]
    home_page.save()

    response, page = get_soup("/")

    assert response.context["page"].specific == home_page
    assert text_of(page.find("h1")) == "Tools and guides for makers"
    text = main_text(page)
    assert "Kits, templates and how-tos." in text
    assert text_of(page.find("h2", id="start-here")) == "Start here"
    assert page.find("main").find("i", string="make") is not None


def test_the_hero_button_leads_to_the_chosen_page(get_soup, site_settings, home_page):
    about = InfoPageFactory(parent=home_page, title="About us", slug="about")
    home_page.hero_cta_label = "Meet the studio"
    home_page.hero_cta_page = about
    home_page.save()

    _response, page = get_soup("/")

    button = page.find("main").find("a", href=about.url)
    assert button is not None
    assert "Meet the studio" in text_of(button)


def test_the_hero_image_has_its_alt_text(get_soup, site_settings, home_page, image):
    home_page.hero_image = image
    home_page.save()

    _response, page = get_soup("/")

    assert page.find("main").find("img", alt=image.title) is not None


def test_the_browser_title_names_the_brand(get_soup, site, home_page):
    SiteSettingsFactory(site=site, brand_name="Northwind Studio", tagline="Made by hand")

    _response, page = get_soup("/")

    assert "Northwind Studio" in page.title.string

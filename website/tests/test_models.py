from decimal import Decimal
from pathlib import Path

import pytest

from django.conf import settings
from django.core.exceptions import ValidationError

from wagtail.documents import get_document_model
from wagtail.models import Site

from blog.factories import BlogPostPageFactory
from infopages.factories import InfoPageFactory
from website.colours import readable_text_on
from website.countries import country_name
from website.factories import DocumentFactory, ImageFactory
from website.models import PrivateDocument, SiteSettings

pytestmark = pytest.mark.django_db


def test_wagtail_documents_are_private_documents():
    assert get_document_model() is PrivateDocument


def test_an_uploaded_document_lands_in_private_storage_not_under_media_root(media_storage):
    document = DocumentFactory(title="Planner")

    stored = Path(document.file.path)
    assert stored.is_file()
    assert stored.is_relative_to(media_storage["private"])
    assert not stored.is_relative_to(Path(settings.MEDIA_ROOT))
    assert stored.read_bytes().startswith(b"%PDF")
    assert not any(path.is_file() for path in Path(settings.MEDIA_ROOT).rglob("*"))


def test_images_still_go_to_public_media(media_storage):
    image = ImageFactory()

    assert Path(image.file.path).is_relative_to(media_storage["media"])


def test_a_document_in_a_private_collection_is_not_served_to_a_visitor(client):
    document = DocumentFactory(title="Paid guide")

    response = client.get(document.url)

    assert response.status_code == 404  # the shop's before_serve_document hook; buyers use /downloads/
    assert b"%PDF" not in b"".join(getattr(response, "streaming_content", [response.content]))


def test_a_superuser_can_fetch_a_private_document_through_wagtails_view(editor_client):
    document = DocumentFactory(title="Paid guide")

    response = editor_client.get(document.url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_site_settings_default_to_the_brand_and_dollars(site):
    site_settings = SiteSettings.for_site(site)

    assert site_settings.brand_name == "Pagecart"
    assert site_settings.currency == "USD"
    assert site_settings.primary_colour == "#4338ca"


@pytest.mark.parametrize("colour", ["#4338ca", "#000000", "#FFFFFF", "#f59e0b"])
def test_valid_hex_colours_are_accepted(site, colour):
    SiteSettings(site=site, primary_colour=colour, accent_colour=colour).full_clean()


@pytest.mark.parametrize("colour", ["4338ca", "#43c", "#4338cg", "indigo", "#4338ca0"])
def test_other_colour_notations_are_refused(site, colour):
    with pytest.raises(ValidationError) as error:
        SiteSettings(site=site, primary_colour=colour).full_clean()

    assert "primary_colour" in error.value.message_dict


@pytest.mark.parametrize(
    ("background", "text"),
    [("#4338ca", "#ffffff"), ("#000000", "#ffffff"), ("#ffffff", "#111827"), ("#f59e0b", "#111827")],
)
def test_text_on_a_colour_is_whichever_contrasts_more(background, text):
    assert readable_text_on(background) == text


def test_site_settings_expose_the_text_colours_for_their_brand_colours(site):
    site_settings = SiteSettings(site=site, primary_colour="#111111", accent_colour="#fafafa")

    assert site_settings.primary_text_colour == "#ffffff"
    assert site_settings.accent_text_colour == "#111827"


def test_breadcrumbs_list_live_ancestors_below_the_home_page(home_page, blog_index):
    post = BlogPostPageFactory(parent=blog_index, title="Shipping our first kit")

    assert [page.title for page in post.get_breadcrumbs()] == ["Journal"]
    assert home_page.get_breadcrumbs() == []


def test_breadcrumbs_skip_unpublished_ancestors(home_page):
    about = InfoPageFactory(parent=home_page, title="About")
    team = InfoPageFactory(parent=about, title="Team")
    person = InfoPageFactory(parent=team, title="Sam")
    team.unpublish()

    assert [page.title for page in person.get_breadcrumbs()] == ["About"]


def test_the_home_page_is_the_default_sites_root(home_page):
    assert Site.objects.get(is_default_site=True).root_page.specific == home_page
    assert home_page.url == "/"


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"shipping_rate": Decimal("5")}, {"ships_to": ["Say which countries the shipping rate applies to."]}),
        ({"return_policy": "unlimited"}, {"ships_to": ["Say which countries your return policy applies to."]}),
        (
            {"ships_to": "US", "return_policy": "finite"},
            {"return_days": ["Enter how many days customers have to return an item."]},
        ),
        ({"handling_days_min": 1}, {"handling_days_max": ["Enter both the fewest and the most days, or neither."]}),
        (
            {"transit_days_min": 5, "transit_days_max": 2},
            {"transit_days_max": ["The most days cannot be fewer than the fewest."]},
        ),
        (
            {"ships_to": "USA, Canada"},
            {"ships_to": ["Enter two-letter country codes separated by commas, e.g. US, CA, GB."]},
        ),
    ],
)
def test_shipping_and_return_settings_must_be_complete_and_consistent(site, fields, errors):
    settings = SiteSettings(site=site, **fields)
    with pytest.raises(ValidationError) as error:
        settings.full_clean()
    assert error.value.message_dict == errors


@pytest.mark.parametrize(
    ("ships_to", "message"),
    [
        ("GB, UK", "The payment provider cannot ship to UK (the United Kingdom is GB)."),
        (
            "US, AS, CC, CU, CX, FM, HM, IR, KP, MH, MP, NF, PW, SY, UM, VI",
            "The payment provider cannot ship to AS, CC, CU, CX, FM, HM, IR, KP, MH, MP, NF, PW, SY, UM, VI.",
        ),
    ],
)
def test_shipping_countries_stripe_refuses_are_named_to_the_owner(site, ships_to, message):
    """Stripe's allowed_countries leaves out real ISO codes and typos; every physical checkout failed with them."""
    settings = SiteSettings(site=site, ships_to=ships_to)
    with pytest.raises(ValidationError) as error:
        settings.full_clean()
    assert error.value.message_dict["ships_to"] == [
        f"{message} Remove or correct these codes: checkout of physical goods fails while they are listed."
    ]


def test_shipping_countries_are_read_as_upper_case_codes(site):
    settings = SiteSettings(site=site, ships_to=" us,ca ,  gb")
    settings.full_clean()
    assert settings.shipping_countries == ["US", "CA", "GB"]


@pytest.mark.parametrize(
    ("code", "name"),
    [("DE", "Germany"), ("KR", "South Korea"), ("BO", "Bolivia"), ("XK", "Kosovo"), ("ZZ", "ZZ")],
)
def test_country_names_are_the_everyday_english_ones(code, name):
    assert country_name(code) == name


def test_site_settings_come_with_their_logo_in_one_query(site_settings, django_assert_num_queries):
    site_settings.logo = ImageFactory(title="Logo")
    site_settings.save()

    with django_assert_num_queries(1):
        loaded = SiteSettings.for_site(site_settings.site)
        assert loaded.logo.title == "Logo"

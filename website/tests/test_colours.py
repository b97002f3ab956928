"""website.colours: the one WCAG contrast helper behind the brand colours' text and ink."""

import pytest

from website.colours import contrast_ratio, ink_on_white, readable_text_on


def test_the_contrast_ratio_runs_from_1_to_21_either_way_round():
    assert contrast_ratio("#000000", "#ffffff") == contrast_ratio("#ffffff", "#000000") == 21
    assert contrast_ratio("#4338ca", "#4338ca") == 1
    assert round(contrast_ratio("#767676", "#ffffff"), 2) == 4.54  # the classic lightest AA grey on white


@pytest.mark.parametrize(
    ("colour", "ink"),
    [("#4338ca", "#4338ca"), ("#0f766e", "#0f766e"), ("#f59e0b", "#935f07"), ("#ffffff", "#666666")],
)
def test_brand_ink_is_the_colour_itself_when_it_reads_on_white_else_the_nearest_shade_that_does(colour, ink):
    assert ink_on_white(colour) == ink
    assert contrast_ratio(ink, "#ffffff") >= 5


@pytest.mark.parametrize("background", ["#4338ca", "#f59e0b", "#111111", "#fafafa", "#767676"])
def test_text_on_a_colour_is_the_choice_with_the_higher_ratio(background):
    other = {"#ffffff": "#111827", "#111827": "#ffffff"}[readable_text_on(background)]
    assert contrast_ratio(readable_text_on(background), background) >= contrast_ratio(other, background)


@pytest.mark.django_db
def test_the_pages_brand_variables_come_from_the_helper(client, site_settings, home_page):
    site_settings.primary_colour, site_settings.accent_colour = "#f59e0b", "#0f766e"
    site_settings.save()

    html = client.get(home_page.url).text

    assert "--brand:#f59e0b;--brand-contrast:#111827;--brand-ink:#935f07;" in html
    assert "--accent:#0f766e;--accent-contrast:#ffffff}" in html

"""The prefetch patterns in website/images.py are exactly the sizes their picture templates ask for."""

import pytest

from django.template.loader import render_to_string

from website import images
from website.factories import ImageFactory

pytestmark = [pytest.mark.django_db]


@pytest.mark.parametrize("pattern", list(images.TEMPLATES))
def test_each_pattern_is_the_sizes_its_template_cuts(pattern, rf):
    image = ImageFactory()

    render_to_string(f"components/picture/{images.TEMPLATES[pattern]}", {"image": image, "alt": ""}, rf.get("/"))

    assert set(image.renditions.values_list("filter_spec", flat=True)) == set(images.specs(pattern))


def test_the_brand_mark_pattern_is_the_sizes_the_logo_is_cut_to(rf):
    logo = ImageFactory()

    render_to_string("components/brand_mark.html", {"site_settings": {"logo": logo}}, rf.get("/"))

    assert set(logo.renditions.values_list("filter_spec", flat=True)) == set(images.specs(images.BRAND_MARK))


def test_a_prefetch_holds_only_the_sizes_asked_for(rf):
    from django.db.models import prefetch_related_objects

    image = ImageFactory()
    render_to_string("components/picture/card.html", {"image": image, "alt": ""}, rf.get("/"))
    render_to_string("components/picture/thumb.html", {"image": image, "alt": ""}, rf.get("/"))
    fresh = type(image).objects.get(pk=image.pk)

    prefetch_related_objects([fresh], images.renditions(images.THUMB))

    assert {r.filter_spec for r in fresh.renditions.all()} == set(images.specs(images.THUMB))

"""{% load pagecart_images %} gives Wagtail's image tags, with each tag's filters parsed once."""

import pytest

from django.template import Context, Engine, Template, TemplateSyntaxError

from website.factories import ImageFactory

pytestmark = [pytest.mark.django_db]

TAGS = [
    '{% picture image format-{avif,jpeg} fill-{100x75,200x150} sizes="50vw" loading="lazy" alt="" %}',
    '{% srcset_image image width-{120,240} sizes="50vw" alt="" %}',
    '{% image image fill-80x80 class="round" %}',
    "{% image image max-64x64 as logo %}{{ logo.url }} {{ logo.width }}",
]


def render(library, tag, image):
    return Template(f"{{% load {library} %}}{tag}").render(Context({"image": image}))


@pytest.mark.parametrize("tag", TAGS)
def test_each_tag_renders_exactly_what_wagtails_own_does(tag):
    image = ImageFactory()

    assert render("pagecart_images", tag, image) == render("wagtailimages_tags", tag, image)


@pytest.mark.parametrize("tag", TAGS)
def test_one_compiled_tag_renders_each_image_it_is_given(tag):
    template = Engine.get_default().from_string(f"{{% load pagecart_images %}}{tag}")
    first, second = ImageFactory(), ImageFactory()

    outputs = [template.render(Context({"image": image})) for image in (first, second, first)]

    assert outputs[0] == outputs[2] == render("wagtailimages_tags", tag, first)
    assert outputs[1] == render("wagtailimages_tags", tag, second)
    assert outputs[0] != outputs[1]


def test_a_bad_filter_spec_is_wagtails_error():
    with pytest.raises(TemplateSyntaxError, match="filter specs in image tags may only contain"):
        Template("{% load pagecart_images %}{% image image fill-80x80! %}")

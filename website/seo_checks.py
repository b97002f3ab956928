"""The SEO problems an editor should see before publishing, and the search-result and social-card
previews beside them. Warnings only: nothing here blocks a save or a publish."""

from urllib.parse import urlsplit

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from wagtail.admin.panels import Panel

PREVIEW_MODE = "wagtail-seo"  # wagtail-seo's "SEO Preview" mode, which we render ourselves

TITLE_LIMIT = 60
DESCRIPTION_RANGE = (50, 160)
SOURCE_NAMES = {
    "search_description": "search description",
    "summary": "summary",
    "intro": "introduction",
    "hero_text": "hero text",
    "body": "first paragraph of the body",
}


def seo_problems(page):
    """Plain-language warnings about the page as it stands (saved or previewed)."""
    return [*_title_problems(page), *_description_problems(page), *_image_problems(page)]


def _title_problems(page):
    title = page.seo_pagetitle
    if len(title) > TITLE_LIMIT:
        yield (
            f"The title is {len(title)} characters; search results cut titles off after about {TITLE_LIMIT}. "
            "Shorten it, or set a shorter title tag on the Promote tab."
        )


def _description_problems(page):
    source, text = page.seo_description_source
    low, high = DESCRIPTION_RANGE
    if not text:
        yield "There is no description. Write a search description on the Promote tab."
    elif not low <= len(text) <= high:
        where = SOURCE_NAMES.get(source, source)
        yield (
            f"The description (from the {where}) is {len(text)} characters; aim for {low} to {high} "
            "so search results show it whole. Write a search description on the Promote tab."
        )


def _image_problems(page):
    if page.seo_image is None:  # nor the site default
        yield "There is no social image. Choose a preview image on the Promote tab, or a site default in Settings."
    for where, image in _named_images(page):
        if not (image.description or "").strip():
            yield f"The {where} “{image.title}” has no description, so its file title is read out as alt text."
    for position, block_image in _body_images(page):
        if not block_image.decorative and not (block_image.contextual_alt_text or "").strip():
            yield f"Image {position} in the body has no alt text. Describe it, or mark it decorative."


def _named_images(page):
    """Images whose alt text comes from the image's own description."""
    for field, where in (("hero_image", "hero image"), ("og_image", "social image")):
        image = getattr(page, field, None)
        if image is not None:
            yield where, image
    for item in getattr(page, "gallery", []):
        if not item.caption:
            yield "gallery image", item.image


def _body_images(page):
    """The body's image blocks, numbered in reading order (an ImageBlock value is the Image itself)."""
    images = [block.value["image"] for block in getattr(page, "body", None) or [] if block.block_type == "image"]
    return [(position, image) for position, image in enumerate(images, start=1) if image is not None]


def preview_context(page, request):
    """What the SEO preview shows: the problems, and the page as a search result and a social card."""
    from .seo import head_meta, social_image  # seo imports website.models, which imports this module

    meta = head_meta(page, request)
    url = urlsplit(meta["canonical"] or "")
    social = social_image(page)
    return {
        "problems": seo_problems(page),
        "meta": meta,
        # The same rendition as og:image, but from this server, which may not be the site's public address.
        "image_src": social.image.get_rendition(social.spec).url if social else "",
        "domain": url.netloc,
        "crumbs": [part for part in url.path.split("/") if part],
    }


def preview_url(page, parent):
    """Wagtail's preview view for the page being edited, or for a new page under `parent`: the address the
    preview panel sends the edit form to."""
    if page.pk:
        return reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk])
    content_type = ContentType.objects.get_for_model(page)
    return reverse("wagtailadmin_pages:preview_on_add", args=[content_type.app_label, content_type.model, parent.pk])


class SeoChecksPanel(Panel):
    """Lists the page's SEO problems on the Promote tab. It opens with the page as the form shows it; as the
    editor changes the form, its script sends the unsaved values to Wagtail's preview view and shows the
    problems the SEO preview finds in them, so the two never disagree."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "website/panels/seo_checks.html"

        class Media:
            js = ["website/js/seo_checks.js"]

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["problems"] = seo_problems(self.instance)
            context["preview_url"] = preview_url(self.instance, getattr(self.form, "parent_page", None))
            return context

"""The renditions each picture template asks for, and prefetches of just those.

A product photo has been cut to about thirty sizes (gallery, thumbnails, cards, the head's social and
structured-data images, each as AVIF, WebP and JPEG); a listing of twelve cards that prefetched them all
would build 360 rendition objects to show 72. Each pattern below is the one written in the template named
beside it, and website/tests/test_images.py holds them together: a prefetch that lacks a size the
template wants makes Wagtail cut that size again on every view. The demo cuts the same patterns when it
loads (demo/renditions.py), so no first visit waits for them.
"""

from django.db.models import Prefetch

from wagtail.images import get_image_model
from wagtail.images.models import Filter

AVATAR = "format-{avif,webp,jpeg} fill-{96x96-c100,192x192-c100}"  # components/picture/avatar.html
BANNER = "format-{avif,webp,jpeg} fill-{800x450,1200x675,1600x900,2000x1125}"  # components/picture/banner.html
CARD = "format-{avif,webp,jpeg} fill-{400x300,800x600}"  # components/picture/card.html
FIGURE = "format-{avif,webp,jpeg} width-{640,960,1280,1600}"  # components/picture/figure.html
GALLERY = "format-{avif,webp,jpeg} fill-{640x480,960x720,1280x960}"  # components/picture/gallery.html
HERO = "format-{avif,webp,jpeg} fill-{640x480,960x720,1280x960,1600x1200}"  # components/picture/hero.html
POST_CARD = "format-{avif,webp,jpeg} fill-{480x300,960x600}"  # components/picture/post_card.html
THUMB = "format-{avif,webp,jpeg} fill-{160x120,320x240}"  # components/picture/thumb.html
TEMPLATES = {
    AVATAR: "avatar.html",
    BANNER: "banner.html",
    CARD: "card.html",
    FIGURE: "figure.html",
    GALLERY: "gallery.html",
    HERO: "hero.html",
    POST_CARD: "post_card.html",
    THUMB: "thumb.html",
}
BRAND_MARK = "format-{avif,webp,png} height-72"  # components/brand_mark.html, the site's logo


def specs(*patterns):
    """'format-{avif,jpeg} fill-{1x1,2x2}' -> ['format-avif|fill-1x1', ...], as the picture tag expands it."""
    return [spec for pattern in patterns for spec in Filter.expand_spec(pattern)]


def renditions(*patterns, extra=(), through=""):
    """A Prefetch of the renditions (at `through`, e.g. "gallery_images__image__") in these patterns'
    sizes, plus the `extra` Filters."""
    rendition_model = get_image_model().get_rendition_model()
    wanted = [*specs(*patterns), *(spec.spec for spec in extra)]
    return Prefetch(f"{through}renditions", queryset=rendition_model.objects.filter(filter_spec__in=wanted))

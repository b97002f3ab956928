"""What a page puts in its <head> for search engines and social networks: meta tags and one
JSON-LD @graph. Page types contribute their own nodes through get_jsonld_nodes(request).

A page that answers more than one URL (the shop: its filtered listings and its category pages) describes
the URL being served with get_url_meta(request), which returns a UrlMeta; other pages describe themselves
through their fields."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.html import strip_tags

from wagtail.images.models import Filter
from wagtail.models import Site

from . import fragments, jsonld
from .models import SiteSettings, default_social_image

# Parsed once: parsing a filter spec costs more than looking up its rendition.
# og:image is always this rendition, never the original upload.
SOCIAL_IMAGE_SPEC = Filter("fill-1200x630|format-jpeg")
LOGO_SPEC = Filter("max-512x512|format-png")
LOGO_SOCIAL_SPEC = Filter("max-1200x630|format-png")
# Structured-data images in several aspect ratios, as Google's guidance recommends.
STRUCTURED_IMAGE_SPECS = tuple(
    Filter(spec) for spec in ("fill-1200x1200|format-jpeg", "fill-1200x900|format-jpeg", "fill-1200x675|format-jpeg")
)


def serving_site(page, request):
    """The site a page is being served on. The request already knows it (Wagtail remembers it on the
    request), where page.get_site() would query for it again each time it is asked."""
    site = Site.find_for_request(request) if request is not None else None
    return site or (page.get_site() if page else None)


def site_root_url(page, request):
    site = serving_site(page, request)
    return (site.root_url if site else request.build_absolute_uri("/")).rstrip("/")


def absolute(request, url):
    """Media URLs made absolute on the site's own root URL, as page URLs are."""
    if not url or not url.startswith("/"):
        return url
    site = Site.find_for_request(request)
    return f"{site.root_url}{url}" if site else request.build_absolute_uri(url)


def rendition_urls(request, image, *specs):
    # get_renditions(), unlike get_rendition(), does not write the renditions it found back to the cache.
    renditions = image.get_renditions(*specs)
    return [absolute(request, renditions[spec.spec].url) for spec in specs]


def rendition_url(request, image, spec):
    return rendition_urls(request, image, spec)[0]


def structured_image_urls(request, image):
    return rendition_urls(request, image, *STRUCTURED_IMAGE_SPECS) if image else []


@dataclass(frozen=True)
class SocialImage:
    """The image a shared link shows, and the rendition it is shown as."""

    image: object  # a Wagtail image
    spec: Filter
    large: bool  # a picture for a large card; False for the logo, which a small "summary" card shows whole


def social_image(page, request=None):
    """The page's own image chain (wagtail-seo's seo_image), then the site default (Settings > SEO), then the
    store's logo (Settings > Site settings), so a listing or info page without a picture of its own still
    shares with one. The logo is scaled, never cropped to 1200x630. None when there is none of them."""
    image = page.own_seo_image
    site = serving_site(page, request)
    if image is None:
        image = default_social_image(site)
    if image is not None:
        return SocialImage(image, SOCIAL_IMAGE_SPEC, large=True)
    # for_request() reuses the settings the layout already read; a preview without a request asks the site.
    if request is not None:
        logo = SiteSettings.for_request(request).logo
    else:
        logo = SiteSettings.for_site(site).logo if site is not None else None
    return SocialImage(logo, LOGO_SOCIAL_SPEC, large=False) if logo else None


@dataclass(frozen=True)
class UrlMeta:
    """What the URL being served says about itself to search engines."""

    title: str
    description: str
    canonical: str  # absolute
    noindex: bool
    crumbs: tuple = ()  # (name, absolute URL) pairs that follow the page in its breadcrumb trail


def url_meta(page, request):
    describe = getattr(page, "get_url_meta", None)
    if describe is not None:
        return describe(request)
    return UrlMeta(
        title=page.seo_pagetitle,
        description=page.seo_description,
        canonical=page.canonical_url or page.get_full_url(request),
        noindex=page.noindex,
    )


def head_meta(page, request):
    """Everything the head needs, with empty values left out rather than emitted empty."""
    site_settings = SiteSettings.for_request(request)
    social = social_image(page, request)
    picture = social.image.get_renditions(social.spec)[social.spec.spec] if social else None
    described = url_meta(page, request)
    meta = {
        "title": described.title,
        "description": described.description,
        "canonical": described.canonical,
        "noindex": described.noindex,
        "og_type": page.seo_og_type,
        "site_name": site_settings.brand_name,
        "twitter_card": page.seo_twitter_card_content if social and social.large else "summary",
        "image_url": absolute(request, picture.url) if picture else "",
        "image_alt": social.image.default_alt_text if social else "",
        "image_width": picture.width if picture else None,
        "image_height": picture.height if picture else None,
        "extra_properties": page.get_open_graph_extras(currency=site_settings.currency)
        if hasattr(page, "get_open_graph_extras")
        else [],
    }
    return meta


def page_graph(page, request):
    site_settings = SiteSettings.for_request(request)
    root_url = site_root_url(page, request)
    logo_url = rendition_url(request, site_settings.logo, LOGO_SPEC) if site_settings.logo else None
    search_url = f"{root_url}{reverse('search')}"
    trail = [(ancestor.title, ancestor.get_full_url(request)) for ancestor in page.get_breadcrumbs(request)]
    site = serving_site(page, request)
    # The kept site comes without its root page (website.routes): kept beside it, as the trail is.
    home = fragments.cached(request, "root-page", lambda: site.root_page) if site else None
    if home and home.pk != page.pk:
        trail.insert(0, (home.title, home.get_full_url(request)))
    trail.append((page.title, page.get_full_url(request)))
    trail.extend(url_meta(page, request).crumbs)
    nodes = [
        jsonld.organization_node(site_settings=site_settings, root_url=root_url, logo_url=logo_url),
        jsonld.website_node(site_settings=site_settings, root_url=root_url, search_url=search_url),
        jsonld.breadcrumb_node(trail) if home and home.pk != page.pk else None,
        jsonld.faq_node(faq_questions(page), page.get_full_url(request)),
        *page.get_jsonld_nodes(request),
    ]
    return jsonld.render_graph(nodes)


def faq_questions(page):
    body = getattr(page, "body", None) or []
    return [
        (item["question"], " ".join(strip_tags(item["answer"].source).split()))
        for block in body
        if block.block_type == "faq"
        for item in block.value["items"]
    ]

"""Template tags for Pagecart's front end: money, brand colours and the header navigation."""

import re
from functools import lru_cache

from django import template
from django.conf import settings
from django.core.paginator import Paginator
from django.template.loader import get_template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from wagtail.models import Site

from website import fragments
from website.blocks import SocialLinkBlock
from website.colours import ink_on_white, readable_text_on
from website.models import SiteSettings
from website.money import format_money

register = template.Library()

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
DEFAULT_BRAND = "#4338ca"
DEFAULT_ACCENT = "#f59e0b"


def _site_settings(context):
    request = context.get("request")
    return SiteSettings.for_request(request) if request is not None else None


@register.simple_tag(takes_context=True)
def money(context, amount, currency=None):
    """An amount in the shop's currency (or the one given): {% money product.price %}."""
    if currency is None:
        site_settings = _site_settings(context)
        currency = site_settings.currency if site_settings else "USD"
    return format_money(amount, currency)


@register.simple_tag(takes_context=True)
def brand_colours(context):
    """A <style> block with the brand colours as CSS variables, which the Tailwind theme maps to
    utilities such as bg-brand and text-brand-contrast."""
    site_settings = _site_settings(context)
    brand = site_settings.primary_colour if site_settings else DEFAULT_BRAND
    accent = site_settings.accent_colour if site_settings else DEFAULT_ACCENT
    brand = brand if HEX_COLOUR.match(brand or "") else DEFAULT_BRAND
    accent = accent if HEX_COLOUR.match(accent or "") else DEFAULT_ACCENT
    return _brand_style(brand, accent)


@lru_cache(maxsize=64)
def _brand_style(brand, accent):
    # Kept per pair of colours: the contrast sums ran on every page render for the same two colours.
    return format_html(
        "<style>:root{{--brand:{};--brand-contrast:{};--brand-ink:{};--accent:{};--accent-contrast:{}}}</style>",
        brand,
        readable_text_on(brand),
        ink_on_white(brand),
        accent,
        readable_text_on(accent),
    )


def _nav_links(request):
    """SiteSettings.header_links, or else the live top-level pages shown in menus, as (label, href)."""
    site_settings = SiteSettings.for_request(request)
    hrefs = ((block.value["label"], block.value.href_for(request)) for block in site_settings.header_links)
    links = [(label, href) for label, href in hrefs if href]
    if not links:
        site = Site.find_for_request(request)
        top_pages = site.root_page.get_children().live().public().in_menu() if site else []
        links = [(page.title, page.get_url(request)) for page in top_pages]
    return links


@register.simple_tag(takes_context=True)
def header_nav(context):
    """The header's links, each a dict with label, href and current ("page" for the page itself, "true"
    for a page inside that section, "" otherwise). The links are the same on every page of a site, so
    they are kept between requests (website.fragments); only "current" is worked out each time."""
    request = context.get("request")
    if request is None:
        return []
    current_path = request.path
    links = []
    for label, href in fragments.kept_in_process(request, "header-nav", lambda: _nav_links(request)):
        href = href or ""
        if href == current_path:
            current = "page"
        elif href.startswith("/") and href != "/" and current_path.startswith(href):
            current = "true"
        else:
            current = ""
        links.append({"label": label, "href": href, "current": current})
    return links


@register.simple_tag(takes_context=True)
def header_variant(context, nav_links):
    """What of the header differs from page to page of a site, as one string: which of its links is current, and
    whether this is the search, the cart or an account page (their icons carry aria-current)."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match else ""
    marked_view = view_name if view_name in ("search", "checkout:cart") else ""
    in_accounts = "accounts" if match and match.namespace == "accounts" else ""
    return ":".join([*(link["current"] for link in nav_links), marked_view, in_accounts])


class SiteFragmentNode(template.Node):
    def __init__(self, name, nodelist, variant=None):
        self.name = name
        self.nodelist = nodelist
        self.variant = variant

    def render(self, context):
        request = context.get("request")
        if request is None:
            return self.nodelist.render(context)
        name = self.name if self.variant is None else f"{self.name}:{self.variant.resolve(context)}"
        return fragments.kept_in_process(request, name, lambda: self.nodelist.render(context))


class PagePartNode(template.Node):
    def __init__(self, name, nodelist):
        self.name = name
        self.nodelist = nodelist

    def render(self, context):
        request = context.get("request")
        page = context.get("page")
        if request is None or page is None:
            return self.nodelist.render(context)

        def build():
            # What the page fetches in bulk for its template, fetched only when the template is rendered.
            prepare = getattr(page, "prefetch_for_render", None)
            if prepare is not None and not getattr(page, "_prefetched_for_render", False):
                prepare(request)
                page._prefetched_for_render = True
            return self.nodelist.render(context)

        return fragments.cached_page_part(request, page, self.name, build)


def _quoted_name(bits, tag_name, *, variant=False):
    """The tag's quoted name from its bits (and, with `variant`, allowed one more bit after it)."""
    if len(bits) not in ((2, 3) if variant else (2,)) or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        more = " and, optionally, a variant" if variant else ""
        raise template.TemplateSyntaxError(f"{{% {tag_name} %}} takes one quoted name{more}.")
    return bits[1][1:-1]


@register.tag
def sitefragment(parser, token):
    """{% sitefragment "footer" %}...{% endsitefragment %}: markup that is the same on every page of a
    site, rendered once per site and cache generation (website.fragments). Nothing per visitor inside.
    {% sitefragment "header" variant %}: one copy per value of `variant`, which must name everything in the
    markup that differs between pages (the header's current link)."""
    bits = token.split_contents()
    name = _quoted_name(bits, "sitefragment", variant=True)
    variant = parser.compile_filter(bits[2]) if len(bits) == 3 else None
    nodelist = parser.parse(("endsitefragment",))
    parser.delete_first_token()
    return SiteFragmentNode(name, nodelist, variant)


@register.tag
def pagepart(parser, token):
    """{% pagepart "main" %}...{% endpagepart %}: a part of the page in the context that is the same for every
    visitor, rendered once per page address and cache generation (website.fragments.cached_page_part), after
    the page's prefetch_for_render(request). Nothing per visitor inside but CSRF tokens, which are swapped."""
    name = _quoted_name(token.split_contents(), "pagepart")
    nodelist = parser.parse(("endpagepart",))
    parser.delete_first_token()
    return PagePartNode(name, nodelist)


NETWORK_NAMES = dict(SocialLinkBlock.base_blocks["network"].field.choices)


# Where the address's other parameters go in a kept pagination's links (see pagination()).
OTHER_PARAMETERS = "\x00other-parameters\x00"


@register.simple_tag(takes_context=True)
def pagination(context, page_obj, label=""):
    """{% pagination page_obj "Search result pages" %}: components/pagination.html for a Django Page object. Its
    links keep the address's other parameters (a search's words, a listing's filters) and change only the page,
    as {% querystring page=n %} gives them. The markup depends on nothing else than the page's number, the
    number of pages and the label, so each process renders it once per those (outside DEBUG, where templates
    change) and puts the parameters in: rendering it, a loop of links, was a tenth of a kept search."""
    request = context["request"]
    params = request.GET.copy()
    params.pop("page", None)
    others = params.urlencode()
    render = _pagination_markup.__wrapped__ if settings.DEBUG else _pagination_markup
    markup = render(page_obj.number, page_obj.paginator.num_pages, label)
    return mark_safe(markup.replace(OTHER_PARAMETERS, escape(f"{others}&") if others else ""))  # noqa: S308 # nosec B308 B703


@lru_cache(maxsize=512)
def _pagination_markup(number, num_pages, label):
    page_obj = Paginator(range(num_pages), 1).page(number)  # the same pages, links and labels as the real one
    context = {"page_obj": page_obj, "label": label, "other_parameters": OTHER_PARAMETERS}
    return get_template("components/pagination.html").render(context)


@register.simple_tag(takes_context=True)
def link_href(context, link):
    """{% link_href value as href %}: a LinkBlock's address, its page's URL worked out with the request."""
    return link.href_for(context.get("request"))


@register.filter
def network_name(network):
    """'youtube' -> 'YouTube', as the editor's social link choices spell it."""
    return NETWORK_NAMES.get(network, network)

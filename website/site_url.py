"""The default Site's address from SITE_URL: every absolute link the site prints (canonical, og:url, JSON-LD,
sitemap, feeds, emails) is built from the Site record's hostname and port, so that record must name the host
being served, not the demo's 127.0.0.1:8000. Applied after every `migrate` (the image runs it at start) and
by load_demo."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

DEFAULT_PORTS = {"http": 80, "https": 443}


def parse_site_url(url: str) -> dict[str, str | int]:
    """{"hostname", "port"} for a Wagtail Site, or ImproperlyConfigured naming what is wrong."""
    parts = urlsplit(url)
    try:
        port = parts.port or DEFAULT_PORTS.get(parts.scheme)
    except ValueError:
        port = None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname or not port:
        raise ImproperlyConfigured(f"SITE_URL must look like https://shop.example.com, not {url!r}.")
    if parts.path.strip("/") or parts.query or parts.fragment or parts.username:
        raise ImproperlyConfigured(f"SITE_URL is the site's origin only (no path or query), not {url!r}.")
    # Wagtail derives the scheme from the port: 443 is https, anything else http.
    if (parts.scheme == "https") != (port == 443):
        raise ImproperlyConfigured(
            f"SITE_URL {url!r}: Wagtail links use https exactly when the port is 443; "
            "serve https on 443 (a proxy in front) or http on another port."
        )
    return {"hostname": parts.hostname, "port": port}


def configured_site_address() -> dict[str, str | int] | None:
    return parse_site_url(settings.SITE_URL) if settings.SITE_URL else None


def apply_site_url(**_signal_kwargs) -> None:
    """Point the default Site at SITE_URL (a post_migrate receiver; does nothing without SITE_URL or a Site)."""
    from wagtail.models import Site

    address = configured_site_address()
    site = Site.objects.filter(is_default_site=True).first() if address else None
    if site is None or all(getattr(site, name) == value for name, value in address.items()):
        return
    for name, value in address.items():
        setattr(site, name, value)
    site.save()  # its post_save empties the page cache, whose pages carry the old host


@checks.register(checks.Tags.compatibility)
def check_site_url(**_kwargs):
    try:
        configured_site_address()
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="pagecart.E001")]
    return []


@checks.register(checks.Tags.security, deploy=True)
def check_site_url_is_set(**_kwargs):
    if settings.SITE_URL:
        return []
    return [
        checks.Warning(
            "SITE_URL is not set: canonical links, the sitemap and feeds name the Site record's host "
            "(the demo's 127.0.0.1:8000).",
            hint="Set SITE_URL to the address shoppers use, e.g. https://shop.example.com.",
            id="pagecart.W001",
        )
    ]

"""Content-Security-Policy: one policy for the public site and a looser one for Wagtail's admin.

Django 5.2 has no CSP of its own. Both policies are fixed strings per process (no nonces), so pages in
the page cache carry the same header as fresh ones.

The site: scripts only from our own static files (JSON-LD blocks are data, which CSP does not
block); inline styles allowed for the {% brand_colours %} <style> block, whose colours change with Site
settings; data: images for the SVG favicon; video players only from the two privacy-friendly hosts
website/blocks.py builds URLs for; checkout forms may end at Stripe (Chromium applies form-action to
the redirect after the POST). A page's preview is rendered by a dummy request for the page's own path,
so it gets the site's policy, except that the admin's preview panel may frame it.

The admin: Wagtail 7.4 still writes inline scripts and style attributes and frames its own previews;
its avatars are its own (base.py switches Gravatar off)."""

from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings

ADMIN_PREFIX = "/admin/"
VIDEO_PLAYERS = ("https://www.youtube-nocookie.com", "https://player.vimeo.com")


def media_origins():
    """Where public media is served from when it is on S3 rather than our own /media/."""
    storage = settings.STORAGES["default"]
    if storage["BACKEND"] != "storages.backends.s3.S3Storage":
        return ()
    options = storage["OPTIONS"]
    if options.get("custom_domain"):
        return (f"https://{options['custom_domain']}",)
    if options.get("endpoint_url"):
        endpoint = urlsplit(options["endpoint_url"])
        return (f"{endpoint.scheme}://{endpoint.netloc}",)
    bucket = options["bucket_name"]
    regional = f"https://{bucket}.s3.{options['region_name']}.amazonaws.com" if options.get("region_name") else None
    return tuple(origin for origin in (f"https://{bucket}.s3.amazonaws.com", regional) if origin)


def serialise(policy):
    return "; ".join(" ".join([directive, *sources]) for directive, sources in policy.items())


def site_policy(media, checkout_origin, frame_ancestors="'none'"):
    return serialise(
        {
            "default-src": ["'self'"],
            "script-src": ["'self'"],
            "style-src": ["'self'", "'unsafe-inline'"],
            "img-src": ["'self'", "data:", *media],
            "font-src": ["'self'"],
            "connect-src": ["'self'"],
            "frame-src": list(VIDEO_PLAYERS),
            "form-action": ["'self'", checkout_origin],
            "frame-ancestors": [frame_ancestors],
            "base-uri": ["'self'"],
            "object-src": ["'none'"],
        }
    )


def admin_policy(media):
    return serialise(
        {
            "default-src": ["'self'"],
            "script-src": ["'self'", "'unsafe-inline'"],
            "style-src": ["'self'", "'unsafe-inline'"],
            "img-src": ["'self'", "data:", "blob:", *media],
            "font-src": ["'self'", "data:"],
            "connect-src": ["'self'"],
            "frame-src": ["'self'", *VIDEO_PLAYERS],
            "form-action": ["'self'"],
            "frame-ancestors": ["'self'"],
            "base-uri": ["'self'"],
            "object-src": ["'none'"],
        }
    )


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            if getattr(request, "is_dummy", False):  # Wagtail's preview of a page
                area = "preview"
            else:
                area = "admin" if request.path.startswith(ADMIN_PREFIX) else "site"
            response["Content-Security-Policy"] = policies(media_origins(), settings.STRIPE_CHECKOUT_ORIGIN)[area]
        return response


@lru_cache(maxsize=8)
def policies(media, checkout_origin):
    """Built once per configuration, so a request only looks them up."""
    return {
        "site": site_policy(media, checkout_origin),
        "preview": site_policy(media, checkout_origin, frame_ancestors="'self'"),
        "admin": admin_policy(media),
    }

"""Gzip for the site's text responses (the demo's home page: 56 KB leaves as about 9 KB).

BREACH reads a secret out of a compressed HTTPS body by reflecting guesses into the same body and watching its
length. What keeps that out here:
- the CSRF token in forms is masked afresh for every response (Django), so there is no fixed secret to guess;
- Django's GZipMiddleware pads each response's gzip header with 0-99 random bytes ("Heal the Breach"), so one
  length says little and an attack needs many times more requests;
- responses marked `private` or `no-store` (orders, download pages, account pages: the ones that show a
  shopper's tokens or personal data) are not compressed at all.
Streaming responses (paid downloads, static files, which whitenoise and nginx serve precompressed) are left
alone: their bodies are mostly compressed formats already, and their Content-Length must stand."""

from django.middleware.gzip import GZipMiddleware

COMPRESSIBLE_TYPES = (
    "text/",
    "application/json",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
    "application/javascript",
    "image/svg+xml",
)


def carries_personal_data(response) -> bool:
    cache_control = response.get("Cache-Control", "")
    return "private" in cache_control or "no-store" in cache_control


class TextGZipMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        if (
            response.streaming
            or not response.get("Content-Type", "").startswith(COMPRESSIBLE_TYPES)
            or carries_personal_data(response)
        ):
            return response
        return super().process_response(request, response)

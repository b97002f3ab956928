"""Production: every secret from the environment, secure cookies and headers."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import STRIPE_PUBLISHABLE_KEY, STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET, env, logging_config

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment for production.")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

# TLS: on by default; switch off behind a TLS-terminating proxy that already redirects, or for a
# local check over plain HTTP.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"  # Wagtail's preview views set SAMEORIGIN on themselves.
SESSION_COOKIE_HTTPONLY = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env("ACCOUNT_DEFAULT_HTTP_PROTOCOL", default="https")
LOGGING = logging_config(env("LOG_FORMAT", default="json"))

# Checkout takes real money here, so its keys are as required as SECRET_KEY. A shop that sells nothing
# yet says so with CHECKOUT_ENABLED=false: the keys are then ignored and checkout shows as switched off.
CHECKOUT_ENABLED = env.bool("CHECKOUT_ENABLED", default=True)
if CHECKOUT_ENABLED:
    # Each key with the prefix Stripe gives it, so a key pasted into the wrong variable fails here.
    stripe_keys = {
        "STRIPE_SECRET_KEY": (STRIPE_SECRET_KEY, ("sk_", "rk_")),
        "STRIPE_PUBLISHABLE_KEY": (STRIPE_PUBLISHABLE_KEY, ("pk_",)),
        "STRIPE_WEBHOOK_SECRET": (STRIPE_WEBHOOK_SECRET, ("whsec_",)),
    }
    missing = [name for name, (value, _prefixes) in stripe_keys.items() if not value]
    if missing:
        raise ImproperlyConfigured(
            f"{', '.join(missing)} must be set in the environment for production checkout, "
            "or set CHECKOUT_ENABLED=false to run the shop without checkout."
        )
    for name, (value, prefixes) in stripe_keys.items():
        if not value.startswith(prefixes):
            raise ImproperlyConfigured(f"{name} should start with {' or '.join(prefixes)}; is it the right key?")
else:
    STRIPE_SECRET_KEY = STRIPE_PUBLISHABLE_KEY = STRIPE_WEBHOOK_SECRET = ""  # no keys: checkout is off  # nosec B105

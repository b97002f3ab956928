"""Settings shared by every environment. Only this module and production.py read the environment."""

from pathlib import Path

import environ

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A local .env is a convenience for development; real deployments set the environment itself.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The address shoppers use (https://shop.example.com): the default Site is set to it at every migrate and by
# load_demo, and absolute links (canonical, sitemap, feeds, emails) are built from it (website/site_url.py).
SITE_URL = env("SITE_URL", default="")

# Where the SQLite database, public media and private (paid) files live unless told otherwise.
DATA_DIR = Path(env("DATA_DIR", default=str(BASE_DIR / "data")))
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(DATA_DIR / "media")))
PRIVATE_ROOT = Path(env("PRIVATE_ROOT", default=str(DATA_DIR / "private")))

INSTALLED_APPS = [
    "website",
    "home",
    "blog",
    "products",
    "infopages",
    "accounts",
    "checkout",
    "reviews",
    "api",
    "search",
    "demo",
    "theme",
    "wagtailseo",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.table_block",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.sitemaps",
    "wagtail.api.v2",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "tailwind",
    "rest_framework",
    "rest_framework.authtoken",
    "allauth",
    "allauth.account",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "website.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Above everything that writes a body; private pages stay uncompressed (BREACH: website/compression.py).
    "website.compression.TextGZipMiddleware",
    # Outside the page cache, so cached pages get the header too.
    "website.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Above the page cache, so searches it answers are counted too.
    "search.hits.SearchHitsMiddleware",
    # After CSRF (a hit hands out the visitor's own token), before auth (a hit loads no session).
    "website.page_cache.PageCacheMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "website.page_cache.SignedInCookieMiddleware",
    # Inside the page cache, which then stores none of what it marks.
    "website.private_pages.PrivatePagesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last: finds a kept route once the URL is resolved, just before Wagtail's serve view would route.
    "website.routes.RouteCacheMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets readers run beside a writer; IMMEDIATE takes the write lock at BEGIN so two
    # writers queue on the busy timeout instead of failing mid-transaction with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": ("PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;"),
    }
else:
    # Django's PostgreSQL backend, with a health check that reads the socket before it queries the server
    # (website/postgresql/base.py): a reused connection is checked without a round trip on every request.
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"]["ENGINE"] = "website.postgresql"
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Persistent connections: opening one (and, on SQLite, running the PRAGMAs above) costs more than many
# of a page's queries.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",  # Wagtail's admin log-in
    "allauth.account.auth_backends.AuthenticationBackend",
]

# Shopper accounts (django-allauth): email only, verified before first log-in, so guest orders placed
# with an address can safely join the account that proves it owns that address (accounts/orders.py).
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
# The emailed link opens a page with a button: mail scanners that follow links must not confirm anything.
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
# Same answers whether or not an address has an account: sign-up mails the owner instead of saying
# "taken", password reset always says "sent", log-in errors never say which half was wrong.
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_FORMS = {"signup": "accounts.forms.SignupForm"}  # ... and in the same time (accounts/forms.py)
ACCOUNT_EMAIL_NOTIFICATIONS = True  # mail the owner when their password or addresses change
ACCOUNT_SESSION_REMEMBER = None  # ask ("Remember me")
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""  # the subjects name the store themselves
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env("ACCOUNT_DEFAULT_HTTP_PROTOCOL", default="http")
# allauth's default rate limits stand (log-in 30/min per IP; failed log-ins 10/min per IP and 5 per
# 5 minutes per email address from one IP, see accounts/adapter.py; sign-up 20/min per IP; reset 20/min
# per IP and 5/min per address). They count in the default cache, which every process shares: Redis
# (REDIS_URL), else the database.
# The limits are per client IP: behind a proxy, say how many add themselves to X-Forwarded-For, or every
# shopper shares the proxy's address and one bucket.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# Failed log-ins never lock an account (someone else could lock its owner out): they are limited per address
# (10 a minute; 5 in 5 minutes per account from one address), and past LOGIN_DELAY_FREE_FAILURES for one
# account from anywhere in 15 minutes each attempt on it waits, doubling to the cap (website/login_delay.py).
# The wait holds a worker, so the cap stays short: the per-address limits bound how many one address can cause.
LOGIN_DELAY_FREE_FAILURES = env.int("LOGIN_DELAY_FREE_FAILURES", default=5)
LOGIN_DELAY_SECONDS = env.float("LOGIN_DELAY_SECONDS", default=0.5)
LOGIN_DELAY_MAX_SECONDS = env.float("LOGIN_DELAY_MAX_SECONDS", default=2)
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:dashboard"
# Wagtail's page privacy ("log in to view") sends visitors to the shop's own log-in page.
WAGTAIL_FRONTEND_LOGIN_URL = "/account/login/"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = []
MEDIA_URL = "/media/"

STORAGES = {
    "default": {
        "BACKEND": "website.storage.MediaFileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT, "base_url": MEDIA_URL},
    },
    # Paid files and Wagtail documents: kept outside MEDIA_ROOT, so no public URL reaches them.
    "private": {
        "BACKEND": "website.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": PRIVATE_ROOT, "base_url": None},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Paid downloads. DOWNLOAD_DELIVERY: "stream" (Django streams the file), "x-accel" (nginx serves
# DOWNLOAD_ACCEL_PREFIX + path from an internal location), "x-sendfile" (Apache mod_xsendfile), or
# "signed-url" (redirect to a short-lived URL from the private storage, e.g. S3).
DOWNLOAD_ACCEL_PREFIX = env("DOWNLOAD_ACCEL_PREFIX", default="/protected/")
DOWNLOAD_SIGNED_URL_SECONDS = env.int("DOWNLOAD_SIGNED_URL_SECONDS", default=60)

# S3-compatible storage (django-storages), when a bucket is named; otherwise the folders above.
# Credentials may also come from boto3's own chain (instance roles), so they are optional here.
S3_CONNECTION = {
    "endpoint_url": env("S3_ENDPOINT_URL", default=None),
    "region_name": env("S3_REGION", default=None),
    "access_key": env("S3_ACCESS_KEY_ID", default=None),
    "secret_key": env("S3_SECRET_ACCESS_KEY", default=None),
    "addressing_style": env("S3_ADDRESSING_STYLE", default=None),
    "signature_version": "s3v4",
    "file_overwrite": False,
}
MEDIA_S3_BUCKET = env("MEDIA_S3_BUCKET", default="")
if MEDIA_S3_BUCKET:
    # Image and rendition names never change content (file_overwrite is off), so browsers and CDNs keep them.
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **S3_CONNECTION,
            "bucket_name": MEDIA_S3_BUCKET,
            "custom_domain": env("MEDIA_S3_CUSTOM_DOMAIN", default=None),
            "querystring_auth": False,
            # Empty for providers without ACLs (a bucket policy makes the objects public instead).
            "default_acl": env("MEDIA_S3_ACL", default="public-read") or None,
            "object_parameters": {
                "CacheControl": f"public, max-age={env.int('MEDIA_CACHE_SECONDS', default=60 * 60 * 24 * 365)}"
            },
        },
    }
PRIVATE_S3_BUCKET = env("PRIVATE_S3_BUCKET", default="")
if PRIVATE_S3_BUCKET:
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **S3_CONNECTION,
            "bucket_name": PRIVATE_S3_BUCKET,
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": DOWNLOAD_SIGNED_URL_SECONDS,
        },
    }
DOWNLOAD_DELIVERY = env("DOWNLOAD_DELIVERY", default="signed-url" if PRIVATE_S3_BUCKET else "stream")
if PRIVATE_S3_BUCKET and DOWNLOAD_DELIVERY in ("x-accel", "x-sendfile"):
    raise ImproperlyConfigured(
        f"DOWNLOAD_DELIVERY={DOWNLOAD_DELIVERY} hands a file on PRIVATE_ROOT to the web server, but "
        "PRIVATE_S3_BUCKET keeps paid files on S3: use signed-url (the default there) or stream."
    )

# Process memory for what a page view reads several times and may keep per worker: the header and footer, each
# page's head, main content and route, search's cards (keyed by the page cache's shared generation, so stale in no
# worker after a publish). In the database cache each would be a query on every page view, and in Redis a round
# trip and an unpickling: a worker renders each once more than with a shared cache, then reads it in microseconds.
# A page keeps three entries of about 5-25 KB: room for the 1,000 most visited pages (about 45 MB a worker at
# most), the least recently used going first.
FRAGMENTS_CACHE = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "fragments",
    "OPTIONS": {"MAX_ENTRIES": 3000},
}

REDIS_URL = env("REDIS_URL", default="")
# A Redis out of reach costs a request a second at most: the caches then go without it for a while
# (website/redis_cache.py). redis-py's default is to wait for as long as the operating system does.
REDIS_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1}
if REDIS_URL:
    CACHES = {
        # Django's, keeping one client per connection pool (website/redis_cache.py).
        "default": {"BACKEND": "website.redis_cache.RedisCache", "LOCATION": REDIS_URL, "OPTIONS": REDIS_OPTIONS},
        "pages": {
            "BACKEND": "website.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "pages",
            "OPTIONS": REDIS_OPTIONS,
        },
        "fragments": FRAGMENTS_CACHE,
    }
else:
    CACHES = {
        # The database, not process memory: allauth counts its log-in limits here, and each gunicorn worker
        # counting its own would multiply them (the table comes with website's migrations). Room for many
        # entries: culling at Django's 300 would let a crowd of addresses wipe the counts.
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "website_cache",
            "OPTIONS": {"MAX_ENTRIES": 50_000},
        },
        # Files, not process memory: every worker on the machine must see the same pages and the same
        # invalidations (a publish in one worker empties the cache for all of them). Django's file cache
        # without its folder listing on every write (website/file_cache.py).
        "pages": {
            "BACKEND": "website.file_cache.FileCache",
            "LOCATION": str(DATA_DIR / "cache" / "pages"),
            "OPTIONS": {"MAX_ENTRIES": 5000},
        },
        "fragments": FRAGMENTS_CACHE,
        # Wagtail's rendition lookups: in the database cache each would be a query (with Redis they go to
        # "default").
        "renditions": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "renditions"},
    }

# Anonymous GETs of pages are served from the "pages" cache for this long (0 switches it off);
# publishing, settings, snippets, prices and stock changes empty it at once (website/page_cache.py).
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=600)
# The header navigation and footer are kept rendered in the default cache for this long (0 switches it
# off), under the same generation, so they go stale with the pages (website/fragments.py).
FRAGMENT_CACHE_SECONDS = env.int("FRAGMENT_CACHE_SECONDS", default=600)
# Searches are counted in memory and written for the popular-searches report this often, by a thread of each
# process (search/hits.py), so no search waits on a write.
SEARCH_HITS_FLUSH_SECONDS = env.float("SEARCH_HITS_FLUSH_SECONDS", default=10.0)

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Pagecart <shop@example.com>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Stripe: read here, used only by checkout/stripe_gateway.py.
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default="")
STRIPE_PUBLISHABLE_KEY = env("STRIPE_PUBLISHABLE_KEY", default="")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default="")
STRIPE_API_BASE = env("STRIPE_API_BASE", default="")
# Where Stripe's hosted payment page lives: the site's CSP lets checkout forms end there.
STRIPE_CHECKOUT_ORIGIN = env("STRIPE_CHECKOUT_ORIGIN", default="https://checkout.stripe.com")
# Physical units unpaid checkouts may hold at once (for 31 minutes each), per browser, email and address;
# the address's is larger, as shoppers share one in an office or on a mobile network (checkout/holds.py).
CHECKOUT_HOLD_UNITS_PER_SESSION = env.int("CHECKOUT_HOLD_UNITS_PER_SESSION", default=10)
CHECKOUT_HOLD_UNITS_PER_EMAIL = env.int("CHECKOUT_HOLD_UNITS_PER_EMAIL", default=10)
CHECKOUT_HOLD_UNITS_PER_IP = env.int("CHECKOUT_HOLD_UNITS_PER_IP", default=30)
# Abandoned-checkout reminders: Stripe's page asks for consent to promotional email, and a buyer who agreed and
# let the checkout expire gets one email, this long after, with a link that refills the cart (checkout.recovery).
CHECKOUT_RECOVERY = env.bool("CHECKOUT_RECOVERY", default=False)
CHECKOUT_RECOVERY_DELAY = env.int("CHECKOUT_RECOVERY_DELAY_SECONDS", default=60 * 60)
CHECKOUT_RECOVERY_MAX_AGE = env.int("CHECKOUT_RECOVERY_MAX_AGE_SECONDS", default=3 * 24 * 60 * 60)  # none older
CHECKOUT_RECOVERY_LINK_DAYS = env.int("CHECKOUT_RECOVERY_LINK_DAYS", default=7)

# The scheduler (manage.py run_scheduler, website/scheduler.py): seconds between runs of each periodic job;
# 0 switches a job off. BACKUP_KEEP archives are kept in DATA_DIR/backups.
SCHEDULER_INTERVALS = {
    "publish_scheduled": env.int("SCHEDULE_PUBLISH_SECONDS", default=60),
    "send_notifications": env.int("SCHEDULE_NOTIFICATIONS_SECONDS", default=120),
    "reconcile_orders": env.int("SCHEDULE_RECONCILE_SECONDS", default=600),
    "send_checkout_reminders": env.int("SCHEDULE_CHECKOUT_REMINDERS_SECONDS", default=300),
    "backup": env.int("SCHEDULE_BACKUP_SECONDS", default=86400),
}
BACKUP_KEEP = env.int("BACKUP_KEEP", default=7)

# Wagtail
WAGTAIL_SITE_NAME = "Pagecart"
# No autosave: an autosave already in flight when the editor presses Publish can land after it and mark the
# just-published page as having unpublished changes (seen in tests/e2e/test_editor.py; autosave races are
# open upstream, wagtail#13863). Editors save drafts with the button, and the editor warns before leaving.
WAGTAIL_AUTOSAVE_INTERVAL = 0
# No Gravatar: editors' address hashes stay with us, and the admin's CSP needs no third-party images.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default=SITE_URL or "http://127.0.0.1:8000")
WAGTAILDOCS_DOCUMENT_MODEL = "website.PrivateDocument"
# Documents are streamed through Wagtail's view, which enforces collection privacy.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"avif": "avif", "webp": "webp"}
# load_demo cuts every rendition the demo's pages show (demo/renditions.py), so no first visit waits for AVIF
# encoding; the tests switch it off (most load the demo and never look at its pictures).
DEMO_RENDITIONS = env.bool("DEMO_RENDITIONS", default=True)
# Wagtail's database backend for SQLite or PostgreSQL, with each search matched and ranked once (search/backends).
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.backends"}}
WAGTAILEMBEDS_RESPONSIVE_HTML = True
TAGGIT_CASE_INSENSITIVE = True

TAILWIND_APP_NAME = "theme"

LOG_FORMATTERS = {
    "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    "json": {"()": "website.log_format.JsonFormatter"},
}


def logging_config(log_format):
    """Everything to stdout: "plain" for a terminal, "json" (production's default) for a log collector."""
    if log_format not in LOG_FORMATTERS:
        raise ImproperlyConfigured(f"LOG_FORMAT must be one of {', '.join(LOG_FORMATTERS)}, not {log_format!r}.")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": LOG_FORMATTERS,
        "handlers": {
            "console": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": log_format}
        },
        "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
        "loggers": {"django.db.backends": {"level": "WARNING"}},
    }


LOGGING = logging_config(env("LOG_FORMAT", default="plain"))

# The headless API (api/): tokens for apps, sessions (with CSRF) for the site's own pages; no Basic auth, which
# would take password guesses past the log-in limits.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
}

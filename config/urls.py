from django.conf import settings
from django.urls import include, path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from api.urls import router as api_router
from blog.feeds import JournalAtomFeed, JournalRssFeed
from search.views import search_view
from website.admin_login import RateLimitedLoginView
from website.seo_views import robots_txt
from website.sitemaps import PageSitemap

urlpatterns = [
    # Before Wagtail's own, which it replaces: the same log-in with a limit on attempts.
    path("admin/login/", RateLimitedLoginView.as_view(), name="wagtailadmin_login"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # The headless API: Wagtail's pages, images and documents, then the shopper's cart, checkout and orders.
    path("api/v2/", api_router.urls),
    path("api/v2/", include("api.urls")),
    path("", include("checkout.urls")),
    # The shopper's dashboard, then allauth's log-in, sign-up, email and password views beside it.
    path("account/reviews/", include("reviews.urls")),
    path("account/", include("accounts.urls")),
    path("account/", include("allauth.urls")),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": PageSitemap}}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("search/", search_view, name="search"),
    path("feeds/journal/rss/", JournalRssFeed(), name="journal_rss_feed"),
    path("feeds/journal/atom/", JournalAtomFeed(), name="journal_atom_feed"),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]

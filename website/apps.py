from django.apps import AppConfig
from django.db.models.signals import post_migrate


class WebsiteConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "website"

    def ready(self):
        # Imported here: these modules import models, which load only once the app registry is ready.
        from .page_cache import connect_invalidation
        from .site_url import apply_site_url

        connect_invalidation()
        # Every `migrate` (the image runs one at start, the scale profile's migrate job too) sets the Site's address.
        post_migrate.connect(apply_site_url, sender=self, dispatch_uid="website.apply_site_url")

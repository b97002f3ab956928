from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Search across the content apps: one query over products, journal posts and info pages."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "search"

    def ready(self):
        # Imported here: fuzzy reads the page models, which load only once the app registry is ready.
        from . import fuzzy

        fuzzy.connect()

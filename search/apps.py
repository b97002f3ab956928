from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Search across the content apps: one query over products, journal posts and info pages."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "search"

    def ready(self):
        from . import fuzzy

        fuzzy.connect()

from django.apps import AppConfig


class ProductsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "products"

    def ready(self):
        # Models and the page cache load only once the app registry is ready.
        from website.page_cache import register_cache_dependency

        from .models import Brand, ProductCategory

        # Product pages and listings show these snippets' names: a change must reach cached pages.
        register_cache_dependency(Brand, ProductCategory)

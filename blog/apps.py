from django.apps import AppConfig


class BlogConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "blog"

    def ready(self):
        # Models and the page cache load only once the app registry is ready.
        from website.page_cache import register_cache_dependency

        from .models import Author, BlogCategory

        # Posts and the blog index show these snippets: a change must reach cached pages.
        register_cache_dependency(Author, BlogCategory)

from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The Northwind Studio demo store: its content, generated art and files, and `manage.py load_demo`."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "demo"

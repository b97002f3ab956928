from django.apps import AppConfig


class InfoPagesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "infopages"

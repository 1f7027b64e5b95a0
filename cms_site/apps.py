"""App config for the demo site."""

from django.apps import AppConfig


class CmsSiteConfig(AppConfig):
    name = "cms_site"
    label = "cms_site"
    verbose_name = "Demo site"
    default_auto_field = "django.db.models.BigAutoField"

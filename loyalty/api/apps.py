"""App config for the partner REST API (/api/v1/)."""

from django.utils.translation import gettext_lazy as _

from loyalty.core import apps as core  # a module, so Django still finds one AppConfig here


class ApiConfig(core.LoyaltyAppConfig):
    name = "loyalty.api"
    label = "loyalty_api"
    verbose_name = _("Partner API")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import schema  # noqa: F401  (registers the Api-Key security scheme)

"""App config for insights: surveys, metrics, personas and the activity stream."""

from django.utils.translation import gettext_lazy as _

from loyalty.core import apps as core  # a module, so Django still finds one AppConfig here


class InsightsConfig(core.LoyaltyAppConfig):
    name = "loyalty.insights"
    label = "loyalty_insights"
    verbose_name = _("Loyalty insights")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import activity, receivers  # noqa: F401

        activity.connect()

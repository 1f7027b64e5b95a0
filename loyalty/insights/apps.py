"""App config for insights: survey answers now; metrics, personas and dashboards with the insights issue."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "loyalty.insights"
    label = "loyalty_insights"
    verbose_name = _("Loyalty insights")
    default_auto_field = "django.db.models.BigAutoField"
